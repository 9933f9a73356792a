"""Use cases and event handlers of the notifications service.

Inboxes fan out on read. A status change is one record (`changes`, keyed by its event), whatever the number of
followers: recording it is the whole of the worker's work at that moment, so 100,000 inboxes show it as soon as that
one write is done. An inbox is joined when it is read: the member's live subscriptions (by `user_id`), the changes
of those ideas (`idea_id $in`), both index-served and few (a status moves a handful of times), kept where
`domain.sees` says the member followed the idea when it changed (the subscription's `since`, the earliest event of
the current following, against the change's time). Hence, by construction rather than by care:
- every subscriber is told once: there is nothing per follower to write, so nothing to write twice or to miss in a
  crash; a replay or a redrive of the change finds its record there;
- who followed after a change never sees it, whichever topic is read first, in a replay too; who stopped following
  (a withdrawn vote) no longer sees the idea's changes, and an erased member has no subscriptions left;
- private spaces stay private: a change's record holds only the public message, and only followers see it, who wrote,
  voted or commented there (the ideas and votes services refuse that to non-members).
Read marks are per member: "everything read" is a watermark on when changes were recorded, plus the ids read one by
one (`domain.all_read`). The price moves to reads: three indexed queries per inbox (or unread badge) read.

Emails cannot wait for a read. Each change has an email walk, run by one worker instance (a lease): the idea's
subscriptions in key order ("idea:member", a range of the primary key), 5,000 at a time, one job queued per live
subscriber who sees the change and may be emailed (keyed by change and subscriber, so a batch walked again queues
nothing twice), then how far it went is recorded: a restart resumes after the last batch recorded. A follower whose
event is read after the change is queued by their own event, under the same key. Apart from the walk, the sender
(another lease) claims due jobs 100 at a time (one write), sends them over one SMTP connection, and records who was
sent (one write) before the next batch.
Crash window: a sender killed after the mail server took a message and before that record leaves its batch claimed;
such jobs are given up as in doubt (`cli failed-emails` lists them), never sent again: at most once, with at most one
batch unsure per crash (a clean stop finishes its batch; the database going away mid-batch leaves it unsure too)."""
import logging
from datetime import datetime, timezone

from werkzeug.exceptions import NotFound

from idealab.events import Event
from idealab.kafka import TRANSIENT
from idealab.mail import Connection, Mailer, refused_for_good

from . import contests, domain, metrics, team, webhook_handlers
from . import email_choices, templates
from .store import NotificationStore

log = logging.getLogger(__name__)

WALK_BATCH = 5000
SEND_BATCH = 100


def read_inbox(store: NotificationStore, user_id: str, limit: int, team_member: bool = False) -> dict:
    entries = _inbox(store, user_id, team_member)
    return {"user_id": user_id, "unread": _unread(entries), "entries": entries[:limit]}


def mark_read(store: NotificationStore, user_id: str, entry_ids: list[str] | None,
              team_member: bool = False) -> dict:
    """Marks the entries read (`entry_ids` None: all of them); ids not in the member's inbox are ignored."""
    entries = _inbox(store, user_id, team_member)
    if entry_ids is None:
        store.set_marks(user_id, domain.all_read(entries, datetime.now(timezone.utc)))
    elif ids := [e["_id"] for e in entries if e["_id"] in set(entry_ids)]:
        store.mark_read(user_id, ids)
    return {"user_id": user_id, "unread": _unread(_inbox(store, user_id, team_member))}


def _inbox(store: NotificationStore, user_id: str, team_member: bool = False) -> list[dict]:
    """The member's inbox; for one who answers for the bank (`team_member`), with the team's (notifications.team)."""
    since = {s["idea_id"]: s.get("since") for s in store.follows(user_id)}
    barred = _out_of_space(store, [(idea_id, user_id) for idea_id in since])
    # The team's key is followed for its emails; its entries come by role, the last ones only (notifications.team).
    since = {idea_id: at for idea_id, at in since.items()
             if (idea_id, user_id) not in barred and idea_id != team.TEAM_KEY}
    changes = store.changes_of(list(since))
    if team_member:
        team_changes, team_since = team.changes(store, datetime.now(timezone.utc))
        changes, since = changes + team_changes, {**since, **team_since}
    return domain.inbox(changes, since, store.marks(user_id))


def _out_of_space(store: NotificationStore, follows: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """The (idea, member) pairs whose member was removed from the idea's space: checked where an inbox is read and
    an email sent, since a removal and a vote or comment read after it come on different topics, in any order. One
    query when nobody in `follows` ever left a space, as nearly always."""
    left = store.spaces_left(list({user for _, user in follows}))
    if not left:
        return set()
    spaces = store.spaces_of(list({idea for idea, user in follows if user in left}))
    return {(idea, user) for idea, user in follows if spaces.get(idea) in left.get(user, ())}


def _unread(entries: list[dict]) -> int:
    return sum(not e["read"] for e in entries)


def my_data(store: NotificationStore, user_id: str) -> dict:
    contact = store.contact(user_id)
    return {"subscriptions": store.follows(user_id),
            "inbox": _inbox(store, user_id),
            "email": {"address": contact["email"], "enabled": contact["email_enabled"]} if contact else None,
            "emails": store.emails_of(user_id),
            "email_choices": {k: v for k, v in (store.choices(user_id) or {}).items() if k != "_id"}}


def on_idea_submitted(store: NotificationStore, event: Event) -> None:
    store.remember_idea(event.data["idea_id"], event.data["title"], event.data["space"])
    _follow(store, event.data["idea_id"], event.data["author_id"], domain.AUTHOR, event.data["submitted_at"])


def on_comment_posted(store: NotificationStore, event: Event) -> None:
    """The commenter follows the idea; each member the comment mentions (the ideas service names only those who may
    see it) is told once, in the inbox and by email."""
    _follow(store, event.data["idea_id"], event.data["author_id"], domain.COMMENTER, event.data["posted_at"])
    for member_id in event.data["mentioned"]:
        _follow(store, domain.mention_key(member_id), member_id, domain.MENTIONED, event.data["posted_at"])
        store.record_change(domain.mention(event, member_id, store.idea_title(event.data["idea_id"]),
                                           datetime.now(timezone.utc)))


def _follow(store: NotificationStore, idea_id: str, user_id: str, reason: str, at: datetime) -> None:
    if not store.is_erased(user_id):
        store.follow(idea_id, user_id, reason, at)
        _email_late_follower(store, idea_id, user_id, at)
        _follow_the_original(store, idea_id, user_id, at)


def _follow_the_original(store: NotificationStore, idea_id: str, user_id: str, at: datetime) -> None:
    """Whoever follows a merged duplicate follows its original from the merge on, whether the merge or the follow is
    read first: a vote comes on another topic, a choice to follow from another outbox, and either may be late."""
    if merge := store.merge_of(idea_id):
        _follow(store, merge["merged_into"], user_id, domain.MERGED, max(at, merge["merged_at"]))


def on_idea_followed(store: NotificationStore, event: Event) -> None:
    _follow(store, event.data["idea_id"], event.data["user_id"], domain.FOLLOWER, event.data["at"])


def on_idea_unfollowed(store: NotificationStore, event: Event) -> None:
    store.unfollow(event.data["idea_id"], event.data["user_id"], event.data["at"])


def on_idea_merged(store: NotificationStore, event: Event, batch: int = WALK_BATCH) -> None:
    """The duplicate's followers follow the original from the merge on (following again is a no-op on a replay)."""
    key, into, at = None, event.data["into"], event.data["merged_at"]
    store.remember_merge(event.data["idea_id"], into, at)
    while subscriptions := store.subscriptions_after(event.data["idea_id"], key, batch):
        for s in subscriptions:
            if s.get("reasons"):
                _follow(store, into, s["user_id"], domain.MERGED, at)
        key = subscriptions[-1]["_id"]


def on_vote_cast(store: NotificationStore, event: Event) -> None:
    idea_id, voter_id = event.data["idea_id"], event.data["voter_id"]
    if store.is_erased(voter_id):
        return
    if store.vote(idea_id, voter_id, event.data["vote_version"], event.data["cast_at"]):
        _email_late_follower(store, idea_id, voter_id, event.data["cast_at"])  # not a stale replay
        _follow_the_original(store, idea_id, voter_id, event.data["cast_at"])


def on_vote_withdrawn(store: NotificationStore, event: Event) -> None:
    store.withdraw_vote(event.data["idea_id"], event.data["voter_id"], event.data["vote_version"])


def _email_late_follower(store: NotificationStore, idea_id: str, user_id: str, followed_at: datetime) -> None:
    """Queues the emails of the changes a follower sees whose event is read after them: the change's walk may have
    passed them by. Same job keys as the walk's, so they are never queued twice."""
    changes = store.changes_of([idea_id])
    if changes and store.emailable([user_id]):
        follower, now = [{"user_id": user_id, "since": followed_at}], datetime.now(timezone.utc)
        store.queue_emails([job for c in changes for job in domain.email_jobs(c, follower, {user_id}, now)])


def on_status_changed(store: NotificationStore, event: Event) -> None:
    """Records the change once: every subscriber's inbox shows it from now on, and the email sender walks its
    subscribers. An idea moved by its initiative (`initiative_id`) records nothing: the initiative's one record
    replaces its ideas' (`on_initiative_changed`)."""
    if event.data.get("initiative_id"):
        return
    now = datetime.now(timezone.utc)
    store.record_change(domain.status_change(event, store.idea_title(event.data["idea_id"]), now))


def on_initiative_changed(store: NotificationStore, event: Event) -> None:
    """Records an initiative's announcement or move once, naming its ideas: whoever follows one or more of them
    sees one entry and gets one email. Its ideas' own status changes are not recorded besides (`on_status_changed`):
    they say the same thing, once per idea, and folding them into this record afterwards would need their events,
    which travel under other keys, to be read after this one. Replacing them needs no order: an idea's change knows
    its initiative by itself. Its space is kept like an idea's, so a member removed from it gets no email of it."""
    change = domain.initiative_change(event, datetime.now(timezone.utc))
    store.remember_idea(change["idea_id"], change["title"], event.data["space"])
    store.record_change(change)


def on_ballot_cast(store: NotificationStore, event: Event) -> None:
    """A voter in a campaign follows it, to hear of its result (a ballot is changed, never withdrawn)."""
    _follow(store, domain.campaign_key(event.data["campaign_id"]), event.data["voter_id"], domain.BALLOT,
            event.data["cast_at"])


def on_campaign_closed(store: NotificationStore, event: Event) -> None:
    """Records the close once, as a status change: every voter's inbox shows it, and the email walk mails them."""
    store.record_change(domain.campaign_closed(event, datetime.now(timezone.utc)))


def on_answer_posted(store: NotificationStore, event: Event) -> None:
    """A private answer is told to its one recipient, under a key only they follow; public answers tell no one."""
    data = event.data
    if data["private"] and data["recipient_id"]:
        _follow(store, domain.private_key(data["recipient_id"]), data["recipient_id"], domain.PRIVATE,
                data["posted_at"])
        store.record_change(domain.private_answer(event, datetime.now(timezone.utc)))


def on_member_removed(store: NotificationStore, event: Event) -> None:
    """Someone removed from a space hears no more of its ideas (inbox or email); nothing else of theirs changes."""
    store.membership_changed(event.data["user_id"], event.data["space_id"], "removed_at", event.data["removed_at"])
    store.leave_space(event.data["user_id"], event.data["space_id"])


def on_member_added(store: NotificationStore, event: Event) -> None:
    """Invited back after a removal, a member hears of the space's ideas again."""
    store.membership_changed(event.data["user_id"], event.data["space_id"], "added_at", event.data["added_at"])


def on_user_deleted(store: NotificationStore, event: Event) -> None:
    store.forget_user(event.data["user_id"])


def preferences(store: NotificationStore, user_id: str) -> dict:
    contact, choices = store.contact(user_id), store.choices(user_id) or {}
    return {"user_id": user_id, "email": contact["email_enabled"] if contact else False,
            "email_address_known": contact is not None, "kinds": email_choices.shown(choices),
            "language": choices.get("language"),
            "time_zone": choices.get("time_zone", email_choices.DEFAULT_TIME_ZONE),
            "bounce": contact.get("bounce") if contact else None}


def set_preferences(store: NotificationStore, user_id: str, changes: dict) -> dict:
    """Email on or off, the mode of each kind given, the emails' language and the digest's time zone."""
    email = changes.get("email")
    if email is not None and not store.set_email_enabled(user_id, email) and email:
        raise NotFound("no verified email address is known for you yet: verify it in your account first")
    store.set_choices(user_id, changes.get("kinds", {}),
                      {k: changes[k] for k in ("language", "time_zone") if k in changes})
    return preferences(store, user_id)


def unsubscribe(store: NotificationStore, token: str) -> None:
    if not store.unsubscribe(token):
        raise NotFound("this unsubscribe link is not valid (any more)")


def queue_emails(store: NotificationStore, batch: int = WALK_BATCH) -> int:
    """Takes every unfinished email walk one batch of subscriptions further; returns how many it walked."""
    walked, now = 0, datetime.now(timezone.utc)
    for change in store.changes_to_email(limit=10):
        subscriptions = store.subscriptions_after(change.get("idea_ids", change["idea_id"]),
                                                  change.get("emailed_up_to"), batch)
        subscribers = [s for s in subscriptions if s.get("reasons")]
        jobs = domain.email_jobs(change, subscribers, store.emailable([s["user_id"] for s in subscribers]), now)
        store.queue_emails(jobs)
        store.walked(change["_id"], subscriptions[-1]["_id"] if subscriptions else None,
                     done=len(subscriptions) < batch)
        metrics.delivered(domain.EMAIL, len(jobs), domain.QUEUED)
        walked += len(subscriptions)
    return walked


def send_due_emails(store: NotificationStore, mailer: Mailer, public_url: str, batch: int = SEND_BATCH,
                    lab: templates.Lab | None = None) -> int:
    """Sends one batch of the email jobs that are due; returns how many were found. The batch is claimed first: the
    sender's lease can pass to another instance in the middle of it (a slow mail server), and that one reads the same
    jobs. A due job still claimed is one whose sender died in the middle (see the module's crash window). `lab`: the
    lab's name and default language in the emails (the worker's configuration)."""
    lab, now = lab or templates.Lab(public_url=public_url), datetime.now(timezone.utc)
    due = store.due_emails(now, batch)
    if in_doubt := [job for job in due if "claim" in job]:
        store.give_up_in_doubt(in_doubt, now, domain.IN_DOUBT)
        metrics.delivered(domain.EMAIL, len(in_doubt), domain.FAILED)
    if unclaimed := [job for job in due if "claim" not in job]:
        _send_batch(store, mailer, lab, store.claim_emails(unclaimed, now, domain.SENDING_HOLD), now)
    return len(due)


def _send_batch(store: NotificationStore, mailer: Mailer, lab: templates.Lab, jobs: list[dict], now: datetime) -> None:
    """Sends claimed jobs over one connection and records those sent in one write. A failure that is not the database
    or the mail server being away is the job's own, which no retry would cure: the job is marked failed with its
    error (`python -m notifications.cli failed-emails`) and the next one goes out."""
    contacts = store.contacts_of([job["user_id"] for job in jobs])
    choices = store.choices_of([job["user_id"] for job in jobs])
    barred = _out_of_space(store, [(job["idea_id"], job["user_id"]) for job in jobs])
    sent, begun = [], 0
    try:
        with mailer.connection() as smtp:
            for begun, job in enumerate(jobs, start=1):
                try:
                    contact = None if (job["idea_id"], job["user_id"]) in barred else contacts.get(job["user_id"])
                    if _send(store, smtp, lab, job, contact, choices.get(job["user_id"]), now):
                        sent.append(job["_id"])
                except TRANSIENT:
                    raise  # the database is away: the sender waits for it
                except Exception as exc:  # noqa: BLE001 - one bad job never stops the sender
                    log.exception("email %s cannot be sent: marked failed", job["_id"])
                    store.update_email(job["_id"], {"state": domain.FAILED, "attempts": job["attempts"] + 1,
                                                    "reason": f"{type(exc).__name__}: {exc}"})
                    metrics.delivered(domain.EMAIL, 1, domain.FAILED)
    except OSError as exc:  # no connection to the mail server: the batch is tried again later
        for job in jobs[begun:]:
            _retry_later(store, job, exc, now)
    finally:
        store.record_sent(sent, now)
        metrics.delivered(domain.EMAIL, len(sent), domain.SENT)


def _send(store: NotificationStore, smtp: Connection, lab: templates.Lab, job: dict, contact: dict | None,
          choices: dict | None, now: datetime) -> bool:
    """Sends one claimed job (True), or drops it when its address is gone (erased, unsubscribed since, refused for
    good) or its member left the idea's space (`contact` None), or holds it for the member's digest or drops it as
    they chose for its kind; a message the mail server refuses for now is tried again later, up to a point."""
    if contact is None or not contact["email_enabled"] or contact.get("bounce"):
        store.update_email(job["_id"], {"state": domain.FAILED, "reason": "no address, email turned off, address "
                                                                          "refused, or no longer in the idea's space"})
        metrics.delivered(domain.EMAIL, 1, "dropped")
        return False
    chosen = email_choices.mode(choices, job.get("kind"))
    if chosen == email_choices.DAILY:
        store.hold_for_digest(job["_id"], email_choices.next_morning(now, (choices or {}).get("time_zone")))
        return False
    if chosen == email_choices.NONE:
        store.update_email(job["_id"], {"state": domain.FAILED, "reason": "the member chose no email of this kind"})
        metrics.delivered(domain.EMAIL, 1, "dropped")
        return False
    language = templates.language_of((choices or {}).get("language"), lab)
    try:
        if mail_to(store, smtp, lab, contact, lambda unsubscribe: templates.render(job, language, lab, unsubscribe),
                   now):
            return True
        store.update_email(job["_id"], {"state": domain.FAILED, "attempts": job["attempts"] + 1,
                                        "reason": contact["email"] + " was refused for good by the mail server"})
        metrics.delivered(domain.EMAIL, 1, domain.FAILED)
    except OSError as exc:
        _retry_later(store, job, exc, now)
    return False


def mail_to(store: NotificationStore, smtp: Connection, lab: templates.Lab, contact: dict, render,
            now: datetime) -> bool:
    """Mails the member what `render(unsubscribe page URL)` makes, (subject, text, html), with their one-click
    unsubscribe (True). An address the mail server refuses for good (5xx) is recorded as bounced, and mailed no more
    until another is verified (False); any other refusal raises OSError, for a retry later."""
    token = contact["unsubscribe_token"]
    subject, text, html = render(f"{lab.public_url}/unsubscribe#token={token}")
    try:
        smtp.send(contact["email"], subject, text, html=html,
                  unsubscribe=f"{lab.public_url}/api/notifications/unsubscribe?token={token}")
        return True
    except OSError as exc:
        reason = refused_for_good(exc)
        if reason is None:
            raise
        store.bounced(contact["_id"], contact["email"], reason, now)
        log.warning("the mail server refused %s's address for good: %s", contact["_id"], reason)
        return False


def _retry_later(store: NotificationStore, job: dict, exc: OSError, now: datetime) -> None:
    changes = domain.after_failure(job["attempts"] + 1, now)
    store.update_email(job["_id"], {**changes, "reason": str(exc)})
    metrics.delivered(domain.EMAIL, 1, changes.get("state", "retried"))
    log.warning("email %s not sent (%s): %s", job["_id"], exc, changes)


def event_handlers(store: NotificationStore) -> dict:
    return webhook_handlers.queueing_too(store, {
        "user.deleted": lambda e: on_user_deleted(store, e),
        "space.member_removed": lambda e: on_member_removed(store, e),
        "space.member_added": lambda e: on_member_added(store, e),
        "idea.submitted": lambda e: on_idea_submitted(store, e),
        "vote.cast": lambda e: on_vote_cast(store, e),
        "comment.posted": lambda e: on_comment_posted(store, e),
        "vote.withdrawn": lambda e: on_vote_withdrawn(store, e),
        "idea.status_changed": lambda e: on_status_changed(store, e),
        "idea.followed": lambda e: on_idea_followed(store, e),
        "idea.unfollowed": lambda e: on_idea_unfollowed(store, e),
        "idea.merged": lambda e: on_idea_merged(store, e),
        "ballot.cast": lambda e: on_ballot_cast(store, e),
        "campaign.closed": lambda e: on_campaign_closed(store, e),
        "contest.round_closed": lambda e: contests.on_round_closed(store, e),
        "answer.posted": lambda e: on_answer_posted(store, e),
        "private_message.sent": lambda e: team.on_private_message_sent(store, e),
        "user.role_changed": lambda e: team.on_role_changed(store, e),
        "initiative.announced": lambda e: on_initiative_changed(store, e),
        "initiative.status_changed": lambda e: on_initiative_changed(store, e),
    })
