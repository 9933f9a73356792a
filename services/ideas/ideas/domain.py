"""Rules about ideas, with no I/O."""
import uuid
from datetime import datetime

from idealab.events import new_event

SORTS = ("newest", "most_voted")


def submit(fields: dict, author_id: str, now: datetime) -> tuple[dict, dict]:
    """A new idea, open for votes, and the event announcing it (`space`: an invite-only panel, or None)."""
    idea = {
        "_id": uuid.uuid4().hex,
        "title": fields["title"].strip(),
        "description": fields["description"].strip(),
        "category": fields["category"],
        "author_id": author_id,
        "space": fields.get("space"),
        "submitted_at": now,
        "status": "open",
        "vote_count": 0,
        "tally_version": 0,
    }
    event = new_event("idea.submitted", {
        "idea_id": idea["_id"], "title": idea["title"], "description": idea["description"],
        "category": idea["category"], "author_id": author_id, "submitted_at": now,
        "space": idea["space"],
    }, source="/ideas", subject=idea["_id"])
    return idea, event
