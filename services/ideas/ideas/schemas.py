"""HTTP shapes of the ideas API."""
from marshmallow import Schema, fields, validate

from idealab.fields import OneLine, Text

from .domain import SORTS, image_url


# \Z, not $: $ also matches before a final line break, so "ux\n" passed as a category.
SPACE = validate.Regexp(r"^[A-Za-z0-9_-]{1,64}\Z", error="a space id: letters, digits, - and _")
IMAGE_ID = validate.Regexp(r"^[0-9a-f]{32}\Z", error="the id of an image you uploaded")
CATEGORY = validate.Regexp(r"^[a-z0-9][a-z0-9-]{0,39}\Z", error="lower-case letters, digits and dashes, 1-40 long")


class IdeaSubmission(Schema):
    title = OneLine(required=True, validate=validate.Length(min=5, max=140))
    description = Text(required=True, validate=validate.Length(min=1, max=5000))
    category = fields.String(required=True, validate=CATEGORY)
    space = fields.String(load_default=None, validate=SPACE)
    image_id = fields.String(load_default=None, validate=IMAGE_ID)


class IdeaListQuery(Schema):
    sort = fields.String(load_default="newest", validate=validate.OneOf(SORTS))
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=100_000))
    space = fields.String(load_default=None, validate=SPACE)


class CommentSubmission(Schema):
    text = Text(required=True, validate=validate.Length(min=1, max=5000))
    reply_to = fields.String(load_default=None, validate=validate.Length(min=1, max=64))


class CommentListQuery(Schema):
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=100_000))


class Moderation(Schema):
    reason = Text(required=True, validate=validate.Length(min=3, max=500))


class Hidden(Schema):
    reason = fields.String()
    at = fields.AwareDateTime()
    by = fields.String()  # staff only: readers see that and why, not who


class ModerationEntry(Schema):
    action = fields.String()
    reason = fields.String()
    by = fields.String()
    at = fields.AwareDateTime()


class Comment(Schema):
    id = fields.String(attribute="_id")
    idea_id = fields.String()
    author_id = fields.String()
    text = fields.String()
    reply_to = fields.String(allow_none=True)  # null: a comment on the idea itself
    posted_at = fields.AwareDateTime()
    hidden = fields.Nested(Hidden, allow_none=True)
    moderation = fields.List(fields.Nested(ModerationEntry))


class Image(Schema):
    id = fields.String(attribute="_id")
    url = fields.Function(lambda image: image_url(image["_id"]))
    content_type = fields.String()
    size = fields.Integer()


class ImageUpload(Image):
    """What the owner sees of their uploads (their data download)."""
    uploaded_at = fields.AwareDateTime()


class IdeaImage(Schema):
    id = fields.String()
    url = fields.String()


class Idea(Schema):
    id = fields.String(attribute="_id")
    title = fields.String()
    description = fields.String()
    category = fields.String()
    author_id = fields.String()
    space = fields.String(allow_none=True)  # null: the public lab
    submitted_at = fields.AwareDateTime()
    status = fields.String()
    vote_count = fields.Integer()
    comment_count = fields.Integer()
    image = fields.Nested(IdeaImage, allow_none=True)
    hidden = fields.Nested(Hidden, allow_none=True)
    moderation = fields.List(fields.Nested(ModerationEntry))


class MyData(Schema):
    ideas = fields.List(fields.Nested(Idea))
    comments = fields.List(fields.Nested(Comment))
    images = fields.List(fields.Nested(ImageUpload))
