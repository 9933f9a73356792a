"""The response-time promise, with no I/O: each space's targets, what waits for the team and until when, and the
figures a bank publishes to show it keeps its word.

What the promise covers is a member's post the team owes an answer: an idea, a question, or a message a member
writes in their private thread. Each is one `waiting` record in the ideas service's `promises`, made by the worker
from the post's event with the targets of its space at that moment (a promise is kept or broken against what was
promised when the member posted, not against targets changed later). Acknowledging is claiming it (or answering);
answering is the team's first answer after the post: in public on the idea or question, privately in the member's
thread, or, for an idea, the product team moving it on the roadmap (with its public message). When each happened
is recomputed from the ideas, answers and threads themselves (`answered_at`), so a replayed or late event lands on
the same record.
"""
import statistics
from datetime import datetime, timedelta, timezone

IDEA, QUESTION, MESSAGE = "idea", "question", "message"
KINDS = (IDEA, QUESTION, MESSAGE)
# What the public and a space's members see figures of: private messages are counted for staff only, as their
# very number is the members' business.
PUBLIC_KINDS = (IDEA, QUESTION)
DEFAULT_LANGUAGE = "en"
ACKNOWLEDGE, ANSWER = "acknowledge", "answer"
# Air France's promise, the default of every space: acknowledged within the hour, answered within 24 hours.
DEFAULT_TARGETS = {ACKNOWLEDGE: 60, ANSWER: 24 * 60}  # minutes
MAX_TARGET_MINUTES = 30 * 24 * 60
# The queue orders at most this many waiting posts, the oldest: a backlog beyond it is a lab the team has left.
MAX_QUEUE = 2000


class NotClaimable(Exception):
    """Claiming or handing over what was answered already, or handing over to oneself."""


def targets(stored: dict | None) -> dict:
    """A space's targets in minutes: what staff set for it, or the defaults."""
    return {kind: (stored or {}).get(kind, minutes) for kind, minutes in DEFAULT_TARGETS.items()}


def language(chosen: str | None, accepted: str | None) -> str:
    """A post's language: the one its member chose, else the one their lab speaks (`accepted`, the best of the
    languages the request accepts), else the lab's default."""
    return chosen or accepted or DEFAULT_LANGUAGE


def promise_id(kind: str, item_id: str) -> str:
    return f"{kind}:{item_id}"


def waiting(kind: str, item_id: str, space: str | None, language_: str | None, posted_at: datetime,
            space_targets: dict, link: dict) -> dict:
    """The record of a post the team owes an answer, with its due times. `link`: where staff read it (the idea or
    question's id; a message's thread)."""
    return {"_id": promise_id(kind, item_id), "kind": kind, "item_id": item_id, "space": space,
            "language": language_ or DEFAULT_LANGUAGE, "posted_at": posted_at, "targets": space_targets,
            "acknowledge_due": posted_at + timedelta(minutes=space_targets[ACKNOWLEDGE]),
            "answer_due": posted_at + timedelta(minutes=space_targets[ANSWER]), **link}


def first_answer(posted_at: datetime, answers: list[datetime]) -> datetime | None:
    """When the team first answered a post: its first answer at or after it (a message written after the team's
    last answer waits for the next)."""
    return min((at for at in answers if at >= posted_at), default=None)


def acknowledged_at(item: dict) -> datetime | None:
    """Claimed or answered, whichever came first: an answer acknowledges too."""
    times = [t for t in (item.get("claimed_at"), item.get("answered_at")) if t is not None]
    return min(times, default=None)


def claim(item: dict, staff_id: str, now: datetime) -> dict:
    """Staff take a post on: it is acknowledged (the first claim's time is kept) and waits for them. One someone
    else took on is theirs until they (or anyone) hand it over."""
    if item.get("answered_at") is not None:
        raise NotClaimable("this post was answered already")
    if item.get("claimed_by") not in (None, staff_id):
        raise NotClaimable("someone else took this post on: it is handed over, not claimed")
    return {"claimed_by": staff_id, "claimed_at": item.get("claimed_at") or now}


def hand_over(item: dict, by: str, to: str, now: datetime) -> tuple[dict, dict]:
    """Passes a post to another staff member; it stays acknowledged. The change and its entry in its history."""
    if item.get("answered_at") is not None:
        raise NotClaimable("this post was answered already")
    if item.get("claimed_by") == to:
        raise NotClaimable("this post waits for them already")
    return ({"claimed_by": to, "claimed_at": item.get("claimed_at") or now},
            {"from": item.get("claimed_by"), "to": to, "by": by, "at": now})


def due(item: dict) -> tuple[str, datetime]:
    """What the team owes next on a waiting post and by when: an acknowledgement until it has one, then the
    answer."""
    return (ANSWER, item["answer_due"]) if acknowledged_at(item) is not None else (ACKNOWLEDGE, item["acknowledge_due"])


def status(item: dict, now: datetime) -> dict:
    """A waiting post as the queue shows it at `now`: what is owed, when, and whether that is past."""
    owed, due_at = due(item)
    return {**item, "owed": owed, "due_at": due_at, "overdue": due_at < now,
            "acknowledged_at": acknowledged_at(item)}


def queue(items: list[dict], now: datetime) -> list[dict]:
    """The posts waiting for an answer, as the team works them: by due time, so the overdue ones (due before `now`)
    come first, the longest overdue at the top; then by posting time. A post whose author is gone waits no more."""
    shown = [status(i, now) for i in items if i.get("answered_at") is None and i.get("author_gone_at") is None]
    return sorted(shown, key=lambda i: (not i["overdue"], i["due_at"], i["posted_at"], i["_id"]))


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """The first instant of a month ("2026-11", UTC) and of the next. ValueError when it is not one."""
    start = datetime.strptime(month, "%Y-%m").replace(tzinfo=timezone.utc)
    return start, (start + timedelta(days=32)).replace(day=1)


def figures(items: list[dict], kinds: tuple[str, ...], now: datetime) -> dict:
    """The promise's figures over posts (those of one space and month), per kind and in all: how many; the share
    acknowledged and answered within their targets; the median minutes to each. A post whose due time has not come
    and that is not yet acknowledged (or answered) counts in neither share yet (`pending`); one past it without is
    a promise missed. Medians are over the posts acknowledged (answered)."""
    by_kind = {kind: _figures([i for i in items if i["kind"] == kind], now) for kind in kinds}
    return {"kinds": [{"kind": kind, **f} for kind, f in by_kind.items()],
            "all": _figures([i for i in items if i["kind"] in kinds], now)}


def _figures(items: list[dict], now: datetime) -> dict:
    found = {}
    for step, when, due_field in ((ACKNOWLEDGE, acknowledged_at, "acknowledge_due"),
                                  (ANSWER, lambda i: i.get("answered_at"), "answer_due")):
        done = [(i, when(i)) for i in items if when(i) is not None]
        # A post whose author deleted their account is judged up to then: missed if its time had passed, else
        # counted nowhere (there was no one left to answer).
        settled = [i for i in items if when(i) is not None or i[due_field] < min(now, i.get("author_gone_at") or now)]
        withdrawn = [i for i in items if i not in settled and i.get("author_gone_at")]
        kept = [i for i, at in done if at <= i[due_field]]
        minutes = [(at - i["posted_at"]).total_seconds() / 60 for i, at in done]
        found[step] = {"within_target": len(kept), "settled": len(settled),
                       "pending": len(items) - len(settled) - len(withdrawn),
                       "share_within_target": round(len(kept) / len(settled), 4) if settled else None,
                       "median_minutes": round(statistics.median(minutes), 1) if minutes else None}
    return {"posted": len(items), **found}
