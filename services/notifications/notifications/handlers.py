"""Use cases and event handlers of the notifications service."""
from werkzeug.exceptions import Forbidden

from idealab.auth import Principal
from idealab.events import Event

from . import domain
from .store import NotificationStore


def read_inbox(store: NotificationStore, principal: Principal, user_id: str, limit: int) -> dict:
    if principal.user_id != user_id:
        raise Forbidden("you can read only your own inbox")
    return {"user_id": user_id, "unread": store.unread(user_id), "entries": store.entries(user_id, limit)}


def mark_read(store: NotificationStore, principal: Principal, user_id: str, entry_ids: list[str] | None) -> dict:
    if principal.user_id != user_id:
        raise Forbidden("you can mark only your own inbox")
    store.mark_read(user_id, entry_ids)
    return {"user_id": user_id, "unread": store.unread(user_id)}


def my_data(store: NotificationStore, user_id: str) -> dict:
    return {"subscriptions": [{"idea_id": s["idea_id"], "reasons": s["reasons"]}
                              for s in store.subscriptions_of(user_id)],
            "inbox": store.entries(user_id, limit=0)}


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
    store.set_vote(idea_id, voter_id, event.data["vote_version"], live=True)
    _deliver_if_owed(store, idea_id, voter_id, event.data["cast_at"])


def _deliver_if_owed(store: NotificationStore, idea_id: str, user_id: str, followed_at) -> None:
    last_change = store.last_change(idea_id)
    if domain.owed_latest_change(last_change, followed_at):
        store.deliver([domain.inbox_entry(last_change, user_id)])


def on_comment_posted(store: NotificationStore, event: Event) -> None:
    idea_id, author_id = event.data["idea_id"], event.data["author_id"]
    if store.is_erased(author_id):
        return
    store.subscribe(idea_id, author_id, domain.COMMENTER)
    _deliver_if_owed(store, idea_id, author_id, event.data["posted_at"])


def on_vote_withdrawn(store: NotificationStore, event: Event) -> None:
    store.set_vote(event.data["idea_id"], event.data["voter_id"], event.data["vote_version"], live=False)


def on_status_changed(store: NotificationStore, event: Event) -> None:
    """One inbox entry per subscriber; entry ids come from the event id, so replaying the event adds nothing."""
    idea_id = event.data["idea_id"]
    notification = domain.status_notification(event, store.idea_title(idea_id))
    store.remember_change(idea_id, notification)
    store.deliver([domain.inbox_entry(notification, user_id) for user_id in store.subscribers(idea_id)])


def on_user_deleted(store: NotificationStore, event: Event) -> None:
    store.forget_user(event.data["user_id"])


def handlers(store: NotificationStore) -> dict:
    return {
        "user.deleted": lambda e: on_user_deleted(store, e),
        "idea.submitted": lambda e: on_idea_submitted(store, e),
        "vote.cast": lambda e: on_vote_cast(store, e),
        "comment.posted": lambda e: on_comment_posted(store, e),
        "vote.withdrawn": lambda e: on_vote_withdrawn(store, e),
        "idea.status_changed": lambda e: on_status_changed(store, e),
    }
