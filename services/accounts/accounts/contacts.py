"""The contacts topic (accounts.contacts, events.CONTACTS_TOPIC): every verified member's address, keyed by member id,
so that notifications can mail them, and erased from the log on erasure (docs/decisions/0014).

No event carries an address: events stay in their topics for the retention (7 days), and an erased member's
would stay there with them. A compacted topic keeps only the newest record of each key: the publisher writes the
member's record when their address is verified and a tombstone (no value) when they are erased, and compaction then
drops the address. Compaction takes closed segments only; a segment closes at the first write after `segment.ms`,
so after a tombstone the publisher writes one more record (a tombstone for a key no member has) once that time
has passed, so that the erasure does not wait for the next member's verification.

The user document says what to publish (`contact_pending`, with a version), written in the same single-document
write as the change; the publisher sends the record the document holds now and clears the mark unless it changed
again meanwhile. Sent twice, a record changes nothing (the newest record of a key is what counts).
"""
import json
import time
from collections.abc import Callable

from idealab import kafka
from idealab.events import CONTACTS_TOPIC

from . import domain
from .store import AccountStore

ROLL_KEY = b"-"  # no member id: the record that closes the segment of a tombstone


class ContactsPublisher:
    def __init__(self, store: AccountStore, publisher: kafka.Publisher, namespace: str,
                 clock: Callable[[], float] = time.monotonic):
        self.store, self.publisher, self.topic, self.clock = store, publisher, namespace + CONTACTS_TOPIC, clock
        self.roll_after = int(kafka.CONTACTS_TOPIC_CONFIGS["segment.ms"]) / 1000 + 1
        self.roll_at: float | None = None

    def step(self) -> int:
        """Publishes the contact records to publish; returns how many (a roll counts as one)."""
        users = self.store.contacts_to_publish(limit=500)
        erased = False
        for user in users:
            record = domain.contact_record(user)
            erased |= record is None
            self.publisher.send_raw(self.topic, user["_id"].encode(),
                                    None if record is None else json.dumps(record).encode(), [])
        self.store.contacts_published(users)
        if erased:
            self.roll_at = self.clock() + self.roll_after
        elif self.roll_at is not None and self.clock() >= self.roll_at:
            self.publisher.send_raw(self.topic, ROLL_KEY, None, [])
            self.roll_at = None
            return 1
        return len(users)
