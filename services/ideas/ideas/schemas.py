"""HTTP shapes of the ideas API."""
from marshmallow import Schema, fields, validate

from idealab.fields import Text

from .domain import SORTS


SPACE = validate.Regexp(r"^[A-Za-z0-9_-]{1,64}$", error="a space id: letters, digits, - and _")
CATEGORY = validate.Regexp(r"^[a-z0-9][a-z0-9-]{0,39}$", error="lower-case letters, digits and dashes, 1-40 long")


class IdeaSubmission(Schema):
    title = Text(required=True, validate=validate.Length(min=5, max=140))
    description = Text(required=True, validate=validate.Length(min=1, max=5000))
    category = fields.String(required=True, validate=CATEGORY)
    space = fields.String(load_default=None, validate=SPACE)


class IdeaListQuery(Schema):
    sort = fields.String(load_default="newest", validate=validate.OneOf(SORTS))
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=100_000))
    space = fields.String(load_default=None, validate=SPACE)


class Idea(Schema):
    id = fields.String(attribute="_id")
    title = fields.String()
    description = fields.String()
    category = fields.String()
    author_id = fields.String()
    space = fields.String()
    submitted_at = fields.AwareDateTime()
    status = fields.String()
    vote_count = fields.Integer()
