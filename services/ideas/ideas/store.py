"""Every pymongo call of the ideas service."""
from datetime import datetime

from pymongo import ASCENDING, DESCENDING
from pymongo.database import Database

from idealab import outbox

SORT_KEYS = {
    "newest": [("submitted_at", DESCENDING), ("_id", ASCENDING)],
    "most_voted": [("vote_count", DESCENDING), ("submitted_at", DESCENDING), ("_id", ASCENDING)],
}


class IdeaStore:
    def __init__(self, db: Database):
        self.ideas = db["ideas"]

    def ensure_indexes(self) -> None:
        for keys in SORT_KEYS.values():
            self.ideas.create_index(keys)
        outbox.ensure_indexes(self.ideas)

    def add(self, idea: dict, event: dict) -> None:
        self.ideas.insert_one(outbox.with_events(idea, event))

    def get(self, idea_id: str) -> dict | None:
        return self.ideas.find_one({"_id": idea_id}, {outbox.FIELD: 0})

    def list(self, sort: str, limit: int, offset: int, spaces: list[str | None] | None) -> list[dict]:
        """A page of the ideas in `spaces` (None: the public lab; the argument None: every space)."""
        query = {} if spaces is None else {"space": {"$in": spaces}}
        return list(self.ideas.find(query, {outbox.FIELD: 0}).sort(SORT_KEYS[sort]).skip(offset).limit(limit))

    def by_author(self, author_id: str) -> "list[dict]":  # quoted: `list` here is the method above
        return list(self.ideas.find({"author_id": author_id}, {outbox.FIELD: 0}).sort(SORT_KEYS["newest"]))

    def forget_author(self, author_id: str) -> None:
        # The ideas stay (honesty: nothing is deleted), attributed to nobody: the web lab shows "deleted member".
        self.ideas.update_many({"author_id": author_id}, {"$set": {"author_id": None}})

    def set_tally(self, idea_id: str, count: int, version: int) -> None:
        # Only a newer tally replaces the one shown: replays and out-of-order copies change nothing.
        self.ideas.update_one({"_id": idea_id, "tally_version": {"$lt": version}},
                              {"$set": {"vote_count": count, "tally_version": version}})

    def set_status(self, idea_id: str, status: str, changed_at: datetime) -> None:
        self.ideas.update_one({"_id": idea_id, "$or": [{"status_changed_at": {"$lte": changed_at}},
                                                 {"status_changed_at": {"$exists": False}}]},
                              {"$set": {"status": status, "status_changed_at": changed_at}})
