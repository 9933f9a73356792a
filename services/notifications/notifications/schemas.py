"""HTTP shapes of the notifications API."""
from datetime import datetime, timezone

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates

from idealab.fields import StrictBoolean

from . import email_choices, templates, webhooks


class InboxQuery(Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class Preferences(Schema):
    email = StrictBoolean()  # JSON true or false only, not 0, 1, "yes" or "off"
    # Per kind of notification: instant, daily (the morning digest) or none; the kinds not given keep theirs.
    kinds = fields.Dict(keys=fields.String(validate=validate.OneOf(email_choices.KINDS)),
                        values=fields.String(validate=validate.OneOf(email_choices.MODES)))
    language = fields.String(validate=validate.OneOf(templates.LANGUAGES))  # of the emails
    time_zone = fields.String(validate=validate.Length(max=64))  # IANA name, e.g. Europe/Paris: the digest's morning

    @validates("time_zone")
    def _a_time_zone(self, value: str, **_) -> None:
        if not email_choices.is_time_zone(value):
            raise ValidationError("not a time zone name, e.g. Europe/Paris")


class Bounce(Schema):
    address = fields.String()
    reason = fields.String()
    at = fields.AwareDateTime()


class PreferencesShown(Schema):
    user_id = fields.String()
    email = fields.Boolean()
    # Email goes only to an address verified in the accounts service.
    email_address_known = fields.Boolean()
    kinds = fields.Dict(keys=fields.String(), values=fields.String())
    language = fields.String(allow_none=True)
    time_zone = fields.String()
    # The mail server refused the address for good: nothing is mailed to it until another address is verified.
    bounce = fields.Nested(Bounce, allow_none=True)


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
    path = fields.String()  # the lab's page it leads to, when not the idea's (a campaign, a private thread)


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
    email_choices = fields.Dict()  # per kind, language, time zone (email_choices)


class Inbox(Schema):
    user_id = fields.String()
    unread = fields.Integer()
    entries = fields.List(fields.Nested(InboxEntry))


class WebhookEndpointNew(Schema):
    url = fields.Url(required=True, schemes={"http", "https"}, require_tld=False, validate=validate.Length(max=2000))
    events = fields.List(fields.String(validate=validate.OneOf(sorted(webhooks.EVENTS))), required=True,
                         validate=validate.Length(min=1, max=len(webhooks.EVENTS)))
    description = fields.String(load_default="", validate=validate.Length(max=200))


class WebhookEndpointChange(Schema):
    url = fields.Url(schemes={"http", "https"}, require_tld=False, validate=validate.Length(max=2000))
    events = fields.List(fields.String(validate=validate.OneOf(sorted(webhooks.EVENTS))),
                         validate=validate.Length(min=1, max=len(webhooks.EVENTS)))
    description = fields.String(validate=validate.Length(max=200))
    enabled = StrictBoolean()


class WebhookEndpoint(Schema):
    id = fields.String(attribute="_id")
    url = fields.String()
    events = fields.List(fields.String())
    description = fields.String()
    enabled = fields.Boolean()
    created_by = fields.String()
    created_at = fields.AwareDateTime()
    failing_since = fields.AwareDateTime(allow_none=True)
    disabled_at = fields.AwareDateTime(allow_none=True)
    # How many secrets sign now: two for a while after a rotation. The secrets themselves are shown once.
    live_secrets = fields.Method("_live_secrets")

    def _live_secrets(self, endpoint: dict) -> int:
        return len(webhooks.live_secrets(endpoint, datetime.now(timezone.utc)))


class WebhookEndpointWithSecret(WebhookEndpoint):
    secret = fields.String()  # whsec_<base64>: the receiver verifies signatures with it


class WebhookEndpoints(Schema):
    endpoints = fields.List(fields.Nested(WebhookEndpoint))
    event_types = fields.List(fields.String())


class WebhookAttempt(Schema):
    at = fields.AwareDateTime()
    status = fields.Integer(allow_none=True)
    error = fields.String(allow_none=True)
    ms = fields.Integer()


class WebhookDelivery(Schema):
    id = fields.String(attribute="_id")  # the webhook-id header
    type = fields.String()
    state = fields.String()
    attempts = fields.Integer()
    created_at = fields.AwareDateTime()
    next_attempt_at = fields.AwareDateTime()
    delivered_at = fields.AwareDateTime()
    error = fields.String(allow_none=True)
    body = fields.String()
    log = fields.List(fields.Nested(WebhookAttempt))


class WebhookLogQuery(Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class WebhookLog(Schema):
    endpoint = fields.Nested(WebhookEndpoint)
    deliveries = fields.List(fields.Nested(WebhookDelivery))


class LiveStream(Schema):
    url = fields.String(metadata={"description": "the stream to open with EventSource: the channels the caller may "
                                                 "hear now"})
    following = fields.List(fields.String(), metadata={"description": "the ideas the caller follows"})
