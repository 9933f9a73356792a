"""Every pymongo call about contests (votes.contests), beside the votes store whose votes and ideas they count."""
from datetime import datetime, timezone

from pymongo import ASCENDING, DESCENDING
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from idealab import outbox

HIDDEN = {outbox.FIELD: 0, outbox.PENDING: 0}
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


class ContestStore:
    def __init__(self, db: Database):
        self.contests = db["contests"]  # setup, rounds and, round by round, their ranking, shortlist and winner
        self.scoresheets = db["scoresheets"]  # one per (contest, round, juror), replaced while the round is judged
        self.votes = db["votes"]
        self.ideas = db["ideas"]  # the votes service's read model of ideas: an entry's contest and round

    def ensure_indexes(self) -> None:
        self.contests.create_index([("space", ASCENDING), ("opens_at", DESCENDING)])  # the contests one may see
        self.contests.create_index([("opens_at", DESCENDING)])  # every contest, for staff
        self.contests.create_index("next_due_at")  # the clock: a round to close or decide
        self.scoresheets.create_index([("contest_id", ASCENDING), ("round", ASCENDING)])
        self.ideas.create_index([("contest_id", ASCENDING), ("round", ASCENDING)], sparse=True)  # a round's entries
        outbox.ensure_indexes(self.contests)

    def insert(self, contest: dict, event: dict) -> None:
        self.contests.insert_one(outbox.with_events({**contest, "step": 0}, event))

    def contest(self, contest_id: str) -> dict | None:
        return self.contests.find_one({"_id": contest_id}, HIDDEN)

    def contests_in(self, spaces: list[str] | None, limit: int) -> list[dict]:
        """The contests of the public lab and of `spaces` (None: every space), newest opening first."""
        query = {"opens_at": {"$gt": EPOCH}} if spaces is None else {"space": {"$in": [None, *spaces]}}
        return list(self.contests.find(query, HIDDEN).sort("opens_at", DESCENDING).limit(limit))

    def edit(self, contest_id: str, revision: int, changes: dict, now: datetime, event: dict) -> bool:
        """Replaces the setup, only if it is still `revision` and the first round has not opened."""
        result = self.contests.update_one({"_id": contest_id, "revision": revision, "opens_at": {"$gt": now}},
                                          outbox.recording({"$set": changes}, event))
        return result.modified_count == 1

    def due(self, now: datetime) -> list[dict]:
        return list(self.contests.find({"next_due_at": {"$lte": now}}, HIDDEN).limit(100))

    def advance(self, contest: dict, rounds: list[dict], next_due_at: datetime | None, events: list[dict]) -> bool:
        """Writes the rounds the clock moved on and their events, only if no other clock did since `contest` was
        read: a restart or a second worker at the same instant takes each step once."""
        result = self.contests.update_one(
            {"_id": contest["_id"], "step": contest["step"]},
            outbox.recording({"$set": {"rounds": rounds, "next_due_at": next_due_at, "step": contest["step"] + 1}},
                             *events))
        return result.modified_count == 1

    def add_entry(self, idea_id: str, contest_id: str, round_: int, submitted_at: datetime) -> None:
        self.ideas.update_one({"_id": idea_id}, {"$set": {"contest_id": contest_id, "round": round_,
                                                          "submitted_at": submitted_at}}, upsert=True)

    def entries(self, contest_id: str, round_: int | None = None) -> list[dict]:
        """The contest's entries (of one round, or of all): id, round and submission instant."""
        query = {"contest_id": contest_id} if round_ is None else {"contest_id": contest_id, "round": round_}
        return list(self.ideas.find(query, {"submitted_at": 1, "round": 1}))

    def votes_at(self, entry_ids: list[str], instant: datetime) -> dict[str, int]:
        """Per entry, the votes live at `instant`: cast before it and not withdrawn by then (a withdrawn vote keeps
        when it was live in `past`), so votes cast or withdrawn later change nothing."""
        # A vote still awaiting its account's verification (votes.integrity) counts for no round it is read for.
        live_then = {"idea_id": {"$in": entry_ids}, "awaiting_verification": {"$ne": True}, "$or": [
            {"live": True, "cast_at": {"$lt": instant}},
            {"past": {"$elemMatch": {"cast_at": {"$lt": instant}, "withdrawn_at": {"$gte": instant}}}}]}
        counts = {e: 0 for e in entry_ids}
        for row in self.votes.aggregate([{"$match": live_then}, {"$group": {"_id": "$idea_id", "n": {"$sum": 1}}}]):
            counts[row["_id"]] = row["n"]
        return counts

    def put_scoresheet(self, contest_id: str, round_: int, juror_id: str, scores: dict, at: datetime) -> dict:
        sheet = {"_id": f"{contest_id}:{round_}:{juror_id}", "contest_id": contest_id, "round": round_,
                 "juror_id": juror_id, "scores": scores, "scored_at": at}
        try:
            self.scoresheets.replace_one({"_id": sheet["_id"]}, sheet, upsert=True)
        except DuplicateKeyError:  # two first sheets of one juror at once: the later write wins
            self.scoresheets.replace_one({"_id": sheet["_id"]}, sheet)
        return sheet

    def scoresheet(self, contest_id: str, round_: int, juror_id: str) -> dict | None:
        return self.scoresheets.find_one({"_id": f"{contest_id}:{round_}:{juror_id}"})

    def scoresheets_of(self, contest_id: str, round_: int, before: datetime) -> list[dict]:
        """The sheets scored before `before` (the end of the round's judging)."""
        return list(self.scoresheets.find({"contest_id": contest_id, "round": round_, "scored_at": {"$lt": before}}))
