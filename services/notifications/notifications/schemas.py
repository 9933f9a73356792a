"""HTTP shapes of the notifications API."""
from marshmallow import Schema, fields, validate


class InboxQuery(Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class MarkRead(Schema):
    # Without ids, every entry of the inbox is marked read.
    ids = fields.List(fields.String(validate=validate.Length(min=1, max=100)), load_default=None,
                      validate=validate.Length(max=200))


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


class Unread(Schema):
    user_id = fields.String()
    unread = fields.Integer()


class Subscription(Schema):
    idea_id = fields.String()
    reasons = fields.List(fields.String())


class MyData(Schema):
    subscriptions = fields.List(fields.Nested(Subscription))
    inbox = fields.List(fields.Nested(InboxEntry))


class Inbox(Schema):
    user_id = fields.String()
    unread = fields.Integer()
    entries = fields.List(fields.Nested(InboxEntry))
