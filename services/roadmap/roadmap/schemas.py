"""HTTP shapes of the roadmap API."""
from marshmallow import Schema, fields, validate

from idealab.brand import LANGUAGES
from idealab.fields import OneLine, Text

from .domain import INITIATIVE_STATUSES, MAX_IDEAS, STATUSES, TEAM_STATUSES


class StatusChange(Schema):
    status = fields.String(required=True, validate=validate.OneOf(TEAM_STATUSES))
    message = Text(required=True, validate=validate.Length(min=1, max=2000))


class HistoryEntry(Schema):
    from_status = fields.String(attribute="from", data_key="from")
    to_status = fields.String(attribute="to", data_key="to")
    message = fields.String()
    by = fields.String()
    at = fields.AwareDateTime()
    # The initiative the idea moved with, if it did.
    initiative_id = fields.String()


class Item(Schema):
    idea_id = fields.String(attribute="_id")
    # Absent until idea.submitted arrives when the threshold event was read first.
    title = fields.String(allow_none=True, dump_default=None)
    space = fields.String(allow_none=True, dump_default=None)
    category = fields.String(allow_none=True, dump_default=None)
    status = fields.String()
    vote_count = fields.Integer(dump_default=0)
    updated_at = fields.AwareDateTime(allow_none=True)
    history = fields.List(fields.Nested(HistoryEntry), dump_default=list)  # the board reads items without it


class BoardQuery(Schema):
    category = fields.String(load_default=None, validate=validate.Length(min=1, max=100))
    # One space only (a member's or, for staff, any); without it, the public lab and every space the reader sees.
    space = fields.String(load_default=None, validate=validate.Length(min=1, max=100))


class InitiativesQuery(BoardQuery):
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


def _localized(required: bool, max_length: int, text_field=Text):
    """A text by language (fr, en, es: any of them, at least one)."""
    text = {"keys": fields.String(validate=validate.OneOf(LANGUAGES)),
            "values": text_field(validate=validate.Length(min=1, max=max_length))}
    if required:
        return fields.Dict(**text, required=True, validate=validate.Length(min=1))
    return fields.Dict(**text, load_default=dict)


class InitiativeDraft(Schema):
    title = _localized(True, 200, OneLine)
    description = _localized(False, 5000)
    target_quarter = fields.String(load_default=None, allow_none=True,
                                   validate=validate.Regexp(r"^\d{4}-Q[1-4]$", error="a quarter, as 2026-Q3"))
    owner_team = OneLine(required=True, validate=validate.Length(min=1, max=100))
    idea_ids = fields.List(fields.String(validate=validate.Length(min=1, max=100)), required=True,
                           validate=validate.Length(min=1, max=MAX_IDEAS))
    status = fields.String(load_default="planned", validate=validate.OneOf(INITIATIVE_STATUSES))


class Announcement(Schema):
    message = Text(required=True, validate=validate.Length(min=1, max=2000))


class IdeaSummary(Schema):
    idea_id = fields.String(attribute="_id")
    title = fields.String(allow_none=True, dump_default=None)
    category = fields.String(allow_none=True, dump_default=None)
    status = fields.String()
    vote_count = fields.Integer(dump_default=0)
    updated_at = fields.AwareDateTime(allow_none=True)


class InitiativeEntry(HistoryEntry):
    from_status = fields.String(attribute="from", data_key="from", allow_none=True)  # None: its announcement


class Initiative(Schema):
    initiative_id = fields.String(attribute="_id")
    title = fields.Dict(keys=fields.String(), values=fields.String())
    description = fields.Dict(keys=fields.String(), values=fields.String())
    target_quarter = fields.String(allow_none=True)
    owner_team = fields.String()
    status = fields.String()
    space = fields.String(allow_none=True)
    announced = fields.Boolean()
    announced_at = fields.AwareDateTime(allow_none=True, dump_default=None)
    updated_at = fields.AwareDateTime()
    ideas = fields.List(fields.Nested(IdeaSummary))
    # The votes of its ideas, added up: how many asked for it.
    votes = fields.Integer()
    history = fields.List(fields.Nested(InitiativeEntry))


class Initiatives(Schema):
    initiatives = fields.List(fields.Nested(Initiative))


class Board(Schema):
    initiatives = fields.List(fields.Nested(Initiative(exclude=("history",))))
    columns = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(Item(exclude=("history",)))))
    # Where the whole open column is (the ideas' list, most voted first): the board shows its first few.
    open_list = fields.String()


# Ratings of what was built (roadmap.ratings).
class RatingBody(Schema):
    stars = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=5))
    review = Text(load_default=None, allow_none=True, validate=validate.Length(min=1, max=2000))


class RatingsQuery(Schema):
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=100_000))


class ReviewModeration(Schema):
    reason = Text(required=True, validate=validate.Length(min=3, max=500))


class RatingHidden(Schema):
    reason = fields.String()
    at = fields.AwareDateTime()
    by = fields.String()  # staff only


class RatingModeration(Schema):
    action = fields.String()
    reason = fields.String()
    by = fields.String()
    at = fields.AwareDateTime()


class Rating(Schema):
    member_id = fields.String()
    stars = fields.Integer()
    review = fields.String(allow_none=True)  # null: none written, or hidden by a moderator
    rated_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()
    hidden = fields.Nested(RatingHidden, allow_none=True)
    moderation = fields.List(fields.Nested(RatingModeration))  # staff only


class RatingSummary(Schema):
    count = fields.Integer()
    average = fields.Float(allow_none=True)  # null: not rated yet
    distribution = fields.Dict(keys=fields.String(), values=fields.Integer())  # "1".."5" → how many


class Ratings(Schema):
    summary = fields.Nested(RatingSummary)
    mine = fields.Nested(Rating, allow_none=True)  # the caller's, when signed in and rated
    reviews = fields.List(fields.Nested(Rating))
    offset = fields.Integer()


class Launch(RatingSummary):
    kind = fields.String()  # idea or initiative
    id = fields.String()
    title = fields.Raw()  # an idea's title, or an initiative's by language
    space = fields.String(allow_none=True)
    launched_at = fields.AwareDateTime()


class Launches(Schema):
    launches = fields.List(fields.Nested(Launch))


class MyRating(Rating):
    """A member's own rating in their data download, with what it rates."""
    target = fields.String()  # "idea:<id>" or "initiative:<id>"


class MyData(Schema):
    ratings = fields.List(fields.Nested(MyRating))
