"""HTTP shapes of the response-time promise (ideas.promise_api)."""
from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from idealab.brand import LANGUAGES

from . import promise
from .schemas import SPACE

MINUTES = validate.Range(min=1, max=promise.MAX_TARGET_MINUTES)
MONTH = validate.Regexp(r"^\d{4}-(0[1-9]|1[0-2])\Z", error="a month: YYYY-MM")
USER_ID = validate.Length(min=1, max=64)

class QueueQuery(Schema):
    """`space`: one space's posts; `public_lab`: only the public lab's; `waiting_for`: claimed by me, or by nobody
    yet; `at`: the queue as it will stand then (what will be overdue by the end of a shift)."""
    space = fields.String(load_default=None, validate=SPACE)
    public_lab = fields.Boolean(load_default=False)
    kind = fields.String(load_default=None, validate=validate.OneOf(promise.KINDS))
    language = fields.String(load_default=None, validate=validate.OneOf(LANGUAGES))
    waiting_for = fields.String(load_default=None, validate=validate.OneOf(("me", "nobody")))
    at = fields.AwareDateTime(load_default=None)
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))

    @validates_schema
    def one_place(self, data: dict, **_) -> None:
        if data["space"] is not None and data["public_lab"]:
            raise ValidationError("either a space or the public lab", "public_lab")

class Targets(Schema):
    acknowledge = fields.Integer(data_key="acknowledge_minutes", required=True, validate=MINUTES)
    answer = fields.Integer(data_key="answer_minutes", required=True, validate=MINUTES)

    @validates_schema
    def answer_after_acknowledging(self, data: dict, **_) -> None:
        if data.get("answer", 0) < data.get("acknowledge", 0):
            raise ValidationError("at least the minutes to acknowledge", "answer_minutes")

class SpaceTargets(Targets):
    space = fields.String(allow_none=True)  # null: the public lab

class SpaceQuery(Schema):
    space = fields.String(load_default=None, validate=SPACE)  # none: the public lab

class FiguresQuery(SpaceQuery):
    month = fields.String(required=True, validate=MONTH)

    @validates("month")
    def a_month(self, value: str, **_) -> None:
        try:
            promise.month_bounds(value)
        except ValueError as exc:
            raise ValidationError("a month: YYYY-MM") from exc

class HandOver(Schema):
    to = fields.String(required=True, validate=USER_ID)  # the staff member who takes it on

class Handover(Schema):
    to = fields.String()
    by = fields.String()
    at = fields.AwareDateTime()
    from_ = fields.String(attribute="from", data_key="from", allow_none=True)

class Waiting(Schema):
    """A post the team owes an answer, as the queue shows it: what is owed next (acknowledge, answer), by when, and
    whether that is past."""
    kind = fields.String()  # idea, question, message (in a private thread)
    item_id = fields.String()
    about_id = fields.String(allow_none=True)  # the idea or question
    thread_id = fields.String()  # the member's private thread about it
    title = fields.String(allow_none=True)  # an idea's or question's; a private message shows none
    space = fields.String(allow_none=True)
    language = fields.String()
    posted_at = fields.AwareDateTime()
    acknowledge_due = fields.AwareDateTime()
    answer_due = fields.AwareDateTime()
    owed = fields.String()
    due_at = fields.AwareDateTime()
    overdue = fields.Boolean()
    acknowledged_at = fields.AwareDateTime(allow_none=True)
    claimed_by = fields.String(allow_none=True, dump_default=None)
    handovers = fields.List(fields.Nested(Handover), dump_default=list)

class Queue(Schema):
    at = fields.AwareDateTime()
    waiting = fields.List(fields.Nested(Waiting))

class Step(Schema):
    within_target = fields.Integer()
    settled = fields.Integer()  # done, or past due without
    pending = fields.Integer()  # not done and not due yet
    share_within_target = fields.Float(allow_none=True)
    median_minutes = fields.Float(allow_none=True)

class KindFigures(Schema):
    kind = fields.String()
    posted = fields.Integer()
    acknowledge = fields.Nested(Step)
    answer = fields.Nested(Step)

class Figures(Schema):
    """A space's promise kept, over the posts of a month (UTC)."""
    space = fields.String(allow_none=True)
    month = fields.String()
    targets = fields.Nested(Targets)
    kinds = fields.List(fields.Nested(KindFigures))
    all = fields.Nested(KindFigures(exclude=("kind",)))
