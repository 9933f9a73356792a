"""The conditional writes and the counts of the votes store that exact tallies rest on, against the real database."""
from datetime import datetime, timezone

import pytest

from votes import domain
from votes.domain import Tally

pytestmark = pytest.mark.integration

IDEA = "idea-1"
NOW = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)


def recounted(store, before: Tally, count: int) -> Tally:
    after, announced = domain.recounted(before, count, threshold=3)
    assert store.replace_tally(before, after, announced)
    return after


def outbox_size(store) -> int:
    return len(store.tallies.find_one({"_id": IDEA})["outbox"])


def cast(store, voter: str, idea_id: str = IDEA) -> None:
    assert store.insert_vote(idea_id, voter, NOW, domain.vote_cast(idea_id, voter, 1, NOW))


def test_a_tally_is_written_with_its_events_and_read_back(store):
    after = recounted(store, Tally(IDEA), 1)

    assert store.tally(IDEA) == after
    assert outbox_size(store) == 1


def test_a_tally_not_written_yet_reads_as_zero(store):
    assert store.tally(IDEA) == Tally(IDEA)


def test_a_tally_is_not_replaced_from_a_stale_read(store):
    first = recounted(store, Tally(IDEA), 1)
    second = recounted(store, first, 2)

    stale_after, announced = domain.recounted(first, 3, threshold=3)

    assert store.replace_tally(first, stale_after, announced) is False
    assert store.tally(IDEA) == second
    assert outbox_size(store) == 2


def test_only_one_of_two_first_tallies_of_an_idea_is_written(store):
    one, one_events = domain.recounted(Tally(IDEA), 1, threshold=3)
    two, two_events = domain.recounted(Tally(IDEA), 2, threshold=3)

    assert store.replace_tally(Tally(IDEA), one, one_events) is True
    assert store.replace_tally(Tally(IDEA), two, two_events) is False
    assert store.tally(IDEA) == one


def test_a_vote_changes_only_from_the_version_it_was_read_at(store):
    cast(store, "ann")
    assert store.change_vote(IDEA, "ann", 1, False, NOW, domain.vote_withdrawn(IDEA, "ann", 2, NOW))

    assert store.change_vote(IDEA, "ann", 1, False, NOW, domain.vote_withdrawn(IDEA, "ann", 2, NOW)) is False
    assert store.vote(IDEA, "ann")["version"] == 2
    assert len(store.votes.find_one({"_id": domain.vote_id(IDEA, "ann")})["outbox"]) == 2


def test_live_votes_are_counted_per_idea_without_the_withdrawn_ones(store):
    for voter in ("ann", "bob", "cat"):
        cast(store, voter)
    cast(store, "ann", "idea-2")
    store.change_vote(IDEA, "bob", 1, False, NOW, domain.vote_withdrawn(IDEA, "bob", 2, NOW))

    assert store.live_votes(IDEA) == 2
    assert store.live_votes_by_idea() == {IDEA: 2, "idea-2": 1}


def test_the_votes_missing_from_the_database_are_told_apart_from_those_stored(store):
    cast(store, "ann")

    assert store.missing_votes({domain.vote_id(IDEA, "ann"), domain.vote_id(IDEA, "bob")}) == {
        domain.vote_id(IDEA, "bob")}
