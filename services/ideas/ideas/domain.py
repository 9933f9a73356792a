"""Rules about ideas, with no I/O."""
import uuid
from datetime import datetime

from idealab.events import new_event

SORTS = ("newest", "most_voted", "most_discussed")
HIDE, RESTORE = "hide", "restore"
MAX_IMAGE_BYTES = 2 * 1024 * 1024
# What a file is, by its first bytes: the name and Content-Type a browser sends are the sender's word, not a fact.
IMAGE_SIGNATURES = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"),
                    (b"GIF87a", "image/gif"), (b"GIF89a", "image/gif"))


class ModerationConflict(Exception):
    """Hiding what is hidden already, or restoring what is shown."""


class NotAnImage(Exception):
    """Bytes that are not a PNG, JPEG, WebP or GIF image."""


def image_type(data: bytes) -> str | None:
    """The content type of an image, read from its first bytes; None for anything else."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return next((kind for signature, kind in IMAGE_SIGNATURES if data.startswith(signature)), None)


def image_url(image_id: str) -> str:
    return f"/api/ideas/images/{image_id}"


def new_image(data: bytes, owner_id: str, now: datetime) -> dict:
    """An uploaded image, to be attached to an idea by its owner. Its id is random: it is the only key to it."""
    content_type = image_type(data)
    if content_type is None:
        raise NotAnImage("not an image: PNG, JPEG, WebP or GIF only")
    return {"_id": uuid.uuid4().hex, "owner_id": owner_id, "content_type": content_type, "size": len(data),
            "data": data, "uploaded_at": now}


def submit(fields: dict, author_id: str, now: datetime, image_id: str | None = None) -> tuple[dict, dict]:
    """A new idea, open for votes, and the event announcing it (`space`: an invite-only panel, or None; `image_id`:
    an image its author uploaded, or None)."""
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
        "comment_count": 0,
        "hidden": None,
        "image": {"id": image_id, "url": image_url(image_id)} if image_id else None,
    }
    event = new_event("idea.submitted", {
        "idea_id": idea["_id"], "title": idea["title"], "description": idea["description"],
        "category": idea["category"], "author_id": author_id, "submitted_at": now,
        "space": idea["space"],
    }, source="/ideas", subject=idea["_id"])
    return idea, event


def post_comment(idea: dict, fields: dict, author_id: str, now: datetime) -> tuple[dict, dict]:
    """A comment (or a reply to one, `reply_to`) on `idea`, and the event announcing it."""
    comment = {
        "_id": uuid.uuid4().hex,
        "idea_id": idea["_id"],
        "space": idea.get("space"),
        "author_id": author_id,
        "text": fields["text"].strip(),
        "reply_to": fields.get("reply_to"),
        "posted_at": now,
        "hidden": None,
        "moderation": [],
    }
    event = new_event("comment.posted", {
        "comment_id": comment["_id"], "idea_id": idea["_id"], "author_id": author_id,
        "reply_to": comment["reply_to"], "posted_at": now}, source="/ideas", subject=idea["_id"])
    return comment, event


def moderate(item: dict, kind: str, action: str, reason: str, by: str, now: datetime) -> tuple[dict, dict, dict]:
    """Hides or restores an idea or a comment (`kind`): never a deletion, and the reason is shown to everyone.

    Returns the changes to store, the entry for the item's moderation history, and the event."""
    hidden = item.get("hidden") is not None
    if (action == HIDE) == hidden:
        raise ModerationConflict(f"this {kind} is {'hidden' if hidden else 'shown'} already")
    entry = {"action": action, "reason": reason.strip(), "by": by, "at": now}
    changes = {"hidden": {"reason": entry["reason"], "by": by, "at": now} if action == HIDE else None}
    idea_id = item["idea_id"] if kind == "comment" else item["_id"]
    event = new_event(f"{kind}.{'hidden' if action == HIDE else 'restored'}", {
        "idea_id": idea_id, "comment_id": item["_id"] if kind == "comment" else None,
        "reason": entry["reason"], "by": by, "at": now}, source="/ideas", subject=idea_id)
    return changes, entry, event


def as_shown(item: dict, staff: bool, text_fields: tuple[str, ...]) -> dict:
    """What a reader sees of an idea or comment: if hidden, that it was and why, not its text; staff see it all,
    with the moderation history (the audit log)."""
    if staff:
        return item
    shown = {k: v for k, v in item.items() if k != "moderation"}
    if item.get("hidden") is None:
        return shown
    return {**shown, **dict.fromkeys(text_fields), "hidden": {k: item["hidden"][k] for k in ("reason", "at")}}
