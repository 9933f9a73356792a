"""Fixtures of the library's integration tests: a real Publisher, the test's own topics, consumer loops running in
threads, and ways to look at what Kafka holds (records, committed offsets)."""
import threading

import pytest
from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition

from idealab import events, kafka
from idealab.testing import wait_for


@pytest.fixture
def topics(servers, namespace):
    """The catalogue's topics under the test's namespace, created before anything is published to them; the test's
    topics (dead-letter ones included) are deleted afterwards so a long-lived broker does not fill up."""
    names = [namespace + t for t in events.TOPICS]
    kafka.ensure_topics(servers.kafka, names)
    yield names
    admin = KafkaAdminClient(bootstrap_servers=servers.kafka)
    try:
        admin.delete_topics([t for t in admin.list_topics() if t.startswith(namespace)])
    finally:
        admin.close()


@pytest.fixture
def publisher(servers, namespace, topics):
    publisher = kafka.Publisher(servers.kafka, namespace, timeout_seconds=10)
    yield publisher
    publisher.close()


class Inspector:
    """Reads a topic from its beginning and asks for a group's committed offsets, like an operator would."""

    def __init__(self, bootstrap_servers: str):
        self.bootstrap_servers = bootstrap_servers

    def _consumer(self, **config) -> KafkaConsumer:
        return KafkaConsumer(bootstrap_servers=self.bootstrap_servers, enable_auto_commit=False, **config)

    def records(self, topic: str, count: int, timeout: float = 10) -> list:
        """The first `count` records of `topic` (every partition), waiting for them to arrive."""
        consumer = self._consumer(group_id=None)
        try:
            partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic)]
            consumer.assign(partitions)
            consumer.seek_to_beginning(*partitions)
            found = []

            def enough():
                for batch in consumer.poll(timeout_ms=100).values():
                    found.extend(batch)
                return len(found) >= count
            wait_for(enough, timeout=timeout, what=f"{count} records on {topic}")
            return found
        finally:
            consumer.close()

    def size(self, topic: str) -> int:
        """How many records `topic` holds in all its partitions."""
        consumer = self._consumer(group_id=None)
        try:
            partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic)]
            return sum(consumer.end_offsets(partitions).values())
        finally:
            consumer.close()

    def committed(self, group: str, topic: str) -> int:
        """The sum of `group`'s committed offsets on `topic`: how many of its records the group is done with."""
        consumer = self._consumer(group_id=group)
        try:
            offsets = [consumer.committed(TopicPartition(topic, p)) for p in consumer.partitions_for_topic(topic)]
            return sum(o or 0 for o in offsets)
        finally:
            consumer.close()


@pytest.fixture
def kafka_state(servers):
    return Inspector(servers.kafka)


class RunningLoop:
    """A ConsumerLoop running in a thread until stop(); what escaped from it (a crash) is kept in `crash`."""

    def __init__(self, loop: kafka.ConsumerLoop):
        self.loop = loop
        self.stopping = threading.Event()
        self.crash: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name=loop.group, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            self.loop.run(self.stopping)
        except BaseException as exc:  # noqa: BLE001 - a crash is what some tests provoke; they look at it
            self.crash = exc

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=10)
        assert not self.thread.is_alive(), "the consumer loop did not stop"


@pytest.fixture
def start_loop(servers, namespace, publisher):
    """start_loop(handlers, topics=["ideas.events"], group="g"): a consumer loop in the test's namespace, running;
    stopped at the end of the test. Poison events go through the test's publisher to `<namespace><group>.dlq`."""
    running = []

    def start(handlers: dict, topics=(events.IDEAS_TOPIC,), group: str = "g",
              retry_seconds: float = 0.05) -> RunningLoop:
        loop = kafka.ConsumerLoop(servers.kafka, group, list(topics), handlers, publisher, namespace,
                                  retry_seconds=retry_seconds)
        running.append(RunningLoop(loop))
        return running[-1]

    yield start
    for loop in running:
        loop.stop()
