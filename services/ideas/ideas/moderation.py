"""Rules of the moderation queue, with no I/O: members flag content with a reason from a fixed list, enough flags
from distinct members hide it until a moderator reviews it, and the moderator upholds (hidden with a public reason)
or dismisses (shown again). Criticism of the bank is not a reason and cannot become one: the list is closed.

What is flagged is a report: one per item (`report_id`), holding the flags of the current round; a decision closes
the round and the next flags open another. Each member flags an item once (their flag's id is (item, member)), so
the threshold counts distinct members. Every step goes to the item's moderation history (the audit log staff read).
Flaggers whose flags are dismissed again and again lose the right to flag for a while; authors whose content is
upheld as abuse again and again are proposed for a ban, which stays a moderator's decision (accounts' ban route).
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from idealab.config import env
from idealab.events import new_event

# The only reasons to flag or to hide after review. "Criticism of the bank" is deliberately not one.
REASONS = ("abuse", "personal_data", "spam", "off_topic", "illegal")
ABUSE = "abuse"
LABELS = {"abuse": "Abuse", "personal_data": "Personal data", "spam": "Spam", "off_topic": "Off-topic",
          "illegal": "Illegal content"}
IDEA, COMMENT, QUESTION = "idea", "comment", "question"
UPHELD, DISMISSED = "upheld", "dismissed"
PENDING_REASON = "Reported by several members: hidden until a moderator reviews it"
BY_REPORTS = "reports"  # who hid an item pending review: its flags, not a person


@dataclass(frozen=True)
class Policy:
    flags_to_hide: int = 3  # distinct members whose flags hide an item until it is reviewed
    dismissals_to_suspend: int = 3  # a member's flags dismissed within `window`…
    suspension: timedelta = timedelta(days=14)  # …take their right to flag away this long after the latest
    upheld_abuse_to_propose_ban: int = 3  # an author's content upheld as abuse within `window` proposes a ban
    window: timedelta = timedelta(days=90)

    @classmethod
    def from_env(cls) -> "Policy":
        return cls(flags_to_hide=int(env("FLAGS_TO_HIDE", "3")),
                   dismissals_to_suspend=int(env("FLAG_DISMISSALS_TO_SUSPEND", "3")),
                   suspension=timedelta(days=float(env("FLAG_SUSPENSION_DAYS", "14"))),
                   upheld_abuse_to_propose_ban=int(env("UPHELD_ABUSE_TO_PROPOSE_BAN", "3")),
                   window=timedelta(days=float(env("MODERATION_WINDOW_DAYS", "90"))))


class FlagRefused(Exception):
    """A flag this member may not raise on this item (their own content, or content hidden after review)."""


class DecisionRefused(Exception):
    """A decision on a report that has no open flags (decided meanwhile, or never flagged)."""


def report_id(kind: str, item_id: str) -> str:
    return f"{kind}:{item_id}"


def flag(kind: str, item: dict, member_id: str, reason: str, now: datetime) -> tuple[dict, dict]:
    """A member's flag on an idea, comment or question, and its entry in the item's moderation history."""
    if reason not in REASONS:  # the API's schema refuses it first; this rule holds whoever calls
        raise FlagRefused(f"reason must be one of: {', '.join(REASONS)}")
    if item.get("author_id") == member_id:
        raise FlagRefused("you cannot flag what you wrote")
    hidden = item.get("hidden")
    if hidden is not None and not hidden.get("pending_review"):
        raise FlagRefused(f"this {kind} was hidden by a moderator already")
    rid = report_id(kind, item["_id"])
    found = {"_id": f"{rid}:{member_id}", "report_id": rid, "member_id": member_id, "reason": reason, "at": now,
             "outcome": None, "decided_at": None}
    return found, {"action": "flag", "reason": reason, "by": member_id, "at": now}


def new_report(kind: str, item: dict) -> dict:
    """What a report holds besides its flags: which item, where, whose."""
    return {"_id": report_id(kind, item["_id"]), "kind": kind, "item_id": item["_id"],
            "idea_id": item.get("idea_id") if kind == COMMENT else item["_id"] if kind == IDEA else None,
            "space": item.get("space"), "author_id": item.get("author_id")}


def hides_pending_review(report: dict, item: dict, policy: Policy) -> bool:
    """Enough distinct members flagged a shown item: it is hidden until a moderator reviews it."""
    return item.get("hidden") is None and len(report.get("flaggers", [])) >= policy.flags_to_hide


def hide_pending_review(kind: str, item: dict, flags: int, now: datetime) -> tuple[dict, dict, dict]:
    """The item hidden with a notice saying it waits for review (not a moderator's verdict), its history entry and
    its event."""
    hidden = {"reason": PENDING_REASON, "by": BY_REPORTS, "at": now, "pending_review": True}
    entry = {"action": "hide_pending_review", "reason": f"{flags} members flagged it", "by": BY_REPORTS, "at": now}
    return {"hidden": hidden}, entry, _event(kind, item, "hidden", PENDING_REASON, BY_REPORTS, now)


def uphold(kind: str, item: dict, reason: str, note: str | None, by: str, now: datetime,
           action: str = "uphold") -> tuple[dict, dict, dict]:
    """A moderator agrees with the flags (or, `action` "hide", hides a question of their own motion): the item is
    hidden, with the listed reason (and a note) shown to everyone. Already hidden pending review, it stays hidden,
    now for that reason."""
    if reason not in REASONS:
        raise DecisionRefused(f"reason must be one of: {', '.join(REASONS)}")
    note = (note or "").strip() or None
    public = f"{LABELS[reason]}: {note}" if note else LABELS[reason]
    hidden = {"reason": public, "category": reason, "note": note, "by": by, "at": now}
    entry = {"action": action, "reason": public, "by": by, "at": now}
    return {"hidden": hidden}, entry, _event(kind, item, "hidden", public, by, now)


def dismiss(kind: str, item: dict, note: str | None, by: str, now: datetime) -> tuple[dict, dict, dict | None]:
    """A moderator finds nothing wrong: an item hidden pending review is shown again; one a moderator had hidden
    directly stays as it was (that was a decision of its own). The event only when something shows again."""
    entry = {"action": "dismiss", "reason": (note or "").strip() or "Nothing against the rules", "by": by, "at": now}
    hidden = item.get("hidden")
    if hidden is None or not hidden.get("pending_review"):
        return {}, entry, None
    return {"hidden": None}, entry, _event(kind, item, "restored", entry["reason"], by, now)


def restore(kind: str, item: dict, reason: str, by: str, now: datetime) -> tuple[dict, dict, dict]:
    """A moderator shows again an item hidden by review or by hand (a question has no other way back: ideas and
    comments have their own routes), with a public reason."""
    if item.get("hidden") is None:
        raise DecisionRefused(f"this {kind} is shown already")
    entry = {"action": "restore", "reason": reason.strip(), "by": by, "at": now}
    return {"hidden": None}, entry, _event(kind, item, "restored", entry["reason"], by, now)


def decision(report: dict, outcome: str, reason: str | None, by: str, now: datetime) -> dict:
    """The record of a moderator's decision on a report's round of flags, kept for the proposals to ban."""
    return {"report_id": report["_id"], "kind": report["kind"], "item_id": report["item_id"],
            "author_id": report.get("author_id"), "outcome": outcome, "reason": reason, "by": by, "at": now,
            "flaggers": report.get("flaggers", [])}


def _event(kind: str, item: dict, what: str, reason: str, by: str, now: datetime) -> dict:
    if kind == QUESTION:
        return new_event(f"question.{what}", {"question_id": item["_id"], "reason": reason, "by": by, "at": now},
                         source="/ideas", subject=item["_id"])
    idea_id = item["idea_id"] if kind == COMMENT else item["_id"]
    return new_event(f"{kind}.{what}", {"idea_id": idea_id, "comment_id": item["_id"] if kind == COMMENT else None,
                                        "reason": reason, "by": by, "at": now}, source="/ideas", subject=idea_id)


def flagging_suspended_until(dismissed_at: list[datetime], now: datetime, policy: Policy) -> datetime | None:
    """Until when a member may not flag: `dismissals_to_suspend` of their flags dismissed within the window take the
    right away for `suspension` after the latest of them; None when they may flag."""
    recent = [at for at in dismissed_at if at >= now - policy.window]
    if len(recent) < policy.dismissals_to_suspend:
        return None
    until = max(recent) + policy.suspension
    return until if until > now else None


def ban_proposals(upheld_abuse: list[tuple[str, datetime]], banned: set[str], now: datetime,
                  policy: Policy) -> list[dict]:
    """Authors whose content was upheld as abuse `upheld_abuse_to_propose_ban` times within the window (one per
    decision: (author, when)), most upheld first; those banned already are not proposed again."""
    counts: dict[str, list[datetime]] = {}
    for author_id, at in upheld_abuse:
        if author_id and author_id not in banned and at >= now - policy.window:
            counts.setdefault(author_id, []).append(at)
    found = [{"member_id": a, "upheld_abuse": len(ats), "last_upheld_at": max(ats)}
             for a, ats in counts.items() if len(ats) >= policy.upheld_abuse_to_propose_ban]
    return sorted(found, key=lambda p: (-p["upheld_abuse"], -p["last_upheld_at"].timestamp(), p["member_id"]))
