"""The outbox: an event rides in the same document as the state change it announces, written in one atomic
single-document operation; the relay publishes pending events and then removes them from the document.

Kafka down: writes still succeed and events wait in their documents. The relay publishes at least once (a crash
after publishing and before removal sends again), so every consumer is idempotent. With several worker instances of
a service, one relay at a time publishes: the one holding the service's relay lease.
"""
import logging
import os
import socket
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError

from . import metrics
from .kafka import TRANSIENT

log = logging.getLogger(__name__)

FIELD = "outbox"
# Set on a document while its outbox holds events. The relay finds pending documents by this flag: FerretDB hands
# a top-level equality to its PostgreSQL backend (an index lookup, ~10 ms), while `outbox.0: {$exists}` made it
# read every document of the collection (~5 s for 50,000 votes) on every poll.
PENDING = "outbox_pending"
IS_PENDING = {PENDING: True}


def with_events(document: dict, *events: dict) -> dict:
    """A new document carrying its events (for insert_one)."""
    return {**document, FIELD: list(events), PENDING: True}


def recording(update: dict, *events: dict) -> dict:
    """`update` that also records `events` in the document it changes: one atomic single-document write."""
    push = {**update.get("$push", {}), FIELD: {"$each": list(events)}}
    flag = {**update.get("$set", {}), PENDING: True}
    return {**update, "$push": push, "$set": flag}


def ensure_indexes(collection: Collection) -> None:
    collection.create_index(PENDING)


def pending_events(collection: Collection) -> int:
    """Events in `collection` not published yet (the outbox backlog)."""
    counted = list(collection.aggregate([{"$match": IS_PENDING}, {"$unwind": f"${FIELD}"}, {"$count": "events"}]))
    return counted[0]["events"] if counted else 0


class Lease:
    """One holder at a time among a service's worker instances: a document {_id: name, owner, expires_at} in the
    service's database, taken when free or expired and renewed by its holder (one single-document write, so two
    instances cannot both take it). Expiry is judged by each instance's clock: clocks must agree to well within
    `ttl_seconds`. A holder that stops cleanly releases it; one that dies loses it `ttl_seconds` later."""

    def __init__(self, collection: Collection, name: str, ttl_seconds: float = 10,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)):
        self.collection, self.name, self.ttl_seconds, self.clock = collection, name, ttl_seconds, clock
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._renewed_at: datetime | None = None

    def held(self) -> bool:
        """Whether this instance holds the lease; renews it once a third of its time has passed."""
        now, ttl = self.clock(), timedelta(seconds=self.ttl_seconds)
        if self._renewed_at is not None and timedelta(0) <= now - self._renewed_at < ttl / 3:
            return True
        try:
            self.collection.update_one({"_id": self.name, "$or": [{"owner": self.owner}, {"expires_at": {"$lt": now}}]},
                                       {"$set": {"owner": self.owner, "expires_at": now + ttl}}, upsert=True)
            self._renewed_at = now
        except DuplicateKeyError:  # the upsert met the lease another instance holds
            self._renewed_at = None
        return self._renewed_at is not None

    def release(self) -> None:
        self.collection.delete_one({"_id": self.name, "owner": self.owner})
        self._renewed_at = None


def leased(work: Callable[[], int], lease: Lease | None, name: str, *, idle_seconds: float = 1.0,
           max_idle_seconds: float | None = None, retry_seconds: float = 2.0, retrying=TRANSIENT,
           on_failure=lambda: None):
    """The job (a function of the stop event) of one instance among the workers, the holder of `lease` (all of
    them without one): `work`, one round that returns how much it did, again and again; after a round with nothing
    to do it rests `idle_seconds`, doubling up to `max_idle_seconds` while idle; after a failure of `retrying` (the
    database or Kafka is away) `retry_seconds`. Stopping, it releases the lease: a successor need not wait for it."""
    def run(stopping) -> None:
        idle = idle_seconds
        while not stopping.is_set():
            try:
                if lease is not None and not lease.held():
                    stopping.wait(lease.ttl_seconds / 3)  # another instance works; take over if it stops
                elif work():
                    idle = idle_seconds
                else:
                    stopping.wait(idle)
                    idle = min(idle * 2, max_idle_seconds or idle_seconds)
            except retrying:
                log.warning("%s failed; retrying", name, exc_info=True)
                on_failure()
                stopping.wait(retry_seconds)
        try:
            if lease is not None:
                lease.release()
        except Exception:  # noqa: BLE001 - the database is away: it expires by itself
            log.warning("could not release the %s lease", name, exc_info=True)
        log.info("%s stopped", name)
    return run


class Relay:
    def __init__(self, collections: list[Collection], publisher, batch_size: int = 500, lease: Lease | None = None):
        self.collections = collections
        self.publisher = publisher
        self.batch_size = batch_size
        # Two relays would publish the same events twice (harmless) and could reorder an idea's events.
        self.lease = lease

    def pending(self) -> int:
        return sum(c.count_documents(IS_PENDING) for c in self.collections)

    def run_once(self) -> int:
        """Publishes one batch from every collection; returns how many events went out. Per batch: one read, one
        publish of all its events, two writes (whatever the number of documents)."""
        sent = 0
        for collection in self.collections:
            docs = list(collection.find(IS_PENDING, {FIELD: 1}).limit(self.batch_size))
            if not docs:
                continue
            events = [event for doc in docs for event in doc[FIELD]]
            if events:
                self.publisher.publish(events)  # raises unless every event is acknowledged by all in-sync replicas
            self._clear(collection, [doc["_id"] for doc in docs], [event["id"] for event in events])
            sent += len(events)
            metrics.OUTBOX_PUBLISHED.labels(collection.name).inc(len(events))
        return sent

    @staticmethod
    def _clear(collection: Collection, doc_ids: list, event_ids: list[str]) -> None:
        """Removes the published events from their documents, then settles those left with an empty outbox: an
        event recorded since the read is not among those removed and keeps its document pending."""
        if event_ids:
            collection.update_many({"_id": {"$in": doc_ids}}, {"$pull": {FIELD: {"id": {"$in": event_ids}}}})
        collection.update_many({"_id": {"$in": doc_ids}, FIELD: {"$size": 0}}, {"$unset": {PENDING: ""}})

    def run(self, stopping, **timing) -> None:
        # An idle relay polls less and less often, up to max_idle_seconds, and quickly again once there is work.
        timing = {"idle_seconds": 0.05, "max_idle_seconds": 0.4, "retry_seconds": 1.0, **timing}
        leased(self.run_once, self.lease, "outbox relay", retrying=Exception, on_failure=metrics.OUTBOX_FAILURES.inc,
               **timing)(stopping)
