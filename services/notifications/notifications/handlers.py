"""Use cases and event handlers of the notifications service."""
import logging
from datetime import datetime, timezone
from urllib.parse import quote

from werkzeug.exceptions import NotFound

from idealab import metrics
from idealab.events import Event
from idealab.kafka import TRANSIENT
from idealab.mail import Mailer

from . import domain
from .store import FAN_OUT_CHUNK, NotificationStore

log = logging.getLogger(__name__)


def read_inbox(store: NotificationStore, user_id: str, limit: int) -> dict:
    return {"user_id": user_id, "unread": store.unread(user_id), "entries": store.entries(user_id, limit)}


def mark_read(store: NotificationStore, user_id: str, entry_ids: list[str] | None) -> dict:
    store.mark_read(user_id, entry_ids)
    return {"user_id": user_id, "unread": store.unread(user_id)}


def my_data(store: NotificationStore, user_id: str) -> dict:
    contact = store.contact(user_id)
    return {"subscriptions": [{"idea_id": s["idea_id"], "reasons": s["reasons"]}
                              for s in store.subscriptions_of(user_id)],
            "inbox": store.entries(user_id, limit=0),
            "email": {"address": contact["email"], "enabled": contact["email_enabled"]} if contact else None,
            "emails": store.emails_of(user_id)}


def on_idea_submitted(store: NotificationStore, event: Event) -> None:
    idea_id, author_id = event.data["idea_id"], event.data["author_id"]
    store.remember_idea(idea_id, event.data["title"])
    if store.is_erased(author_id):
        return
    store.subscribe(idea_id, author_id, domain.AUTHOR)
    _deliver_if_owed(store, idea_id, author_id, event.data["submitted_at"])


def on_vote_cast(store: NotificationStore, event: Event) -> None:
    idea_id, voter_id = event.data["idea_id"], event.data["voter_id"]
    if store.is_erased(voter_id):
        return
    if store.set_vote(idea_id, voter_id, event.data["vote_version"], live=True):  # not a stale replay
        _deliver_if_owed(store, idea_id, voter_id, event.data["cast_at"])


def _deliver_if_owed(store: NotificationStore, idea_id: str, user_id: str, followed_at) -> None:
    """What the fan-out would have brought a follower whose event is read after the latest status change."""
    last_change = store.last_change(idea_id)
    if domain.owed_latest_change(last_change, followed_at):
        store.deliver([domain.inbox_entry(last_change, user_id)])
        if store.is_emailable(user_id):
            store.queue_emails([domain.email_job(last_change, user_id, datetime.now(timezone.utc))])


def on_comment_posted(store: NotificationStore, event: Event) -> None:
    idea_id, author_id = event.data["idea_id"], event.data["author_id"]
    if store.is_erased(author_id):
        return
    store.subscribe(idea_id, author_id, domain.COMMENTER)
    _deliver_if_owed(store, idea_id, author_id, event.data["posted_at"])


def on_vote_withdrawn(store: NotificationStore, event: Event) -> None:
    store.set_vote(event.data["idea_id"], event.data["voter_id"], event.data["vote_version"], live=False)


def on_status_changed(store: NotificationStore, event: Event) -> None:
    """One inbox entry and, for verified addresses, one email job per subscriber.

    Subscribers are served in user-id order, chunk by chunk, and the last one served is recorded: a retry after a
    crash resumes after it instead of writing every entry again, and a replay or a redrive of a finished fan-out
    reaches nobody (those who follow the idea since did not then). Entry and job ids come from the event id, so what
    a crash in the middle of a chunk left behind is not written twice either."""
    idea_id = event.data["idea_id"]
    notification = domain.status_notification(event, store.idea_title(idea_id))
    store.remember_change(idea_id, notification)
    progress = store.fan_out_progress(event.id)
    if progress.get("done"):
        return
    served_up_to = progress.get("served_up_to")
    subscribers = sorted(u for u in store.subscribers(idea_id) if served_up_to is None or u > served_up_to)
    emailable = store.emailable() if subscribers else set()
    now = datetime.now(timezone.utc)
    for chunk in domain.chunks(subscribers, FAN_OUT_CHUNK):
        store.deliver([domain.inbox_entry(notification, user_id) for user_id in chunk])
        jobs = [domain.email_job(notification, user_id, now) for user_id in chunk if user_id in emailable]
        store.queue_emails(jobs)
        store.record_fan_out_progress(event.id, chunk[-1])
        metrics.delivered("inbox", len(chunk))
        metrics.delivered(domain.EMAIL, len(jobs), domain.QUEUED)
    store.finish_fan_out(event.id)


def on_email_verified(store: NotificationStore, event: Event) -> None:
    if not store.is_erased(event.data["user_id"]):
        store.set_contact(event.data["user_id"], event.data["email"], event.data["verified_at"])


def preferences(store: NotificationStore, user_id: str) -> dict:
    contact = store.contact(user_id)
    return {"user_id": user_id, "email": contact["email_enabled"] if contact else False,
            "email_address_known": contact is not None}


def set_preferences(store: NotificationStore, user_id: str, email: bool) -> dict:
    if not store.set_email_enabled(user_id, email) and email:
        raise NotFound("no verified email address is known for you yet: verify it in your account first")
    return preferences(store, user_id)


def unsubscribe(store: NotificationStore, token: str) -> None:
    if not store.unsubscribe(token):
        raise NotFound("this unsubscribe link is not valid (any more)")


def send_due_emails(store: NotificationStore, mailer: Mailer, public_url: str, batch: int = 50) -> int:
    """Sends the email jobs that are due; returns how many were found. Each job is claimed before it is sent: the
    sender's lease can pass to another instance in the middle of a batch (a slow mail server), and that one reads
    the same jobs. A failure that is not the database or the mail server being away is the job's own, which no retry
    would cure: the job is marked failed with its error (`python -m notifications.cli failed-emails`) and the next
    one goes out."""
    now = datetime.now(timezone.utc)
    jobs = store.due_emails(now, batch)
    for job in jobs:
        if not store.claim_email(job, now, domain.SENDING_HOLD):
            continue
        try:
            _send(store, mailer, public_url, job, now)
        except TRANSIENT:
            raise  # the database is away: the sender waits for it; the claimed job comes due again
        except Exception as exc:  # noqa: BLE001 - one bad job never stops the sender
            log.exception("email %s cannot be sent: marked failed", job["_id"])
            store.update_email(job["_id"], {"state": domain.FAILED, "attempts": job["attempts"] + 1,
                                            "reason": f"{type(exc).__name__}: {exc}"})
            metrics.delivered(domain.EMAIL, 1, domain.FAILED)
    return len(jobs)


def _send(store: NotificationStore, mailer: Mailer, public_url: str, job: dict, now: datetime) -> None:
    """Sends one claimed job, or drops it when its address is gone (erased, unsubscribed since); a mail server that
    fails is tried again later, up to a point."""
    contact = store.contact(job["user_id"])
    if contact is None or not contact["email_enabled"]:
        store.update_email(job["_id"], {"state": domain.FAILED, "reason": "no address or email turned off"})
        metrics.delivered(domain.EMAIL, 1, "dropped")
        return
    token = contact["unsubscribe_token"]
    subject, body = domain.email_text(job, f"{public_url}/ideas/{quote(job['idea_id'])}",
                                      f"{public_url}/unsubscribe#token={token}")
    try:
        mailer.send(contact["email"], subject, body,
                    unsubscribe=f"{public_url}/api/notifications/unsubscribe?token={token}")
    except OSError as exc:
        changes = domain.after_failure(job["attempts"] + 1, now)
        store.update_email(job["_id"], {**changes, "reason": str(exc)})
        metrics.delivered(domain.EMAIL, 1, changes.get("state", "retried"))
        log.warning("email %s not sent (%s): %s", job["_id"], exc, changes)
    else:
        store.update_email(job["_id"], {"state": domain.SENT, "sent_at": now, "attempts": job["attempts"] + 1})
        metrics.delivered(domain.EMAIL, 1, domain.SENT)


def on_user_deleted(store: NotificationStore, event: Event) -> None:
    store.forget_user(event.data["user_id"])


def handlers(store: NotificationStore) -> dict:
    return {
        "user.deleted": lambda e: on_user_deleted(store, e),
        "idea.submitted": lambda e: on_idea_submitted(store, e),
        "vote.cast": lambda e: on_vote_cast(store, e),
        "comment.posted": lambda e: on_comment_posted(store, e),
        "user.email_verified": lambda e: on_email_verified(store, e),
        "vote.withdrawn": lambda e: on_vote_withdrawn(store, e),
        "idea.status_changed": lambda e: on_status_changed(store, e),
    }
