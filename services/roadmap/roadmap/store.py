"""Every pymongo call of the roadmap service."""
from datetime import datetime

from pymongo import DESCENDING
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from idealab import outbox

from .domain import Move


def visible_in(spaces: list[str | None]) -> dict:
    # An item made by a threshold event read before its idea.submitted has no title and no space yet: it is not
    # shown until its space is known.
    return {"space": {"$in": spaces}, "title": {"$exists": True}}


class RoadmapStore:
    def __init__(self, db: Database):
        self.items = db["items"]

    def ensure_indexes(self) -> None:
        self.items.create_index([("status", 1), ("updated_at", DESCENDING)])
        outbox.ensure_indexes(self.items)

    def add_idea(self, idea_id: str, title: str, submitted_at: datetime, space: str | None) -> None:
        # The status is set only on insert: a threshold event read first may have moved the idea already.
        self.items.update_one({"_id": idea_id}, {"$set": {"title": title, "space": space}, "$setOnInsert": {
            "status": "open", "history": [], "updated_at": submitted_at}}, upsert=True)

    def get(self, idea_id: str) -> dict | None:
        return self.items.find_one({"_id": idea_id}, {outbox.FIELD: 0})

    def by_status(self, spaces: list[str | None] | None, limit_per_status: int = 100) -> dict[str, list[dict]]:
        """The items of `spaces` (None: the public lab; the argument None: every space) by status."""
        query = {} if spaces is None else visible_in(spaces)
        columns: dict[str, list[dict]] = {}
        for item in self.items.find(query, {outbox.FIELD: 0, "history": 0}).sort("updated_at", DESCENDING):
            column = columns.setdefault(item["status"], [])
            if len(column) < limit_per_status:
                column.append(item)
        return columns

    def move(self, idea_id: str, current: str, move: Move, upsert: bool = False) -> bool:
        """Moves the idea from `current` with its event, only if nobody moved it meanwhile; False otherwise."""
        update = outbox.recording({"$set": {"status": move.target, "updated_at": move.entry["at"]},
                                   "$push": {"history": move.entry}}, move.event)
        try:
            result = self.items.update_one({"_id": idea_id, "status": current}, update, upsert=upsert)
        except DuplicateKeyError:
            return False  # upsert met an item that has already left `current`
        return result.modified_count == 1 or result.upserted_id is not None
