"""Reconciling tallies against the real database: a recount of the stored votes, and the repair of a wrong tally."""
import csv
import io

import pytest

from idealab_testing import applier
from votes import cli, handlers

pytestmark = pytest.mark.integration


@pytest.fixture
def counted_votes(client, bearer, store, threshold, event, idea_id):
    """Two votes cast through the API and counted by the worker's handler."""
    apply = applier(handlers.event_handlers(store, threshold))
    apply(event.submitted(idea_id))
    for voter in ("ann", "bob"):
        assert client.post(f"/api/votes/ideas/{idea_id}", headers=bearer(voter)).status_code == 201
    for doc in store.votes.find({"idea_id": idea_id}, {"outbox": 1}):
        for envelope in doc["outbox"]:
            apply(envelope)
    return 2


def test_a_tally_that_matches_its_votes_is_reported_right(store, threshold, counted_votes, idea_id):
    [recount] = handlers.reconcile_tallies(store, threshold)
    assert (recount.idea_id, recount.tally, recount.live, recount.wrong) == (
        idea_id, counted_votes, counted_votes, False)


def test_a_wrong_tally_is_repaired_to_its_live_votes_and_the_change_announced(
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


@pytest.fixture
def operator_env(worker_env, monkeypatch, threshold):
    """The environment the operator runs `python -m votes.cli` in: the service's, over this test's database."""
    for name, value in worker_env("votes", VOTE_THRESHOLD=str(threshold)).items():
        monkeypatch.setenv(name, value)


def test_the_reconcile_command_prints_a_csv_and_exits_1_until_a_wrong_tally_is_repaired(
        operator_env, store, counted_votes, idea_id, capsys):
    assert cli.main(["reconcile-tallies"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["idea_id"], r["tally"], r["wrong"]) for r in rows] == [(idea_id, str(counted_votes), "False")]

    store.tallies.update_one({"_id": idea_id}, {"$inc": {"count": -1}})
    assert cli.main(["reconcile-tallies"]) == 1
    capsys.readouterr()
    assert cli.main(["reconcile-tallies", "--repair"]) == 0
    assert cli.main(["reconcile-tallies"]) == 0


def test_the_tallies_export_as_csv(operator_env, counted_votes, idea_id, capsys):
    assert cli.main(["export-tallies"]) == 0
    assert list(csv.reader(io.StringIO(capsys.readouterr().out))) == [
        ["idea_id", "count", "threshold_reached"], [idea_id, str(counted_votes), "False"]]
