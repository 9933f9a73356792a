"""Every hot read of the roadmap API is answered by an index: each read command the app sends while answering is
explained on the engine as it was sent, and none may be a full scan; the board's deep columns are read above the
floors the worker keeps (no second, unbounded read) and are the columns a sort of every item gives. The same holds
for the initiatives (the board's, "you asked, we did", one initiative) and the Atom feed."""
from datetime import datetime, timedelta, timezone

import pytest

from roadmap.domain import STATUSES
from roadmap.handlers import OPEN_SHOWN
from roadmap.store import BOARD_ORDER, VOTES_ORDER

pytestmark = pytest.mark.integration

NOW = datetime.now(timezone.utc).replace(microsecond=0)
# Items per space and status: the open column is the deep one, as in a real lab.
ITEMS = {None: {"open": 1_500, "under_review": 150, "planned": 40, "launched": 10}, "panel-1": {"open": 400}}


@pytest.fixture
def board(store, mongo_db):
    store.items.insert_many([
        {"_id": f"{space}-{status}-{n}", "title": f"Idea {n}", "space": space, "status": status, "category": "app",
         "history": [{"from": "open", "to": status, "message": "Moved.", "by": "team-1", "at": NOW}],
         "vote_count": n % 37, "updated_at": NOW - timedelta(minutes=n % 700)}
        for space, columns in ITEMS.items() for status, count in columns.items() for n in range(count)])
    for space in ITEMS:
        store.add_list(space)
    store.rank()
    store.initiatives.insert_many([
        {"_id": f"initiative-{space}-{n}", "title": {"en": f"Initiative {n}"}, "description": {}, "owner_team": "app",
         "idea_ids": [f"{space}-planned-{n}", f"{space}-launched-{n % 10}"], "space": space,
         "status": "launched" if n % 3 else "planned", "announced": True, "announced_at": NOW,
         "history": [{"from": None, "to": "planned", "message": "Announced.", "by": "team-1", "at": NOW}],
         "updated_at": NOW - timedelta(minutes=n)}
        for space in (None, "panel-1") for n in range(40 if space is None else 1)])
    return mongo_db


READERS = {"anonymous": ({}, 1), "panel member": ({"spaces": ("panel-1",)}, 2),
           "product team": ({"roles": ("product_team",)}, 1)}


def test_the_board_and_an_item_are_read_by_index_ranges(client, bearer, board, reads):
    for reader, (claims, lists) in READERS.items():
        reads.commands.clear()
        response = client.get("/api/roadmap", headers=bearer("reader", **claims) if claims else {})
        assert response.status_code == 200 and len(response.json["columns"]["open"]) == OPEN_SHOWN
        assert len(response.json["columns"]["planned"]) == 40 and response.json["initiatives"]
        assert reads.full_scans(board) == [], reader
        # Each column of each list, and the initiatives' ideas in one read.
        assert len([c for c in reads.commands if c.get("find") == "items"]) == len(STATUSES) * lists + 1, reader
    reads.commands.clear()
    assert client.get("/api/roadmap", query_string={"category": "app"}).json["columns"]["open"]
    assert reads.full_scans(board) == [], "by category"
    reads.commands.clear()
    assert client.get("/api/roadmap/ideas/None-planned-3").status_code == 200
    assert reads.full_scans(board) == []


def test_columns_read_above_stale_floors_are_those_of_every_item(client, bearer, store, board):
    store.items.update_many({"status": "open", "updated_at": {"$gt": NOW - timedelta(hours=3)}},
                            {"$set": {"status": "declined"}})  # the floors of both columns are stale now
    columns = client.get("/api/roadmap", headers=bearer("reader", spaces=("panel-1",))).json["columns"]
    for status, order, shown in (("open", VOTES_ORDER, OPEN_SHOWN), ("declined", BOARD_ORDER, 100)):
        expected = [i["_id"] for i in store.items.find(
            {"status": status, "space": {"$in": [None, "panel-1"]}}).sort(order).limit(shown)]
        assert [i["idea_id"] for i in columns[status]] == expected


def test_initiatives_one_initiative_and_the_feed_are_read_by_index_ranges(client, bearer, board, reads):
    for path in ("/api/roadmap/initiatives?status=launched", "/api/roadmap/initiatives",
                 "/api/roadmap/initiatives/initiative-None-4", "/api/roadmap/feed.atom"):
        for claims in ({}, {"spaces": ("panel-1",)}, {"roles": ("product_team",)}):
            reads.commands.clear()
            response = client.get(path, headers=bearer("reader", **claims) if claims else {})
            assert response.status_code == 200, (path, claims)
            assert reads.full_scans(board) == [], (path, claims)
