"""HTTP shapes of the notifications API."""
from marshmallow import Schema, fields, validate


class InboxQuery(Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class InboxEntry(Schema):
    id = fields.String(attribute="_id")
    kind = fields.String()
    idea_id = fields.String()
    title = fields.String()
    message = fields.String()
    from_status = fields.String(attribute="from", data_key="from")
    to_status = fields.String(attribute="to", data_key="to")
    created_at = fields.AwareDateTime()
    read = fields.Boolean()


class Inbox(Schema):
    user_id = fields.String()
    unread = fields.Integer()
    entries = fields.List(fields.Nested(InboxEntry))
