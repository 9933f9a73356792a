"""Exact tallies from consumed vote events: the real events the API wrote (taken from the vote documents' outbox)
handed to the worker's handler as the consumer loop does, one by one or in batches, delivered again, out of order,
after a crash, and while another worker counts the same idea."""
import random

import pytest

from idealab_testing import as_consumed
from votes import handlers

pytestmark = pytest.mark.integration

IDEA = "idea-1"
# Who does what through the API, in this order. With a threshold of 3 it is crossed at cat's first vote, the count
# goes down and up again, and it ends with ann, dan and cat voting.
STORY = [("ann", "post"), ("bob", "post"), ("cat", "post"), ("bob", "delete"), ("dan", "post"),
         ("cat", "delete"), ("cat", "post"), ("eve", "post"), ("eve", "delete")]
COUNTS = [1, 2, 3, 2, 3, 2, 3, 4, 3]
LIVE_AT_THE_END = 3


@pytest.fixture
def vote(client, bearer, store, event, threshold):
    """vote(voter, "post" or "delete", idea) through the API; returns the event it wrote."""
    assert threshold == 3
    opened = set()

    def voting(voter: str, method: str, idea_id: str = IDEA) -> dict:
        if idea_id not in opened:
            handlers.on_idea_submitted(store, as_consumed(event.submitted(idea_id)))
            opened.add(idea_id)
        response = getattr(client, method)(f"/api/votes/ideas/{idea_id}", headers=bearer(voter))
        assert response.status_code in (201, 204), response.get_json()
        return store.votes.find_one({"idea_id": idea_id, "voter_id": voter})["outbox"][-1]
    return voting


@pytest.fixture
def story(vote) -> list[dict]:
    """STORY told through the API, its events not handled yet: as if the worker were away meanwhile."""
    return [vote(voter, method) for voter, method in STORY]


@pytest.fixture
def deliver(store, threshold):
    """Hands envelopes to the votes handler as the consumer loop does: in runs of `batch` records (all at once by
    default)."""
    recount = handlers.event_handlers(store, threshold)["vote.cast"]

    def delivering(envelopes: list[dict], batch: int | None = None) -> None:
        consumed = [as_consumed(e) for e in envelopes]
        size = batch or len(consumed) or 1
        for start in range(0, len(consumed), size):
            recount.handle(consumed[start:start + size])
    return delivering


def announced(store, event_type: str, idea_id: str = IDEA) -> list[dict]:
    return [e["data"] for e in store.tallies.find_one({"_id": idea_id})["outbox"] if e["type"] == event_type]


def snapshot(store) -> tuple:
    return store.tally(IDEA), store.tallies.find_one({"_id": IDEA})["outbox"]


def assert_exact(store) -> None:
    """The tally counts every live vote once, and each change was announced once, in order, up to this count."""
    tally = store.tally(IDEA)
    assert tally.count == store.live_votes(IDEA) == LIVE_AT_THE_END
    changes = announced(store, "tally.changed")
    assert [c["version"] for c in changes] == list(range(1, tally.version + 1))
    assert changes[-1]["count"] == tally.count
    [reached] = announced(store, "idea.threshold_reached")
    assert reached["threshold"] == 3 and reached["count"] >= 3


def test_votes_handled_as_they_come_announce_each_tally_they_led_to(store, client, vote, deliver):
    for voter, method in STORY:
        deliver([vote(voter, method)])

    assert_exact(store)
    assert [c["count"] for c in announced(store, "tally.changed")] == COUNTS
    assert announced(store, "idea.threshold_reached") == [{"idea_id": IDEA, "count": 3, "threshold": 3}]
    shown = client.get(f"/api/votes/ideas/{IDEA}").get_json()
    assert (shown["count"], shown["threshold_reached"]) == (LIVE_AT_THE_END, True)


def test_a_batch_of_vote_events_recounts_each_idea_once_and_announces_it_once(store, vote, story, deliver):
    other = [vote("ann", "post", "idea-2"), vote("bob", "post", "idea-2")]

    deliver(story[:4] + other + story[4:])

    assert_exact(store)
    assert announced(store, "tally.changed") == [{"idea_id": IDEA, "count": LIVE_AT_THE_END, "version": 1}]
    assert announced(store, "tally.changed", "idea-2") == [{"idea_id": "idea-2", "count": 2, "version": 1}]


def test_a_vote_cast_and_withdrawn_within_one_batch_writes_no_tally(store, vote, deliver):
    deliver([vote("ann", "post"), vote("ann", "delete")])

    assert store.tallies.count_documents({}) == 0
    assert store.tally(IDEA).count == 0


@pytest.mark.parametrize("batch", [1, 4, None], ids=["one-by-one", "in-fours", "all-at-once"])
def test_replaying_every_vote_event_once_or_twice_more_changes_nothing(store, story, deliver, batch):
    deliver(story)
    before = snapshot(store)

    deliver(story, batch=batch)
    deliver(story, batch=batch)

    assert snapshot(store) == before
    assert_exact(store)


def test_events_published_twice_in_a_row_are_counted_once(store, story, deliver):
    # The outbox relay publishes again when it stops between publishing and removing the events.
    deliver([event for event in story for _ in range(2)], batch=2)

    assert_exact(store)
    assert store.tally(IDEA).version == 1


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_late_copies_and_any_order_of_the_vote_events_end_with_the_exact_tally(store, story, deliver, seed):
    deliver(random.Random(seed).sample(story, len(story)), batch=seed)
    before = snapshot(store)

    deliver(list(reversed(story)), batch=seed)

    assert snapshot(store) == before
    assert_exact(store)


@pytest.mark.parametrize("crashed", [1, 3, 4, 7, 9], ids=["ann casts", "cat crosses the threshold",
                                                        "bob withdraws", "cat casts again", "eve withdraws"])
def test_events_read_again_after_a_crash_between_the_tally_write_and_the_commit_are_not_counted_again(
        store, vote, deliver, crashed):
    written = []
    for voter, method in STORY[:crashed]:  # the worker handles them as they come, commits all but the last
        written.append(vote(voter, method))
        deliver(written[-1:])
    written += [vote(voter, method) for voter, method in STORY[crashed:]]  # while no worker reads

    deliver(written[crashed - 1:])  # the next owner reads from the last uncommitted offset

    assert_exact(store)
    # What was announced live, then the one recount of what happened while no worker read, if it changed the count.
    since = [LIVE_AT_THE_END] if COUNTS[crashed - 1] != LIVE_AT_THE_END else []
    assert [c["count"] for c in announced(store, "tally.changed")] == COUNTS[:crashed] + since


def test_a_count_taken_before_another_workers_tally_write_does_not_overwrite_it(
        store, vote, deliver, monkeypatch):
    # A rebalance lets two workers handle one idea for a moment: A counts ann's vote; before A writes, B handles
    # bob's later vote and writes its count. A's older count must not replace it.
    ann = vote("ann", "post")
    live_votes = store.live_votes

    def meanwhile_worker_b(idea_id):
        counted = live_votes(idea_id)
        monkeypatch.setattr(store, "live_votes", live_votes)
        deliver([vote("bob", "post")])
        return counted
    monkeypatch.setattr(store, "live_votes", meanwhile_worker_b)

    deliver([ann])  # worker A

    assert store.tally(IDEA).count == store.live_votes(IDEA) == 2
    assert [c["count"] for c in announced(store, "tally.changed")] == [2]


def test_a_vote_event_whose_vote_is_not_stored_is_refused_and_counts_nothing(store, event, deliver):
    # The votes database restored from a backup older than the vote: the consumer dead-letters the event.
    with pytest.raises(handlers.VoteMissing, match=f"{IDEA}:ann"):
        deliver([event.vote_cast(IDEA, "ann")])

    assert store.tallies.count_documents({}) == 0
