"""Reconciling tallies against the real database: a recount of the stored votes, and the repair of a wrong tally."""
import pytest

from idealab.testing import applier
from votes import handlers

pytestmark = pytest.mark.integration


@pytest.fixture
def counted_votes(client, bearer, store, threshold, event, idea_id):
    """Two votes cast through the API and counted by the worker's handlers."""
    apply = applier(handlers.handlers(store, threshold))
    apply(event.submitted(idea_id))
    for voter in ("ann", "bob"):
        assert client.post(f"/api/votes/ideas/{idea_id}", headers=bearer(voter)).status_code == 201
    for doc in store.votes.find({"idea_id": idea_id}, {"outbox": 1}):
        for envelope in doc["outbox"]:
            apply(envelope)
    return 2


def test_a_tally_that_matches_its_votes_is_reported_right(store, threshold, counted_votes, idea_id):
    [recount] = handlers.reconcile_tallies(store, threshold)
    assert (recount.idea_id, recount.tally, recount.counted, recount.live, recount.uncounted) == (
        idea_id, counted_votes, counted_votes, counted_votes, 0)
    assert not recount.wrong


def test_a_wrong_tally_is_repaired_to_its_counted_votes_and_the_change_announced(
        client, store, threshold, counted_votes, idea_id):
    store.tallies.update_one({"_id": idea_id}, {"$inc": {"count": 5}})

    [found] = handlers.reconcile_tallies(store, threshold)
    assert found.wrong and found.tally == counted_votes + 5
    [repaired] = handlers.reconcile_tallies(store, threshold, repair=True)
    assert repaired.wrong, "it reports what it found before repairing"

    assert client.get(f"/api/votes/ideas/{idea_id}").json["count"] == counted_votes
    [after] = handlers.reconcile_tallies(store, threshold)
    assert not after.wrong
    announced = store.tallies.find_one({"_id": idea_id})["outbox"]
    assert announced[-1]["type"] == "tally.changed" and announced[-1]["data"]["count"] == counted_votes
