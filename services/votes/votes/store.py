"""Every pymongo call of the votes service."""
from dataclasses import asdict
from datetime import datetime, timezone

from pymongo import ASCENDING, DESCENDING
from pymongo.database import Database

from idealab import mongo, outbox
from idealab.access import USER, Access

from .campaigns import ballot_id
from .contest_store import ContestStore
from .domain import Tally, vote_id

HIDDEN = {outbox.FIELD: 0, outbox.PENDING: 0}
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


class VoteStore:
    def __init__(self, db: Database):
        self.votes = db["votes"]  # one document per (idea, member), its _id from vote_id
        self.tallies = db["tallies"]
        self.ideas = db["ideas"]  # read model: the ideas open to votes, fed by idea.submitted
        self.campaigns = db["campaigns"]  # with their live tally and, once closed, their result
        self.ballots = db["ballots"]  # one document per (campaign, member), its _id from campaigns.ballot_id
        self.contests = ContestStore(db)  # contests, their scoresheets, and their entries' votes at an instant
        # One account, one voice (votes.integrity): read models fed by accounts' events, and the bursts flagged.
        self.voters = db["voters"]  # {_id: user id, registered_at, verified_at}
        self.spaces = db["spaces"]  # {_id: space id, unverified_may_vote}
        self.new_account_votes = db["new_account_votes"]  # new accounts' votes, the evidence of a burst
        self.flags = db["flags"]  # bursts flagged to moderators, each carrying votes.burst_flagged
        self.access = Access(db)  # idealab.access's read model: who is banned, whose ballots stop counting

    def ensure_indexes(self) -> None:
        self.votes.create_index([("idea_id", 1), ("live", 1)])  # the recount of an idea
        self.ballots.create_index("campaign_id")  # a campaign's recount, close and export
        self.ballots.create_index("voter_id")  # a member's data download
        self.campaigns.create_index([("space", ASCENDING), ("opens_at", DESCENDING)])  # the campaigns one may see
        self.campaigns.create_index([("opens_at", DESCENDING)])  # every campaign, for staff
        self.campaigns.create_index([("opened", ASCENDING), ("opens_at", ASCENDING)])  # the clock: due to open
        self.campaigns.create_index([("closed", ASCENDING), ("closes_at", ASCENDING)])  # the clock: due to close
        self.access.collection.create_index("banned_at")  # the members banned before a campaign's close
        # Votes and ballots waiting for their account's verification (few): counted from it.
        self.votes.create_index("voter_id", name="awaiting_verification_voter_id",
                                partialFilterExpression={"awaiting_verification": True})
        self.new_account_votes.create_index([("subject", ASCENDING), ("cast_at", ASCENDING)])
        # Evidence of a window long past is in its flag if it was a burst, and of no use if not.
        self.new_account_votes.create_index("noted_at", expireAfterSeconds=7 * 86400)
        self.flags.create_index([("flagged_at", DESCENDING)])
        for collection in (self.votes, self.tallies, self.campaigns, self.ballots, self.flags):
            outbox.ensure_indexes(collection)
        self.contests.ensure_indexes()

    def add_votable_idea(self, idea_id: str, submitted_at: datetime, space: str | None) -> None:
        self.ideas.update_one({"_id": idea_id}, {"$setOnInsert": {"submitted_at": submitted_at, "space": space}},
                              upsert=True)

    def votable_idea(self, idea_id: str) -> dict | None:
        return self.ideas.find_one({"_id": idea_id})

    def votable_idea_spaces(self, idea_ids: list[str]) -> dict[str, str | None]:
        """The space of each of these ideas the votes service knows (None: the public lab)."""
        return {i["_id"]: i.get("space") for i in self.ideas.find({"_id": {"$in": idea_ids}}, {"space": 1})}

    def vote(self, idea_id: str, voter_id: str) -> dict | None:
        return self.votes.find_one({"_id": vote_id(idea_id, voter_id)}, {outbox.FIELD: 0})

    def insert_vote(self, idea_id: str, voter_id: str, cast_at: datetime, event: dict, pending: bool = False) -> bool:
        """A first vote with its event; False when this voter has voted on this idea before. A `pending` vote waits
        for its account's verification to count (votes.integrity)."""
        return mongo.inserted(self.votes, outbox.with_events(
            {"_id": vote_id(idea_id, voter_id), "idea_id": idea_id, "voter_id": voter_id, "live": True,
             "version": 1, "cast_at": cast_at, **({"awaiting_verification": True} if pending else {})}, event))

    def change_vote(self, idea_id: str, voter_id: str, version: int, live: bool, at: datetime, event: dict,
                    was_cast_at: datetime | None = None, pending: bool = False) -> bool:
        """Moves the vote from `version` to the next with its event, only if nobody changed it meanwhile (votes
        are withdrawn, never deleted, so their history and events stay)."""
        changes = {"live": live, "version": version + 1}
        if live:
            changes["cast_at"] = at
        update = ({"$set": {**changes, "awaiting_verification": True}} if pending
                  else {"$set": changes, "$unset": {"awaiting_verification": ""}})
        if not live and was_cast_at is not None:  # when it was live: a contest counts the votes live at an instant
            update["$push"] = {"past": {"cast_at": was_cast_at, "withdrawn_at": at}}
        result = self.votes.update_one({"_id": vote_id(idea_id, voter_id), "version": version, "live": not live},
                                       outbox.recording(update, event))
        return result.modified_count == 1

    def votes_of(self, voter_id: str) -> list[dict]:
        return list(self.votes.find({"voter_id": voter_id}, {outbox.FIELD: 0}))

    def missing_votes(self, ids: set[str]) -> set[str]:
        """Those of the vote ids that no vote document holds."""
        return ids - {doc["_id"] for doc in self.votes.find({"_id": {"$in": list(ids)}}, {"_id": 1})}

    def add_merged_votes(self, duplicate_id: str, original_id: str, merged_at: datetime) -> None:
        """Gives the original a live vote from each live voter of its duplicate who has no vote on it yet: one vote
        per (idea, member) keeps anyone who voted for both counted once. A vote the member withdrew from the
        original stays withdrawn, and one waiting for its account's verification still waits. Inserting what is
        missing is the same on a replay."""
        voters = list(self.votes.find({"idea_id": duplicate_id, "live": True},
                                      {"voter_id": 1, "awaiting_verification": 1}))
        for voter in voters:
            voter_id = voter["voter_id"]
            mongo.inserted(self.votes, {"_id": vote_id(original_id, voter_id), "idea_id": original_id,
                                        "voter_id": voter_id, "live": True, "version": 1, "cast_at": merged_at,
                                        "merged_from": duplicate_id,
                                        **({"awaiting_verification": True} if voter.get("awaiting_verification")
                                           else {})})

    def live_votes(self, idea_id: str) -> int:
        """The idea's live votes that count (not those waiting for their account's verification)."""
        return self.votes.count_documents({"idea_id": idea_id, "live": True, "awaiting_verification": {"$ne": True}})

    def live_votes_by_idea(self) -> dict[str, int]:
        return {row["_id"]: row["live"] for row in self.votes.aggregate([
            {"$match": {"live": True, "awaiting_verification": {"$ne": True}}},
            {"$group": {"_id": "$idea_id", "live": {"$sum": 1}}}])}

    def tally(self, idea_id: str) -> Tally:
        doc = self.tallies.find_one({"_id": idea_id}, {outbox.FIELD: 0, outbox.PENDING: 0})
        return Tally(idea_id) if doc is None else _as_tally(doc)

    def all_tallies(self) -> list[Tally]:
        return [_as_tally(doc) for doc in self.tallies.find({}, {outbox.FIELD: 0, outbox.PENDING: 0})]

    def replace_tally(self, before: Tally, after: Tally, events: list[dict]) -> bool:
        """Writes `after` and its events only if the stored tally is still `before` (optimistic concurrency)."""
        fields = {k: v for k, v in asdict(after).items() if k != "idea_id"}
        if before.version == 0:
            return mongo.inserted(self.tallies, outbox.with_events({"_id": after.idea_id, **fields}, *events))
        result = self.tallies.update_one({"_id": before.idea_id, "version": before.version},
                                         outbox.recording({"$set": fields}, *events))
        return result.modified_count == 1

    def insert_campaign(self, campaign: dict) -> None:
        self.campaigns.insert_one({**campaign, "opened": False, "closed": False, "tally_version": 0})

    def campaign(self, campaign_id: str) -> dict | None:
        return self.campaigns.find_one({"_id": campaign_id}, HIDDEN)

    def campaigns_in(self, spaces: list[str] | None, limit: int) -> list[dict]:
        """The campaigns of the public lab and of `spaces` (None: every space), newest opening first."""
        # Staff's list is a range of the opening instants, not an unfiltered find, which this engine scans whole.
        query = {"opens_at": {"$gt": EPOCH}} if spaces is None else {"space": {"$in": [None, *spaces]}}
        return list(self.campaigns.find(query, HIDDEN).sort("opens_at", DESCENDING).limit(limit))

    def edit_campaign(self, campaign_id: str, changes: dict, now: datetime) -> bool:
        """Replaces what staff set, only while the campaign has not opened (by the stored opening instant)."""
        result = self.campaigns.update_one({"_id": campaign_id, "opens_at": {"$gt": now}}, {"$set": changes})
        return result.matched_count == 1

    def ballot(self, campaign_id: str, voter_id: str) -> dict | None:
        return self.ballots.find_one({"_id": ballot_id(campaign_id, voter_id)}, {outbox.FIELD: 0})

    def insert_ballot(self, campaign_id: str, voter_id: str, public_id: str, choices: dict, at: datetime,
                      event: dict, pending: bool = False) -> bool:
        """A member's first ballot with its event; False when they have one already. A `pending` ballot waits for
        its account's verification to count (votes.integrity)."""
        return mongo.inserted(self.ballots, outbox.with_events(
            {"_id": ballot_id(campaign_id, voter_id), "campaign_id": campaign_id, "voter_id": voter_id,
             "ballot_id": public_id, "choices": choices, "version": 1, "first_cast_at": at, "cast_at": at,
             **({"awaiting_verification": True} if pending else {})},
            event))

    def change_ballot(self, campaign_id: str, voter_id: str, version: int, choices: dict, at: datetime,
                      event: dict, pending: bool = False) -> bool:
        changes = {"choices": choices, "version": version + 1, "cast_at": at}
        update = ({"$set": {**changes, "awaiting_verification": True}} if pending
                  else {"$set": changes, "$unset": {"awaiting_verification": ""}})
        result = self.ballots.update_one(
            {"_id": ballot_id(campaign_id, voter_id), "version": version}, outbox.recording(update, event))
        return result.modified_count == 1

    def ballots_of(self, voter_id: str) -> list[dict]:
        return list(self.ballots.find({"voter_id": voter_id}, {outbox.FIELD: 0, outbox.PENDING: 0}))

    def replace_campaign_tally(self, campaign_id: str, version: int, tally: dict) -> bool:
        """Writes a recount only if no other was written since `version` was read (as replace_tally)."""
        result = self.campaigns.update_one({"_id": campaign_id, "tally_version": version},
                                           {"$set": {"tally": tally, "tally_version": version + 1}})
        return result.modified_count == 1

    def due_to_open(self, now: datetime) -> list[dict]:
        return list(self.campaigns.find({"opened": False, "opens_at": {"$lte": now}}, HIDDEN).limit(100))

    def due_to_close(self, before: datetime) -> list[dict]:
        return list(self.campaigns.find({"closed": False, "closes_at": {"$lte": before}}, HIDDEN).limit(100))

    def mark_opened(self, campaign_id: str, event: dict) -> bool:
        result = self.campaigns.update_one({"_id": campaign_id, "opened": False},
                                           outbox.recording({"$set": {"opened": True}}, event))
        return result.modified_count == 1

    def close_campaign(self, campaign_id: str, outcome: dict, event: dict) -> bool:
        """Closes it with its result and `campaign.closed`, once: of two closers, only the first writes."""
        result = self.campaigns.update_one({"_id": campaign_id, "closed": False},
                                           outbox.recording({"$set": {"closed": True, "result": outcome}}, event))
        return result.modified_count == 1

    # Bans (issue 12): a banned member's ballots stop counting, in the live tally, the close and the export alike.

    def record_ban(self, user_id: str, banned_at: datetime) -> None:
        """The ban in the access read model, as the service's access consumer writes it (idempotently): the votes
        group recounts on `user.banned` and must not count before that consumer has caught up."""
        self.access.latest(user_id, "banned_at", banned_at)

    def banned_before(self, instant: datetime) -> list[str]:
        """The members banned before `instant` (a few, by the `banned_at` index)."""
        found = self.access.collection.find({"banned_at": {"$lt": instant}}, {"_id": 1})
        return [doc["_id"].removeprefix(USER) for doc in found]

    def ballots_of_campaign(self, campaign: dict) -> list[dict]:
        """The ballots that count: their public ids, choices and first casts (nothing of who cast them), all but
        those of members banned before the closing instant: a ban after the close changes neither the result nor
        the export."""
        banned = self.banned_before(campaign["closes_at"])
        return list(self.ballots.find({"campaign_id": campaign["_id"], "voter_id": {"$nin": banned},
                                       "awaiting_verification": {"$ne": True}},
                                      {"_id": 0, "ballot_id": 1, "choices": 1, "first_cast_at": 1}))

    def open_campaigns_voted_in(self, voter_id: str) -> list[str]:
        """The campaigns not yet closed that the member holds a ballot in."""
        voted = [b["campaign_id"] for b in self.ballots.find({"voter_id": voter_id}, {"campaign_id": 1})]
        return [c["_id"] for c in self.campaigns.find({"_id": {"$in": voted}, "closed": False}, {"_id": 1})]


    # One account, one voice (votes.integrity): verification, the spaces' rule, and bursts of new accounts.

    def note_registered(self, user_id: str, registered_at: datetime) -> None:
        self.voters.update_one({"_id": user_id}, {"$set": {"registered_at": registered_at}}, upsert=True)

    def note_verified(self, user_id: str, verified_at: datetime) -> None:
        self.voters.update_one({"_id": user_id}, {"$min": {"verified_at": verified_at}}, upsert=True)

    def verified(self, user_id: str) -> bool:
        return self.voters.count_documents({"_id": user_id, "verified_at": {"$ne": None}}, limit=1) == 1

    def voters_among(self, user_ids: set[str]) -> dict[str, dict]:
        return {d["_id"]: d for d in self.voters.find({"_id": {"$in": sorted(user_ids)}})}

    def set_space_rule(self, space_id: str, unverified_may_vote: bool) -> None:
        self.spaces.update_one({"_id": space_id}, {"$set": {"unverified_may_vote": unverified_may_vote}}, upsert=True)

    def space_lets_unverified_vote(self, space_id: str | None) -> bool:
        """The public lab does; a space as it said when made (spaces made before it could say: they do)."""
        space = self.spaces.find_one({"_id": space_id}) if space_id is not None else None
        return True if space is None else space["unverified_may_vote"]

    def awaiting_among(self, vote_ids: set[str]) -> list[dict]:
        """Those of the votes that wait for their account's verification."""
        return list(self.votes.find({"_id": {"$in": sorted(vote_ids)}, "awaiting_verification": True},
                                    {"idea_id": 1, "voter_id": 1}))

    def count_from_verification(self, voter_id: str) -> tuple[list[str], list[str]]:
        """Lets every vote and ballot of a verified account count; the ideas and campaigns to recount."""
        waiting = {"voter_id": voter_id, "awaiting_verification": True}
        ideas = [v["idea_id"] for v in self.votes.find(waiting, {"idea_id": 1})]
        campaigns = [b["campaign_id"] for b in self.ballots.find(waiting, {"campaign_id": 1})]
        self.votes.update_many(waiting, {"$unset": {"awaiting_verification": ""}})
        self.ballots.update_many(waiting, {"$unset": {"awaiting_verification": ""}})
        return ideas, campaigns

    def note_new_account_vote(self, subject: str, vote: dict) -> None:
        """A new account's vote, kept as evidence (the same vote noted twice is one)."""
        self.new_account_votes.update_one({"_id": f"{subject}:{vote['voter_id']}"},
                                          {"$set": {"subject": subject, **vote, "noted_at": vote["cast_at"]}},
                                          upsert=True)

    def new_account_votes_of(self, subject: str, since: datetime, until: datetime) -> list[dict]:
        return list(self.new_account_votes.find({"subject": subject, "cast_at": {"$gte": since, "$lt": until}},
                                                {"_id": 0, "subject": 0, "noted_at": 0}))

    def flag(self, flag: dict, event: dict) -> None:
        """The flag with its event the first time; later, only its evidence grows (no second event)."""
        if not mongo.inserted(self.flags, outbox.with_events(flag, event)):
            self.flags.update_one({"_id": flag["_id"]}, {"$set": {"evidence": flag["evidence"]}})

    def recent_flags(self, limit: int) -> list[dict]:
        return list(self.flags.find({"flagged_at": {"$gt": EPOCH}}, HIDDEN).sort("flagged_at", DESCENDING)
                    .limit(limit))


def _as_tally(doc: dict) -> Tally:
    return Tally(doc["_id"], doc["count"], doc["version"], doc["threshold_reached"])
