"""Every hot read of the votes service is answered by an index: each read command the API and the recount send is
explained on the engine as it was sent, and none may be a full scan."""
from datetime import datetime, timezone

import pytest

from idealab_testing import as_consumed
from votes import campaigns, handlers

pytestmark = pytest.mark.integration

NOW = datetime.now(timezone.utc)
IDEAS = [f"idea-{n:04d}" for n in range(200)]


@pytest.fixture
def lab(store, mongo_db):
    """Two hundred votable ideas with 6,000 votes between them (one in ten withdrawn), and their tallies."""
    store.ideas.insert_many([{"_id": idea, "submitted_at": NOW, "space": None} for idea in IDEAS])
    store.votes.insert_many([{"_id": f"{IDEAS[n % 200]}:member-{n}", "idea_id": IDEAS[n % 200],
                              "voter_id": f"member-{n}", "live": n % 10 != 0, "version": 1, "cast_at": NOW}
                             for n in range(6_000)])
    for idea in IDEAS[:20]:
        handlers.recount_tally(store, 3, idea)
    return mongo_db


def test_a_tally_a_vote_and_a_recount_read_only_by_index(lab, client, store, bearer, reads):
    reads.commands.clear()
    assert client.get(f"/api/votes/ideas/{IDEAS[1]}", headers=bearer("ann")).status_code == 200
    assert client.post(f"/api/votes/ideas/{IDEAS[2]}", headers=bearer("ann")).status_code == 201
    handlers.recount_tally(store, 3, IDEAS[2])

    assert {name for command in reads.commands for name in ("find", "count", "aggregate") if name in command}
    assert reads.full_scans(lab) == []


@pytest.fixture
def campaigns_lab(store, mongo_db):
    """Three hundred campaigns (a third of them in spaces), one with 3,000 ballots."""
    store.campaigns.insert_many([
        {"_id": f"c{n:03d}", "space": f"panel-{n % 10}" if n % 3 == 0 else None, "opened": n < 250,
         "closed": n < 200, "opens_at": NOW, "closes_at": NOW, "results": "live", "tally_version": 0,
         "options": [{"id": "a", "name": "A"}], "eligibility": {"kind": "everyone"}, "rule": {"kind": "single"}}
        for n in range(300)])
    store.ballots.insert_many([{"_id": f"c{n % 300:03d}:m{n}", "campaign_id": f"c{n % 300:03d}",
                                "voter_id": f"m{n}", "ballot_id": f"b{n}", "choices": {"a": 1}, "version": 1,
                                "first_cast_at": NOW, "cast_at": NOW} for n in range(6_000)])
    return mongo_db


def test_campaign_lists_pages_ballots_recounts_and_the_clock_read_only_by_index(campaigns_lab, client, store,
                                                                                 bearer, reads):
    reads.commands.clear()
    for headers in ({}, bearer("ann", spaces=("panel-3",)), bearer("pat", roles=("product_team",))):
        assert client.get("/api/votes/campaigns", headers=headers).status_code == 200
    assert client.get("/api/votes/campaigns/c001", headers=bearer("ann")).status_code == 200
    handlers.on_ballot_events(store, [as_consumed(campaigns.ballot_cast("c250", "m1", 1, NOW))])
    handlers.run_campaign_clock(store, NOW)

    assert reads.full_scans(campaigns_lab) == []
