"""Every pymongo call of the ideas service."""
from datetime import datetime

from pymongo import ASCENDING, DESCENDING
from pymongo.database import Database

from idealab import outbox

SORT_KEYS = {
    "newest": [("submitted_at", DESCENDING), ("_id", ASCENDING)],
    "most_voted": [("vote_count", DESCENDING), ("submitted_at", DESCENDING), ("_id", ASCENDING)],
    "most_discussed": [("comment_count", DESCENDING), ("submitted_at", DESCENDING), ("_id", ASCENDING)],
}
COMMENT_ORDER = [("posted_at", ASCENDING), ("_id", ASCENDING)]
NOT_HIDDEN = {"hidden": None}


class IdeaStore:
    def __init__(self, db: Database):
        self.ideas = db["ideas"]
        self.comments = db["comments"]
        # One document per image (at most 2 MB, far below BSON's 16 MB): stored by one write, so never half stored,
        # which GridFS (chunks, then the file's document, with no transaction on FerretDB) cannot promise.
        self.images = db["images"]

    def ensure_indexes(self) -> None:
        for keys in SORT_KEYS.values():
            self.ideas.create_index(keys)
        self.comments.create_index([("idea_id", ASCENDING), *COMMENT_ORDER])
        self.images.create_index("owner_id")
        for collection in (self.ideas, self.comments):
            outbox.ensure_indexes(collection)

    def add(self, idea: dict, event: dict) -> None:
        self.ideas.insert_one(outbox.with_events(idea, event))

    def add_image(self, image: dict) -> None:
        self.images.insert_one(image)

    def image(self, image_id: str) -> dict | None:
        return self.images.find_one({"_id": image_id})

    def image_owner(self, image_id: str) -> str | None:
        found = self.images.find_one({"_id": image_id}, {"owner_id": 1})
        return found and found["owner_id"]

    def images_by(self, owner_id: str) -> "list[dict]":
        return list(self.images.find({"owner_id": owner_id}, {"data": 0}).sort("uploaded_at", ASCENDING))

    def get(self, idea_id: str) -> dict | None:
        return self.ideas.find_one({"_id": idea_id}, {outbox.FIELD: 0})

    def list(self, sort: str, limit: int, offset: int, spaces: list[str | None] | None,
             include_hidden: bool = False) -> list[dict]:
        """A page of the ideas in `spaces` (None: the public lab; the argument None: every space); hidden ideas
        only for staff, who review them."""
        query = {} if spaces is None else {"space": {"$in": spaces}}
        if not include_hidden:
            query.update(NOT_HIDDEN)
        return list(self.ideas.find(query, {outbox.FIELD: 0}).sort(SORT_KEYS[sort]).skip(offset).limit(limit))

    def by_author(self, author_id: str) -> "list[dict]":  # quoted: `list` here is the method above
        return list(self.ideas.find({"author_id": author_id}, {outbox.FIELD: 0}).sort(SORT_KEYS["newest"]))

    def forget_author(self, author_id: str) -> None:
        # Ideas and comments stay (honesty: nothing is deleted), attributed to nobody: "deleted member".
        for collection in (self.ideas, self.comments):
            collection.update_many({"author_id": author_id}, {"$set": {"author_id": None}})
        self.images.update_many({"owner_id": author_id}, {"$set": {"owner_id": None}})

    def add_comment(self, comment: dict, event: dict) -> None:
        self.comments.insert_one(outbox.with_events(comment, event))

    def comment(self, idea_id: str, comment_id: str) -> dict | None:
        return self.comments.find_one({"_id": comment_id, "idea_id": idea_id}, {outbox.FIELD: 0})

    def comments_of(self, idea_id: str, limit: int, offset: int) -> "list[dict]":
        return list(self.comments.find({"idea_id": idea_id}, {outbox.FIELD: 0})
                    .sort(COMMENT_ORDER).skip(offset).limit(limit))

    def comments_by(self, author_id: str) -> "list[dict]":
        return list(self.comments.find({"author_id": author_id}, {outbox.FIELD: 0}).sort(COMMENT_ORDER))

    def moderate(self, kind: str, item_id: str, was_hidden: bool, changes: dict, entry: dict, event: dict) -> bool:
        """Applies a hide or restore with its event, only if nobody moderated the item meanwhile."""
        collection = self.comments if kind == "comment" else self.ideas
        state = {"hidden": {"$ne": None}} if was_hidden else NOT_HIDDEN
        result = collection.update_one({"_id": item_id, **state},
                                       outbox.recording({"$set": changes, "$push": {"moderation": entry}}, event))
        return result.modified_count == 1

    def recount_comments(self, idea_id: str) -> None:
        # A recount, not an increment: replays and reordered events land on the same number.
        count = self.comments.count_documents({"idea_id": idea_id, **NOT_HIDDEN})
        self.ideas.update_one({"_id": idea_id}, {"$set": {"comment_count": count}})

    def set_tally(self, idea_id: str, count: int, version: int) -> None:
        # Only a newer tally replaces the one shown: replays and out-of-order copies change nothing.
        self.ideas.update_one({"_id": idea_id, "tally_version": {"$lt": version}},
                              {"$set": {"vote_count": count, "tally_version": version}})

    def set_status(self, idea_id: str, status: str, changed_at: datetime) -> None:
        self.ideas.update_one({"_id": idea_id, "$or": [{"status_changed_at": {"$lte": changed_at}},
                                                 {"status_changed_at": {"$exists": False}}]},
                              {"$set": {"status": status, "status_changed_at": changed_at}})
