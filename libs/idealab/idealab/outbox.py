"""The outbox: an event rides in the same document as the state change it announces, written in one atomic
single-document operation; the relay publishes pending events and then removes them from the document.

Kafka down: writes still succeed and events wait in their documents. The relay publishes at least once (a crash
after publishing and before removal sends again), so every consumer is idempotent.
"""
import logging

from pymongo.collection import Collection

from . import metrics

log = logging.getLogger(__name__)

FIELD = "outbox"


def with_events(document: dict, *events: dict) -> dict:
    """A new document carrying its events (for insert_one)."""
    return {**document, FIELD: list(events)}


def recording(update: dict, *events: dict) -> dict:
    """`update` that also records `events` in the document it changes: one atomic single-document write."""
    push = {**update.get("$push", {}), FIELD: {"$each": list(events)}}
    return {**update, "$push": push}


def ensure_indexes(collection: Collection) -> None:
    collection.create_index(f"{FIELD}.id")


def pending_events(collection: Collection) -> int:
    """Events in `collection` not published yet (the outbox backlog)."""
    counted = list(collection.aggregate([{"$match": {f"{FIELD}.0": {"$exists": True}}}, {"$unwind": f"${FIELD}"},
                                         {"$count": "events"}]))
    return counted[0]["events"] if counted else 0


class Relay:
    def __init__(self, collections: list[Collection], publisher, batch_size: int = 200):
        self.collections = collections
        self.publisher = publisher
        self.batch_size = batch_size

    def pending(self) -> int:
        return sum(c.count_documents({f"{FIELD}.0": {"$exists": True}}) for c in self.collections)

    def run_once(self) -> int:
        """Publishes one batch from every collection; returns how many events went out."""
        sent = 0
        for collection in self.collections:
            docs = list(collection.find({f"{FIELD}.0": {"$exists": True}}, {FIELD: 1}).limit(self.batch_size))
            events = [event for doc in docs for event in doc[FIELD]]
            if not events:
                continue
            self.publisher.publish(events)  # raises unless every event is acknowledged by all in-sync replicas
            for doc in docs:
                for event in doc[FIELD]:
                    # $pull of the whole event as read: FerretDB v1 matches $pull values by equality only and
                    # silently ignores conditions such as {"id": ...} or {"id": {"$in": [...]}}.
                    collection.update_one({"_id": doc["_id"]}, {"$pull": {FIELD: event}})
            sent += len(events)
            metrics.OUTBOX_PUBLISHED.labels(collection.name).inc(len(events))
        return sent

    def run(self, stopping, idle_seconds: float = 0.05, retry_seconds: float = 1.0) -> None:
        while not stopping.is_set():
            try:
                if self.run_once() == 0:
                    stopping.wait(idle_seconds)
            except Exception:  # noqa: BLE001 - Kafka or the database is away: keep the events, try again
                log.warning("outbox relay failed; retrying", exc_info=True)
                metrics.OUTBOX_FAILURES.inc()
                stopping.wait(retry_seconds)
        log.info("outbox relay stopped")
