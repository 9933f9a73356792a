"""Notification rules, with no I/O."""
from datetime import datetime, timedelta

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


def chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start:start + size]


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


# Email jobs: queued at the fan-out, sent by the worker's sender, retried with a growing wait, then given up.
EMAIL = "email"
QUEUED, SENT, FAILED = "queued", "sent", "failed"
MAX_ATTEMPTS = 5
FIRST_RETRY = timedelta(seconds=30)
# A claimed job is left to its sender this long (a send times out well before); after a crash it is due again.
SENDING_HOLD = timedelta(minutes=5)


def email_job(notification: dict, user_id: str, now: datetime) -> dict:
    # The address is looked up when sending, so an erasure or an unsubscribe meanwhile is obeyed.
    return {"_id": f"{notification['event_id']}:{user_id}:{EMAIL}", "user_id": user_id, "channel": EMAIL,
            "idea_id": notification["idea_id"], "title": notification["title"], "message": notification["message"],
            "state": QUEUED, "attempts": 0, "queued_at": now, "next_attempt_at": now}


def email_text(job: dict, idea_url: str, unsubscribe_url: str) -> tuple[str, str]:
    body = (f"{job['message']}\n\nSee the idea: {idea_url}\n\n"
            f"You follow this idea because you wrote it, voted for it or commented on it.\n"
            f"Stop these emails: {unsubscribe_url}\n")
    return job["title"], body


def after_failure(attempts: int, now: datetime) -> dict:
    """The job's changes after its `attempts`-th failed try: tried again later, or given up."""
    if attempts >= MAX_ATTEMPTS:
        return {"state": FAILED, "attempts": attempts}
    return {"attempts": attempts, "next_attempt_at": now + FIRST_RETRY * 2 ** (attempts - 1)}
