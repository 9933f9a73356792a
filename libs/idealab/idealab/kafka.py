"""Kafka, only here: an idempotent producer (acks=all) and a consumer loop that commits offsets only after the
effect is stored and sends poison messages to the group's dead-letter topic.

Topic and group names take the settings' namespace as a prefix, so test runs and demos can share one broker.
"""
import json
import logging
import time
import traceback
from collections.abc import Callable

from kafka import ConsumerRebalanceListener, KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import NewTopic
from kafka.errors import CommitFailedError, KafkaError, RebalanceInProgressError, TopicAlreadyExistsError
from kafka.structs import OffsetAndMetadata
from marshmallow import ValidationError
from pymongo.errors import ConnectionFailure

from . import events, logs, metrics

log = logging.getLogger(__name__)

PARTITIONS = 3
# Errors that say "not now" rather than "never": the record is retried, not dead-lettered.
TRANSIENT = (ConnectionFailure, KafkaError)
# The type label of records that are not a readable event of the catalogue.
MALFORMED = "<malformed>"


# The contacts topic (events.CONTACTS_TOPIC) is a table: compacted, so an erased member's address, once its
# tombstone follows it, leaves the log. Compaction works on closed segments only: a segment closes at the first
# write after `segment.ms` (the contacts publisher writes one after every tombstone), and the broker's cleaner then
# takes it within `log.cleaner.backoff.ms` (15 s by default) since the dirty ratio is tiny. A tombstone is kept a
# day, for a reader that was away to learn of the erasure (docs/decisions/0014). One partition: a write after a
# tombstone closes the tombstone's segment only in its own partition, and the table is small (a record a member).
CONTACTS_TOPIC_CONFIGS = {"cleanup.policy": "compact", "segment.ms": "10000", "min.cleanable.dirty.ratio": "0.01",
                          "min.compaction.lag.ms": "0", "max.compaction.lag.ms": "60000",
                          "delete.retention.ms": str(24 * 3600 * 1000)}


def dlq_topic(group: str) -> str:
    return f"{group}.dlq"


def ensure_topics(bootstrap_servers: str, topics: list[str], partitions: int = PARTITIONS,
                  timeout_seconds: float = 30, configs: dict[str, str] | None = None) -> None:
    """Creates the missing topics and waits until every partition has a leader: a consumer group formed before
    that would be assigned no partition of a new topic until its next metadata refresh. Reaching the broker and
    the leaders' election each get `timeout_seconds`."""
    admin = KafkaAdminClient(bootstrap_servers=bootstrap_servers,
                             api_version_auto_timeout_ms=int(timeout_seconds * 1000))
    try:
        missing = [NewTopic(t, num_partitions=partitions, replication_factor=1, topic_configs=configs or {})
                   for t in topics if t not in set(admin.list_topics())]
        if missing:
            try:
                admin.create_topics(missing)
            except TopicAlreadyExistsError:
                pass  # another worker created it first
        deadline = time.monotonic() + timeout_seconds
        while not _all_led(admin, topics):
            if time.monotonic() > deadline:
                raise KafkaError(f"topics {topics} have no leader after {timeout_seconds}s")
            time.sleep(0.2)
    finally:
        admin.close()


def _all_led(admin: KafkaAdminClient, topics: list[str]) -> bool:
    return all(t["error_code"] == 0 and t["partitions"] and all(p["leader"] >= 0 for p in t["partitions"])
               for t in admin.describe_topics(topics))


class Publisher:
    """Thread-safe; create it in the process that uses it (after a fork, never before)."""

    def __init__(self, bootstrap_servers: str, namespace: str = "", timeout_seconds: float = 30):
        self.namespace = namespace
        self.timeout_seconds = timeout_seconds
        self.producer = KafkaProducer(
            bootstrap_servers=bootstrap_servers,
            acks="all",
            enable_idempotence=True,
            linger_ms=5,
            # Measured by bench/baselines: the relay's batches went out ~10x faster compressed (JSON compresses well).
            batch_size=65536,
            compression_type="gzip",
        )

    def topic(self, event: dict) -> str:
        return self.namespace + events.CATALOGUE[event["type"]].topic

    def publish(self, batch: list[dict]) -> None:
        futures = [self.producer.send(self.topic(e), key=e["subject"].encode(),
                                      value=json.dumps(e, separators=(",", ":")).encode()) for e in batch]
        self.producer.flush(self.timeout_seconds)
        for future in futures:
            future.get(timeout=self.timeout_seconds)

    def send_raw(self, topic: str, key: bytes | None, value: bytes, headers: list) -> None:
        self.producer.send(topic, key=key, value=value, headers=headers).get(timeout=self.timeout_seconds)

    def close(self) -> None:
        self.producer.close(self.timeout_seconds)


Handler = Callable[[events.Event], None]  # or a Batch


class Batch:
    """A handler that takes many events in one call: the loop hands it each run of consecutive records of a
    partition whose events it handles (up to a poll's worth), so that it does once per batch what it would do per
    event. Called with one event, as replays and tests do, it handles a batch of one."""

    def __init__(self, handle: Callable[[list[events.Event]], None]):
        self.handle = handle

    def __call__(self, event: events.Event) -> None:
        self.handle([event])


class ConsumerLoop(ConsumerRebalanceListener):
    """Reads the topics, hands each event to the handler for its type (runs of them to a Batch handler), commits
    after the effects are stored.

    Handlers are idempotent (a crash between effect and commit replays the event). Events of types the group does
    not handle are skipped; malformed events and handler failures other than transient outages go to the DLQ. The
    group tells it, inside its poll, when it takes its partitions back and which it then gives it (the listener).
    """

    def __init__(self, bootstrap_servers: str, group: str, topics: list[str], handlers: dict[str, Handler],
                 dead_letters: Publisher, namespace: str = "", retry_seconds: float = 1.0):
        self.group = namespace + group
        self.handlers = handlers
        self.dead_letters = dead_letters
        self.retry_seconds = retry_seconds
        self.topics = [namespace + t for t in topics]
        ensure_topics(bootstrap_servers, [*self.topics, dlq_topic(self.group)])
        self.consumer = KafkaConsumer(
            bootstrap_servers=bootstrap_servers,
            group_id=self.group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_poll_records=500,
            # A topic created after the group formed is picked up within this time (the default is 5 minutes).
            metadata_max_age_ms=10_000,
            # A worker that dies without leaving the group (SIGKILL, a lost machine) holds its partitions this long
            # before another instance takes them over (the client's default is 45 s); heartbeats go every 3 s.
            session_timeout_ms=10_000,
        )
        # Know every topic's partitions before joining: a group formed on empty metadata gets no partitions.
        for topic in self.topics:
            self.consumer.partitions_for_topic(topic)
        self._lag_shown: set[TopicPartition] = set()
        self._handled: dict[TopicPartition, int] = {}  # the next offset to handle, per partition owned
        self._uncommitted: dict[TopicPartition, int] = {}  # handled, but the commit was refused (or failed)
        self.joined = False  # has taken part in the group once (a worker's readiness)
        self.consumer.subscribe(self.topics, listener=self)

    def run(self, stopping) -> None:
        try:
            while not stopping.is_set():
                polled = {}
                try:
                    polled = self.consumer.poll(timeout_ms=200)
                    self._commit()  # what a failed commit kept
                    for tp, records in polled.items():
                        self._handle(tp, records, stopping)
                    self._show_lag()
                except KafkaError as exc:
                    # The broker is away: a commit or an offset lookup failed (tests/faults/test_kafka_outage.py).
                    # What this poll brought and was not handled is read again (handlers are idempotent).
                    log.warning("consumer %s cannot reach Kafka (%s); retrying", self.group, exc)
                    self._rewind(polled)
                    stopping.wait(self.retry_seconds)
        finally:
            self.consumer.close(autocommit=False)
            log.info("consumer %s stopped", self.group)

    def _handle(self, tp: TopicPartition, records, stopping) -> None:
        """Applies a partition's records run by run, each until it succeeds or the loop stops (what is left is then
        read again by the partition's next owner), and commits what is done."""
        for run in self._runs(records):
            if not self._retried(run, stopping):
                break
            self._uncommitted[tp] = self._handled[tp] = run[-1].offset + 1
        self._commit()

    def _retried(self, run, stopping) -> bool:
        while not self._applied(run):
            if stopping.wait(self.retry_seconds):
                return False
        return True

    def _rewind(self, polled) -> None:
        owned = self.consumer.assignment()
        for tp, records in polled.items():
            if tp in owned:  # seeking a partition given away meanwhile would raise
                self.consumer.seek(tp, max(records[0].offset, self._handled.get(tp, 0)))

    def _commit(self) -> None:
        """Commits what is handled. While the group rebalances the commit is refused: it is kept, and committed
        after the next poll or when the rebalance revokes the partitions. Seeking back and reading the records
        again instead kept the commit failing for as long as the rebalance took (seen for over 20 s in a CI run)."""
        if not self._uncommitted:
            return
        try:
            self.consumer.commit({tp: OffsetAndMetadata(o, "", -1) for tp, o in self._uncommitted.items()})
            self._uncommitted = {}
        except (RebalanceInProgressError, CommitFailedError) as exc:
            log.info("consumer %s: the group is rebalancing, commit kept for later (%s)", self.group, exc)

    def on_partitions_revoked(self, revoked) -> None:
        """Inside the poll that takes part in a rebalance, while this instance still owns its partitions: commits
        what it handled. What even then cannot be committed is dropped: committed later, it could move a partition's
        new owner's offset back (the broker does not check who owns it). Every owner, this one too, starts reading a
        partition again from its last commit (handlers are idempotent)."""
        try:
            self._commit()
        finally:
            self._uncommitted = {}

    def on_partitions_assigned(self, assigned) -> None:
        self._handled = {tp: o for tp, o in self._handled.items() if tp in assigned}
        self.joined = True

    def _show_lag(self) -> None:
        """Sets the lag gauge of every partition the group owns now and this instance has read from, and drops those
        it no longer owns (another instance reports them). From what the last fetch brought and what was handled:
        no request to the broker (the consumer's `position()` may wait on one, for ever, while the group
        rebalances)."""
        owned = self.consumer.assignment()
        for tp in owned:
            end, handled = self.consumer.highwater(tp), self._handled.get(tp)
            if end is not None and handled is not None:
                metrics.CONSUMER_LAG.labels(self.group, tp.topic, str(tp.partition)).set(max(end - handled, 0))
        for tp in self._lag_shown - owned:
            metrics.CONSUMER_LAG.remove(self.group, tp.topic, str(tp.partition))
        self._lag_shown = set(owned)

    def _runs(self, records) -> list[list]:
        """The records one by one, except consecutive ones for the same Batch handler, which go together with the
        records among them that no handler takes (skipped: on a service's own topic, its other events)."""
        runs, batch = [], None
        for record in records:
            handler = self._handler_at_a_glance(record)
            if batch is not None and handler in (batch, None):
                runs[-1].append(record)
            else:
                runs.append([record])
                batch = handler if isinstance(handler, Batch) else None
        return runs

    def _handler_at_a_glance(self, record) -> Handler | None:
        try:  # only a look at the type: the record is read in full when it is applied
            return self.handlers.get(json.loads(record.value)["type"])
        except (TypeError, ValueError, KeyError, RecursionError):
            return None

    def _applied(self, run) -> bool:
        """Applies a run of records (or dead-letters them); False means a transient failure and the run is retried."""
        try:
            self._process_batch(run) if len(run) > 1 else self._process(run[0])
            return True
        except TRANSIENT:
            log.warning("transient failure at %s[%d]@%d..%d; will retry", run[0].topic, run[0].partition,
                        run[0].offset, run[-1].offset, exc_info=True)
            return False

    def _process_batch(self, records) -> None:
        """Applies a run in one call of its Batch handler. Should one of them be poison (unreadable, or failing for
        good), they are applied one at a time instead, so that only the poison is dead-lettered."""
        try:
            read = [events.parse(r.value) for r in records]
            batch = [event for event in read if event.type in self.handlers]
            self.handlers[batch[0].type].handle(batch)
        except TRANSIENT:
            raise
        except Exception:  # noqa: BLE001 - found and dead-lettered below, alone
            log.info("a batch at %s[%d]@%d..%d failed; applying its records one at a time", records[0].topic,
                     records[0].partition, records[0].offset, records[-1].offset)
            for record in records:
                self._process(record)
            return
        for event in read:
            self._count(event.type, "handled" if event.type in self.handlers else "skipped")

    def _process(self, record) -> None:
        try:
            event = events.parse(record.value)
        except ValidationError as exc:
            self._dead_letter(record, f"malformed event: {exc.messages}")
            self._count(MALFORMED, "dead_lettered")
            return
        handler = self.handlers.get(event.type)
        if handler is None:
            self._count(event.type, "skipped")
            return
        token = logs.correlation_id.set(event.correlation_id)
        try:
            handler(event)
        except TRANSIENT:
            self._count(event.type, "retried")
            raise
        except Exception:  # noqa: BLE001 - a poison event must not stop the group
            self._dead_letter(record, traceback.format_exc(limit=5))
            self._count(event.type, "dead_lettered")
        else:
            self._count(event.type, "handled")
        finally:
            logs.correlation_id.reset(token)

    def _count(self, event_type: str, outcome: str) -> None:
        metrics.EVENTS.labels(self.group, event_type, outcome).inc()

    def _dead_letter(self, record, error: str) -> None:
        log.error("dead-lettering %s[%d]@%d: %s", record.topic, record.partition, record.offset, error)
        headers = [("error", error.encode()[:4000]), ("topic", record.topic.encode()),
                   ("partition", str(record.partition).encode()), ("offset", str(record.offset).encode())]
        self.dead_letters.send_raw(dlq_topic(self.group), record.key, record.value, headers)
        metrics.DEAD_LETTERS.labels(self.group, record.topic).inc()

