"""The team's inbox: those who answer for the bank (product team, advisers, admins, as `ideas.conversations`
names them) are told when a member writes to them in a private thread, so the response-time promise can be kept.

One record per message, under a key of the team's (`TEAM_KEY`): the inbox of a caller whose token carries an
answerer's role reads the last two weeks of them besides their own subscriptions, so a role granted or taken away
shows there at once. By email, it reaches those who follow the key: a user follows it while accounts says they hold
an answerer's role (`user.role_changed`), and the email walk mails them as any follower, at most once each. It says
that a member wrote and links to the thread; never a word of the message, nor who wrote (the thread, read in the
ideas service, is the team's and its member's only).
"""
from datetime import datetime, timedelta, timezone

from idealab.auth import Principal
from idealab.events import Event

from .store import NotificationStore

TEAM_KEY = "team:private-messages"
ANSWERERS = ("product_team", "adviser", "admin")
TEAM = "team"  # why an answerer follows the team's key
# The team's inbox shows the last two weeks of messages: the queue (ideas.promise) is where the older ones wait.
WINDOW = timedelta(days=14)


def answers_for_bank(principal: Principal | None) -> bool:
    return principal is not None and any(principal.has(role) for role in ANSWERERS)


def member_wrote(event: Event, now: datetime) -> dict:
    data = event.data
    return {
        "_id": event.id,
        "kind": "private_message.sent",
        "idea_id": TEAM_KEY,
        "title": "A member wrote to the team privately",
        "message": "A member is waiting for an answer in their private conversation with the team.",
        "from": "asked",
        "to": "waiting",
        "created_at": data["sent_at"],
        "recorded_at": now,
        "emails_queued": False,
        "path": f"/private/{data['thread_id']}",
        "why": "You get this because you answer members for the bank.",
    }


def on_role_changed(store: NotificationStore, event: Event) -> None:
    """Whoever holds an answerer's role follows the team's key (emailed of members' messages); losing it, no more.
    A user's role changes come in order (one key on the accounts topic); an erased user follows nothing."""
    data = event.data
    if set(data["roles"]) & set(ANSWERERS):
        if not store.is_erased(data["user_id"]):
            store.follow(TEAM_KEY, data["user_id"], TEAM, data["changed_at"])
    else:
        store.unfollow(TEAM_KEY, data["user_id"], data["changed_at"])


def on_private_message_sent(store: NotificationStore, event: Event) -> None:
    store.record_change(member_wrote(event, datetime.now(timezone.utc)))


def changes(store: NotificationStore, now: datetime) -> tuple[list[dict], dict]:
    """The team's records of late, and the `since` that makes every one of them seen."""
    return store.changes_since(TEAM_KEY, now - WINDOW), {TEAM_KEY: None}
