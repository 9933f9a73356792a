"""Use cases and event handlers of the ideas service."""
from datetime import datetime, timezone

from idealab.events import Event
from idealab.mongo import as_stored

from . import domain
from .store import IdeaStore


def submit_idea(store: IdeaStore, fields: dict, author_id: str) -> dict:
    # The idea answered, the idea stored and its event then all say the same time.
    idea, event = domain.submit(fields, author_id, as_stored(datetime.now(timezone.utc)))
    store.add(idea, event)
    return idea


def on_tally_changed(store: IdeaStore, event: Event) -> None:
    store.set_tally(event.data["idea_id"], event.data["count"], event.data["version"])


def on_status_changed(store: IdeaStore, event: Event) -> None:
    store.set_status(event.data["idea_id"], event.data["to_status"], event.data["changed_at"])


def on_user_deleted(store: IdeaStore, event: Event) -> None:
    store.forget_author(event.data["user_id"])


def handlers(store: IdeaStore) -> dict:
    return {
        "user.deleted": lambda e: on_user_deleted(store, e),
        "tally.changed": lambda e: on_tally_changed(store, e),
        "idea.status_changed": lambda e: on_status_changed(store, e),
    }
