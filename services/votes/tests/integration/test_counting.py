"""Exact tallies from consumed vote events: the real events the API wrote (taken from the vote documents' outbox)
handed to the worker's handlers, delivered again, out of order, and around a crash."""
import random
from datetime import datetime, timezone

import pytest

from idealab.events import new_event
from idealab.testing import as_consumed
from votes import domain, handlers

pytestmark = pytest.mark.integration

IDEA = "idea-1"
# Who does what through the API, in this order. With a threshold of 3 it is crossed at cat's first vote, the count
# goes down and up again, and it ends with ann, dan and cat voting.
STORY = [("ann", "post"), ("bob", "post"), ("cat", "post"), ("bob", "delete"), ("dan", "post"),
         ("cat", "delete"), ("cat", "post"), ("eve", "post"), ("eve", "delete")]
LIVE_AT_THE_END = 3


@pytest.fixture
def events(client, bearer, store, threshold) -> list[dict]:
    """The vote events of STORY, in the order they were written."""
    assert threshold == 3
    handlers.on_idea_submitted(store, as_consumed(new_event("idea.submitted", {
        "idea_id": IDEA, "title": "Block a lost card", "description": "One tap.", "category": "cards",
        "author_id": "ann", "submitted_at": datetime(2025, 3, 1, tzinfo=timezone.utc)},
        source="/ideas", subject=IDEA)))
    for voter, method in STORY:
        response = getattr(client, method)(f"/api/votes/ideas/{IDEA}", headers=bearer(voter))
        assert response.status_code in (201, 204), response.get_json()
    written = [event for doc in store.votes.find({}, {"outbox": 1}) for event in doc["outbox"]]
    assert len(written) == len(STORY)
    return sorted(written, key=lambda e: (datetime.fromisoformat(e["time"]), e["data"]["vote_version"]))


@pytest.fixture
def deliver(store, threshold):
    """Hands envelopes to the votes consumer's handlers, as read from `partition` from offset `first` on."""
    table = handlers.handlers(store, threshold)

    def delivering(envelopes: list[dict], partition: int = 0, first: int = 0) -> None:
        for offset, envelope in enumerate(envelopes, start=first):
            table[envelope["type"]](as_consumed(envelope, partition, offset))
    return delivering


def crash_after_tally_write(store, threshold, envelope: dict) -> None:
    """What the handler does up to its tally write, and no further: the tally counts the vote and names it as
    pending; the vote document does not say it was counted."""
    event = as_consumed(envelope)
    before = store.tally(event.data["idea_id"])
    assert before.pending is None
    vote = store.vote(event.data["idea_id"], event.data["voter_id"])
    mark = domain.Mark(event.data["voter_id"], event.data["vote_version"], event.type == "vote.cast")
    after, announced = domain.count_vote(before, vote["counted_live"], mark, threshold)
    assert store.replace_tally(before, after, announced)


def announced(store, event_type: str) -> list[dict]:
    return [e["data"] for e in store.tallies.find_one({"_id": IDEA})["outbox"] if e["type"] == event_type]


def snapshot(store) -> tuple:
    tally = store.tally(IDEA)
    return tally, len(store.tallies.find_one({"_id": IDEA})["outbox"]), sorted(
        (v["_id"], v["counted_version"], v["counted_live"]) for v in store.votes.find({}, {"outbox": 0}))


def assert_exact(store) -> None:
    """The tally counts every live vote once, nothing is left half done, and each change was announced once."""
    tally = store.tally(IDEA)
    assert tally.count == store.live_votes(IDEA) == LIVE_AT_THE_END
    assert tally.pending is None
    for vote in store.votes.find({"idea_id": IDEA}, {"outbox": 0}):
        assert (vote["counted_version"], vote["counted_live"]) == (vote["version"], vote["live"]), vote["_id"]
    changes = announced(store, "tally.changed")
    assert [c["version"] for c in changes] == list(range(1, tally.version + 1))
    assert changes[-1]["count"] == tally.count
    assert announced(store, "idea.threshold_reached") == [{"idea_id": IDEA, "count": 3, "threshold": 3}]


def test_the_tally_equals_the_live_votes_once_every_vote_event_is_handled(store, client, events, deliver):
    deliver(events)

    assert_exact(store)
    assert store.tally(IDEA).version == len(events)
    shown = client.get(f"/api/votes/ideas/{IDEA}").get_json()
    assert (shown["count"], shown["threshold_reached"]) == (LIVE_AT_THE_END, True)


def test_each_vote_event_announces_the_tally_it_led_to(store, events, deliver):
    deliver(events)

    assert [c["count"] for c in announced(store, "tally.changed")] == [1, 2, 3, 2, 3, 2, 3, 4, 3]


def test_replaying_every_vote_event_from_the_same_offsets_changes_nothing(store, events, deliver):
    deliver(events)
    before = snapshot(store)

    deliver(events)

    assert snapshot(store) == before
    assert_exact(store)


def test_replaying_every_vote_event_from_another_partition_and_offsets_changes_nothing(store, events, deliver):
    deliver(events)
    before = snapshot(store)

    deliver(events, partition=2, first=1000)

    assert snapshot(store) == before
    assert_exact(store)


def test_events_published_twice_in_a_row_are_counted_once(store, events, deliver):
    # The outbox relay publishes again when it stops between publishing and removing the events.
    deliver([event for event in events for _ in range(2)])

    assert_exact(store)
    assert store.tally(IDEA).version == len(events)


def test_late_copies_of_older_events_arriving_after_newer_ones_change_nothing(store, events, deliver):
    deliver(events)
    before = snapshot(store)

    deliver(list(reversed(events)), first=len(events))
    deliver(random.Random(7).sample(events, len(events)), first=2 * len(events))

    assert snapshot(store) == before
    assert_exact(store)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_vote_events_delivered_in_any_order_end_with_the_exact_tally(store, events, deliver, seed):
    deliver(random.Random(seed).sample(events, len(events)))

    assert_exact(store)


@pytest.mark.parametrize("crashed", [0, 2, 3, 6, 8], ids=["ann casts", "cat crosses the threshold",
                                                        "bob withdraws", "cat casts again", "eve withdraws"])
def test_a_crash_between_the_tally_write_and_marking_the_vote_ends_exact_once_the_event_is_delivered_again(
        store, threshold, events, deliver, crashed):
    deliver(events[:crashed])
    crash_after_tally_write(store, threshold, events[crashed])

    deliver(events[crashed:], first=crashed)  # the offset was not committed: read again from the crashed event

    assert_exact(store)
    assert store.tally(IDEA).version == len(events)


@pytest.mark.parametrize("crashed", [0, 2, 3, 6])
def test_a_crash_between_the_tally_write_and_marking_the_vote_ends_exact_when_other_events_come_first(
        store, threshold, events, deliver, crashed):
    deliver(events[:crashed])
    crash_after_tally_write(store, threshold, events[crashed])

    deliver(events[crashed + 1:], partition=1, first=crashed + 1)
    deliver([events[crashed]], first=crashed)
    deliver(events, partition=2)  # and a full replay for good measure

    assert_exact(store)


def test_a_crash_at_the_last_event_is_finished_by_its_redelivery_without_announcing_again(
        store, threshold, events, deliver):
    deliver(events[:-1])
    crash_after_tally_write(store, threshold, events[-1])
    crashed = snapshot(store)

    deliver(events[-1:], first=len(events) - 1)

    tally = store.tally(IDEA)
    assert (tally.count, tally.version) == (crashed[0].count, crashed[0].version)
    assert_exact(store)


def test_a_count_left_pending_by_another_process_is_not_lost_while_this_one_finishes_an_older_one(
        store, threshold, events, deliver, monkeypatch):
    # A rebalance: process C stopped after its tally write for ann's vote. Process A, handling bob's vote, finishes
    # C's count; between marking ann's vote and clearing the tally, process B (the partition's new owner) finishes
    # it too, then stops after its own tally write for cat's vote. A must not count over B's pending count.
    ann, bob, cat = events[:3]
    crash_after_tally_write(store, threshold, ann)
    clear_pending = store.clear_pending

    def meanwhile_process_b(tally):
        monkeypatch.setattr(store, "clear_pending", clear_pending)
        deliver([ann], partition=0, first=0)
        crash_after_tally_write(store, threshold, cat)
        clear_pending(tally)
    monkeypatch.setattr(store, "clear_pending", meanwhile_process_b)

    deliver([bob], first=1)  # process A
    deliver(events, first=0)  # whoever owns the partition next reads it again from the uncommitted offsets

    assert_exact(store)
