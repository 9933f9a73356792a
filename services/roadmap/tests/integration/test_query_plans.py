"""Every hot read of the roadmap API is answered by an index: each read command the app sends while answering is
explained on the engine as it was sent, and none may be a full scan; the board's deep columns are read above the
floors the worker keeps (no second, unbounded read) and are the columns a sort of every item gives."""
from datetime import datetime, timedelta, timezone

import pytest
from pymongo import MongoClient

from idealab.mongo import ReadCommands, explain, full_scans
from roadmap.app import create_app
from roadmap.domain import STATUSES
from roadmap.store import BOARD_ORDER

pytestmark = pytest.mark.integration

NOW = datetime.now(timezone.utc).replace(microsecond=0)
# Items per space and status: the open column is the deep one, as in a real lab.
ITEMS = {None: {"open": 1_500, "under_review": 150, "planned": 40, "launched": 10}, "panel-1": {"open": 400}}


@pytest.fixture
def reads():
    return ReadCommands()


@pytest.fixture
def app(servers, service_settings, mongo_db, reads):
    client = MongoClient(servers.mongodb, tz_aware=True, event_listeners=[reads])
    yield create_app(service_settings("roadmap"), db=client[mongo_db.name])
    client.close()


@pytest.fixture
def board(store, mongo_db):
    store.items.insert_many([
        {"_id": f"{space}-{status}-{n}", "title": f"Idea {n}", "space": space, "status": status, "history": [],
         "updated_at": NOW - timedelta(minutes=n % 700)}
        for space, columns in ITEMS.items() for status, count in columns.items() for n in range(count)])
    for space in ITEMS:
        store.add_list(space)
    store.rank()
    return mongo_db


READERS = {"anonymous": ({}, 1), "panel member": ({"spaces": ("panel-1",)}, 2),
           "product team": ({"roles": ("product_team",)}, 1)}


def test_the_board_and_an_item_are_read_by_index_ranges(client, bearer, board, reads):
    for reader, (claims, lists) in READERS.items():
        reads.commands.clear()
        response = client.get("/api/roadmap", headers=bearer("reader", **claims) if claims else {})
        assert response.status_code == 200 and len(response.json["columns"]["open"]) == 100
        assert [scan for c in reads.commands for scan in full_scans(explain(board, c))] == [], reader
        assert len([c for c in reads.commands if c.get("find") == "items"]) == len(STATUSES) * lists, reader
    reads.commands.clear()
    assert client.get("/api/roadmap/ideas/None-planned-3").status_code == 200
    assert [scan for c in reads.commands for scan in full_scans(explain(board, c))] == []


def test_columns_read_above_stale_floors_are_those_of_every_item(client, bearer, store, board):
    store.items.update_many({"status": "open", "updated_at": {"$gt": NOW - timedelta(hours=3)}},
                            {"$set": {"status": "declined"}})  # the floors of both columns are stale now
    columns = client.get("/api/roadmap", headers=bearer("reader", spaces=("panel-1",))).json["columns"]
    for status in ("open", "declined"):
        expected = [i["_id"] for i in store.items.find(
            {"status": status, "space": {"$in": [None, "panel-1"]}}).sort(BOARD_ORDER).limit(100)]
        assert [i["idea_id"] for i in columns[status]] == expected
