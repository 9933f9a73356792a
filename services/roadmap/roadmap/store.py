"""Every pymongo call of the roadmap service.

The board's columns are read as the ideas service reads its lists (see its store): each column of each list (the
public lab, a space, every space for staff) above the floors of its `updated_at` order that the worker refreshes,
an index range of about a hundred items rather than a sort of every item in that status. The open column is the
deep one (thousands of ideas): the board shows only its most voted few, read above floors of its own order.

Initiatives are few (a lab announces tens a year): a list of them is one index range per list (status, space), and
their ideas are joined by id in one read.
"""
from datetime import datetime

from pymongo import ASCENDING, DESCENDING
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from idealab import mongo, outbox

from .domain import STATUSES, Move
from .ratings import RatingStore

BOARD_ORDER = [("updated_at", DESCENDING), ("_id", ASCENDING)]
VOTES_ORDER = [("vote_count", DESCENDING), ("updated_at", DESCENDING), ("_id", ASCENDING)]
MOST_VOTED = "open_by_votes"  # the ranking field of the open column's floors in VOTES_ORDER
INITIATIVE_ORDER = [("updated_at", DESCENDING), ("_id", ASCENDING)]
ITEM_SUMMARY = {"title": 1, "space": 1, "status": 1, "category": 1, "vote_count": 1, "updated_at": 1}


def column(list_id: str, status: str) -> dict:
    """The items of one list in `status`. An item made by a threshold event read before its idea.submitted has no
    title and no space yet: only staff (every space) see it until its space is known."""
    shown = {} if list_id == mongo.EVERY_SPACE else {"title": {"$exists": True}}
    return {**mongo.in_list(list_id), "status": status, **shown}


class RoadmapStore:
    def __init__(self, db: Database):
        self.items = db["items"]
        self.initiatives = db["initiatives"]  # a product team's answer to some ideas; drafts until announced
        # The ranked read model: one document per list, {_id: its ranking id, <status>: the floors of its column}.
        self.rankings = db["rankings"]
        # Ratings of what was launched (roadmap.ratings): one per (launch, member), with its review.
        self.rated = RatingStore(db)

    def ensure_indexes(self) -> None:
        self.items.create_index([("status", ASCENDING), *BOARD_ORDER])  # every space
        self.items.create_index([("status", ASCENDING), ("space", ASCENDING), *BOARD_ORDER])
        self.items.create_index([("status", ASCENDING), *VOTES_ORDER])
        self.items.create_index([("status", ASCENDING), ("space", ASCENDING), *VOTES_ORDER])
        outbox.ensure_indexes(self.items)
        self.initiatives.create_index([("status", ASCENDING), ("space", ASCENDING), *INITIATIVE_ORDER])
        outbox.ensure_indexes(self.initiatives)
        self.rated.ensure_indexes()

    def add_idea(self, idea_id: str, title: str, category: str, submitted_at: datetime, space: str | None) -> None:
        # The status is set only on insert: a threshold event read first may have moved the idea already.
        self.items.update_one({"_id": idea_id}, {"$set": {"title": title, "space": space, "category": category},
                                                 "$setOnInsert": {"status": "open", "history": [], "vote_count": 0,
                                                                  "updated_at": submitted_at}}, upsert=True)

    def set_tally(self, idea_id: str, count: int, version: int, at: datetime) -> None:
        """Keeps the newest tally (by its version): stale or replayed copies change nothing."""
        try:
            self.items.update_one(
                {"_id": idea_id, "$or": [{"tally_version": {"$lt": version}}, {"tally_version": {"$exists": False}}]},
                {"$set": {"vote_count": count, "tally_version": version},
                 "$setOnInsert": {"status": "open", "history": [], "updated_at": at}}, upsert=True)
        except DuplicateKeyError:
            pass  # a newer tally is kept already

    def summaries(self, idea_ids: list[str]) -> dict[str, dict]:
        """What a list shows of each idea (no history), by id."""
        return {i["_id"]: i for i in self.items.find({"_id": {"$in": idea_ids}}, ITEM_SUMMARY)} if idea_ids else {}

    def get(self, idea_id: str) -> dict | None:
        return self.items.find_one({"_id": idea_id}, {outbox.FIELD: 0})

    def by_status(self, spaces: list[str | None] | None, limit_per_status: int = 100, open_shown: int | None = None,
                  category: str | None = None) -> dict[str, list[dict]]:
        """The items of `spaces` (None: the public lab; the argument None: every space) by status, the most recently
        moved first; with `open_shown`, the open column is that many of the most voted."""
        ids = mongo.list_ids(spaces)
        floors = {r["_id"]: r for r in self.rankings.find({"_id": {"$in": ids}})}
        only = {} if category is None else {"category": category}
        columns = {}
        for status in STATUSES:
            by_votes = status == "open" and open_shown is not None
            order, field, limit = ((VOTES_ORDER, MOST_VOTED, open_shown) if by_votes
                                   else (BOARD_ORDER, status, limit_per_status))
            items = [{"vote_count": 0, **item} for i in ids for item in mongo.ranked(
                self.items, {**column(i, status), **only}, order, 0, limit, floors.get(i, {}).get(field, []),
                {outbox.FIELD: 0, "history": 0})]
            if items:
                columns[status] = sorted(items, key=mongo.in_order(order))[:limit]
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
            floors[MOST_VOTED] = mongo.floors_of(self.items, column(list_id, "open"), VOTES_ORDER,
                                                 known.get(list_id, {}).get(MOST_VOTED, []))
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

    def histories(self, idea_ids: list[str]) -> dict[str, list[dict]]:
        return {i["_id"]: i.get("history", []) for i in self.items.find({"_id": {"$in": idea_ids}}, {"history": 1})}

    def add_initiative(self, initiative: dict) -> None:
        self.initiatives.insert_one(initiative)

    def initiative(self, initiative_id: str) -> dict | None:
        return self.initiatives.find_one({"_id": initiative_id}, {outbox.FIELD: 0})

    def initiatives_of(self, spaces: list[str | None] | None, statuses: tuple[str, ...], announced_only: bool,
                       limit: int) -> list[dict]:
        """The initiatives of `spaces` (as `by_status`) in `statuses`, the most recently moved first."""
        shown = {"announced": True} if announced_only else {}
        found = [i for list_id in mongo.list_ids(spaces) for i in self.initiatives.find(
            {**mongo.in_list(list_id), "status": {"$in": list(statuses)}, **shown}, {outbox.FIELD: 0})
            .sort(INITIATIVE_ORDER).limit(limit)]
        return sorted(found, key=mongo.in_order(INITIATIVE_ORDER))[:limit]

    def move_initiative(self, initiative: dict, move, announcing: bool) -> bool:
        """Records the announcement or move with its event, only if nobody moved or announced it meanwhile."""
        changes = {"status": move.target, "updated_at": move.entry["at"]}
        if announcing:
            changes |= {"announced": True, "announced_at": move.entry["at"]}
        update = outbox.recording({"$set": changes, "$push": {"history": move.entry}}, move.event)
        result = self.initiatives.update_one({"_id": initiative["_id"], "status": initiative["status"],
                                              "announced": initiative["announced"]}, update)
        return result.modified_count == 1
