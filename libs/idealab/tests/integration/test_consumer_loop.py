"""The consumer loop against a real Kafka: commit after the effect, skip what the group does not handle, dead-letter
poison and go on, retry transient failures."""
import json
from datetime import datetime, timezone

import pytest
from pymongo.errors import AutoReconnect

from idealab import events, kafka, logs
from idealab_testing import wait_for

pytestmark = pytest.mark.integration

GROUP = "g"
TIMEOUT = 60  # a group join, a publish and the handling, on a loaded box


class Crash(BaseException):
    """What a process dying in the middle of a handler looks like from inside the loop: nothing catches it."""


def vote_cast(idea_id: str, voter_id: str = "ann") -> dict:
    return events.new_event("vote.cast", {"idea_id": idea_id, "voter_id": voter_id, "vote_version": 1,
                                          "cast_at": datetime.now(timezone.utc)}, source="/votes", subject=idea_id)


def tally_changed(idea_id: str) -> dict:
    return events.new_event("tally.changed", {"idea_id": idea_id, "count": 1, "version": 1},
                            source="/votes", subject=idea_id)


def headers(record) -> dict:
    return {name: value.decode() for name, value in record.headers}


@pytest.fixture
def ideas_topic(namespace):
    return namespace + events.IDEAS_TOPIC


@pytest.fixture
def dlq(namespace):
    return f"{namespace}{GROUP}.dlq"


def test_each_event_reaches_the_handler_for_its_type_with_its_correlation_id(start_loop, publisher, submitted):
    sent = [submitted("idea-1"), submitted("idea-2"), submitted("idea-1")]
    seen = []
    start_loop({"idea.submitted": lambda e: seen.append((e.id, e.correlation_id, logs.correlation_id.get()))})

    publisher.publish(sent)

    wait_for(lambda: len(seen) >= 3, timeout=TIMEOUT, what="three events handled")
    assert sorted(seen) == sorted((e["id"], e["correlationid"], e["correlationid"]) for e in sent)


def test_the_offset_is_committed_only_after_the_handler_returned(start_loop, publisher, submitted, kafka_state,
                                                                  namespace, ideas_topic):
    committed_while_handling = []

    def handle(event):
        committed_while_handling.append(kafka_state.committed(namespace + GROUP, ideas_topic))

    start_loop({"idea.submitted": handle})
    publisher.publish([submitted("idea-1")])

    wait_for(lambda: kafka_state.committed(namespace + GROUP, ideas_topic) == 1, timeout=TIMEOUT,
             what="the offset committed")
    assert committed_while_handling == [0]


def test_a_record_whose_handler_crashed_is_read_again_by_the_next_loop_of_the_group(
        start_loop, publisher, submitted, kafka_state, namespace, ideas_topic):
    event = submitted("idea-1")

    def crash(_event):
        raise Crash("killed while applying")

    crashed = start_loop({"idea.submitted": crash})
    publisher.publish([event])
    wait_for(lambda: not crashed.thread.is_alive(), timeout=TIMEOUT, what="the first loop to crash")
    assert isinstance(crashed.crash, Crash)
    assert kafka_state.committed(namespace + GROUP, ideas_topic) == 0

    seen = []
    start_loop({"idea.submitted": lambda e: seen.append(e.id)})
    wait_for(lambda: seen, timeout=TIMEOUT, what="the event read again")
    assert seen == [event["id"]]
    wait_for(lambda: kafka_state.committed(namespace + GROUP, ideas_topic) == 1, timeout=TIMEOUT,
             what="the offset committed by the second loop")


def test_a_loop_stopped_while_retrying_leaves_the_record_to_the_next_loop_of_the_group(
        start_loop, publisher, submitted, kafka_state, namespace, ideas_topic):
    event = submitted("idea-1")
    attempts = []

    def database_away(e):
        attempts.append(e.id)
        raise AutoReconnect("connection refused")

    first = start_loop({"idea.submitted": database_away})
    publisher.publish([event])
    wait_for(lambda: len(attempts) >= 2, timeout=TIMEOUT, what="the record retried")
    first.stop()
    assert first.crash is None
    assert kafka_state.committed(namespace + GROUP, ideas_topic) == 0

    seen = []
    start_loop({"idea.submitted": lambda e: seen.append(e.id)})
    wait_for(lambda: seen, timeout=TIMEOUT, what="the event read by the next loop")
    assert seen == [event["id"]]


def test_events_of_types_without_a_handler_are_skipped_and_committed(start_loop, publisher, kafka_state, namespace,
                                                                     dlq):
    sent = [tally_changed("idea-1"), vote_cast("idea-1"), tally_changed("idea-1")]
    seen = []
    start_loop({"vote.cast": lambda e: seen.append(e.type)}, topics=[events.VOTES_TOPIC])

    publisher.publish(sent)

    wait_for(lambda: kafka_state.committed(namespace + GROUP, namespace + events.VOTES_TOPIC) == 3,
             timeout=TIMEOUT, what="all three offsets committed")
    assert seen == ["vote.cast"]
    assert kafka_state.size(dlq) == 0


@pytest.mark.parametrize("value, error", [
    (b"{not json", "not JSON"),
    (json.dumps({"specversion": "1.0", "id": "x1", "source": "/elsewhere", "type": "idea.teleported",
                 "time": "2026-05-04T12:30:00+00:00", "subject": "idea-1", "correlationid": "c1",
                 "data": {}}).encode(), "unknown event type"),
], ids=["not-json", "unknown-type"])
def test_a_malformed_message_lands_in_the_dead_letter_topic_and_the_next_one_is_applied(
        start_loop, publisher, submitted, kafka_state, namespace, ideas_topic, dlq, value, error):
    after = submitted("idea-1")
    seen = []
    start_loop({"idea.submitted": lambda e: seen.append(e.id)})

    publisher.send_raw(ideas_topic, b"idea-1", value, [])  # same key as the next: same partition, read first
    publisher.publish([after])

    wait_for(lambda: seen, timeout=TIMEOUT, what="the next event applied")
    assert seen == [after["id"]]
    [dead] = kafka_state.records(dlq, 1)
    assert (dead.key, dead.value) == (b"idea-1", value)
    assert error in headers(dead)["error"]
    assert headers(dead)["topic"] == ideas_topic
    wait_for(lambda: kafka_state.committed(namespace + GROUP, ideas_topic) == 2, timeout=TIMEOUT,
             what="both offsets committed")


def test_an_event_whose_handler_fails_for_good_is_dead_lettered_with_the_error_and_the_loop_goes_on(
        start_loop, publisher, submitted, kafka_state, namespace, ideas_topic, dlq):
    poison, after = submitted("idea-1", title="Poison"), submitted("idea-1")
    seen = []

    def handle(event):
        if event.data["title"] == "Poison":
            raise ValueError("cannot apply a poisoned idea")
        seen.append(event.id)

    start_loop({"idea.submitted": handle})
    publisher.publish([poison, after])

    wait_for(lambda: seen, timeout=TIMEOUT, what="the next event applied")
    assert seen == [after["id"]]
    [dead] = kafka_state.records(dlq, 1)
    assert json.loads(dead.value)["id"] == poison["id"]
    assert "ValueError: cannot apply a poisoned idea" in headers(dead)["error"]
    assert (headers(dead)["topic"], headers(dead)["offset"]) == (ideas_topic, "0")  # first on its partition
    wait_for(lambda: kafka_state.committed(namespace + GROUP, ideas_topic) == 2, timeout=TIMEOUT,
             what="both offsets committed")


def test_a_handler_failing_with_auto_reconnect_is_retried_until_it_succeeds_and_nothing_is_dead_lettered(
        start_loop, publisher, submitted, kafka_state, namespace, ideas_topic, dlq):
    event = submitted("idea-1")
    attempts, applied = [], []

    def flaky(e):
        attempts.append(e.id)
        if len(attempts) < 3:
            raise AutoReconnect("primary stepped down")
        applied.append(e.id)

    start_loop({"idea.submitted": flaky})
    publisher.publish([event])

    wait_for(lambda: kafka_state.committed(namespace + GROUP, ideas_topic) == 1, timeout=TIMEOUT,
             what="the offset committed")
    assert attempts == [event["id"]] * 3
    assert applied == [event["id"]]
    assert kafka_state.size(dlq) == 0


def test_a_batch_handler_is_handed_a_run_of_events_in_one_call_past_those_the_group_does_not_handle(
        start_loop, publisher, kafka_state, namespace, dlq):
    votes = [vote_cast("idea-1", voter) for voter in ("ann", "bob", "cat")]
    publisher.publish([votes[0], tally_changed("idea-1"), *votes[1:]])  # one key: one partition, read in one poll
    calls = []
    counted = kafka.Batch(lambda batch: calls.append([e.id for e in batch]))

    start_loop({"vote.cast": counted, "vote.withdrawn": counted}, topics=[events.VOTES_TOPIC])

    wait_for(lambda: kafka_state.committed(namespace + GROUP, namespace + events.VOTES_TOPIC) == 4,
             timeout=TIMEOUT, what="all four offsets committed")
    assert calls == [[e["id"] for e in votes]]
    assert kafka_state.size(dlq) == 0


def test_a_poison_event_in_a_batch_is_dead_lettered_alone_and_the_others_are_handled(
        start_loop, publisher, kafka_state, namespace, dlq):
    sent = [vote_cast("idea-1", voter) for voter in ("ann", "poison", "cat")]
    publisher.publish(sent)
    handled = []

    def count(batch):
        if any(e.data["voter_id"] == "poison" for e in batch):
            raise ValueError("cannot count a poisoned vote")
        handled.extend(e.id for e in batch)

    start_loop({"vote.cast": kafka.Batch(count)}, topics=[events.VOTES_TOPIC])

    wait_for(lambda: kafka_state.committed(namespace + GROUP, namespace + events.VOTES_TOPIC) == 3,
             timeout=TIMEOUT, what="all three offsets committed")
    assert handled == [sent[0]["id"], sent[2]["id"]]
    [dead] = kafka_state.records(dlq, 1)
    assert json.loads(dead.value)["id"] == sent[1]["id"]
    assert "ValueError: cannot count a poisoned vote" in headers(dead)["error"]
