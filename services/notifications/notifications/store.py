"""Every pymongo call of the notifications service."""
import secrets
from datetime import datetime, timedelta

from pymongo import ASCENDING, DESCENDING
from pymongo.collection import Collection
from pymongo.database import Database
from pymongo.errors import BulkWriteError, DuplicateKeyError

from .domain import FAILED, QUEUED, VOTER

FAN_OUT_CHUNK = 1000
DUPLICATE_KEY = 11000
EMAILABLE = {"email_enabled": True}  # a contact exists only for a verified address


class NotificationStore:
    def __init__(self, db: Database):
        self.subscriptions = db["subscriptions"]
        self.inbox = db["inbox"]
        self.ideas = db["ideas"]  # read model: idea titles, for readable notifications
        self.erased = db["erased_users"]  # deleted accounts: their old events must not subscribe them again
        self.contacts = db["contacts"]  # verified email addresses and the email preference, by user
        self.deliveries = db["deliveries"]  # email jobs: queued, sent or failed
        self.fan_outs = db["fan_outs"]  # per status-change event: the last subscriber served

    def ensure_indexes(self) -> None:
        self.subscriptions.create_index([("idea_id", 1), ("reasons", 1)])
        self.inbox.create_index([("user_id", 1), ("created_at", DESCENDING)])
        self.contacts.create_index("unsubscribe_token", unique=True)
        self.deliveries.create_index([("state", ASCENDING), ("next_attempt_at", ASCENDING)])
        self.deliveries.create_index("user_id")

    def remember_idea(self, idea_id: str, title: str) -> None:
        self.ideas.update_one({"_id": idea_id}, {"$set": {"title": title}}, upsert=True)

    def idea_title(self, idea_id: str) -> str | None:
        idea = self.ideas.find_one({"_id": idea_id}, {"title": 1})
        return idea.get("title") if idea else None  # a status change may be read before idea.submitted

    def subscribe(self, idea_id: str, user_id: str, reason: str) -> None:
        self.subscriptions.update_one({"_id": f"{idea_id}:{user_id}"}, {
            "$setOnInsert": {"idea_id": idea_id, "user_id": user_id}, "$addToSet": {"reasons": reason}},
            upsert=True)

    def set_vote(self, idea_id: str, user_id: str, vote_version: int, live: bool) -> bool:
        """Follows or unfollows as a voter, unless a newer vote event of this voter was applied already (False)."""
        change = {"$addToSet": {"reasons": VOTER}} if live else {"$pull": {"reasons": VOTER}}
        try:
            self.subscriptions.update_one(
                {"_id": f"{idea_id}:{user_id}",
                 "$or": [{"vote_version": {"$lt": vote_version}}, {"vote_version": {"$exists": False}}]},
                {**change, "$set": {"vote_version": vote_version},
                 "$setOnInsert": {"idea_id": idea_id, "user_id": user_id}}, upsert=True)
            return True
        except DuplicateKeyError:
            return False  # the subscription holds a newer vote version: this event is stale

    def remember_change(self, idea_id: str, notification: dict) -> None:
        """Keeps the idea's latest status notification (an older one replayed later changes nothing)."""
        try:
            newer = {"$or": [{"last_change.created_at": {"$lt": notification["created_at"]}},
                             {"last_change": {"$exists": False}}]}
            self.ideas.update_one({"_id": idea_id, **newer}, {"$set": {"last_change": notification}}, upsert=True)
        except DuplicateKeyError:
            pass  # a newer change is kept already

    def last_change(self, idea_id: str) -> dict | None:
        idea = self.ideas.find_one({"_id": idea_id}, {"last_change": 1})
        return idea.get("last_change") if idea else None

    def subscribers(self, idea_id: str):
        for sub in self.subscriptions.find({"idea_id": idea_id, "reasons.0": {"$exists": True}}, {"user_id": 1}):
            yield sub["user_id"]

    def deliver(self, entries: list[dict]) -> None:
        """Writes inbox entries by their ids, keeping any already there: a replay adds nothing."""
        _insert_missing(self.inbox, entries)

    def queue_emails(self, jobs: list[dict]) -> None:
        """Queues email jobs by their ids, keeping any already there: a replay queues nothing twice."""
        _insert_missing(self.deliveries, jobs)

    def set_contact(self, user_id: str, email: str, verified_at: datetime) -> None:
        """Keeps the user's latest verified address; email stays on, or as they set it."""
        try:
            self.contacts.update_one(
                {"_id": user_id, "$or": [{"verified_at": {"$lt": verified_at}}, {"verified_at": {"$exists": False}}]},
                {"$set": {"email": email, "verified_at": verified_at},
                 "$setOnInsert": {"email_enabled": True, "unsubscribe_token": secrets.token_urlsafe(24)}},
                upsert=True)
        except DuplicateKeyError:
            pass  # a newer address is kept already

    def contact(self, user_id: str) -> dict | None:
        return self.contacts.find_one({"_id": user_id})

    def emailable(self) -> set[str]:
        """Everyone with a verified address who has not turned email off. Read whole, once per fan-out: FerretDB
        answers `_id: {$in: [...]}` by reading the whole collection, so asking chunk by chunk was quadratic."""
        return {c["_id"] for c in self.contacts.find(EMAILABLE, {"_id": 1})}

    def is_emailable(self, user_id: str) -> bool:
        return self.contacts.count_documents({"_id": user_id, **EMAILABLE}, limit=1) == 1

    def fan_out_progress(self, event_id: str) -> dict:
        """{"served_up_to": the last subscriber served, "done": True once all were}, as far as they are known."""
        return self.fan_outs.find_one({"_id": event_id}) or {}

    def record_fan_out_progress(self, event_id: str, user_id: str) -> None:
        self.fan_outs.update_one({"_id": event_id}, {"$set": {"served_up_to": user_id}}, upsert=True)

    def finish_fan_out(self, event_id: str) -> None:
        self.fan_outs.update_one({"_id": event_id}, {"$set": {"done": True}}, upsert=True)

    def set_email_enabled(self, user_id: str, enabled: bool) -> bool:
        return self.contacts.update_one({"_id": user_id}, {"$set": {"email_enabled": enabled}}).matched_count == 1

    def unsubscribe(self, token: str) -> bool:
        return self.contacts.update_one({"unsubscribe_token": token},
                                        {"$set": {"email_enabled": False}}).matched_count == 1

    def due_emails(self, now: datetime, limit: int) -> list[dict]:
        return list(self.deliveries.find({"state": QUEUED, "next_attempt_at": {"$lte": now}})
                    .sort("next_attempt_at", ASCENDING).limit(limit))

    def claim_email(self, job: dict, now: datetime, hold: timedelta) -> bool:
        """Takes a due job as read, for `hold`: False when another sender took it, or finished it, since the read."""
        return self.deliveries.update_one(
            {"_id": job["_id"], "state": QUEUED, "attempts": job["attempts"], "next_attempt_at": {"$lte": now}},
            {"$set": {"next_attempt_at": now + hold}}).modified_count == 1

    def update_email(self, job_id: str, changes: dict) -> None:
        self.deliveries.update_one({"_id": job_id}, {"$set": changes})

    def failed_emails(self) -> list[dict]:
        return list(self.deliveries.find({"state": FAILED}, {"message": 0}).sort("next_attempt_at", ASCENDING))

    def emails_of(self, user_id: str) -> list[dict]:
        return list(self.deliveries.find({"user_id": user_id}).sort("queued_at", DESCENDING))

    def forget_user(self, user_id: str) -> None:
        # Marked first, so an event of theirs handled meanwhile finds the mark once the erasure is done.
        self.erased.update_one({"_id": user_id}, {"$setOnInsert": {"_id": user_id}}, upsert=True)
        for collection in (self.subscriptions, self.inbox, self.contacts, self.deliveries):
            collection.delete_many({"_id": user_id} if collection is self.contacts else {"user_id": user_id})

    def is_erased(self, user_id: str) -> bool:
        return self.erased.count_documents({"_id": user_id}, limit=1) == 1

    def subscriptions_of(self, user_id: str) -> list[dict]:
        return list(self.subscriptions.find({"user_id": user_id, "reasons.0": {"$exists": True}}))

    def mark_read(self, user_id: str, entry_ids: list[str] | None) -> int:
        """Marks the user's entries read (`entry_ids` None: all of them); how many were unread."""
        query = {"user_id": user_id, "read": False}
        if entry_ids is not None:
            query["_id"] = {"$in": entry_ids}
        return self.inbox.update_many(query, {"$set": {"read": True}}).modified_count

    def entries(self, user_id: str, limit: int) -> list[dict]:
        return list(self.inbox.find({"user_id": user_id}).sort("created_at", DESCENDING).limit(limit))

    def unread(self, user_id: str) -> int:
        return self.inbox.count_documents({"user_id": user_id, "read": False})


def _insert_missing(collection: Collection, docs: list[dict]) -> None:
    """Inserts the documents whose ids are not there yet, in chunks, without looking first: FerretDB answers
    `_id: {$in: [...]}` by reading the whole collection, which made a large fan-out quadratic, then too slow to
    finish. MongoDB goes on past duplicates with `ordered=False`; FerretDB v1 stops at the first one whatever
    `ordered` says, so the rest of the chunk is inserted again from after it."""
    for start in range(0, len(docs), FAN_OUT_CHUNK):
        chunk = docs[start:start + FAN_OUT_CHUNK]
        while chunk:
            try:
                collection.insert_many(chunk, ordered=False)
                break
            except BulkWriteError as exc:
                errors = exc.details["writeErrors"]
                if any(e["code"] != DUPLICATE_KEY for e in errors):
                    raise
                if exc.details["nInserted"] + len(errors) >= len(chunk):
                    break  # every document was tried: the others are in
                chunk = chunk[max(e["index"] for e in errors) + 1:]
