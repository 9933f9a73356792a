"""Roadmap rules, with no I/O: which moves are allowed, and the event each move announces."""
from datetime import datetime

from idealab.events import new_event

TRACK = ("open", "under_review", "planned", "in_progress", "launched")
CLOSED = ("launched", "declined", "duplicate")
# What the product team may choose; `duplicate` comes with merging ideas (a later issue), `open` is where all start.
TEAM_STATUSES = ("under_review", "planned", "in_progress", "launched", "declined")
SYSTEM = "system"


class MoveNotAllowed(Exception):
    pass


def check_move(current: str, target: str) -> None:
    """Ideas move forward along the track (skipping steps is fine) or are declined; closed ideas stay closed."""
    if current in CLOSED:
        raise MoveNotAllowed(f"the idea is already {current}")
    if target == current:
        raise MoveNotAllowed(f"the idea is already {current}")
    if target in TRACK and TRACK.index(target) < TRACK.index(current):
        raise MoveNotAllowed(f"an idea cannot go back from {current} to {target}")


def status_changed(idea_id: str, current: str, target: str, message: str, by: str, now: datetime) -> dict:
    return new_event("idea.status_changed", {"idea_id": idea_id, "from": current, "to": target, "message": message,
                                             "by": by, "changed_at": now}, source="/roadmap", subject=idea_id)


def history_entry(event: dict) -> dict:
    data = event["data"]
    return {"from": data["from"], "to": data["to"], "message": data["message"], "by": data["by"],
            "at": data["changed_at"]}


def review_message(count: int) -> str:
    return f"This idea reached {count} votes: the product team is reviewing it."
