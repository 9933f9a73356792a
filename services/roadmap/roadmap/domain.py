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


# Initiatives: a product team's answer to one or more ideas, on the same track as the ideas. Announcing it and
# moving it move its ideas with it (each idea that may go there: a closed idea stays, none goes back).
# What an initiative may be created in; it is declined with a move, and `duplicate` is for ideas only.
INITIATIVE_STATUSES = ("under_review", "planned", "in_progress", "launched")
MAX_IDEAS = 50


class NotGrouped(Exception):
    """The ideas cannot make one initiative; `errors` names what is wrong, by field."""
    def __init__(self, errors: dict):
        super().__init__(str(errors))
        self.errors = errors


def initiative_space(idea_ids: list[str], items: dict[str, dict]) -> str | None:
    """The space the initiative lives in: its ideas' own. Ideas of different spaces (or of a space and the public lab)
    never share one, so announcing it cannot show a private idea to outsiders."""
    unknown = [i for i in idea_ids if "title" not in items.get(i, {})]
    if unknown:
        raise NotGrouped({"idea_ids": [f"not on the roadmap: {', '.join(unknown)}"]})
    spaces = {items[i].get("space") for i in idea_ids}
    if len(spaces) > 1:
        raise NotGrouped({"idea_ids": ["the ideas belong to different spaces"]})
    return spaces.pop()


def check_initiative_move(initiative: dict, target: str) -> None:
    if not initiative.get("announced"):
        raise MoveNotAllowed("announce the initiative before moving it")
    check_move(initiative["status"], target)


def first_title(title: dict) -> str:
    """The title in the first language it has (English, then French, then Spanish), for one-language readers."""
    return next(title[lang] for lang in ("en", "fr", "es") if title.get(lang))


@dataclass(frozen=True)
class InitiativeMove:
    """An initiative announced or moved: its history entry and its event; its ideas follow (`idea_moves`)."""
    target: str
    entry: dict
    event: dict


def announce(initiative: dict, message: str, by: str, now: datetime) -> InitiativeMove:
    if initiative.get("announced"):
        raise MoveNotAllowed("the initiative is announced already")
    entry = {"from": None, "to": initiative["status"], "message": message, "by": by, "at": now}
    data = {"initiative_id": initiative["_id"], "title": initiative["title"], "idea_ids": initiative["idea_ids"],
            "status": initiative["status"], "target_quarter": initiative.get("target_quarter"),
            "owner_team": initiative["owner_team"], "space": initiative.get("space"), "message": message, "by": by,
            "announced_at": now}
    return InitiativeMove(initiative["status"], entry, new_event("initiative.announced", data, source="/roadmap",
                                                                  subject=initiative["_id"]))


def move_initiative(initiative: dict, target: str, message: str, by: str, now: datetime) -> InitiativeMove:
    check_initiative_move(initiative, target)
    entry = {"from": initiative["status"], "to": target, "message": message, "by": by, "at": now}
    data = {"initiative_id": initiative["_id"], "title": initiative["title"], "idea_ids": initiative["idea_ids"],
            "from_status": initiative["status"], "to_status": target, "space": initiative.get("space"),
            "message": message, "by": by, "changed_at": now}
    return InitiativeMove(target, entry, new_event("initiative.status_changed", data, source="/roadmap",
                                                   subject=initiative["_id"]))


def idea_moves(initiative_id: str, items: list[dict], target: str, message: str, by: str,
               now: datetime) -> list[tuple[str, Move]]:
    """(the idea's status now, its move) for each of `items` that may go to `target`. Each announces its own
    idea.status_changed, carrying the initiative's id: its followers are told by the initiative's one record."""
    moves = []
    for item in items:
        try:
            check_move(item["status"], target)
        except MoveNotAllowed:
            continue  # there already, beyond it, or closed: nothing to do (a replay lands here too)
        entry = {"from": item["status"], "to": target, "message": message, "by": by, "at": now,
                 "initiative_id": initiative_id}
        data = {"idea_id": item["_id"], "from_status": item["status"], "to_status": target, "message": message,
                "by": by, "changed_at": now, "initiative_id": initiative_id}
        moves.append((item["status"], Move(target, entry, new_event("idea.status_changed", data, source="/roadmap",
                                                                    subject=item["_id"]))))
    return moves
