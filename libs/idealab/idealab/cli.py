"""Operator commands every service has, run as `python -m <service>.cli COMMAND` (`--help` lists them):

    dead-letters         what the service's consumer group dead-lettered, and why
    redrive              puts the dead letters back on the topics they came from (after a fix): the group reads them
                         again, and so do the other groups of those topics, which are idempotent
    replay [--topic T]   reads the service's topics from their beginning into its read models, as its consumer does

A service's cli.py adds its own jobs with `Commands.add`. Long jobs show a progress bar (on stderr).
"""
import argparse
import json
import logging
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.structs import OffsetAndMetadata
from marshmallow import ValidationError
from tqdm import tqdm

from . import events
from .config import Settings
from .kafka import TRANSIENT, Handler, dlq_topic


@dataclass(frozen=True)
class DeadLetter:
    topic: str
    partition: int
    offset: int
    error: str
    key: bytes | None
    value: bytes


def _read_to_end(consumer: KafkaConsumer, partitions: list[TopicPartition], what: str) -> Iterator:
    """The records of `partitions` from the consumer's positions up to their end offsets as they are now (what
    arrives meanwhile is left for the next run), with a progress bar."""
    end = consumer.end_offsets(partitions)
    left = {tp for tp in partitions if consumer.position(tp) < end[tp]}
    consumer.pause(*(set(partitions) - left))
    with tqdm(total=sum(end[tp] - consumer.position(tp) for tp in left), desc=what, unit="record") as bar:
        while left:
            for tp, records in consumer.poll(timeout_ms=500).items():
                for record in records:
                    if record.offset < end[tp]:
                        bar.update()
                        yield record
                if consumer.position(tp) >= end[tp]:
                    left.discard(tp)
                    consumer.pause(tp)


def _dead_letter(record) -> DeadLetter:
    headers = {name: value.decode(errors="replace") for name, value in record.headers or []}
    return DeadLetter(headers.get("topic", "?"), int(headers.get("partition", -1)), int(headers.get("offset", -1)),
                      headers.get("error", ""), record.key, record.value)


def dead_letters(bootstrap_servers: str, group: str) -> list[DeadLetter]:
    """Every record in `group`'s dead-letter topic, with where it came from and the error that sent it there."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap_servers, group_id=None, enable_auto_commit=False)
    try:
        topic = dlq_topic(group)
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        if not partitions:
            return []  # the group never dead-lettered anything
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        return [_dead_letter(r) for r in _read_to_end(consumer, partitions, f"reading {topic}")]
    finally:
        consumer.close()


def redrive(bootstrap_servers: str, group: str) -> int:
    """Publishes `group`'s dead letters back on the topics they came from, with their key (so in their partition);
    returns how many. How far the dead-letter topic was re-driven is kept as the offsets of a consumer group of its
    own, committed as it goes: running it again re-sends only what was dead-lettered since."""
    topic = dlq_topic(group)
    consumer = KafkaConsumer(bootstrap_servers=bootstrap_servers, group_id=f"{topic}.redrive",
                             enable_auto_commit=False, auto_offset_reset="earliest")
    producer = KafkaProducer(bootstrap_servers=bootstrap_servers, acks="all", enable_idempotence=True)
    sent = 0
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        if not partitions:
            return 0
        consumer.assign(partitions)
        for record in _read_to_end(consumer, partitions, f"re-driving {topic}"):
            letter = _dead_letter(record)
            producer.send(letter.topic, key=letter.key, value=letter.value,
                          headers=[("redriven-from", f"{topic}@{record.partition}:{record.offset}".encode())]
                          ).get(timeout=30)
            consumer.commit({TopicPartition(record.topic, record.partition): OffsetAndMetadata(record.offset + 1,
                                                                                                "", -1)})
            sent += 1
    finally:
        producer.close()
        consumer.close()
    return sent


def replay(bootstrap_servers: str, topics: list[str], handlers: dict[str, Handler]) -> Counter:
    """Hands every event now in `topics` (from their beginning) to its handler, as the service's consumer would,
    without touching the group's offsets. Handlers are idempotent, so a read model dropped or damaged ends as the
    consumer would have left it. Returns how many events were handled, skipped (no handler) or unreadable."""
    outcomes = Counter()
    consumer = KafkaConsumer(bootstrap_servers=bootstrap_servers, group_id=None, enable_auto_commit=False,
                             max_poll_records=500)
    try:
        partitions = [TopicPartition(t, p) for t in topics for p in consumer.partitions_for_topic(t) or ()]
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        for record in _read_to_end(consumer, partitions, f"replaying {', '.join(topics)}"):
            try:
                event = events.parse(record.value)
            except ValidationError:
                outcomes["unreadable"] += 1  # the consumer dead-lettered it; `dead-letters` shows it
                continue
            handler = handlers.get(event.type)
            if handler is None:
                outcomes["skipped"] += 1
                continue
            handler(event)  # a failure stops the replay: the operator sees it, fixes it and replays again
            outcomes["handled"] += 1
    finally:
        consumer.close()
    return outcomes


Command = Callable[[argparse.Namespace], int]


class Commands:
    """A service's operator commands: the shared ones above, for its consumer group and the topics its handlers
    read, and the service's own jobs added with `add`."""

    def __init__(self, settings: Settings, group: str, handlers: dict[str, Handler]):
        self.settings = settings
        self.group = settings.namespace + group
        self.handlers = handlers
        self.topics = sorted({settings.namespace + events.CATALOGUE[t].topic for t in handlers})
        self.parser = argparse.ArgumentParser(prog=f"python -m {settings.service}.cli",
                                              description=f"Operator jobs of the {settings.service} service.")
        self._commands = self.parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
        self.add("dead-letters", "list what the consumer group dead-lettered, and why")(self._show_dead_letters)
        self.add("redrive", "put the dead letters back on their topics (after a fix) to be read again")(
            self._redrive)
        self.add("replay", "read the topics from their beginning into the read models",
                 lambda p: p.add_argument("--topic", choices=self.topics, help="only this topic"))(self._replay)

    def add(self, name: str, help: str, arguments: Callable[[argparse.ArgumentParser], None] = lambda _: None):
        """Decorates `run(args) -> exit code` as the command `name`; `arguments(parser)` declares its options."""
        def register(run: Command) -> Command:
            parser = self._commands.add_parser(name, help=help, description=help)
            arguments(parser)
            parser.set_defaults(run=run)
            return run
        return register

    def main(self, argv: list[str] | None = None) -> int:
        logging.basicConfig(level=logging.WARNING)
        args = self.parser.parse_args(argv)
        return args.run(args)

    @property
    def bootstrap(self) -> str:
        return self.settings.kafka_bootstrap_servers

    def _show_dead_letters(self, _args) -> int:
        for letter in dead_letters(self.bootstrap, self.group):
            # A traceback's last line names the exception and its message.
            summary = letter.error.strip().splitlines()[-1] if letter.error.strip() else ""
            print(json.dumps({"topic": letter.topic, "partition": letter.partition, "offset": letter.offset,
                              "key": letter.key.decode(errors="replace") if letter.key else None,
                              "error": summary}))
        return 0

    def _redrive(self, _args) -> int:
        print(f"re-drove {redrive(self.bootstrap, self.group)} dead letters of {self.group}")
        return 0

    def _replay(self, args) -> int:
        topics = [args.topic] if args.topic else self.topics
        try:
            outcomes = replay(self.bootstrap, topics, self.handlers)
        except TRANSIENT as exc:
            print(f"replay stopped, a server is unreachable: {exc}")
            return 1
        print(", ".join(f"{n} {what}" for what, n in sorted(outcomes.items())) or "nothing to replay")
        return 0
