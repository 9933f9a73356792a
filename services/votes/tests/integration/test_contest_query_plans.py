"""Every read of contests is answered by an index: the lists and a contest's page, the clock's due contests, a
round's entries and their votes at its closing instant, and its scoresheets; explained as sent, none a full scan."""
from datetime import datetime, timedelta, timezone

import pytest

from votes import contest_handlers

pytestmark = pytest.mark.integration

NOW = datetime.now(timezone.utc)
LATER = NOW + timedelta(days=30)


def round_(n: int, final: bool = False) -> dict:
    return {"round": n, "final": final, "opens_at": NOW, "closes_at": NOW, "judging_ends_at": LATER, "prize": 0}


@pytest.fixture
def contests_lab(store, mongo_db):
    """Three hundred contests (a third in spaces, one due now), 2,000 other ideas and 600 entries of one contest,
    6,000 votes, and scoresheets."""
    store.contests.contests.insert_many([
        {"_id": f"k{n:03d}", "space": f"panel-{n % 10}" if n % 3 == 0 else None, "opens_at": NOW,
         "next_due_at": NOW if n == 7 else LATER, "step": 0, "revision": 1, "title": {"en": "K"},
         "description": {"en": "K"}, "currency": "EUR", "shortlist_size": 3, "jury": {"kind": "role", "members": []},
         "criteria": [{"id": "saving", "name": {"en": "Saving"}}], "rounds": [round_(1), round_(2, final=True)]}
        for n in range(300)])
    store.ideas.insert_many([{"_id": f"idea-{n}", "submitted_at": NOW, "space": None} for n in range(2_000)])
    store.ideas.insert_many([{"_id": f"entry-{n}", "submitted_at": NOW, "space": None, "contest_id": "k007",
                              "round": 1} for n in range(600)])
    store.votes.insert_many([{"_id": f"entry-{n % 600}:m{n}", "idea_id": f"entry-{n % 600}", "voter_id": f"m{n}",
                              "live": n % 10 != 0, "version": 1, "cast_at": NOW - timedelta(minutes=1)}
                             for n in range(6_000)])
    store.contests.scoresheets.insert_many([{"_id": f"k{n % 300:03d}:1:j{n}", "contest_id": f"k{n % 300:03d}",
                                             "round": 1, "juror_id": f"j{n}", "scores": {}, "scored_at": NOW}
                                            for n in range(3_000)])
    return mongo_db


def test_contest_lists_pages_the_clock_votes_at_an_instant_and_scoresheets_read_only_by_index(
        contests_lab, client, store, bearer, reads):
    reads.commands.clear()
    for headers in ({}, bearer("ann", spaces=("panel-3",)), bearer("pat", roles=("product_team",))):
        assert client.get("/api/votes/contests", headers=headers).status_code == 200
    assert client.get("/api/votes/contests/k001", headers=bearer("ann")).status_code == 200
    assert client.get("/api/votes/contests/k001/rounds/1/scoresheet", headers=bearer("j1")).status_code == 200
    assert contest_handlers.run_clock(store.contests, NOW + timedelta(seconds=5)) == 1
    store.contests.scoresheets_of("k007", 1, LATER)

    assert {name for command in reads.commands for name in ("find", "aggregate") if name in command}
    assert reads.full_scans(contests_lab) == []
