"""HTTP shapes of the accounts API."""
import re

from marshmallow import Schema, ValidationError, fields, validate

from idealab.auth import ROLES
from idealab.fields import OneLine, StrictBoolean, Text


class Email(fields.Email):
    """An address without the spaces around it (pasted addresses often carry some)."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value.strip() if isinstance(value, str) else value, attr, data, **kwargs)


EMAIL = dict(required=True, validate=validate.Length(max=254))
# argon2 hashes any length, but its cost grows with it: a cap keeps one request from costing much.
PASSWORD = dict(required=True, validate=validate.Length(min=1, max=1024))
SECRET = dict(required=True, validate=validate.Length(min=1, max=200))
# What a mail client would turn into a link: a URL, an address, a domain name (a dot followed by letters).
LINK = re.compile(r"://|www\.|@|\w\.[^\W\d_]{2}")


def no_link(name: str) -> None:
    """A display name greets its owner in our mails: it must not carry a link someone else could plant there."""
    if LINK.search(name):
        raise ValidationError("a name only: no web or email address")


class SignUp(Schema):
    email = Email(**EMAIL)
    password = fields.String(**PASSWORD)
    display_name = OneLine(required=True, validate=[validate.Length(min=1, max=80), no_link])


class SignIn(Schema):
    # Not checked as an address: a malformed one is simply not an account, and gets the same 401 as a wrong password.
    email = fields.String(**EMAIL)
    password = fields.String(**PASSWORD)


class RefreshToken(Schema):
    refresh_token = fields.String(**SECRET)


class OneTimeToken(Schema):
    token = fields.String(**SECRET)


class ResetRequest(Schema):
    email = Email(**EMAIL)


class ResetConfirm(Schema):
    token = fields.String(**SECRET)
    password = fields.String(**PASSWORD)


class DeleteAccount(Schema):
    password = fields.String(load_default=None, validate=validate.Length(max=1024))


class Roles(Schema):
    roles = fields.List(fields.String(validate=validate.OneOf(ROLES)), required=True,
                        validate=validate.Length(min=1, max=len(ROLES)))


class Ban(Schema):
    reason = Text(required=True, validate=validate.Length(min=1, max=500))


class UserQuery(Schema):
    email = fields.String(**EMAIL)


class NewSpace(Schema):
    name = OneLine(required=True, validate=validate.Length(min=1, max=80))
    unverified_may_vote = StrictBoolean(load_default=True, metadata={
        "description": "whether votes of accounts with an unverified email address count in the space at once "
                       "(else from their verification)"})


class Invitation(Schema):
    email = Email(**EMAIL)


class SignInStart(Schema):
    return_to = fields.String(load_default="/", validate=validate.Length(max=2000))


class Tokens(Schema):
    access_token = fields.String()
    refresh_token = fields.String()
    token_type = fields.String()
    expires_in = fields.Integer()


class User(Schema):
    id = fields.String(attribute="_id")
    email = fields.String()
    display_name = fields.String()
    email_verified = fields.Boolean()


class Profile(User):
    roles = fields.List(fields.String())
    spaces = fields.List(fields.String())


class BanRecord(Schema):
    reason = fields.String()
    by = fields.String()
    at = fields.AwareDateTime()


class ManagedUser(Profile):
    """A user as admins and moderators see them."""
    banned = fields.Nested(BanRecord, allow_none=True)
    created_at = fields.AwareDateTime()


class Space(Schema):
    id = fields.String(attribute="_id")
    name = fields.String()
    unverified_may_vote = fields.Boolean(dump_default=True)
    created_at = fields.AwareDateTime()
    member_count = fields.Integer()


class Member(Schema):
    id = fields.String(attribute="_id")
    display_name = fields.String()
    email = fields.String()


class Provider(Schema):
    name = fields.String()
    display_name = fields.String()


class LinkedIdentity(Schema):
    provider = fields.String()
    display_name = fields.String()
    linked_at = fields.AwareDateTime()
