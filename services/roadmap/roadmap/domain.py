"""Roadmap rules, with no I/O: which moves are allowed, and the event each move announces."""
from dataclasses import dataclass
from datetime import datetime

from idealab.events import new_event

TRACK = ("open", "under_review", "planned", "in_progress", "launched")
CLOSED = ("launched", "declined", "duplicate")
STATUSES = (*TRACK, *CLOSED[1:])
# What the product team may choose; `duplicate` comes with merging ideas (idea.merged), `open` is where all start.
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


@dataclass(frozen=True)
class Move:
    """A status change as stored (entry in the item's history) and as announced (its event)."""
    target: str
    entry: dict
    event: dict


def move(idea_id: str, current: str, target: str, message: str, by: str, now: datetime) -> Move:
    entry = {"from": current, "to": target, "message": message, "by": by, "at": now}
    data = {"idea_id": idea_id, "from_status": current, "to_status": target, "message": message, "by": by,
            "changed_at": now}
    return Move(target, entry, new_event("idea.status_changed", data, source="/roadmap", subject=idea_id))


def review_message(count: int) -> str:
    return f"This idea reached {count} votes: the product team is reviewing it."


def merged_message(original_id: str) -> str:
    return f"This idea was merged into another one, which carries its votes: /ideas/{original_id}"
