"""Events: the CloudEvents 1.0 envelope, the catalogue of every event with its versioned schema, and topic names.

Events are facts in the past tense. The Kafka key is the event's subject (the idea id for everything about an idea),
so one idea's events stay in order within a partition.
"""
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validate

from . import logs

IDEAS_TOPIC = "ideas.events"
VOTES_TOPIC = "votes.events"
ROADMAP_TOPIC = "roadmap.events"
ACCOUNTS_TOPIC = "accounts.events"
# Not events: the contact address of every verified member, keyed by member id, in a compacted topic (a table). Its
# value is {"user_id", "email", "changed_at"}, or none (a tombstone) once the member is erased or unverified, and
# compaction then removes the address from the log (docs/decisions/0014). Published by accounts, read by
# notifications; no other topic carries an email address.
CONTACTS_TOPIC = "accounts.contacts"

STATUSES = ("open", "under_review", "planned", "in_progress", "launched", "declined", "duplicate")


class IdeaSubmitted(Schema):
    idea_id = fields.String(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    category = fields.String(required=True)
    author_id = fields.String(required=True)
    submitted_at = fields.AwareDateTime(required=True)
    # The invite-only space the idea belongs to; None for the public lab. Consumers keep it to hide the idea.
    space = fields.String(load_default=None, allow_none=True)
    # An entry of a contest: the contest and the round it was submitted in (None for an ordinary idea).
    contest_id = fields.String(load_default=None, allow_none=True)
    round = fields.Integer(load_default=None, allow_none=True)


class CommentPosted(Schema):
    comment_id = fields.String(required=True)
    idea_id = fields.String(required=True)
    author_id = fields.String(required=True)
    reply_to = fields.String(load_default=None, allow_none=True)
    posted_at = fields.AwareDateTime(required=True)
    # The members its text mentions (@name) who may see it, the author aside: notifications tells each once.
    mentioned = fields.List(fields.String(), load_default=list)


class Moderated(Schema):
    """idea.hidden / idea.restored / comment.hidden / comment.restored: nothing is deleted, and why is public."""
    idea_id = fields.String(required=True)
    comment_id = fields.String(load_default=None, allow_none=True)
    reason = fields.String(required=True)
    by = fields.String(required=True)
    at = fields.AwareDateTime(required=True)


class QuestionModerated(Schema):
    """question.hidden / question.restored: as an idea's; `by` "reports" when enough members' flags hid it pending
    a moderator's review."""
    question_id = fields.String(required=True)
    reason = fields.String(required=True)
    by = fields.String(required=True)
    at = fields.AwareDateTime(required=True)


class VoteCast(Schema):
    idea_id = fields.String(required=True)
    voter_id = fields.String(required=True)
    # 1 at a voter's first vote on an idea, +1 at every withdrawal or new cast: what makes counting exact.
    vote_version = fields.Integer(required=True, validate=validate.Range(min=1))
    cast_at = fields.AwareDateTime(required=True)


class VoteWithdrawn(Schema):
    idea_id = fields.String(required=True)
    voter_id = fields.String(required=True)
    vote_version = fields.Integer(required=True, validate=validate.Range(min=2))
    withdrawn_at = fields.AwareDateTime(required=True)


class TallyChanged(Schema):
    idea_id = fields.String(required=True)
    count = fields.Integer(required=True, validate=validate.Range(min=0))
    # Increases with every change of this idea's tally, so read models keep the newest and ignore stale copies.
    version = fields.Integer(required=True)


class ThresholdReached(Schema):
    idea_id = fields.String(required=True)
    count = fields.Integer(required=True)
    threshold = fields.Integer(required=True)


class StatusChanged(Schema):
    idea_id = fields.String(required=True)
    from_status = fields.String(required=True, data_key="from", validate=validate.OneOf(STATUSES))
    to_status = fields.String(required=True, data_key="to", validate=validate.OneOf(STATUSES))
    message = fields.String(required=True)
    by = fields.String(required=True)
    changed_at = fields.AwareDateTime(required=True)
    # Set when the idea moved because its initiative did: whoever follows it hears of the initiative instead.
    initiative_id = fields.String()  # absent otherwise, so older events and consumers are unchanged


class CampaignOpened(Schema):
    campaign_id = fields.String(required=True)
    opens_at = fields.AwareDateTime(required=True)
    closes_at = fields.AwareDateTime(required=True)
    # The invite-only space the campaign is restricted to; None when any member may see it.
    space = fields.String(load_default=None, allow_none=True)


class BallotCast(Schema):
    """A member's ballot in a campaign, cast or changed: which ballot, not what it says (results tell that)."""
    campaign_id = fields.String(required=True)
    voter_id = fields.String(required=True)
    # 1 at the first cast, +1 at every change: the recount keeps the newest.
    ballot_version = fields.Integer(required=True, validate=validate.Range(min=1))
    cast_at = fields.AwareDateTime(required=True)


class OptionResult(Schema):
    option_id = fields.String(required=True)
    name = fields.String(required=True)
    count = fields.Integer(required=True, validate=validate.Range(min=0))
    # Its part of the budget in the currency's smallest unit; None without a budget.
    amount = fields.Integer(load_default=None, allow_none=True)


class Budget(Schema):
    amount = fields.Integer(required=True, validate=validate.Range(min=0))  # in the currency's smallest unit
    currency = fields.String(required=True)


class CampaignClosed(Schema):
    campaign_id = fields.String(required=True)
    title = fields.Dict(keys=fields.String(), values=fields.String(), required=True)  # by language
    space = fields.String(load_default=None, allow_none=True)
    closed_at = fields.AwareDateTime(required=True)
    ballots = fields.Integer(required=True, validate=validate.Range(min=0))
    options = fields.List(fields.Nested(OptionResult), required=True)
    budget = fields.Nested(Budget, load_default=None, allow_none=True)
    # How the budget was split, ties included, in words: part of the result.
    split_rule = fields.String(load_default=None, allow_none=True)
    # SHA-256 over the sorted (ballot id, choices) list of the ballot export.
    digest = fields.String(required=True)


# Accounts events carry ids, names and roles, never a password hash nor an email address: events stay in the log for
# its retention, erased members' too. The addresses notifications mails go by CONTACTS_TOPIC.
class UserRegistered(Schema):
    user_id = fields.String(required=True)
    display_name = fields.String(required=True)
    # "password", or the name of the OpenID Connect provider the user signed up with.
    signed_up_with = fields.String(required=True)
    registered_at = fields.AwareDateTime(required=True)


class UserEmailVerified(Schema):
    """v2: the address itself is no longer in the event (v1 carried it); it goes by CONTACTS_TOPIC."""
    user_id = fields.String(required=True)
    verified_at = fields.AwareDateTime(required=True)


class UserRoleChanged(Schema):
    user_id = fields.String(required=True)
    roles = fields.List(fields.String(), required=True)
    by = fields.String(required=True)
    changed_at = fields.AwareDateTime(required=True)


class UserBanned(Schema):
    user_id = fields.String(required=True)
    reason = fields.String(required=True)
    by = fields.String(required=True)
    banned_at = fields.AwareDateTime(required=True)


class PasswordReset(Schema):
    """Every session of the user opened before `reset_at` is closed: whoever knew the old password is out."""
    user_id = fields.String(required=True)
    reset_at = fields.AwareDateTime(required=True)


class SessionRevoked(Schema):
    """One session (a refresh-token family) closed: signed out, its refresh token reused, or its user refused."""
    session_id = fields.String(required=True)
    user_id = fields.String(required=True)
    reason = fields.String(required=True)
    revoked_at = fields.AwareDateTime(required=True)


class UserDeleted(Schema):
    """Every service erases what it holds about the user on this event (GDPR erasure)."""
    user_id = fields.String(required=True)
    deleted_at = fields.AwareDateTime(required=True)


class SpaceCreated(Schema):
    space_id = fields.String(required=True)
    name = fields.String(required=True)
    by = fields.String(required=True)
    created_at = fields.AwareDateTime(required=True)
    # Whether votes of accounts with an unverified email address count in the space at once (else from their
    # verification); absent in older events, which meant they did.
    unverified_may_vote = fields.Boolean(load_default=True)


class SpaceMemberAdded(Schema):
    space_id = fields.String(required=True)
    user_id = fields.String(required=True)
    added_at = fields.AwareDateTime(required=True)


class SpaceMemberRemoved(Schema):
    space_id = fields.String(required=True)
    user_id = fields.String(required=True)
    by = fields.String(required=True)
    removed_at = fields.AwareDateTime(required=True)


class IdeaMerged(Schema):
    """Staff found `idea_id` a duplicate of `into`: its votes count for the original (each voter once), its followers
    follow the original, and the roadmap marks it duplicate."""
    idea_id = fields.String(required=True)
    into = fields.String(required=True)
    by = fields.String(required=True)
    merged_at = fields.AwareDateTime(required=True)


class IdeaFollowed(Schema):
    """A member asked to follow an idea (voting, commenting and writing it follow it without this event)."""
    idea_id = fields.String(required=True)
    user_id = fields.String(required=True)
    at = fields.AwareDateTime(required=True)


class IdeaUnfollowed(Schema):
    """A member stopped following an idea, whatever made them follow it; their vote and comments stay."""
    idea_id = fields.String(required=True)
    user_id = fields.String(required=True)
    at = fields.AwareDateTime(required=True)


class QuestionAsked(Schema):
    """A member asked a question beside the ideas; its text is read from the ideas API, where access is checked."""
    question_id = fields.String(required=True)
    author_id = fields.String(required=True)
    asked_at = fields.AwareDateTime(required=True)
    space = fields.String(load_default=None, allow_none=True)


class AnswerPosted(Schema):
    """Staff answered an idea, a question or a comment (`about`), or wrote in a member's private thread (`about`
    "account" when the member opened it from their account). Ids only, never the text: a private answer's words
    must not reach a consumer that could show them to anyone but `recipient_id`, who reads them from the ideas API."""
    answer_id = fields.String(required=True)
    about = fields.String(required=True, validate=validate.OneOf(("idea", "question", "comment", "account")))
    about_id = fields.String(load_default=None, allow_none=True)
    idea_id = fields.String(load_default=None, allow_none=True)  # the idea a comment is on
    author_id = fields.String(required=True)
    private = fields.Boolean(required=True)
    recipient_id = fields.String(load_default=None, allow_none=True)  # a private answer's one reader
    thread_id = fields.String(load_default=None, allow_none=True)  # a private answer's thread
    posted_at = fields.AwareDateTime(required=True)


class PrivateMessageSent(Schema):
    """A member wrote to the team in their private thread: the team owes them an answer (the response-time promise)
    and is told in its inbox. Ids only: the words are read from the ideas API, by the member and the team alone."""
    message_id = fields.String(required=True)
    thread_id = fields.String(required=True)
    member_id = fields.String(required=True)
    space = fields.String(load_default=None, allow_none=True)
    language = fields.String(required=True)
    sent_at = fields.AwareDateTime(required=True)


class InitiativeAnnounced(Schema):
    """A product team announced an initiative answering `idea_ids`; the ideas move to its status with it."""
    initiative_id = fields.String(required=True)
    title = fields.Dict(keys=fields.String(), values=fields.String(), required=True)  # by language
    idea_ids = fields.List(fields.String(), required=True, validate=validate.Length(min=1))
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    target_quarter = fields.String(load_default=None, allow_none=True)  # "2026-Q3"
    owner_team = fields.String(required=True)
    # The invite-only space of its ideas; None for the public lab.
    space = fields.String(load_default=None, allow_none=True)
    message = fields.String(required=True)
    by = fields.String(required=True)
    announced_at = fields.AwareDateTime(required=True)


class InitiativeStatusChanged(Schema):
    """An announced initiative moved on; each of its ideas moves with it (each its own idea.status_changed)."""
    initiative_id = fields.String(required=True)
    title = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    idea_ids = fields.List(fields.String(), required=True, validate=validate.Length(min=1))
    from_status = fields.String(required=True, data_key="from", validate=validate.OneOf(STATUSES))
    to_status = fields.String(required=True, data_key="to", validate=validate.OneOf(STATUSES))
    space = fields.String(load_default=None, allow_none=True)
    message = fields.String(required=True)
    by = fields.String(required=True)
    changed_at = fields.AwareDateTime(required=True)


class HelpfulMarked(Schema):
    """comment.marked_helpful / comment.unmarked_helpful: staff found a comment helpful, or took that back (its
    author's points follow)."""
    idea_id = fields.String(required=True)
    comment_id = fields.String(required=True)
    author_id = fields.String(load_default=None, allow_none=True)  # None: the author deleted their account
    by = fields.String(required=True)
    at = fields.AwareDateTime(required=True)


class ContestRound(Schema):
    round = fields.Integer(required=True, validate=validate.Range(min=1))
    opens_at = fields.AwareDateTime(required=True)
    closes_at = fields.AwareDateTime(required=True)


class ContestScheduled(Schema):
    """A contest set up, or edited before it opened (`revision` +1 each time: keep the newest): the windows in which
    its rounds take entries, for the ideas service to take them."""
    contest_id = fields.String(required=True)
    revision = fields.Integer(required=True, validate=validate.Range(min=1))
    title = fields.Dict(keys=fields.String(), values=fields.String(), required=True)  # by language
    space = fields.String(load_default=None, allow_none=True)
    rounds = fields.List(fields.Nested(ContestRound), required=True)


class RankedEntry(Schema):
    entry_id = fields.String(required=True)  # the idea the entry is
    rank = fields.Integer(required=True, validate=validate.Range(min=1))  # by votes; equal votes, equal rank
    votes = fields.Integer(required=True, validate=validate.Range(min=0))  # cast before the round closed
    shortlisted = fields.Boolean(required=True)
    jury_score = fields.Integer(load_default=None, allow_none=True)  # shortlisted entries only


class ContestRoundClosed(Schema):
    """A round (or the final, `final`) decided: its ranking by the votes cast before it closed, its shortlist, the
    jury's scores and the winner (None when no entry was voted for), with the prize and the rules that decided."""
    contest_id = fields.String(required=True)
    title = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    space = fields.String(load_default=None, allow_none=True)
    round = fields.Integer(required=True, validate=validate.Range(min=1))
    final = fields.Boolean(required=True)
    closed_at = fields.AwareDateTime(required=True)  # votes cast from this instant on do not count for it
    decided_at = fields.AwareDateTime(required=True)
    ranking = fields.List(fields.Nested(RankedEntry), required=True)
    winner = fields.String(load_default=None, allow_none=True)
    prize = fields.Nested(Budget, load_default=None, allow_none=True)
    # Whom the result concerns: the round's entries (the final: every entry of the contest); their followers are told.
    entry_ids = fields.List(fields.String(), required=True)
    shortlist_rule = fields.String(required=True)
    winner_rule = fields.String(required=True)


class BurstFlagged(Schema):
    """A burst of new accounts voting the same way (an idea, or the same choices in a campaign), flagged to
    moderators; the votes keep counting. Ids and times only: staff read the evidence from the votes API."""
    flag_id = fields.String(required=True)
    idea_id = fields.String(load_default=None, allow_none=True)
    campaign_id = fields.String(load_default=None, allow_none=True)
    accounts = fields.Integer(required=True, validate=validate.Range(min=1))
    first_cast_at = fields.AwareDateTime(required=True)
    flagged_at = fields.AwareDateTime(required=True)


@dataclass(frozen=True)
class EventType:
    schema: type[Schema]
    topic: str
    version: int = 1


CATALOGUE: dict[str, EventType] = {
    "idea.submitted": EventType(IdeaSubmitted, IDEAS_TOPIC),
    "idea.hidden": EventType(Moderated, IDEAS_TOPIC),
    "idea.restored": EventType(Moderated, IDEAS_TOPIC),
    "comment.posted": EventType(CommentPosted, IDEAS_TOPIC),
    "comment.hidden": EventType(Moderated, IDEAS_TOPIC),
    "comment.restored": EventType(Moderated, IDEAS_TOPIC),
    "vote.cast": EventType(VoteCast, VOTES_TOPIC),
    "vote.withdrawn": EventType(VoteWithdrawn, VOTES_TOPIC),
    "tally.changed": EventType(TallyChanged, VOTES_TOPIC),
    "idea.threshold_reached": EventType(ThresholdReached, VOTES_TOPIC),
    "campaign.opened": EventType(CampaignOpened, VOTES_TOPIC),
    "ballot.cast": EventType(BallotCast, VOTES_TOPIC),
    "campaign.closed": EventType(CampaignClosed, VOTES_TOPIC),
    "idea.status_changed": EventType(StatusChanged, ROADMAP_TOPIC),
    "user.registered": EventType(UserRegistered, ACCOUNTS_TOPIC),
    "user.role_changed": EventType(UserRoleChanged, ACCOUNTS_TOPIC),
    "user.email_verified": EventType(UserEmailVerified, ACCOUNTS_TOPIC, version=2),
    "user.banned": EventType(UserBanned, ACCOUNTS_TOPIC),
    "user.password_reset": EventType(PasswordReset, ACCOUNTS_TOPIC),
    "user.deleted": EventType(UserDeleted, ACCOUNTS_TOPIC),
    "session.revoked": EventType(SessionRevoked, ACCOUNTS_TOPIC),
    "space.created": EventType(SpaceCreated, ACCOUNTS_TOPIC),
    "space.member_added": EventType(SpaceMemberAdded, ACCOUNTS_TOPIC),
    "space.member_removed": EventType(SpaceMemberRemoved, ACCOUNTS_TOPIC),
    "votes.burst_flagged": EventType(BurstFlagged, VOTES_TOPIC),
    "idea.merged": EventType(IdeaMerged, IDEAS_TOPIC),
    "idea.followed": EventType(IdeaFollowed, IDEAS_TOPIC),
    "idea.unfollowed": EventType(IdeaUnfollowed, IDEAS_TOPIC),
    "initiative.announced": EventType(InitiativeAnnounced, ROADMAP_TOPIC),
    "initiative.status_changed": EventType(InitiativeStatusChanged, ROADMAP_TOPIC),
    "question.asked": EventType(QuestionAsked, IDEAS_TOPIC),
    "answer.posted": EventType(AnswerPosted, IDEAS_TOPIC),
    "question.hidden": EventType(QuestionModerated, IDEAS_TOPIC),
    "question.restored": EventType(QuestionModerated, IDEAS_TOPIC),
    "private_message.sent": EventType(PrivateMessageSent, IDEAS_TOPIC),
    "comment.marked_helpful": EventType(HelpfulMarked, IDEAS_TOPIC),
    "comment.unmarked_helpful": EventType(HelpfulMarked, IDEAS_TOPIC),
    "contest.scheduled": EventType(ContestScheduled, VOTES_TOPIC),
    "contest.round_closed": EventType(ContestRoundClosed, VOTES_TOPIC),
}

TOPICS = sorted({t.topic for t in CATALOGUE.values()})


def dataschema(event_type: str) -> str:
    return f"urn:idealab:events:{event_type}:v{CATALOGUE[event_type].version}"


def new_event(event_type: str, data: dict, *, source: str, subject: str) -> dict:
    """Builds an envelope; `data` is validated against the catalogue so no malformed event ever leaves a service."""
    payload = _validated(CATALOGUE[event_type].schema(unknown=RAISE), data)
    return {
        "specversion": "1.0",
        "id": uuid.uuid4().hex,
        "source": source,
        "type": event_type,
        "time": datetime.now(timezone.utc).isoformat(),
        "subject": subject,
        "datacontenttype": "application/json",
        "dataschema": dataschema(event_type),
        "correlationid": logs.correlation_id.get() or uuid.uuid4().hex,
        "data": payload,
    }


def _validated(schema: Schema, data: dict) -> dict:
    """`data` (field names, Python values such as datetimes) checked by a load and dumped ready for JSON.

    The first dump maps field names to data keys and datetimes to strings, but it silently drops unknown fields and
    fails with TypeError or ValueError on a value of the wrong type: both are reported here as ValidationError."""
    unknown = sorted(set(data) - set(schema.fields))
    if unknown:
        raise ValidationError({name: ["Unknown field."] for name in unknown})
    try:
        serialised = schema.dump(data)
    except (TypeError, ValueError, AttributeError) as exc:
        raise ValidationError(f"data does not fit {type(schema).__name__}: {exc}") from exc
    return schema.dump(schema.load(serialised))


class Envelope(Schema):
    class Meta:
        unknown = EXCLUDE

    specversion = fields.String(required=True, validate=validate.Equal("1.0"))
    id = fields.String(required=True)
    source = fields.String(required=True)
    type = fields.String(required=True)
    time = fields.AwareDateTime(required=True)
    subject = fields.String(required=True)
    dataschema = fields.String(load_default=None)
    correlationid = fields.String(required=True)
    data = fields.Dict(required=True)


@dataclass(frozen=True)
class Event:
    id: str
    type: str
    subject: str
    correlation_id: str
    time: datetime
    data: dict


def parse(raw: bytes) -> Event:
    """Reads an envelope and its data; raises ValidationError for anything malformed (it then goes to the DLQ).

    Unknown fields in data are ignored so a newer producer's additions do not break an older consumer.
    """
    try:
        body = json.loads(raw)
    except (TypeError, ValueError, RecursionError) as exc:  # RecursionError: nested too deep to read, as poisonous
        raise ValidationError(f"not JSON: {exc}") from exc
    envelope = Envelope().load(body)
    event_type = CATALOGUE.get(envelope["type"])
    if event_type is None:
        raise ValidationError(f"unknown event type {envelope['type']!r}")
    data = event_type.schema(unknown=EXCLUDE).load(envelope["data"])
    return Event(id=envelope["id"], type=envelope["type"], subject=envelope["subject"],
                 correlation_id=envelope["correlationid"], time=envelope["time"], data=data)
