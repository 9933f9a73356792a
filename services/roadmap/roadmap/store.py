"""Every pymongo call of the roadmap service.

The board's columns are read as the ideas service reads its lists (see its store): each column of each list (the
public lab, a space, every space for staff) above the floors of its `updated_at` order that the worker refreshes,
an index range of about a hundred items rather than a sort of every item in that status.
"""
from datetime import datetime

from pymongo import ASCENDING, DESCENDING
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from idealab import mongo, outbox

from .domain import STATUSES, Move

BOARD_ORDER = [("updated_at", DESCENDING), ("_id", ASCENDING)]


def column(list_id: str, status: str) -> dict:
    """The items of one list in `status`. An item made by a threshold event read before its idea.submitted has no
    title and no space yet: only staff (every space) see it until its space is known."""
    shown = {} if list_id == mongo.EVERY_SPACE else {"title": {"$exists": True}}
    return {**mongo.in_list(list_id), "status": status, **shown}


class RoadmapStore:
    def __init__(self, db: Database):
        self.items = db["items"]
        # The ranked read model: one document per list, {_id: its ranking id, <status>: the floors of its column}.
        self.rankings = db["rankings"]

    def ensure_indexes(self) -> None:
        self.items.create_index([("status", ASCENDING), *BOARD_ORDER])  # every space
        self.items.create_index([("status", ASCENDING), ("space", ASCENDING), *BOARD_ORDER])
        outbox.ensure_indexes(self.items)

    def add_idea(self, idea_id: str, title: str, submitted_at: datetime, space: str | None) -> None:
        # The status is set only on insert: a threshold event read first may have moved the idea already.
        self.items.update_one({"_id": idea_id}, {"$set": {"title": title, "space": space}, "$setOnInsert": {
            "status": "open", "history": [], "updated_at": submitted_at}}, upsert=True)

    def get(self, idea_id: str) -> dict | None:
        return self.items.find_one({"_id": idea_id}, {outbox.FIELD: 0})

    def by_status(self, spaces: list[str | None] | None, limit_per_status: int = 100) -> dict[str, list[dict]]:
        """The items of `spaces` (None: the public lab; the argument None: every space) by status, the most recently
        moved first."""
        ids = mongo.list_ids(spaces)
        floors = {r["_id"]: r for r in self.rankings.find({"_id": {"$in": ids}})}
        columns = {}
        for status in STATUSES:
            items = [item for i in ids for item in mongo.ranked(
                self.items, column(i, status), BOARD_ORDER, 0, limit_per_status, floors.get(i, {}).get(status, []),
                {outbox.FIELD: 0, "history": 0})]
            if items:
                columns[status] = sorted(items, key=mongo.in_order(BOARD_ORDER))[:limit_per_status]
        return columns

    def add_list(self, space: str | None) -> None:
        """Ranks the list of `space` from now on (its first idea was submitted)."""
        [list_id] = mongo.list_ids([space])
        self.rankings.update_one({"_id": list_id}, {"$setOnInsert": {"space": space}}, upsert=True)

    def rank(self) -> None:
        """Finds again the floors of every list's columns."""
        known = {r["_id"]: r for r in self.rankings.find()}  # one per space: small
        for list_id in {mongo.EVERY_SPACE, *known}:
            floors = {status: mongo.floors_of(self.items, column(list_id, status), BOARD_ORDER,
                                              known.get(list_id, {}).get(status, [])) for status in STATUSES}
            self.rankings.update_one({"_id": list_id}, {"$set": floors}, upsert=True)

    def move(self, idea_id: str, current: str, move: Move, upsert: bool = False) -> bool:
        """Moves the idea from `current` with its event, only if nobody moved it meanwhile; False otherwise."""
        update = outbox.recording({"$set": {"status": move.target, "updated_at": move.entry["at"]},
                                   "$push": {"history": move.entry}}, move.event)
        try:
            result = self.items.update_one({"_id": idea_id, "status": current}, update, upsert=upsert)
        except DuplicateKeyError:
            return False  # upsert met an item that has already left `current`
        return result.modified_count == 1 or result.upserted_id is not None
