"""HTTP routes and use cases of the moderation queue, under /api/ideas (rules in ideas.moderation): members flag
ideas, comments and questions with a listed reason; moderators read the queue of flagged items, uphold or dismiss,
and see who is proposed for a ban (the ban itself is accounts' route, a moderator's decision)."""
from collections import Counter
from datetime import datetime, timezone

from flask import Blueprint, current_app
from marshmallow import Schema, fields, validate
from werkzeug.exceptions import Conflict, Forbidden, NotFound

from idealab import auth, openapi
from idealab.auth import Principal
from idealab.fields import Text
from idealab.mongo import as_stored
from idealab.web import load, store

from . import handlers, moderation
from .moderation import COMMENT, DISMISSED, IDEA, QUESTION, UPHELD
from .schemas import Moderation
from .store import IdeaStore

bp = Blueprint("moderation", __name__)
MODERATORS = ("moderator", "admin")
LISTED = f"one of the listed reasons: {', '.join(moderation.REASONS)}"
REASON = validate.OneOf(moderation.REASONS, error=LISTED)
PREVIEW = {IDEA: ("title", "description"), COMMENT: ("text",), QUESTION: ("title", "body")}


class FlagSubmission(Schema):
    reason = fields.String(required=True, validate=REASON, error_messages={"required": LISTED, "null": LISTED})


class Flag(Schema):
    kind = fields.String()
    item_id = fields.String()
    reason = fields.String()
    at = fields.AwareDateTime()
    hidden_pending_review = fields.Boolean()  # this flag, or others before it, hid the item until it is reviewed


class Uphold(Schema):
    reason = fields.String(required=True, validate=REASON, error_messages={"required": LISTED, "null": LISTED})
    note = Text(load_default=None, validate=validate.Length(max=500))  # shown to everyone after the reason


class Dismiss(Schema):
    note = Text(load_default=None, validate=validate.Length(max=500))  # for the audit log


class Restore(Moderation):
    """A hidden question shown again: the public reason, as when an idea or a comment is restored."""


class FlaggedItem(Schema):
    title = fields.String(allow_none=True)
    description = fields.String(allow_none=True)
    text = fields.String(allow_none=True)
    body = fields.String(allow_none=True)
    hidden = fields.Dict(allow_none=True)


class FlagReport(Schema):
    id = fields.String(attribute="_id")
    kind = fields.String()  # idea, comment or question
    item_id = fields.String()
    idea_id = fields.String(allow_none=True)  # the idea a comment is on, or the idea itself
    space = fields.String(allow_none=True)
    author_id = fields.String(allow_none=True)
    flags = fields.Integer()  # distinct members in this round
    reasons = fields.Dict(keys=fields.String(), values=fields.Integer())
    first_flagged_at = fields.AwareDateTime()
    last_flagged_at = fields.AwareDateTime()
    pending_review = fields.Boolean()
    item = fields.Nested(FlaggedItem, allow_none=True)


class ModerationQueue(Schema):
    reports = fields.List(fields.Nested(FlagReport))


class ModerationDecision(Schema):
    report_id = fields.String()
    outcome = fields.String()  # upheld or dismissed
    reason = fields.String(allow_none=True)
    at = fields.AwareDateTime()
    hidden = fields.Dict(allow_none=True)  # the item's state after the decision


class BanProposal(Schema):
    member_id = fields.String()
    display_name = fields.String(allow_none=True)
    upheld_abuse = fields.Integer()
    last_upheld_at = fields.AwareDateTime()


class BanProposals(Schema):
    proposals = fields.List(fields.Nested(BanProposal))


class FlagRight(Schema):
    may_flag = fields.Boolean()
    until = fields.AwareDateTime(allow_none=True)  # when a suspended member may flag again


# Routes.
@bp.post("/<idea_id>/flags")
@auth.require("member")
@openapi.operation(body=FlagSubmission, answer=Flag, status=201)
def flag_idea(idea_id: str):
    """Flags the idea for the moderators, with one of the listed reasons (criticism of the bank is not one)."""
    return _flag(IDEA, idea_id, idea_id)


@bp.post("/<idea_id>/comments/<comment_id>/flags")
@auth.require("member")
@openapi.operation(body=FlagSubmission, answer=Flag, status=201)
def flag_comment(idea_id: str, comment_id: str):
    """Flags the comment for the moderators, with one of the listed reasons."""
    return _flag(COMMENT, comment_id, idea_id)


@bp.post("/questions/<question_id>/flags")
@auth.require("member")
@openapi.operation(body=FlagSubmission, answer=Flag, status=201)
def flag_question(question_id: str):
    """Flags the question for the moderators, with one of the listed reasons."""
    return _flag(QUESTION, question_id, None)


def _flag(kind: str, item_id: str, idea_id: str | None):
    reason = load(FlagSubmission())["reason"]
    found, new = flag(store(), kind, item_id, idea_id, reason, auth.current_principal(), policy())
    return Flag().dump(found), 201 if new else 200


@bp.get("/me/flag-right")
@auth.require()
@openapi.operation(answer=FlagRight)
def flag_right():
    """Whether I may flag, and until when I may not after too many of my flags were dismissed."""
    until = suspended_until(store(), auth.current_principal().user_id, policy(), _now())
    return FlagRight().dump({"may_flag": until is None, "until": until})


@bp.get("/moderation/reports")
@auth.require(*MODERATORS)
@openapi.operation(answer=ModerationQueue)
def reports():
    """The moderation queue: items with flags not yet reviewed, those hidden pending review first, then the most
    flagged, then the oldest."""
    return ModerationQueue().dump({"reports": queue(store())})


@bp.post("/moderation/reports/<report_id>/uphold")
@auth.require(*MODERATORS)
@openapi.operation(body=Uphold, answer=ModerationDecision)
def uphold(report_id: str):
    """Agrees with the flags: the item is hidden, with the listed reason (and the note) shown to everyone."""
    body = load(Uphold())
    return ModerationDecision().dump(decide(store(), report_id, UPHELD, body["reason"], body["note"],
                                  auth.current_principal()))


@bp.post("/moderation/reports/<report_id>/dismiss")
@auth.require(*MODERATORS)
@openapi.operation(body=Dismiss, answer=ModerationDecision)
def dismiss(report_id: str):
    """Finds nothing against the rules: an item hidden pending review shows again."""
    return ModerationDecision().dump(decide(store(), report_id, DISMISSED, None, load(Dismiss())["note"],
                                  auth.current_principal()))


@bp.post("/questions/<question_id>/hide")
@auth.require(*MODERATORS)
@openapi.operation(body=Uphold, answer=ModerationDecision)
def hide_question(question_id: str):
    """Hides a question for one of the listed reasons (and a note), shown to everyone; nothing is deleted."""
    body = load(Uphold())
    return ModerationDecision().dump(moderate_question(store(), question_id, body["reason"], body["note"],
                                                       auth.current_principal()))


@bp.post("/questions/<question_id>/restore")
@auth.require(*MODERATORS)
@openapi.operation(body=Restore, answer=ModerationDecision)
def restore_question(question_id: str):
    """Shows a hidden question again, with a public reason."""
    return ModerationDecision().dump(moderate_question(store(), question_id, None, load(Restore())["reason"],
                                                       auth.current_principal()))


@bp.get("/moderation/ban-proposals")
@auth.require(*MODERATORS)
@openapi.operation(answer=BanProposals)
def ban_proposals():
    """Members whose content was upheld as abuse again and again: proposed for a ban, which a moderator decides
    (accounts: POST /api/accounts/users/<id>/ban)."""
    return BanProposals().dump({"proposals": proposals(store(), policy(), _now())})


# Use cases.
def policy() -> moderation.Policy:
    """The thresholds, from the environment once (tests set `ideas.moderation` on the app)."""
    return current_app.extensions.setdefault("ideas.moderation", moderation.Policy.from_env())


def _now() -> datetime:
    return as_stored(datetime.now(timezone.utc))


def _flaggable(ideas: IdeaStore, kind: str, item_id: str, idea_id: str | None, member: Principal) -> dict:
    """The item as stored, if the member may see it (404 otherwise, as for any read)."""
    if kind == QUESTION:
        handlers.visible_question(ideas, item_id, member)
    else:
        handlers.visible_idea(ideas, idea_id, member)
    item = ideas.moderation.item(kind, item_id)
    if item is None or (kind == COMMENT and item["idea_id"] != idea_id):
        raise NotFound(f"no {kind} {item_id}")
    return item


def suspended_until(ideas: IdeaStore, member_id: str, rules: moderation.Policy, now: datetime) -> datetime | None:
    dismissed = ideas.moderation.dismissed_flags_of(member_id, now - rules.window)
    return moderation.flagging_suspended_until(dismissed, now, rules)


def flag(ideas: IdeaStore, kind: str, item_id: str, idea_id: str | None, reason: str, member: Principal,
         rules: moderation.Policy) -> tuple[dict, bool]:
    """Records the member's flag (once per item: again, the first stands) and hides the item pending review when
    enough distinct members flagged it. A member whose flags were dismissed too often may not flag for a while."""
    now = _now()
    item = _flaggable(ideas, kind, item_id, idea_id, member)
    until = suspended_until(ideas, member.user_id, rules, now)
    if until is not None:
        raise Forbidden(f"too many of your flags were dismissed: you may flag again from {until:%Y-%m-%d %H:%M} UTC")
    try:
        found, entry = moderation.flag(kind, item, member.user_id, reason, now)
    except moderation.FlagRefused as exc:
        raise Conflict(str(exc)) from exc
    new = ideas.moderation.add_flag(found)
    if new:
        ideas.moderation.history(kind, item_id, entry)
    else:
        found = ideas.moderation.flag(found["_id"])
    report = ideas.moderation.count_flag(moderation.new_report(kind, item), member.user_id, found["at"])
    hidden = item.get("hidden") is not None
    if moderation.hides_pending_review(report, item, rules):
        changes, entry, event = moderation.hide_pending_review(kind, item, len(report["flaggers"]), now)
        hidden = ideas.moderation.change_item(kind, item_id, {"hidden": None}, changes, entry, event)
        if hidden:
            ideas.moderation.mark_pending(report["_id"], True)
    return {"kind": kind, "item_id": item_id, "reason": found["reason"], "at": found["at"],
            "hidden_pending_review": hidden}, new


def queue(ideas: IdeaStore) -> list[dict]:
    """Open reports with their flags' reasons and what the item says (moderators see hidden text)."""
    found = ideas.moderation.open_reports()
    reasons: dict[str, Counter] = {}
    for f in ideas.moderation.open_flags([r["_id"] for r in found]):
        reasons.setdefault(f["report_id"], Counter())[f["reason"]] += 1
    items = {kind: ideas.moderation.items_of(kind, [r["item_id"] for r in found if r["kind"] == kind])
             for kind in PREVIEW}
    entries = []
    for r in found:
        item = items[r["kind"]].get(r["item_id"])
        preview = {k: item.get(k) for k in (*PREVIEW[r["kind"]], "hidden")} if item else None
        entries.append({**r, "flags": len(r.get("flaggers", [])), "reasons": dict(reasons.get(r["_id"], {})),
                        "pending_review": bool(r.get("pending")), "item": preview})
    return sorted(entries, key=lambda e: (not e["pending_review"], -e["flags"], e["first_flagged_at"]))


def decide(ideas: IdeaStore, report_id: str, outcome: str, reason: str | None, note: str | None,
           moderator: Principal) -> dict:
    """Upholds or dismisses the report's open flags: the round closes (once, whoever decides first), the flags get
    their outcome, the item is hidden for the reason or shown again, and the item's history says so."""
    report = ideas.moderation.report(report_id)
    if report is None or not report.get("open"):
        raise NotFound(f"no report {report_id} waiting for review")
    kind, now = report["kind"], _now()
    item = ideas.moderation.item(kind, report["item_id"])
    if item is None:
        raise NotFound(f"no {kind} {report['item_id']}")
    if outcome == UPHELD:
        changes, entry, event = moderation.uphold(kind, item, reason, note, moderator.user_id, now)
    else:
        changes, entry, event = moderation.dismiss(kind, item, note, moderator.user_id, now)
    if not ideas.moderation.close(report, now):
        raise Conflict("this report was decided, or flagged again, meanwhile: reload the queue")
    ideas.moderation.decide_flags(report_id, report["flaggers"], outcome, now)
    ideas.moderation.add_review(moderation.decision(report, outcome, reason, moderator.user_id, now))
    pending = {"hidden.pending_review": True} if outcome == DISMISSED and event else {}
    ideas.moderation.change_item(kind, item["_id"], pending, changes, entry, event)
    return {"report_id": report_id, "outcome": outcome, "reason": reason, "at": now,
            "hidden": changes.get("hidden", item.get("hidden"))}


def moderate_question(ideas: IdeaStore, question_id: str, reason: str | None, text: str | None,
                      moderator: Principal) -> dict:
    """Hides a question for a listed `reason` (with `text` as its note), or restores it (`reason` None, `text` why).
    Its open flags, if any, stay in the queue for a decision of their own."""
    item = ideas.moderation.item(QUESTION, question_id)
    if item is None:
        raise NotFound(f"no question {question_id}")
    now = _now()
    try:
        if reason is None:
            changes, entry, event = moderation.restore(QUESTION, item, text, moderator.user_id, now)
        elif item.get("hidden") is not None and not item["hidden"].get("pending_review"):
            raise moderation.DecisionRefused("this question is hidden already")
        else:
            changes, entry, event = moderation.uphold(QUESTION, item, reason, text, moderator.user_id, now, "hide")
    except moderation.DecisionRefused as exc:
        raise Conflict(str(exc)) from exc
    hidden = item.get("hidden")
    state = ({"hidden": {"$ne": None}} if reason is None
             else {"hidden.pending_review": True} if hidden is not None else {"hidden": None})
    if not ideas.moderation.change_item(QUESTION, question_id, state, changes, entry, event):
        raise Conflict("this question was moderated by someone else meanwhile; reload and try again")
    return {"report_id": moderation.report_id(QUESTION, question_id), "outcome": "restored" if reason is None
            else "hidden", "reason": reason, "at": now, "hidden": changes["hidden"]}


def proposals(ideas: IdeaStore, rules: moderation.Policy, now: datetime) -> list[dict]:
    upheld = ideas.moderation.upheld(moderation.ABUSE, now - rules.window)
    authors = list({a for a, _ in upheld if a})
    found = moderation.ban_proposals(upheld, ideas.directory.banned(authors), now, rules)
    names = ideas.directory.names([p["member_id"] for p in found])
    return [{**p, "display_name": names.get(p["member_id"])} for p in found]
