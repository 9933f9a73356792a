"""The addresses notifications mails, read from the contacts topic (accounts.contacts, idealab.events.CONTACTS_TOPIC):
a compacted topic keyed by member id holding each verified member's address, and a tombstone (no value) once the
member is erased. No event carries an address (docs/decisions/0014).

Read by a consumer group of its own, `notifications.contacts`, from the topic's beginning when the group is new: the
topic keeps every member's newest record, so a new or rebuilt `contacts` collection is whole again from it. Records
of one member are in order (one key, one partition), so the newest one read is the newest one written."""
import json
import logging
import threading
from datetime import datetime

from kafka import KafkaConsumer

from idealab.config import Settings
from idealab.events import CONTACTS_TOPIC
from idealab.kafka import TRANSIENT

from .store import NotificationStore

log = logging.getLogger(__name__)


def on_contact(store: NotificationStore, user_id: str, record: dict | None) -> None:
    """A member's address, or its tombstone: the address is forgotten (an erased member's own `user.deleted` erases
    the rest). An erased member's address read late is not kept."""
    if record is None:
        store.forget_contact(user_id)
    elif not store.is_erased(user_id):
        store.set_contact(user_id, record["email"], datetime.fromisoformat(record["changed_at"]))


def reader(settings: Settings, store: NotificationStore, retry_seconds: float = 2):
    """The worker's job reading the contacts topic; offsets are committed once what was read is stored."""
    def run(stopping: threading.Event) -> None:
        consumer = None
        while not stopping.is_set():
            try:
                if consumer is None:
                    consumer = KafkaConsumer(
                        settings.namespace + CONTACTS_TOPIC, bootstrap_servers=settings.kafka_bootstrap_servers,
                        group_id=settings.namespace + "notifications.contacts", enable_auto_commit=False,
                        auto_offset_reset="earliest")
                polled = consumer.poll(timeout_ms=500)
                for records in polled.values():
                    for record in records:
                        on_contact(store, record.key.decode(),
                                   None if record.value is None else json.loads(record.value))
                if polled:
                    consumer.commit()
            except TRANSIENT:
                log.warning("reading the contacts failed; retrying", exc_info=True)
                stopping.wait(retry_seconds)
        if consumer is not None:
            consumer.close()
    return run
