"""Every pymongo call of the notifications service."""
import secrets
import uuid
from datetime import datetime, timedelta

from pymongo import ASCENDING, DESCENDING
from pymongo.collection import Collection
from pymongo.database import Database
from pymongo.errors import BulkWriteError, DuplicateKeyError

from idealab import mongo

from .domain import DIGEST, FAILED, QUEUED, SENT, VOTER
from .webhook_store import WebhookStore

INSERT_CHUNK = 1000  # well below the engine's 25,000 documents per insert_many
DUPLICATE_KEY = 11000
# A contact exists only for a verified address; one the mail server refused for good (`bounce`) is mailed no more.
EMAILABLE = {"email_enabled": True, "bounce": None}
FOLLOWING = {"reasons.0": {"$exists": True}}


class NotificationStore:
    def __init__(self, db: Database):
        self.subscriptions = db["subscriptions"]  # (idea, member): why they follow it and since when
        self.changes = db["changes"]  # one record per status change, with its email walk's position
        self.read_marks = db["read_marks"]  # per member: read up to a time, and entries read one by one
        self.ideas = db["ideas"]  # read model: idea titles, for readable notifications, and spaces
        self.erased = db["erased_users"]  # deleted accounts: their old events must not subscribe them again
        self.contacts = db["contacts"]  # verified email addresses and the email preference, by user
        self.deliveries = db["deliveries"]  # email jobs: queued, sent or failed
        self.memberships = db["memberships"]  # (member, space): when last removed from it and last added to it
        self.email_choices = db["email_choices"]  # per member: emails wanted by kind, language and time zone
        self.live_channels = db["live_channels"]  # by audience (a space, a member, staff): its live channel's key
        self.webhooks = WebhookStore(db)  # webhook endpoints and their deliveries (webhook_store.py)

    def ensure_indexes(self) -> None:
        self.subscriptions.create_index("user_id")  # a member's inbox; an email walk goes by _id
        self.changes.create_index("idea_id")
        self.changes.create_index("idea_ids")  # an initiative's record, seen by the followers of its ideas
        self.changes.create_index("emails_queued")
        self.contacts.create_index("unsubscribe_token", unique=True)
        self.deliveries.create_index([("state", ASCENDING), ("next_attempt_at", ASCENDING)])
        self.deliveries.create_index("user_id")
        self.memberships.create_index("user_id")
        self.webhooks.ensure_indexes()

    def remember_idea(self, idea_id: str, title: str, space: str | None = None) -> None:
        self.ideas.update_one({"_id": idea_id}, {"$set": {"title": title, "space": space}}, upsert=True)

    def remember_merge(self, idea_id: str, into: str, at: datetime) -> None:
        self.ideas.update_one({"_id": idea_id}, {"$set": {"merged_into": into, "merged_at": at}}, upsert=True)

    def merge_of(self, idea_id: str) -> dict | None:
        """{"merged_into", "merged_at"} of a merged duplicate; None for any other idea."""
        return self.ideas.find_one({"_id": idea_id, "merged_into": {"$exists": True}},
                                   {"_id": 0, "merged_into": 1, "merged_at": 1})

    def leave_space(self, user_id: str, space: str) -> None:
        """Ends the member's subscriptions to the space's ideas (kept, with their vote version, so that an older
        vote event read late stays stale)."""
        followed = [s["idea_id"] for s in self.subscriptions.find({"user_id": user_id, **FOLLOWING}, {"idea_id": 1})]
        in_space = [i["_id"] for i in self.ideas.find({"_id": {"$in": followed}, "space": space}, {"_id": 1})]
        if in_space:
            self.subscriptions.update_many({"user_id": user_id, "idea_id": {"$in": in_space}},
                                           {"$set": {"reasons": []}})

    def membership_changed(self, user_id: str, space: str, field: str, at: datetime) -> None:
        """Keeps the latest removal or addition (`field`), whatever order the events come in."""
        self.memberships.update_one({"_id": f"{user_id}:{space}"},
                                    {"$max": {field: at}, "$set": {"user_id": user_id, "space": space}}, upsert=True)

    def spaces_left(self, user_ids: list[str]) -> dict[str, set[str]]:
        """By member, the spaces they were removed from and not added back to since."""
        left: dict[str, set[str]] = {}
        for m in self.memberships.find({"user_id": {"$in": user_ids}, "removed_at": {"$exists": True}}):
            if m.get("added_at") is None or m["added_at"] < m["removed_at"]:
                left.setdefault(m["user_id"], set()).add(m["space"])
        return left

    def spaces_of(self, idea_ids: list[str]) -> dict[str, str | None]:
        return {i["_id"]: i.get("space") for i in self.ideas.find({"_id": {"$in": idea_ids}}, {"space": 1})}

    def remember_campaign_space(self, campaign_key: str, space: str | None) -> None:
        """A campaign's space, beside the ideas' (its key is no idea id), so live pages know who hears of it."""
        self.ideas.update_one({"_id": campaign_key}, {"$set": {"space": space}}, upsert=True)

    def live_channel_key(self, audience: str, create: bool = False) -> str | None:
        """The audience's live channel key; with `create`, one is made the first time (None otherwise: nobody ever
        listened)."""
        if create:
            try:
                self.live_channels.update_one({"_id": audience}, {"$setOnInsert": {"key": secrets.token_urlsafe(16)}},
                                              upsert=True)
            except DuplicateKeyError:
                pass  # made by a concurrent request
        found = self.live_channels.find_one({"_id": audience})
        return found["key"] if found else None

    def replace_live_channel_key(self, audience: str) -> str | None:
        """A new key for the audience's channel; the old one (None if it had none) hears nothing more."""
        old = self.live_channels.find_one_and_update({"_id": audience},
                                                     {"$set": {"key": secrets.token_urlsafe(16)}})
        return old["key"] if old else None

    def idea_title(self, idea_id: str) -> str | None:
        idea = self.ideas.find_one({"_id": idea_id}, {"title": 1})
        return idea.get("title") if idea else None  # a status change may be read before idea.submitted

    def follow(self, idea_id: str, user_id: str, reason: str, at: datetime) -> None:
        self.subscriptions.update_one({"_id": f"{idea_id}:{user_id}"}, _following(idea_id, user_id, reason, at),
                                      upsert=True)

    def unfollow(self, idea_id: str, user_id: str, at: datetime) -> None:
        """Ends the subscription whatever made it (the vote stays: the votes service keeps it); a reason to follow
        dated before `at` read later adds nothing (`_following`)."""
        self.subscriptions.update_one({"_id": f"{idea_id}:{user_id}"}, [{"$set": {
            "reasons": {"$cond": [{"$gte": [at, {"$ifNull": ["$unfollowed_at", at]}]}, [],
                                  {"$ifNull": ["$reasons", []]}]},
            "unfollowed_at": {"$max": [{"$ifNull": ["$unfollowed_at", at]}, at]}, **_ids(idea_id, user_id)}}],
            upsert=True)

    def vote(self, idea_id: str, user_id: str, vote_version: int, cast_at: datetime) -> bool:
        """Follows as a voter, unless a newer vote event of this voter was applied already (False)."""
        return self._voted(idea_id, user_id, vote_version, _following(idea_id, user_id, VOTER, cast_at))

    def withdraw_vote(self, idea_id: str, user_id: str, vote_version: int) -> bool:
        reasons = {"$ifNull": ["$reasons", []]}
        return self._voted(idea_id, user_id, vote_version, [
            {"$set": {"reasons": {"$setDifference": [reasons, [VOTER]]}, **_ids(idea_id, user_id)}}])

    def _voted(self, idea_id: str, user_id: str, vote_version: int, change: list[dict]) -> bool:
        try:
            self.subscriptions.update_one(
                {"_id": f"{idea_id}:{user_id}",
                 "$or": [{"vote_version": {"$lt": vote_version}}, {"vote_version": {"$exists": False}}]},
                [*change, {"$set": {"vote_version": vote_version}}], upsert=True)
            return True
        except DuplicateKeyError:
            return False  # the subscription holds a newer vote version: this event is stale

    def follows(self, user_id: str) -> list[dict]:
        """The member's live subscriptions: the ideas they follow, why and since when."""
        return list(self.subscriptions.find({"user_id": user_id, **FOLLOWING}, {"idea_id": 1, "reasons": 1,
                                                                                "since": 1}))

    def record_change(self, change: dict) -> None:
        # A replay finds the first record, which keeps when it was recorded and how far its walk went.
        mongo.inserted(self.changes, change)

    def changes_of(self, idea_ids: list[str]) -> list[dict]:
        if not idea_ids:
            return []
        return list(self.changes.find({"$or": [{"idea_id": {"$in": idea_ids}}, {"idea_ids": {"$in": idea_ids}}]},
                                      {"emails_queued": 0, "emailed_up_to": 0}))

    def changes_since(self, key: str, since: datetime) -> list[dict]:
        """The records under one key made since `since` (the team's inbox: notifications.team)."""
        return list(self.changes.find({"idea_id": key, "created_at": {"$gte": since}},
                                      {"emails_queued": 0, "emailed_up_to": 0}))

    def marks(self, user_id: str) -> dict:
        return self.read_marks.find_one({"_id": user_id}) or {}

    def mark_read(self, user_id: str, entry_ids: list[str]) -> None:
        self.read_marks.update_one({"_id": user_id}, {"$addToSet": {"ids": {"$each": entry_ids}}}, upsert=True)

    def set_marks(self, user_id: str, marks: dict) -> None:
        self.read_marks.update_one({"_id": user_id}, {"$set": marks}, upsert=True)

    def changes_to_email(self, limit: int) -> list[dict]:
        """Changes whose email walk has subscribers left."""
        return list(self.changes.find({"emails_queued": False}).limit(limit))

    def subscriptions_after(self, idea_ids: str | list[str], key: str | None, limit: int) -> list[dict]:
        """The next `limit` subscriptions, live or not, to the idea (or any of an initiative's ideas) after the one
        keyed `key` (from the first when None), in key order. Their keys, "idea:member", make a range of the primary
        key per idea; the engine sorts what is left of the ranges (it never reads an index in order), so each batch of
        a walk costs less than the one before."""
        ranges = [{"_id": {"$gt": max(key or "", f"{i}:"), "$lt": f"{i};"}}  # ";" follows ":"
                  for i in ([idea_ids] if isinstance(idea_ids, str) else idea_ids) if not key or key < f"{i};"]
        if not ranges:
            return []
        return list(self.subscriptions.find(ranges[0] if len(ranges) == 1 else {"$or": ranges},
                                            {"user_id": 1, "reasons": 1, "since": 1})
                    .sort("_id", ASCENDING).limit(limit))

    def walked(self, change_id: str, up_to: str | None, done: bool) -> None:
        """Records how far a change's email walk went; `$max`, so a walk that overlapped (the sender's lease passed
        on) never moves it back."""
        changes: dict = {"$set": {"emails_queued": True}} if done else {}
        if up_to is not None:
            changes["$max"] = {"emailed_up_to": up_to}
        if changes:
            self.changes.update_one({"_id": change_id}, changes)

    def emailable(self, user_ids: list[str]) -> set[str]:
        """Those of `user_ids` with a verified address who have not turned email off."""
        return {c["_id"] for c in self.contacts.find({"_id": {"$in": user_ids}, **EMAILABLE}, {"_id": 1})}

    def queue_emails(self, jobs: list[dict]) -> None:
        """Queues email jobs by their ids, keeping any already there: a resumed walk queues nothing twice."""
        _insert_missing(self.deliveries, jobs)

    def set_contact(self, user_id: str, email: str, verified_at: datetime) -> None:
        """Keeps the user's latest verified address; email stays on, or as they set it."""
        try:
            self.contacts.update_one(
                {"_id": user_id, "$or": [{"verified_at": {"$lt": verified_at}}, {"verified_at": {"$exists": False}}]},
                {"$set": {"email": email, "verified_at": verified_at}, "$unset": {"bounce": ""},
                 "$setOnInsert": {"email_enabled": True, "unsubscribe_token": secrets.token_urlsafe(24)}},
                upsert=True)
        except DuplicateKeyError:
            pass  # a newer address is kept already

    def contact(self, user_id: str) -> dict | None:
        return self.contacts.find_one({"_id": user_id})

    def contacts_of(self, user_ids: list[str]) -> dict[str, dict]:
        return {c["_id"]: c for c in self.contacts.find({"_id": {"$in": user_ids}})}

    def set_email_enabled(self, user_id: str, enabled: bool) -> bool:
        """False when no address is known for the user. Email turned back on gets a new unsubscribe token: the links
        of the mails sent before no longer turn it off (only the mails sent from now on carry the new one)."""
        if enabled and self.contacts.update_one({"_id": user_id, "email_enabled": False}, {"$set": {
                "email_enabled": True, "unsubscribe_token": secrets.token_urlsafe(24)}}).matched_count:
            return True
        return self.contacts.update_one({"_id": user_id}, {"$set": {"email_enabled": enabled}}).matched_count == 1

    def unsubscribe(self, token: str) -> bool:
        # The token stays as it is: a mail client may send its one-click unsubscribe more than once.
        return self.contacts.update_one({"unsubscribe_token": token},
                                        {"$set": {"email_enabled": False}}).matched_count == 1

    def due_emails(self, now: datetime, limit: int) -> list[dict]:
        # Unsorted: every due job is taken in turn anyway, and sorting would read the whole queue each time.
        return list(self.deliveries.find({"state": QUEUED, "next_attempt_at": {"$lte": now}}).limit(limit))

    def claim_emails(self, jobs: list[dict], now: datetime, hold: timedelta) -> list[dict]:
        """Takes the due jobs read, as one batch, for `hold`; returns those taken (another sender may have taken or
        finished some since the read)."""
        claim = uuid.uuid4().hex
        ids = [job["_id"] for job in jobs]
        self.deliveries.update_many({"_id": {"$in": ids}, "state": QUEUED, "next_attempt_at": {"$lte": now}},
                                    {"$set": {"claim": claim, "next_attempt_at": now + hold}})
        return list(self.deliveries.find({"_id": {"$in": ids}, "claim": claim}))

    def give_up_in_doubt(self, jobs: list[dict], now: datetime, reason: str) -> None:
        """Fails the jobs whose sender claimed them and died before recording what became of them."""
        self.deliveries.update_many({"_id": {"$in": [job["_id"] for job in jobs]}, "state": QUEUED,
                                     "claim": {"$exists": True}, "next_attempt_at": {"$lte": now}},
                                    {"$set": {"state": FAILED, "reason": reason}})

    def record_sent(self, job_ids: list[str], now: datetime) -> None:
        if job_ids:
            self.deliveries.update_many({"_id": {"$in": job_ids}}, {
                "$set": {"state": SENT, "sent_at": now}, "$inc": {"attempts": 1}, "$unset": {"claim": ""}})

    def update_email(self, job_id: str, changes: dict) -> None:
        self.deliveries.update_one({"_id": job_id}, {"$set": changes, "$unset": {"claim": ""}})

    def failed_emails(self) -> list[dict]:
        return list(self.deliveries.find({"state": FAILED}, {"message": 0}).sort("next_attempt_at", ASCENDING))

    def emails_of(self, user_id: str) -> list[dict]:
        return list(self.deliveries.find({"user_id": user_id}).sort("queued_at", DESCENDING))

    def choices(self, user_id: str) -> dict | None:
        return self.email_choices.find_one({"_id": user_id})

    def choices_of(self, user_ids: list[str]) -> dict[str, dict]:
        return {c["_id"]: c for c in self.email_choices.find({"_id": {"$in": user_ids}})}

    def set_choices(self, user_id: str, kinds: dict[str, str], settings: dict) -> None:
        """Sets the modes of the kinds given (the others keep theirs) and the language or time zone given."""
        changes = {**{f"kinds.{kind}": mode for kind, mode in kinds.items()}, **settings}
        if changes:
            self.email_choices.update_one({"_id": user_id}, {"$set": changes}, upsert=True)

    def bounced(self, user_id: str, address: str, reason: str, at: datetime) -> None:
        """The mail server refused the address for good: it is mailed no more until another one is verified."""
        self.contacts.update_one({"_id": user_id, "email": address},
                                 {"$set": {"bounce": {"address": address, "reason": reason, "at": at}}})

    def hold_for_digest(self, job_id: str, at: datetime) -> None:
        self.deliveries.update_one({"_id": job_id}, {"$set": {"state": DIGEST, "next_attempt_at": at},
                                                     "$unset": {"claim": ""}})

    def due_digests(self, now: datetime, limit: int) -> list[str]:
        """Members with a digest due (the same index as the due emails)."""
        jobs = self.deliveries.find({"state": DIGEST, "next_attempt_at": {"$lte": now}}, {"user_id": 1}).limit(limit)
        return list({job["user_id"] for job in jobs})

    def claim_digests(self, user_ids: list[str], now: datetime, hold: timedelta) -> tuple[str, list[dict]]:
        """Takes the members' due digest jobs for `hold` (as `claim_emails`); returns the claim and the jobs: those
        taken, and those a sender that died had claimed (another claim)."""
        claim, due = uuid.uuid4().hex, {"user_id": {"$in": user_ids}, "state": DIGEST, "next_attempt_at": {"$lte": now}}
        self.deliveries.update_many({**due, "claim": {"$exists": False}},
                                    {"$set": {"claim": claim, "next_attempt_at": now + hold}})
        return claim, list(self.deliveries.find({"$or": [{"claim": claim}, {**due, "claim": {"$exists": True}}]}))

    def reschedule_digest(self, job_ids: list[str], at: datetime) -> None:
        self.deliveries.update_many({"_id": {"$in": job_ids}, "state": DIGEST},
                                    {"$set": {"next_attempt_at": at}, "$unset": {"claim": ""}})

    def release_digests(self, claim: str, at: datetime) -> None:
        """Puts back the claimed digest jobs not settled yet, due at `at`."""
        self.deliveries.update_many({"claim": claim, "state": DIGEST},
                                    {"$set": {"next_attempt_at": at}, "$unset": {"claim": ""}})

    def digested(self, job_ids: list[str], now: datetime) -> None:
        self.deliveries.update_many({"_id": {"$in": job_ids}}, {
            "$set": {"state": SENT, "sent_at": now, "digest": True}, "$inc": {"attempts": 1},
            "$unset": {"claim": ""}})

    def forget_user(self, user_id: str) -> None:
        # Marked first, so an event of theirs handled meanwhile finds the mark once the erasure is done.
        self.erased.update_one({"_id": user_id}, {"$setOnInsert": {"_id": user_id}}, upsert=True)
        for collection in (self.subscriptions, self.deliveries):
            collection.delete_many({"user_id": user_id})
        for collection in (self.contacts, self.read_marks, self.email_choices):
            collection.delete_one({"_id": user_id})

    def forget_contact(self, user_id: str) -> None:
        """The member's address is gone from the contacts topic (their erasure): no mail can go to it."""
        self.contacts.delete_one({"_id": user_id})

    def is_erased(self, user_id: str) -> bool:
        return self.erased.count_documents({"_id": user_id}, limit=1) == 1


def _ids(idea_id: str, user_id: str) -> dict:
    return {"idea_id": {"$literal": idea_id}, "user_id": {"$literal": user_id}}


def _following(idea_id: str, user_id: str, reason: str, at: datetime) -> list[dict]:
    """The update that adds a reason to follow: a subscription that had none (new, or left) starts at `at`, one that
    had some keeps its earliest start (events are read in any order across topics). A reason dated no later than the
    member's unfollowing adds nothing: they chose to stop after it."""
    reasons = {"$ifNull": ["$reasons", []]}
    counts = {"$gt": [at, {"$ifNull": ["$unfollowed_at", None]}]}  # any date is greater than null
    return [{"$set": {
        "since": {"$cond": [counts, {"$cond": [{"$gt": [{"$size": reasons}, 0]}, {"$min": ["$since", at]}, at]},
                            "$since"]},
        "reasons": {"$cond": [counts, {"$setUnion": [reasons, [reason]]}, reasons]}, **_ids(idea_id, user_id)}}]


def _insert_missing(collection: Collection, docs: list[dict]) -> None:
    """Inserts the documents whose ids are not there yet, without looking first: unordered, the engine goes on past
    the duplicates."""
    for start in range(0, len(docs), INSERT_CHUNK):
        try:
            collection.insert_many(docs[start:start + INSERT_CHUNK], ordered=False)
        except BulkWriteError as exc:
            if any(e["code"] != DUPLICATE_KEY for e in exc.details["writeErrors"]):
                raise
