"""Every pymongo call of the votes service."""
from dataclasses import asdict
from datetime import datetime

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from idealab import outbox

from .domain import Tally, vote_id


class VoteStore:
    def __init__(self, db: Database):
        self.votes = db["votes"]  # one document per (idea, member), its _id from vote_id
        self.tallies = db["tallies"]
        self.ideas = db["ideas"]  # read model: the ideas open to votes, fed by idea.submitted

    def ensure_indexes(self) -> None:
        self.votes.create_index([("idea_id", 1), ("live", 1)])  # the recount of an idea
        for collection in (self.votes, self.tallies):
            outbox.ensure_indexes(collection)

    def add_votable_idea(self, idea_id: str, submitted_at: datetime, space: str | None) -> None:
        self.ideas.update_one({"_id": idea_id}, {"$setOnInsert": {"submitted_at": submitted_at, "space": space}},
                              upsert=True)

    def votable_idea(self, idea_id: str) -> dict | None:
        return self.ideas.find_one({"_id": idea_id})

    def vote(self, idea_id: str, voter_id: str) -> dict | None:
        return self.votes.find_one({"_id": vote_id(idea_id, voter_id)}, {outbox.FIELD: 0})

    def insert_vote(self, idea_id: str, voter_id: str, cast_at: datetime, event: dict) -> bool:
        """A first vote with its event; False when this voter has voted on this idea before."""
        try:
            self.votes.insert_one(outbox.with_events(
                {"_id": vote_id(idea_id, voter_id), "idea_id": idea_id, "voter_id": voter_id, "live": True,
                 "version": 1, "cast_at": cast_at}, event))
            return True
        except DuplicateKeyError:
            return False

    def change_vote(self, idea_id: str, voter_id: str, version: int, live: bool, at: datetime, event: dict) -> bool:
        """Moves the vote from `version` to the next with its event, only if nobody changed it meanwhile (votes
        are withdrawn, never deleted, so their history and events stay)."""
        changes = {"live": live, "version": version + 1}
        if live:
            changes["cast_at"] = at
        result = self.votes.update_one({"_id": vote_id(idea_id, voter_id), "version": version, "live": not live},
                                       outbox.recording({"$set": changes}, event))
        return result.modified_count == 1

    def votes_of(self, voter_id: str) -> list[dict]:
        return list(self.votes.find({"voter_id": voter_id}, {outbox.FIELD: 0}))

    def missing_votes(self, ids: set[str]) -> set[str]:
        """Those of the vote ids that no vote document holds."""
        return ids - {doc["_id"] for doc in self.votes.find({"_id": {"$in": list(ids)}}, {"_id": 1})}

    def add_merged_votes(self, duplicate_id: str, original_id: str, merged_at: datetime) -> None:
        """Gives the original a live vote from each live voter of its duplicate who has no vote on it yet: one vote
        per (idea, member) keeps anyone who voted for both counted once. A vote the member withdrew from the
        original stays withdrawn. Inserting what is missing is the same on a replay."""
        voters = [v["voter_id"] for v in self.votes.find({"idea_id": duplicate_id, "live": True}, {"voter_id": 1})]
        for voter_id in voters:
            try:
                self.votes.insert_one({"_id": vote_id(original_id, voter_id), "idea_id": original_id,
                                       "voter_id": voter_id, "live": True, "version": 1, "cast_at": merged_at,
                                       "merged_from": duplicate_id})
            except DuplicateKeyError:
                pass

    def live_votes(self, idea_id: str) -> int:
        return self.votes.count_documents({"idea_id": idea_id, "live": True})

    def live_votes_by_idea(self) -> dict[str, int]:
        return {row["_id"]: row["live"] for row in self.votes.aggregate([
            {"$match": {"live": True}}, {"$group": {"_id": "$idea_id", "live": {"$sum": 1}}}])}

    def tally(self, idea_id: str) -> Tally:
        doc = self.tallies.find_one({"_id": idea_id}, {outbox.FIELD: 0, outbox.PENDING: 0})
        return Tally(idea_id) if doc is None else _as_tally(doc)

    def all_tallies(self) -> list[Tally]:
        return [_as_tally(doc) for doc in self.tallies.find({}, {outbox.FIELD: 0, outbox.PENDING: 0})]

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


def _as_tally(doc: dict) -> Tally:
    return Tally(doc["_id"], doc["count"], doc["version"], doc["threshold_reached"])
