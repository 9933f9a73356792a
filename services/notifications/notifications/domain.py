"""Notification rules, with no I/O."""
from datetime import datetime

from idealab.events import Event
from idealab.mongo import as_stored

# Why someone is subscribed to an idea; a subscription lasts while at least one reason remains.
AUTHOR, VOTER, COMMENTER = "author", "voter", "commenter"

STATUS_NAMES = {
    "open": "open", "under_review": "under review", "planned": "planned", "in_progress": "in progress",
    "launched": "launched", "declined": "declined", "duplicate": "merged into another idea",
}


def inbox_entry_id(event_id: str, user_id: str) -> str:
    """One entry per (status change, subscriber): the key that makes a replayed event add nothing."""
    return f"{event_id}:{user_id}"


def status_notification(event: Event, title: str | None) -> dict:
    """What every subscriber reads when an idea's status changes."""
    data = event.data
    name = title or "An idea you follow"
    return {
        "kind": "idea.status_changed",
        "idea_id": data["idea_id"],
        "title": f"{name} is now {STATUS_NAMES[data['to_status']]}",
        "message": data["message"],
        "from": data["from_status"],
        "to": data["to_status"],
        "created_at": data["changed_at"],
        "event_id": event.id,
    }


def inbox_entry(notification: dict, user_id: str) -> dict:
    return {**notification, "_id": inbox_entry_id(notification["event_id"], user_id), "user_id": user_id,
            "read": False}


def owed_latest_change(last_change: dict | None, followed_at: datetime) -> bool:
    """Someone who followed an idea (wrote it, voted for it) before its latest status change, but whose event is read
    after that change (ideas, votes and status changes travel on different topics, so their order between topics
    is not kept), is owed the change's notification.

    Compared in milliseconds, as the database keeps times; within the same millisecond the voter is notified
    rather than missed."""
    return last_change is not None and as_stored(followed_at) <= last_change["created_at"]
