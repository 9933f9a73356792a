"""Every pymongo call of the response-time promise (ideas.promise), over the ideas service's own collections: the
`promises` and `promise_targets` it keeps (made in `IdeaStore`, with their indexes), and the answers and threads it
reads to know when the team answered.

The queue reads the posts not yet answered (an index range: they are few, the lab's backlog) and orders them in
`promise.queue`, by a due time that moves when a post is claimed; a space's figures read one month of its posts.
"""
from datetime import datetime

from pymongo import ReturnDocument

from idealab import mongo

from .store import IdeaStore

WAITING = {"answered_at": None, "author_gone_at": None}


class PromiseStore:
    def __init__(self, ideas: IdeaStore):
        self.ideas = ideas

    @property
    def promises(self):
        return self.ideas.promises

    @property
    def targets(self):
        return self.ideas.promise_targets

    def targets_of(self, space: str | None) -> dict | None:
        return self.targets.find_one({"_id": space or mongo.PUBLIC}, {"_id": 0})

    def set_targets(self, space: str | None, targets: dict) -> None:
        self.targets.update_one({"_id": space or mongo.PUBLIC}, {"$set": targets}, upsert=True)

    def record(self, waiting: dict) -> None:
        """Records a post the team owes an answer, once: a replay keeps the first record (its targets, its claim)."""
        self.promises.update_one({"_id": waiting["_id"]}, {"$setOnInsert": waiting}, upsert=True)

    def set_answered(self, promise_id: str, answered_at: datetime | None) -> None:
        self.promises.update_one({"_id": promise_id}, {"$set": {"answered_at": answered_at}})

    def author_gone(self, member_id: str, at: datetime) -> None:
        """The member's account was deleted: what they were still waiting for waits no more."""
        self.promises.update_many({"member_id": member_id, **WAITING}, {"$set": {"author_gone_at": at}})
        self.promises.update_many({"member_id": member_id}, {"$unset": {"member_id": ""}})  # erased, as everywhere

    def status_changed(self, promise_id: str, at: datetime) -> None:
        """An idea moved on the roadmap at `at`: its first move is kept."""
        self.promises.update_one({"_id": promise_id}, {"$min": {"status_changed_at": at}})

    def item(self, promise_id: str) -> dict | None:
        return self.promises.find_one({"_id": promise_id})

    def of_thread(self, thread_id: str) -> list[dict]:
        return list(self.promises.find({"thread_id": thread_id}, {"posted_at": 1}))

    def take(self, item: dict, changes: dict, handover: dict | None = None) -> dict | None:
        """Claims or hands over a post, if it is still unanswered and waits for whom `item` says (no one took it
        meanwhile); the post as it is then, or None."""
        update = {"$set": changes, **({"$push": {"handovers": handover}} if handover else {})}
        return self.promises.find_one_and_update(
            {"_id": item["_id"], "claimed_by": item.get("claimed_by"), **WAITING}, update,
            return_document=ReturnDocument.AFTER)

    def waiting(self, filters: dict, limit: int) -> list[dict]:
        """The posts not yet answered, filtered by field (space, kind, language, claimed_by), oldest first."""
        return list(self.promises.find({**WAITING, **filters}).sort("posted_at", 1).limit(limit))

    def posted_between(self, space: str | None, start: datetime, end: datetime) -> list[dict]:
        """A space's (None: the public lab's) posts of a period, what its figures are computed from."""
        return list(self.promises.find({"space": space, "posted_at": {"$gte": start, "$lt": end}},
                                       {"kind": 1, "posted_at": 1, "acknowledge_due": 1, "answer_due": 1,
                                        "claimed_at": 1, "answered_at": 1, "author_gone_at": 1}))

    # When the team answered, read from the ideas service's own records.
    def answer_times(self, about_id: str) -> list[datetime]:
        """When the team answered an idea or question in public."""
        return [a["posted_at"] for a in self.ideas.answers.find({"about_id": about_id}, {"posted_at": 1})]

    def team_message_times(self, thread_id: str) -> list[datetime]:
        """When the team wrote in a thread."""
        thread = self.ideas.threads.find_one({"_id": thread_id}, {"messages.from_team": 1, "messages.at": 1})
        return [m["at"] for m in (thread or {}).get("messages", []) if m.get("from_team")]

    def titles(self, kind_ids: dict[str, list[str]]) -> dict[str, str]:
        """The titles of the ideas and questions the queue shows, by id (a message has none: it is private)."""
        found = {}
        for collection, ids in ((self.ideas.ideas, kind_ids.get("idea")),
                                (self.ideas.questions, kind_ids.get("question"))):
            if ids:
                found.update({d["_id"]: d["title"] for d in collection.find({"_id": {"$in": ids}}, {"title": 1})})
        return found
