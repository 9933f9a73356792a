"""HTTP shapes of the notifications API."""
from marshmallow import EXCLUDE, Schema, fields, validate

from idealab.fields import StrictBoolean


class InboxQuery(Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class Preferences(Schema):
    email = StrictBoolean(required=True)  # JSON true or false only, not 0, 1, "yes" or "off"


class PreferencesShown(Schema):
    user_id = fields.String()
    email = fields.Boolean()
    # Email goes only to an address verified in the accounts service.
    email_address_known = fields.Boolean()


class UnsubscribeQuery(Schema):
    class Meta:
        unknown = EXCLUDE  # one-click clients may add their own parameters

    token = fields.String(required=True, validate=validate.Length(min=16, max=100))


class EmailJob(Schema):
    idea_id = fields.String()
    title = fields.String()
    state = fields.String()
    queued_at = fields.AwareDateTime()
    sent_at = fields.AwareDateTime()


class EmailContact(Schema):
    address = fields.String()
    enabled = fields.Boolean()


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
    since = fields.AwareDateTime()


class MyData(Schema):
    subscriptions = fields.List(fields.Nested(Subscription))
    inbox = fields.List(fields.Nested(InboxEntry))
    email = fields.Nested(EmailContact, allow_none=True)
    emails = fields.List(fields.Nested(EmailJob))


class Inbox(Schema):
    user_id = fields.String()
    unread = fields.Integer()
    entries = fields.List(fields.Nested(InboxEntry))
