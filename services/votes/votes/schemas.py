"""HTTP shapes of the votes API."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from idealab.fields import OneLine, StrictBoolean, Text

from .campaigns import EVERYONE, MULTIPLE, POINTS, ROLE, SINGLE, SPACE


class Vote(Schema):
    idea_id = fields.String()
    voter_id = fields.String()
    cast_at = fields.AwareDateTime()
    live = fields.Boolean()  # False once withdrawn
    awaiting_verification = fields.Boolean(dump_default=False, metadata={
        "description": "true while it waits for the account's email verification to count (the space or campaign "
                       "counts verified accounts only)"})


class Tally(Schema):
    idea_id = fields.String()
    count = fields.Integer()
    threshold = fields.Integer()
    threshold_reached = fields.Boolean()
    my_vote = fields.Boolean(allow_none=True, metadata={"description": "null when the request is anonymous"})


# Campaigns: staff set them up, members cast one ballot each (votes.campaigns).
OPTION_ID = validate.Regexp(r"^[a-z0-9][a-z0-9-]{0,39}\Z", error="lower-case letters, digits and dashes, 1-40 long")
NAME = validate.Regexp(r"^[A-Za-z0-9_-]{1,64}\Z", error="letters, digits, - and _")


class Localised(Schema):
    """A text in any of the lab's languages; at least one."""
    fr = Text(validate=validate.Length(min=1, max=5000))
    en = Text(validate=validate.Length(min=1, max=5000))
    es = Text(validate=validate.Length(min=1, max=5000))

    @validates_schema
    def one_language_at_least(self, data, **_kwargs):
        if not data:
            raise ValidationError("at least one of fr, en, es")


class Option(Schema):
    id = fields.String(required=True, validate=OPTION_ID)
    name = OneLine(required=True, validate=validate.Length(min=1, max=140))
    description = Text(load_default="", validate=validate.Length(max=5000))
    link = fields.Url(load_default=None, allow_none=True, schemes={"https", "http"},
                      validate=validate.Length(max=2000))
    idea_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=64), metadata={
        "description": "an idea of the lab this option stands for (of the public lab or the campaign's space)"})
    image_id = fields.String(load_default=None, allow_none=True, validate=validate.Regexp(
        r"^[0-9a-f]{32}\Z", error="the id of an image uploaded to the lab"), metadata={
        "description": "an image the lab holds (an idea's: GET /api/ideas/images/<id>) shown with the option"})


class Rule(Schema):
    kind = fields.String(required=True, validate=validate.OneOf((SINGLE, MULTIPLE, POINTS)))
    # How many choices (multiple) or points (points) a ballot may hold; 1 for a single choice.
    k = fields.Integer(load_default=None, strict=True, validate=validate.Range(min=1, max=1000))


class Eligibility(Schema):
    kind = fields.String(required=True, validate=validate.OneOf((EVERYONE, SPACE, ROLE)))
    space = fields.String(load_default=None, validate=NAME)
    role = fields.String(load_default=None, validate=NAME)

    @validates_schema
    def names_whom(self, data, **_kwargs):
        if data["kind"] in (SPACE, ROLE) and not data.get(data["kind"]):
            raise ValidationError(f"eligibility by {data['kind']} names the {data['kind']}", data["kind"])


class Budget(Schema):
    amount = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=10**15),
                            metadata={"description": "in the currency's smallest unit (cents for CAD)"})
    currency = fields.String(required=True, validate=validate.Regexp(r"^[A-Z]{3}\Z", error="an ISO 4217 code"))


class CampaignSetup(Schema):
    title = fields.Nested(Localised, required=True)
    description = fields.Nested(Localised, required=True)
    options = fields.List(fields.Nested(Option), required=True, validate=validate.Length(min=2, max=50))
    opens_at = fields.AwareDateTime(required=True)
    closes_at = fields.AwareDateTime(required=True)
    rule = fields.Nested(Rule, required=True)
    eligibility = fields.Nested(Eligibility, load_default=lambda: {"kind": EVERYONE})
    results = fields.String(load_default="live", validate=validate.OneOf(("live", "hidden")))
    budget = fields.Nested(Budget, load_default=None, allow_none=True)
    unverified_may_vote = StrictBoolean(load_default=None, allow_none=True, metadata={
        "description": "whether ballots of accounts with an unverified email address count at once (else from "
                       "their verification); null: only with no budget"})


class Campaign(Schema):
    id = fields.String()
    title = fields.Dict(keys=fields.String(), values=fields.String())
    description = fields.Dict(keys=fields.String(), values=fields.String())
    options = fields.List(fields.Nested(Option))
    opens_at = fields.AwareDateTime()
    closes_at = fields.AwareDateTime()
    rule = fields.Nested(Rule)
    eligibility = fields.Nested(Eligibility)
    results = fields.String()
    budget = fields.Nested(Budget, allow_none=True)
    unverified_may_vote = fields.Boolean(metadata={
        "description": "whether ballots of accounts with an unverified email address count at once"})
    state = fields.String(metadata={"description": "scheduled, open or closed, by the server's clock"})
    my_ballot = fields.Dict(keys=fields.String(), values=fields.Integer(), allow_none=True,
                            metadata={"description": "the caller's choices; null when none or anonymous"})


class CampaignList(Schema):
    campaigns = fields.List(fields.Nested(Campaign))


class CampaignListQuery(Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class BallotCast(Schema):
    choices = fields.Dict(keys=fields.String(validate=OPTION_ID),
                          values=fields.Integer(strict=True, validate=validate.Range(min=1, max=1000)),
                          required=True, validate=validate.Length(min=1, max=50),
                          metadata={"description": "option id → points (1 per choice unless the rule is points)"})


class Ballot(Schema):
    campaign_id = fields.String()
    ballot_id = fields.String(metadata={"description": "random: how the ballot appears in the export"})
    choices = fields.Dict(keys=fields.String(), values=fields.Integer())
    cast_at = fields.AwareDateTime()
    awaiting_verification = fields.Boolean(dump_default=False, metadata={
        "description": "true while it waits for the account's email verification to count (the space or campaign "
                       "counts verified accounts only)"})


class OptionResult(Schema):
    option_id = fields.String()
    name = fields.String()
    count = fields.Integer()
    share = fields.Float()
    amount = fields.Integer(allow_none=True)


class Turnout(Schema):
    hour = fields.AwareDateTime()
    ballots = fields.Integer(metadata={"description": "ballots cast by the end of that hour"})


class Results(Schema):
    campaign_id = fields.String()
    state = fields.String()
    final = fields.Boolean(metadata={"description": "true once closed; before, live counts the worker keeps"})
    ballots = fields.Integer()
    options = fields.List(fields.Nested(OptionResult))
    turnout = fields.List(fields.Nested(Turnout))
    budget = fields.Nested(Budget, allow_none=True)
    split_rule = fields.String(allow_none=True)
    digest = fields.String(allow_none=True, metadata={"description": "SHA-256 of the ballot export (once closed)"})


class ExportQuery(Schema):
    format = fields.String(load_default="json", validate=validate.OneOf(("json", "csv")))


class ExportedBallot(Schema):
    ballot_id = fields.String()
    choices = fields.Dict(keys=fields.String(), values=fields.Integer())


class Export(Results):
    ballot_export = fields.List(fields.Nested(ExportedBallot), metadata={
        "description": "every ballot by its random id, sorted: what the digest is taken over"})


# Bursts of new accounts voting the same way, flagged to moderators (votes.integrity).

class FlaggedVote(Schema):
    voter_id = fields.String()
    registered_at = fields.AwareDateTime(metadata={"description": "when the account was made"})
    cast_at = fields.AwareDateTime()
    voted = fields.Dict(metadata={"description": "idea_id, or campaign_id and choices"})


class Flag(Schema):
    id = fields.String()
    idea_id = fields.String(allow_none=True)
    campaign_id = fields.String(allow_none=True)
    flagged_at = fields.AwareDateTime()
    evidence = fields.List(fields.Nested(FlaggedVote),
                           metadata={"description": "the new accounts' votes, oldest first"})


class FlagList(Schema):
    flags = fields.List(fields.Nested(Flag))


class FlagListQuery(Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
