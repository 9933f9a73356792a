"""The daily digest: the email jobs a member chose to get as a digest are held by the sender until their next
morning (`email_choices.next_morning`, in their time zone); then this job gathers each member's held jobs into one
email in their language, sent once (`send_digests`, one worker instance at a time: a lease).

As the sender's: a batch is claimed before it is sent, and a digest whose sender died before recording it is given up
as in doubt, never sent twice. Space removals, erasure, email turned off and refused addresses are obeyed as they
stand when the digest goes out."""
import logging
from collections import defaultdict
from datetime import datetime, timedelta, timezone

from idealab.kafka import TRANSIENT
from idealab.mail import Mailer

from . import domain, metrics, templates
from .handlers import _out_of_space, mail_to
from .store import NotificationStore

log = logging.getLogger(__name__)

MEMBERS_BATCH = 100
RETRY = timedelta(minutes=10)  # the mail server is away: the batch's digests wait this long


def send_digests(store: NotificationStore, mailer: Mailer, lab: templates.Lab, now: datetime | None = None,
                 batch: int = MEMBERS_BATCH) -> int:
    """Sends the due digests of up to `batch` members, one email each; returns how many members had one due.
    `now` is the test's clock when given."""
    now = now or datetime.now(timezone.utc)
    users = store.due_digests(now, batch)
    if not users:
        return 0
    claim, jobs = store.claim_digests(users, now, domain.SENDING_HOLD)
    by_user: dict[str, list[dict]] = defaultdict(list)
    for job in jobs:
        if job["claim"] == claim:
            by_user[job["user_id"]].append(job)
        else:
            store.update_email(job["_id"], {"state": domain.FAILED, "reason": domain.IN_DOUBT})
    contacts, choices = store.contacts_of(list(by_user)), store.choices_of(list(by_user))
    barred = _out_of_space(store, [(job["idea_id"], job["user_id"]) for job in jobs])
    try:
        with mailer.connection() as smtp:
            for user_id, held in by_user.items():
                kept = [job for job in held if (job["idea_id"], user_id) not in barred]
                try:
                    _send_one(store, smtp, lab, contacts.get(user_id), choices.get(user_id), held, kept, now)
                except TRANSIENT:
                    raise  # the database is away: the job waits for it
                except OSError as exc:  # refused for now, or the connection was lost: this digest waits
                    log.warning("digest of %s not sent (%s): tried again in %s", user_id, exc, RETRY)
                    store.reschedule_digest([job["_id"] for job in held], now + RETRY)
    except TRANSIENT:
        raise
    except OSError as exc:  # no connection to the mail server: the batch's digests wait
        log.warning("digests not sent (%s): tried again in %s", exc, RETRY)
        store.release_digests(claim, now + RETRY)
    return len(users)


def _send_one(store: NotificationStore, smtp, lab: templates.Lab, contact: dict | None, choices: dict | None,
              held: list[dict], kept: list[dict], now: datetime) -> None:
    dropped = [job["_id"] for job in held if job not in kept]
    if contact is None or not contact["email_enabled"] or contact.get("bounce"):
        dropped = [job["_id"] for job in held]
        kept = []
    for job_id in dropped:
        store.update_email(job_id, {"state": domain.FAILED, "reason": "no address, email turned off, address "
                                                                     "refused, or no longer in the idea's space"})
    metrics.delivered(domain.EMAIL, len(dropped), "dropped")
    if not kept:
        return
    language = templates.language_of((choices or {}).get("language"), lab)
    if mail_to(store, smtp, lab, contact, lambda unsubscribe: templates.render_digest(kept, language, lab,
                                                                                       unsubscribe), now):
        store.digested([job["_id"] for job in kept], now)
        metrics.delivered(domain.EMAIL, len(kept), domain.SENT)
    else:
        for job in kept:
            store.update_email(job["_id"], {"state": domain.FAILED,
                                            "reason": contact["email"] + " was refused for good by the mail server"})
