"""The outbox: events written with the state they announce, and the relay that publishes then removes them."""
import copy
import threading

import pytest
from kafka.errors import KafkaTimeoutError

from idealab import outbox
from idealab_testing import FakePublisher, wait_for


class FakeCursor(list):
    def limit(self, n: int) -> "FakeCursor":
        return FakeCursor(self[:n])


class FakeCollection:
    """An in-memory stand-in for the few pymongo calls the relay makes (the integration tests use a real one)."""

    name = "things"

    def __init__(self, *documents: dict):
        self.writes = 0
        # Flagged as the writes of with_events/recording flag them.
        self.documents = {d["_id"]: {**copy.deepcopy(d), **({outbox.PENDING: True} if d.get(outbox.FIELD) else {})}
                          for d in documents}

    def _pending(self) -> list[dict]:
        return [d for d in self.documents.values() if d.get(outbox.PENDING)]

    def count_documents(self, query: dict) -> int:
        assert query == outbox.IS_PENDING
        return len(self._pending())

    def find(self, query: dict, projection: dict) -> FakeCursor:
        assert query == outbox.IS_PENDING and projection == {outbox.FIELD: 1}
        return FakeCursor({"_id": d["_id"], outbox.FIELD: copy.deepcopy(d[outbox.FIELD])} for d in self._pending())

    def update_many(self, query: dict, update: dict) -> None:
        self.writes += 1
        docs = [self.documents[_id] for _id in query["_id"]["$in"]]
        if "$unset" in update:  # the relay settling the documents whose outbox it emptied
            assert query[outbox.FIELD] == {"$size": 0} and update == {"$unset": {outbox.PENDING: ""}}
            for doc in docs:
                if not doc[outbox.FIELD]:
                    doc.pop(outbox.PENDING, None)
            return
        assert set(update) == {"$pull"}
        published = set(update["$pull"][outbox.FIELD]["id"]["$in"])
        for doc in docs:
            doc[outbox.FIELD] = [e for e in doc[outbox.FIELD] if e["id"] not in published]


def event(event_id: str, subject: str = "idea-1") -> dict:
    return {"id": event_id, "type": "idea.submitted", "subject": subject, "data": {"idea_id": subject}}


def ids(published: list[dict]) -> list[str]:
    return [e["id"] for e in published]


def test_with_events_returns_the_document_carrying_its_events_and_leaves_the_original_alone():
    idea = {"_id": "idea-1", "title": "Dark mode"}
    stored = outbox.with_events(idea, event("e1"), event("e2"))
    assert stored == {"_id": "idea-1", "title": "Dark mode", "outbox": [event("e1"), event("e2")],
                      "outbox_pending": True}
    assert idea == {"_id": "idea-1", "title": "Dark mode"}


def test_recording_adds_the_events_to_an_update_without_a_push():
    update = outbox.recording({"$set": {"status": "planned"}}, event("e1"))
    assert update == {"$set": {"status": "planned", "outbox_pending": True},
                      "$push": {"outbox": {"$each": [event("e1")]}}}


def test_recording_keeps_the_pushes_the_update_already_had():
    entry = {"to": "planned", "by": "pat"}
    original = {"$set": {"status": "planned"}, "$push": {"history": entry}, "$inc": {"version": 1}}
    before = copy.deepcopy(original)

    update = outbox.recording(original, event("e1"), event("e2"))

    assert update == {"$set": {"status": "planned", "outbox_pending": True}, "$inc": {"version": 1},
                      "$push": {"history": entry, "outbox": {"$each": [event("e1"), event("e2")]}}}
    assert original == before  # the caller's update is not changed behind its back


def test_the_relay_publishes_every_pending_event_of_every_collection_and_removes_them():
    ideas = FakeCollection({"_id": "idea-1", "title": "Dark mode", "outbox": [event("e1"), event("e2")]},
                           {"_id": "idea-2", "title": "Quiet", "outbox": []})
    tallies = FakeCollection({"_id": "idea-1", "count": 1, "outbox": [event("e3")]})
    publisher = FakePublisher()
    relay = outbox.Relay([ideas, tallies], publisher)
    assert relay.pending() == 2

    assert relay.run_once() == 3

    assert ids(publisher.published) == ["e1", "e2", "e3"]
    assert relay.pending() == 0
    assert ideas.documents["idea-1"] == {"_id": "idea-1", "title": "Dark mode", "outbox": []}
    assert tallies.documents["idea-1"]["count"] == 1


def test_the_relay_with_nothing_pending_publishes_nothing():
    publisher = FakePublisher()
    assert outbox.Relay([FakeCollection({"_id": "idea-1", "outbox": []})], publisher).run_once() == 0
    assert publisher.published == []


def test_the_relay_takes_at_most_a_batch_of_documents_per_collection_at_a_time():
    collection = FakeCollection(*({"_id": f"idea-{n}", "outbox": [event(f"e{n}")]} for n in range(5)))
    publisher = FakePublisher()
    relay = outbox.Relay([collection], publisher, batch_size=2)

    assert [relay.run_once() for _ in range(4)] == [2, 2, 1, 0]
    assert sorted(ids(publisher.published)) == [f"e{n}" for n in range(5)]


def test_the_relay_clears_a_whole_batch_of_documents_in_two_writes():
    collection = FakeCollection(*({"_id": f"idea-{n}", "outbox": [event(f"e{n}a"), event(f"e{n}b")]}
                                  for n in range(50)))
    publisher = FakePublisher()

    assert outbox.Relay([collection], publisher).run_once() == 100

    assert collection.writes == 2
    assert len(publisher.published) == 100
    assert all(d["outbox"] == [] and outbox.PENDING not in d for d in collection.documents.values())


def test_when_publishing_fails_the_events_stay_in_their_documents_and_a_later_run_publishes_them():
    collection = FakeCollection({"_id": "idea-1", "outbox": [event("e1"), event("e2")]})
    with pytest.raises(KafkaTimeoutError):
        outbox.Relay([collection], FakePublisher(fail=True)).run_once()
    assert ids(collection.documents["idea-1"]["outbox"]) == ["e1", "e2"]

    publisher = FakePublisher()
    assert outbox.Relay([collection], publisher).run_once() == 2
    assert ids(publisher.published) == ["e1", "e2"]
    assert collection.documents["idea-1"]["outbox"] == []


def test_an_event_recorded_while_the_relay_published_stays_for_the_next_run():
    collection = FakeCollection({"_id": "idea-1", "outbox": [event("e1")]})

    class RacingPublisher(FakePublisher):
        def publish(self, batch):
            super().publish(batch)
            if len(self.published) == 1:  # a write lands between the read and the removal
                collection.documents["idea-1"]["outbox"].append(event("e2"))

    publisher = RacingPublisher()
    relay = outbox.Relay([collection], publisher)
    assert relay.run_once() == 1
    assert ids(collection.documents["idea-1"]["outbox"]) == ["e2"]
    assert relay.run_once() == 1
    assert ids(publisher.published) == ["e1", "e2"]


def test_the_running_relay_rides_out_a_broker_outage_and_publishes_when_it_returns():
    collection = FakeCollection({"_id": "idea-1", "outbox": [event("e1")]})

    class CountingPublisher(FakePublisher):
        attempts = 0

        def publish(self, batch):
            self.attempts += 1
            super().publish(batch)

    publisher = CountingPublisher(fail=True)
    relay = outbox.Relay([collection], publisher)
    stopping = threading.Event()
    thread = threading.Thread(target=relay.run, args=(stopping,), kwargs={"idle_seconds": 0.01,
                                                                         "retry_seconds": 0.01})
    thread.start()
    try:
        wait_for(lambda: publisher.attempts >= 3, timeout=2, what="the relay retrying")
        assert thread.is_alive() and relay.pending() == 1
        publisher.fail = False  # the broker is back
        wait_for(lambda: relay.pending() == 0, timeout=5, what="the outbox emptied")
        assert ids(publisher.published) == ["e1"]
    finally:
        stopping.set()
        thread.join(timeout=5)
    assert not thread.is_alive()
