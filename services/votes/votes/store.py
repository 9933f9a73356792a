"""Every pymongo call of the votes service."""
from dataclasses import asdict
from datetime import datetime

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from idealab import outbox

from .domain import Tally, vote_id


class VoteStore:
    def __init__(self, db: Database):
        self.votes = db["votes"]
        self.tallies = db["tallies"]
        self.ideas = db["ideas"]  # read model: the ideas open to votes, fed by idea.submitted

    def ensure_indexes(self) -> None:
        self.votes.create_index([("idea_id", 1), ("voter_id", 1)], unique=True)
        for collection in (self.votes, self.tallies):
            outbox.ensure_indexes(collection)

    def add_votable_idea(self, idea_id: str, submitted_at: datetime) -> None:
        self.ideas.update_one({"_id": idea_id}, {"$setOnInsert": {"submitted_at": submitted_at}}, upsert=True)

    def is_votable(self, idea_id: str) -> bool:
        return self.ideas.count_documents({"_id": idea_id}, limit=1) == 1

    def cast(self, idea_id: str, voter_id: str, cast_at: datetime, event: dict) -> bool:
        """Records a live vote with its event; False when this voter's vote on this idea is already live."""
        _id = vote_id(idea_id, voter_id)
        try:
            self.votes.insert_one(outbox.with_events(
                {"_id": _id, "idea_id": idea_id, "voter_id": voter_id, "live": True, "cast_at": cast_at}, event))
            return True
        except DuplicateKeyError:
            # A withdrawn vote comes back to life; a live one is left alone (the caller answers 409).
            revived = self.votes.update_one({"_id": _id, "live": False}, outbox.recording(
                {"$set": {"live": True, "cast_at": cast_at}}, event))
            return revived.modified_count == 1

    def withdraw(self, idea_id: str, voter_id: str, event: dict) -> bool:
        """Marks the vote withdrawn (kept, never deleted, so its history and events stay); False if none is live."""
        result = self.votes.update_one({"_id": vote_id(idea_id, voter_id), "live": True},
                                       outbox.recording({"$set": {"live": False}}, event))
        return result.modified_count == 1

    def vote(self, idea_id: str, voter_id: str) -> dict | None:
        return self.votes.find_one({"_id": vote_id(idea_id, voter_id)}, {outbox.FIELD: 0})

    def live_votes(self, idea_id: str) -> int:
        return self.votes.count_documents({"idea_id": idea_id, "live": True})

    def tally(self, idea_id: str) -> Tally:
        doc = self.tallies.find_one({"_id": idea_id}, {outbox.FIELD: 0})
        if doc is None:
            return Tally(idea_id)
        return Tally(**{"idea_id": doc.pop("_id"), **doc})

    def replace_tally(self, before: Tally, after: Tally, events: list[dict]) -> bool:
        """Writes `after` and its events only if the stored tally is still `before` (optimistic concurrency)."""
        fields = {k: v for k, v in asdict(after).items() if k != "idea_id"}
        if before.version == 0:
            try:
                self.tallies.insert_one(outbox.with_events({"_id": after.idea_id, **fields}, *events))
                return True
            except DuplicateKeyError:
                return False
        result = self.tallies.update_one({"_id": before.idea_id, "version": before.version},
                                         outbox.recording({"$set": fields}, *events))
        return result.modified_count == 1
