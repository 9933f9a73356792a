"""The conditional writes of the votes store that exact counting rests on, against the real database."""
from datetime import datetime, timezone

import pytest

from votes import domain
from votes.domain import Mark, Tally

pytestmark = pytest.mark.integration

IDEA = "idea-1"
NOW = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)


def counted(store, before: Tally, voter: str) -> Tally:
    """`before` with the first vote of `voter` counted, written; the vote's mark is left pending."""
    after, announced = domain.count_vote(before, False, Mark(voter, 1, True), 3)
    assert store.replace_tally(before, after, announced)
    return after


def outbox_size(store) -> int:
    return len(store.tallies.find_one({"_id": IDEA})["outbox"])


def test_a_tally_is_written_with_its_events_and_read_back_with_its_pending_mark(store):
    after = counted(store, Tally(IDEA), "ann")

    assert store.tally(IDEA) == after
    assert outbox_size(store) == 1


def test_a_tally_not_written_yet_reads_as_zero(store):
    assert store.tally(IDEA) == Tally(IDEA)


def test_a_tally_is_not_replaced_from_a_stale_read(store):
    first = counted(store, Tally(IDEA), "ann")
    second = counted(store, first, "bob")

    stale_after, announced = domain.count_vote(first, False, Mark("cat", 1, True), 3)

    assert store.replace_tally(first, stale_after, announced) is False
    assert store.tally(IDEA) == second
    assert outbox_size(store) == 2


def test_only_one_of_two_first_tallies_of_an_idea_is_written(store):
    ann, ann_events = domain.count_vote(Tally(IDEA), False, Mark("ann", 1, True), 3)
    bob, bob_events = domain.count_vote(Tally(IDEA), False, Mark("bob", 1, True), 3)

    assert store.replace_tally(Tally(IDEA), ann, ann_events) is True
    assert store.replace_tally(Tally(IDEA), bob, bob_events) is False
    assert store.tally(IDEA).pending == Mark("ann", 1, True)


def test_clearing_the_pending_mark_of_an_older_tally_leaves_a_newer_pending_mark(store):
    first = counted(store, Tally(IDEA), "ann")
    second = counted(store, first, "bob")

    store.clear_pending(first)

    assert store.tally(IDEA).pending == Mark("bob", 1, True)
    store.clear_pending(second)
    assert store.tally(IDEA).pending is None


def test_marking_a_vote_counted_at_an_older_version_does_not_undo_a_newer_mark(store):
    store.insert_vote(IDEA, "ann", NOW, domain.vote_cast(IDEA, "ann", 1, NOW))

    store.mark_counted(IDEA, Mark("ann", 2, False))
    store.mark_counted(IDEA, Mark("ann", 1, True))  # a late finisher of the older count

    vote = store.vote(IDEA, "ann")
    assert (vote["counted_version"], vote["counted_live"]) == (2, False)


def test_a_vote_changes_only_from_the_version_it_was_read_at(store):
    store.insert_vote(IDEA, "ann", NOW, domain.vote_cast(IDEA, "ann", 1, NOW))
    assert store.change_vote(IDEA, "ann", 1, False, NOW, domain.vote_withdrawn(IDEA, "ann", 2, NOW))

    assert store.change_vote(IDEA, "ann", 1, False, NOW, domain.vote_withdrawn(IDEA, "ann", 2, NOW)) is False
    assert store.vote(IDEA, "ann")["version"] == 2
    assert len(store.votes.find_one({"_id": domain.vote_id(IDEA, "ann")})["outbox"]) == 2
