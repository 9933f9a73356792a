"""Every pymongo call of the moderation queue (ideas.moderation), over the ideas database.

- `flags`: one document per (item, member), `_id` "<kind>:<item>:<member>": a member flags an item once, so the
  threshold counts distinct members by construction; its `outcome` is set when a moderator decides.
- `reports`: one per flagged item, `_id` "<kind>:<item>", holding the members who flagged it in the current round
  (`flaggers`) while `open`. A decision closes the round only if no flag came in since the moderator read it.
- `reviews`: one per decision, read for the proposals to ban.

A decision is three single-document writes, in this order: the report closed (the one that wins a race between two
moderators), the flags' outcomes, then the item with its history entry and event. A crash between the first and the
last leaves the item as it was (hidden pending review, say) with its round closed; a moderator then hides or restores
it by the direct routes, as for any item.
"""
import uuid
from datetime import datetime

from pymongo import ASCENDING, DESCENDING
from pymongo.database import Database

from idealab import mongo, outbox

QUEUE_LIMIT = 500  # open reports read at once: moderators keep the queue far shorter than this


class ModerationStore:
    def __init__(self, db: Database):
        self.flags = db["flags"]
        self.reports = db["reports"]
        self.reviews = db["reviews"]
        self.items = {"idea": db["ideas"], "comment": db["comments"], "question": db["questions"]}

    def ensure_indexes(self) -> None:
        self.flags.create_index([("report_id", ASCENDING), ("outcome", ASCENDING)])
        self.flags.create_index([("member_id", ASCENDING), ("outcome", ASCENDING), ("decided_at", DESCENDING)])
        self.reports.create_index([("open", ASCENDING), ("first_flagged_at", ASCENDING)])
        self.reviews.create_index([("outcome", ASCENDING), ("reason", ASCENDING), ("at", DESCENDING)])

    def item(self, kind: str, item_id: str) -> dict | None:
        return self.items[kind].find_one({"_id": item_id}, {outbox.FIELD: 0, "search": 0})

    def items_of(self, kind: str, ids: list[str]) -> dict[str, dict]:
        return {i["_id"]: i for i in self.items[kind].find({"_id": {"$in": ids}}, {outbox.FIELD: 0, "search": 0})}

    def add_flag(self, found: dict) -> bool:
        """Stores the member's flag; False when they flagged the item already (the first one stands)."""
        return mongo.inserted(self.flags, found)

    def flag(self, flag_id: str) -> dict | None:
        return self.flags.find_one({"_id": flag_id})

    def count_flag(self, report: dict, member_id: str, at: datetime) -> dict:
        """Adds the member to the report's current round (again: no change) and returns the report. The report is
        made by a plain insert first: on this engine, upserts racing to make one document lose each other's changes
        (the last one writes the document it made alone), where updates of an existing one never do."""
        mongo.inserted(self.reports, {**report, "flaggers": [], "open": True, "first_flagged_at": at,
                                      "last_flagged_at": at})  # unless an earlier flag made it, or another at once
        self.reports.update_one({"_id": report["_id"]}, {
            "$addToSet": {"flaggers": member_id}, "$set": {"open": True}, "$min": {"first_flagged_at": at},
            "$max": {"last_flagged_at": at}})
        return self.reports.find_one({"_id": report["_id"]})

    def history(self, kind: str, item_id: str, entry: dict) -> None:
        """Adds an entry to the item's moderation history (the audit log), with no change to what readers see."""
        self.items[kind].update_one({"_id": item_id}, {"$push": {"moderation": entry}})

    def change_item(self, kind: str, item_id: str, state: dict, changes: dict, entry: dict,
                    event: dict | None) -> bool:
        """Applies a moderation change with its history entry and event, only if the item is still in `state`."""
        update = {"$push": {"moderation": entry}, **({"$set": changes} if changes else {})}
        result = self.items[kind].update_one({"_id": item_id, **state},
                                             outbox.recording(update, event) if event else update)
        return result.modified_count == 1

    def mark_pending(self, report_id: str, pending: bool) -> None:
        self.reports.update_one({"_id": report_id}, {"$set": {"pending": pending}})

    def report(self, report_id: str) -> dict | None:
        return self.reports.find_one({"_id": report_id})

    def open_reports(self) -> list[dict]:
        return list(self.reports.find({"open": True}).sort([("first_flagged_at", ASCENDING), ("_id", ASCENDING)])
                    .limit(QUEUE_LIMIT))

    def open_flags(self, report_ids: list[str]) -> list[dict]:
        return list(self.flags.find({"report_id": {"$in": report_ids}, "outcome": None}))

    def close(self, report: dict, at: datetime) -> bool:
        """Closes the report's round, only if it is open with the very flaggers the moderator saw."""
        result = self.reports.update_one(
            {"_id": report["_id"], "open": True, "flaggers": report["flaggers"]},
            {"$set": {"open": False, "pending": False, "flaggers": [], "decided_at": at}})
        return result.modified_count == 1

    def decide_flags(self, report_id: str, members: list[str], outcome: str, at: datetime) -> None:
        self.flags.update_many({"report_id": report_id, "member_id": {"$in": members}, "outcome": None},
                               {"$set": {"outcome": outcome, "decided_at": at}})

    def add_review(self, review: dict) -> None:
        self.reviews.insert_one(review)

    def dismissed_flags_of(self, member_id: str, since: datetime) -> list[datetime]:
        return [f["decided_at"] for f in self.flags.find(
            {"member_id": member_id, "outcome": "dismissed", "decided_at": {"$gte": since}}, {"decided_at": 1})]

    def upheld(self, reason: str, since: datetime) -> list[tuple[str, datetime]]:
        return [(r.get("author_id"), r["at"]) for r in self.reviews.find(
            {"outcome": "upheld", "reason": reason, "at": {"$gte": since}}, {"author_id": 1, "at": 1})]

    def flags_by(self, member_id: str) -> list[dict]:
        """A member's flags, for their data download."""
        return list(self.flags.find({"member_id": member_id}, {"_id": 0}).sort("at", ASCENDING))

    def forget(self, member_id: str) -> None:
        """Detaches an erased member from flags, reports, reviews and moderation histories: what happened stays (a
        round keeps its count of distinct members), not who they were."""
        gone = f"erased-{uuid.uuid4().hex}"
        self.flags.update_many({"member_id": member_id}, {"$set": {"member_id": None}})
        self.reports.update_many({"flaggers": member_id}, {"$set": {"flaggers.$": gone}})
        for collection in (self.reports, self.reviews):
            collection.update_many({"author_id": member_id}, {"$set": {"author_id": None}})
        self.reviews.update_many({"flaggers": member_id}, {"$pull": {"flaggers": member_id}})
        for collection in self.items.values():
            collection.update_many({"moderation.by": member_id}, {"$set": {"moderation.$[e].by": None}},
                                   array_filters=[{"e.by": member_id}])
