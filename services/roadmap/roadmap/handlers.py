"""Use cases and event handlers of the roadmap service."""
from datetime import datetime, timezone

from werkzeug.exceptions import Conflict, NotFound

from idealab.events import Event

from . import domain
from .store import RoadmapStore


def change_status(store: RoadmapStore, idea_id: str, target: str, message: str, by: str) -> dict:
    item = store.get(idea_id)
    if item is None:
        raise NotFound(f"no idea {idea_id} on the roadmap")
    try:
        domain.check_move(item["status"], target)
    except domain.MoveNotAllowed as exc:
        raise Conflict(str(exc)) from exc
    move = domain.move(idea_id, item["status"], target, message, by, datetime.now(timezone.utc))
    if not store.move(idea_id, item["status"], move):
        raise Conflict("the idea was moved by someone else meanwhile; reload and try again")
    return store.get(idea_id)


def on_idea_submitted(store: RoadmapStore, event: Event) -> None:
    store.add_idea(event.data["idea_id"], event.data["title"], event.data["submitted_at"], event.data["space"])
    store.add_list(event.data["space"])


def on_threshold_reached(store: RoadmapStore, event: Event) -> None:
    """Sends the idea to review, once: a replay finds it no longer open and changes nothing."""
    idea_id = event.data["idea_id"]
    move = domain.move(idea_id, "open", "under_review", domain.review_message(event.data["count"]), domain.SYSTEM,
                       event.time)
    store.move(idea_id, "open", move, upsert=True)


def on_idea_merged(store: RoadmapStore, event: Event) -> None:
    """Marks the merged idea `duplicate`, pointing to its original, once: a replay finds it closed. An idea closed
    already (launched, declined) keeps its status."""
    idea_id = event.data["idea_id"]
    while (item := store.get(idea_id)) is not None and item["status"] not in domain.CLOSED:
        move = domain.move(idea_id, item["status"], "duplicate", domain.merged_message(event.data["into"]),
                           event.data["by"], event.data["merged_at"])
        if store.move(idea_id, item["status"], move):
            return


def handlers(store: RoadmapStore) -> dict:
    return {
        "idea.submitted": lambda e: on_idea_submitted(store, e),
        "idea.threshold_reached": lambda e: on_threshold_reached(store, e),
        "idea.merged": lambda e: on_idea_merged(store, e),
    }
