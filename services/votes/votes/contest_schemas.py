"""HTTP shapes of contests (votes.contests)."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from .contests import LIST, MAX_SCORE, ROLE, SHORTLIST_RULE, WINNER_RULE
from .schemas import NAME, OPTION_ID, Localised

PRIZE = {"validate": validate.Range(min=0, max=10**15), "strict": True,
         "metadata": {"description": "in the currency's smallest unit (cents for EUR); 0 for none"}}


class Criterion(Schema):
    id = fields.String(required=True, validate=OPTION_ID)
    name = fields.Nested(Localised, required=True)


class Jury(Schema):
    kind = fields.String(required=True, validate=validate.OneOf((ROLE, LIST)),
                         metadata={"description": "role: members with the `jury` role; list: the named members"})
    members = fields.List(fields.String(validate=validate.Length(min=1, max=64)), load_default=None,
                          validate=validate.Length(max=100))


class RoundSetup(Schema):
    opens_at = fields.AwareDateTime(required=True)
    closes_at = fields.AwareDateTime(required=True, metadata={"description": "votes from this instant on do not "
                                                                             "count for the round"})
    judging_ends_at = fields.AwareDateTime(required=True)
    prize = fields.Integer(load_default=0, **PRIZE)


class FinalSetup(Schema):
    closes_at = fields.AwareDateTime(required=True)
    judging_ends_at = fields.AwareDateTime(required=True)
    prize = fields.Integer(load_default=0, **PRIZE)
    shortlist_size = fields.Integer(load_default=None, allow_none=True, strict=True,
                                    validate=validate.Range(min=1, max=100),
                                    metadata={"description": "null: every finalist goes to the jury"})


class ContestSetup(Schema):
    title = fields.Nested(Localised, required=True)
    description = fields.Nested(Localised, required=True)
    space = fields.String(load_default=None, allow_none=True, validate=NAME)
    currency = fields.String(required=True, validate=validate.Regexp(r"^[A-Z]{3}\Z", error="an ISO 4217 code"))
    shortlist_size = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=100))
    criteria = fields.List(fields.Nested(Criterion), required=True, validate=validate.Length(min=1, max=10))
    jury = fields.Nested(Jury, required=True)
    rounds = fields.List(fields.Nested(RoundSetup), required=True, validate=validate.Length(min=1, max=12))
    final = fields.Nested(FinalSetup, required=True)


class RankedEntry(Schema):
    entry_id = fields.String()
    rank = fields.Integer()
    votes = fields.Integer(metadata={"description": "cast before the round closed"})
    shortlisted = fields.Boolean()
    jury_score = fields.Integer(allow_none=True)


class Round(Schema):
    round = fields.Integer()
    final = fields.Boolean()
    opens_at = fields.AwareDateTime()
    closes_at = fields.AwareDateTime()
    judging_ends_at = fields.AwareDateTime()
    prize = fields.Integer()
    state = fields.String(metadata={"description": "scheduled, open, closing (votes being counted), judging or "
                                                                 "decided"})
    shortlist = fields.List(fields.String(), metadata={"description": "once closed to votes"})
    ranking = fields.List(fields.Nested(RankedEntry))
    winner = fields.String(allow_none=True, metadata={"description": "once decided; null when nothing was voted"})
    decided_at = fields.AwareDateTime()


class Contest(Schema):
    id = fields.String()
    title = fields.Dict(keys=fields.String(), values=fields.String())
    description = fields.Dict(keys=fields.String(), values=fields.String())
    space = fields.String(allow_none=True)
    currency = fields.String()
    shortlist_size = fields.Integer()
    criteria = fields.List(fields.Nested(Criterion))
    jury = fields.Nested(Jury)
    rounds = fields.List(fields.Nested(Round))
    revision = fields.Integer()
    may_judge = fields.Boolean(metadata={"description": "whether the caller is on the jury"})
    shortlist_rule = fields.Constant(SHORTLIST_RULE)
    winner_rule = fields.Constant(WINNER_RULE)


class ContestList(Schema):
    contests = fields.List(fields.Nested(Contest))


class ContestListQuery(Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


SCORE = fields.Integer(strict=True, validate=validate.Range(min=0, max=MAX_SCORE))


class ScoresheetSubmission(Schema):
    scores = fields.Dict(keys=fields.String(validate=validate.Length(min=1, max=64)),
                         values=fields.Dict(keys=fields.String(validate=OPTION_ID), values=SCORE),
                         required=True, validate=validate.Length(max=200),
                         metadata={"description": f"entry id → criterion id → score 0..{MAX_SCORE}: every "
                                                  "shortlisted entry on every criterion"})

    @validates_schema
    def not_empty(self, data, **_kwargs):
        if not data["scores"]:
            raise ValidationError("score every shortlisted entry", "scores")


class Scoresheet(Schema):
    contest_id = fields.String()
    round = fields.Integer()
    scores = fields.Dict(keys=fields.String(), values=fields.Dict(keys=fields.String(), values=fields.Integer()))
    scored_at = fields.AwareDateTime()
