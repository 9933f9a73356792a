"""The outbox relay against a real database and a real Kafka: nothing lost on the way out, nothing removed early."""
import json

import pytest
from kafka.errors import KafkaTimeoutError

from idealab import events, outbox
from idealab_testing import FakePublisher

pytestmark = pytest.mark.integration


def tally_changed(idea_id: str, count: int, version: int) -> dict:
    return events.new_event("tally.changed", {"idea_id": idea_id, "count": count, "version": version},
                            source="/votes", subject=idea_id)


@pytest.fixture
def written(mongo_db, submitted):
    """Two ideas and a tally written the way services write them, with their events in the same operation."""
    first, second = submitted("idea-1"), submitted("idea-2")
    edited = submitted("idea-1", title="Dark mode, everywhere")
    mongo_db.ideas.insert_one(outbox.with_events({"_id": "idea-1", "title": "Dark mode"}, first))
    mongo_db.ideas.insert_one(outbox.with_events({"_id": "idea-2", "title": "Quiet hours"}, second))
    mongo_db.ideas.update_one({"_id": "idea-1"},
                              outbox.recording({"$set": {"title": "Dark mode, everywhere"}}, edited))
    tally = tally_changed("idea-1", 1, 1)
    mongo_db.tallies.insert_one(outbox.with_events({"_id": "idea-1", "count": 1}, tally))
    return {"ideas": [first, second, edited], "tallies": [tally]}


def ids(envelopes) -> list[str]:
    return [e["id"] for e in envelopes]


def test_written_events_are_published_to_their_topics_and_removed_from_their_documents(
        mongo_db, written, publisher, namespace, kafka_state):
    relay = outbox.Relay([mongo_db.ideas, mongo_db.tallies], publisher)
    assert relay.pending() == 3  # documents with events waiting

    assert relay.run_once() == 4

    on_ideas = kafka_state.records(namespace + events.IDEAS_TOPIC, 3)
    on_votes = kafka_state.records(namespace + events.VOTES_TOPIC, 1)
    assert sorted(json.loads(r.value)["id"] for r in on_ideas) == sorted(ids(written["ideas"]))
    assert [json.loads(r.value) for r in on_votes] == written["tallies"]
    assert all(r.key == json.loads(r.value)["subject"].encode() for r in on_ideas + on_votes)
    assert relay.pending() == 0
    assert mongo_db.ideas.find_one({"_id": "idea-1"}) == {"_id": "idea-1", "title": "Dark mode, everywhere",
                                                          "outbox": []}
    assert mongo_db.tallies.find_one({"_id": "idea-1"})["outbox"] == []


def test_one_ideas_events_arrive_in_the_order_they_were_written(mongo_db, written, publisher, namespace,
                                                                kafka_state):
    outbox.Relay([mongo_db.ideas], publisher).run_once()

    records = kafka_state.records(namespace + events.IDEAS_TOPIC, 3)
    about_idea_1 = sorted((r for r in records if r.key == b"idea-1"), key=lambda r: r.offset)
    assert len({r.partition for r in about_idea_1}) == 1
    assert [json.loads(r.value)["id"] for r in about_idea_1] == ids([written["ideas"][0], written["ideas"][2]])


def test_a_second_run_publishes_nothing_again(mongo_db, written, publisher, namespace, kafka_state):
    relay = outbox.Relay([mongo_db.ideas, mongo_db.tallies], publisher)
    assert relay.run_once() == 4

    assert relay.run_once() == 0
    assert kafka_state.size(namespace + events.IDEAS_TOPIC) == 3
    assert kafka_state.size(namespace + events.VOTES_TOPIC) == 1


def test_when_publishing_fails_nothing_is_removed_and_a_later_run_publishes_it_all(
        mongo_db, written, publisher, namespace, kafka_state):
    with pytest.raises(KafkaTimeoutError):
        outbox.Relay([mongo_db.ideas, mongo_db.tallies], FakePublisher(fail=True)).run_once()
    assert ids(mongo_db.ideas.find_one({"_id": "idea-1"})["outbox"]) == ids([written["ideas"][0],
                                                                            written["ideas"][2]])
    assert mongo_db.ideas.find_one({"_id": "idea-2"})["outbox"] == [written["ideas"][1]]
    assert mongo_db.tallies.find_one({"_id": "idea-1"})["outbox"] == written["tallies"]

    relay = outbox.Relay([mongo_db.ideas, mongo_db.tallies], publisher)
    assert relay.run_once() == 4

    published = kafka_state.records(namespace + events.IDEAS_TOPIC, 3)
    assert sorted(json.loads(r.value)["id"] for r in published) == sorted(ids(written["ideas"]))
    assert relay.pending() == 0


def test_an_event_recorded_after_the_relay_read_its_document_is_kept_for_the_next_run(
        mongo_db, submitted, publisher, namespace, kafka_state):
    first, late = submitted("idea-1"), submitted("idea-1", title="Later edit")
    mongo_db.ideas.insert_one(outbox.with_events({"_id": "idea-1", "title": "Dark mode"}, first))

    class WriteDuringPublish:
        """The API writes to the same document while the relay is publishing what it read."""

        def publish(self, batch):
            publisher.publish(batch)
            if batch == [first]:
                mongo_db.ideas.update_one({"_id": "idea-1"}, outbox.recording({"$set": {"title": "Later"}}, late))

    relay = outbox.Relay([mongo_db.ideas], WriteDuringPublish())
    assert relay.run_once() == 1
    kept = mongo_db.ideas.find_one({"_id": "idea-1"})
    assert (kept["outbox"], kept["outbox_pending"]) == ([late], True)  # still pending for the next run

    assert relay.run_once() == 1
    records = kafka_state.records(namespace + events.IDEAS_TOPIC, 2)
    assert [json.loads(r.value)["id"] for r in sorted(records, key=lambda r: r.offset)] == ids([first, late])
    assert relay.pending() == 0
