"""Every pymongo call of the accounts service.

No multi-document transactions (the local engine has none): every change that must be atomic is one document's
write (the event it announces rides in that document's outbox), and one-time things (links, refresh tokens, sign-in
states) are claimed with a single conditional update, so two requests can never both use one.
"""
from datetime import datetime

from pymongo import ReturnDocument
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from idealab import mongo, outbox

from .domain import SigningKey, session_revoked

HIDDEN = {outbox.FIELD: 0}


class AccountStore:
    def __init__(self, db: Database):
        self.users = db["users"]
        self.identities = db["identities"]          # _id "<provider>:<subject>" → user_id
        self.sessions = db["sessions"]              # a refresh-token family: one per sign-in
        self.refresh_tokens = db["refresh_tokens"]  # _id: the token's digest
        self.links = db["links"]                    # one-time links sent by mail; _id: the token's digest
        self.signing_keys = db["signing_keys"]
        self.spaces = db["spaces"]
        self.sign_in_attempts = db["sign_in_attempts"]  # OIDC state, nonce, PKCE verifier; _id: the state
        self.counters = db["counters"]  # password checks and mails per account, client or mailbox in a window

    def ensure_indexes(self) -> None:
        self.users.create_index("email", unique=True)
        self.identities.create_index("user_id")
        self.sessions.create_index("user_id")
        self.refresh_tokens.create_index("session_id")
        self.links.create_index("user_id")
        self.counters.create_index("expires_at")
        # One key per generation: API processes starting together at first start make one first key, not several.
        self.signing_keys.create_index("generation", unique=True)
        for collection in (self.users, self.spaces, self.sessions):
            outbox.ensure_indexes(collection)
        self.users.create_index("contact_pending", sparse=True)  # the few contact records to publish

    # --- users ---------------------------------------------------------------------------------------------------

    def insert_user(self, user: dict, *events: dict) -> bool:
        """False when the email is taken."""
        return mongo.inserted(self.users, outbox.with_events(user, *events))

    def user(self, user_id: str) -> dict | None:
        return self.users.find_one({"_id": user_id}, HIDDEN)

    def user_by_email(self, email: str) -> dict | None:
        return self.users.find_one({"email": email}, HIDDEN)

    def set_password_hash(self, user_id: str, password_hash: str, replacing: str | None = None,
                          event: dict | None = None) -> None:
        """Sets the hash (announcing `event` with it); with `replacing`, only if the stored one is still that."""
        condition = {} if replacing is None else {"password_hash": replacing}
        update = {"$set": {"password_hash": password_hash}}
        self.users.update_one({"_id": user_id, "deleted_at": None, **condition},
                              outbox.recording(update, event) if event else update)

    def mark_email_verified(self, user_id: str, event: dict, at: datetime) -> None:
        """Once per account: a second verification changes nothing and announces nothing."""
        self.users.update_one({"_id": user_id, "deleted_at": None, "email_verified": {"$ne": True}},
                              outbox.recording(_contact_changed({"email_verified": True}, at), event))

    def reclaim(self, user_id: str, event: dict, at: datetime) -> bool:
        """Hands an account nobody proved the address of to the address's owner: its password goes and the address
        is verified, in one write (False when it was verified meanwhile)."""
        result = self.users.update_one(
            {"_id": user_id, "deleted_at": None, "email_verified": {"$ne": True}},
            outbox.recording(_contact_changed({"password_hash": None, "email_verified": True}, at), event))
        return result.modified_count == 1

    def set_roles(self, user_id: str, roles: list[str], event: dict) -> bool:
        result = self.users.update_one({"_id": user_id, "deleted_at": None},
                                       outbox.recording({"$set": {"roles": roles}}, event))
        return result.matched_count == 1

    def ban(self, user_id: str, ban: dict, event: dict) -> bool:
        """False when the user is unknown, deleted or banned already (one ban, one event)."""
        result = self.users.update_one({"_id": user_id, "deleted_at": None, "banned": None},
                                       outbox.recording({"$set": {"banned": ban}}, event))
        return result.modified_count == 1

    def add_to_space(self, user_id: str, space_id: str, event: dict) -> bool:
        """False when the user is already a member (no second event)."""
        result = self.users.update_one({"_id": user_id, "deleted_at": None, "spaces": {"$ne": space_id}},
                                       outbox.recording({"$push": {"spaces": space_id}}, event))
        return result.modified_count == 1

    def remove_from_space(self, user_id: str, space_id: str, event: dict) -> bool:
        result = self.users.update_one({"_id": user_id, "spaces": space_id},
                                       outbox.recording({"$pull": {"spaces": space_id}}, event))
        return result.modified_count == 1

    def members(self, space_id: str) -> list[dict]:
        return list(self.users.find({"spaces": space_id, "deleted_at": None},
                                    {"display_name": 1, "email": 1}).sort("_id", 1))

    def member_count(self, space_id: str) -> int:
        return self.users.count_documents({"spaces": space_id, "deleted_at": None})

    def erase_user(self, user_id: str, email: str, tombstone: dict, event: dict) -> bool:
        """Replaces what the user document holds about the person by the tombstone, with user.deleted; the contacts
        topic gets its tombstone (accounts.contacts). Links mailed to their address (invitations) go too."""
        result = self.users.update_one(
            {"_id": user_id, "deleted_at": None},
            outbox.recording(_contact_changed(tombstone, tombstone["deleted_at"]), event))
        if result.modified_count == 1:
            self.identities.delete_many({"user_id": user_id})
            self.links.delete_many({"$or": [{"user_id": user_id}, {"email": email}]})
        return result.modified_count == 1

    # --- the contacts topic (accounts.contacts) ---------------------------------------------------------------------

    def contacts_to_publish(self, limit: int) -> list[dict]:
        return list(self.users.find({"contact_pending": True},
                                    {"email": 1, "email_verified": 1, "deleted_at": 1, "contact_changed_at": 1,
                                     "contact_version": 1}).limit(limit))

    def republish_contacts(self, at: datetime) -> int:
        """Marks every verified, living account's contact record to publish; how many."""
        return self.users.update_many({"email_verified": True, "deleted_at": None},
                                      _contact_changed({}, at)).modified_count

    def contacts_published(self, users: list[dict]) -> None:
        """Clears each mark unless the contact changed again since it was read (then it is published again)."""
        for user in users:
            self.users.update_one({"_id": user["_id"], "contact_version": user["contact_version"]},
                                  {"$unset": {"contact_pending": ""}})

    # --- identities from OpenID Connect providers -------------------------------------------------------------------

    def identity_user(self, provider: str, subject: str) -> dict | None:
        found = self.identities.find_one({"_id": f"{provider}:{subject}"})
        return self.user(found["user_id"]) if found else None

    def link_identity(self, provider: str, subject: str, user_id: str, now: datetime) -> None:
        self.identities.update_one({"_id": f"{provider}:{subject}"},
                                   {"$setOnInsert": {"provider": provider, "subject": subject, "user_id": user_id,
                                                     "linked_at": now}}, upsert=True)

    def identities_of(self, user_id: str) -> list[dict]:
        return list(self.identities.find({"user_id": user_id}, {"_id": 0, "user_id": 0}).sort("linked_at", 1))

    def unlink_identities(self, user_id: str, provider: str | None = None) -> int:
        """Removes the user's identities (of one provider, or all); how many there were."""
        condition = {} if provider is None else {"provider": provider}
        return self.identities.delete_many({"user_id": user_id, **condition}).deleted_count

    # --- sessions and refresh tokens -----------------------------------------------------------------------------

    def open_session(self, session: dict) -> None:
        self.sessions.insert_one(session)

    def session(self, session_id: str) -> dict | None:
        return self.sessions.find_one({"_id": session_id})

    def sessions_of(self, user_id: str) -> list[dict]:
        return list(self.sessions.find({"user_id": user_id}).sort("created_at", 1))

    def add_refresh_token(self, token: dict) -> None:
        self.refresh_tokens.insert_one(token)

    def use_refresh_token(self, token_digest: str, now: datetime) -> dict | None:
        """Marks the token used and returns it as it was before: whoever finds `used_at` unset is its only user."""
        return self.refresh_tokens.find_one_and_update({"_id": token_digest}, {"$set": {"used_at": now}},
                                                       return_document=ReturnDocument.BEFORE)

    def refresh_token(self, token_digest: str) -> dict | None:
        return self.refresh_tokens.find_one({"_id": token_digest})

    def revoke_session(self, session_id: str, user_id: str, now: datetime, why: str) -> None:
        """Closes the session, announced (session.revoked) so its access tokens stop working everywhere at once."""
        self.sessions.update_one({"_id": session_id, "revoked_at": None}, outbox.recording(
            {"$set": {"revoked_at": now, "revoked_because": why}}, session_revoked(session_id, user_id, why, now)))

    def revoke_sessions_of(self, user_id: str, now: datetime, why: str, signed_in_with: str | None = None) -> None:
        """Closes the user's open sessions (only those opened with `signed_in_with`, when given), one by one: each
        announces its own revocation."""
        condition = {} if signed_in_with is None else {"signed_in_with": signed_in_with}
        for session in self.sessions.find({"user_id": user_id, "revoked_at": None, **condition}, {"_id": 1}):
            self.revoke_session(session["_id"], user_id, now, why)

    # --- one-time links (verification, password reset, invitation) -----------------------------------------------

    def add_link(self, link: dict) -> None:
        self.links.insert_one(link)

    def use_link(self, token_digest: str, purpose: str, now: datetime) -> dict | None:
        """The link, claimed for this one use; None when unknown, of another purpose, used or expired."""
        return self.links.find_one_and_update(
            {"_id": token_digest, "purpose": purpose, "used_at": None, "expires_at": {"$gt": now}},
            {"$set": {"used_at": now}}, return_document=ReturnDocument.AFTER)

    def drop_unused_links(self, user_id: str, purpose: str, created_before: datetime | None = None) -> None:
        """Removes the user's links of `purpose` not used yet (only those made before `created_before`, when given):
        a newer link, or one just used, makes them void."""
        condition = {} if created_before is None else {"created_at": {"$lt": created_before}}
        self.links.delete_many({"user_id": user_id, "purpose": purpose, "used_at": None, **condition})

    def unuse_link(self, token_digest: str) -> None:
        """Gives a claimed link back when what it was for could not be done (the user is gone)."""
        self.links.update_one({"_id": token_digest}, {"$set": {"used_at": None}})

    def purge_expired(self, now: datetime, sessions_revoked_before: datetime) -> dict[str, int]:
        """Removes what can no longer be used (FerretDB has no TTL index to do it)."""
        return {
            "links": self.links.delete_many({"expires_at": {"$lt": now}}).deleted_count,
            "refresh_tokens": self.refresh_tokens.delete_many({"expires_at": {"$lt": now}}).deleted_count,
            "sign_in_attempts": self.sign_in_attempts.delete_many({"expires_at": {"$lt": now}}).deleted_count,
            "sessions": self.sessions.delete_many({"revoked_at": {"$lt": sessions_revoked_before}}).deleted_count,
            "counters": self.counters.delete_many({"expires_at": {"$lt": now}}).deleted_count,
        }

    # --- counters of password checks and mails -------------------------------------------------------------------

    def count(self, counter: str, expires_at: datetime) -> int:
        """Adds one to the counter (made at its first count, for its window) and returns the new count."""
        update = {"$inc": {"count": 1}, "$setOnInsert": {"expires_at": expires_at}}
        try:
            counted = self.counters.find_one_and_update({"_id": counter}, update, upsert=True,
                                                        return_document=ReturnDocument.AFTER)
        except DuplicateKeyError:  # another request made it at the same moment: it exists now
            counted = self.counters.find_one_and_update({"_id": counter}, update,
                                                        return_document=ReturnDocument.AFTER)
        return counted["count"]

    # --- signing keys ----------------------------------------------------------------------------------------------

    def add_signing_key(self, key: dict) -> bool:
        """False when a key of this generation exists already."""
        return mongo.inserted(self.signing_keys, key)

    def last_key_generation(self) -> int:
        newest = self.signing_keys.find_one({}, {"generation": 1}, sort=[("generation", -1)])
        return newest["generation"] if newest else -1

    def signing_keys_in_use(self) -> list[dict]:
        return list(self.signing_keys.find({"state": {"$ne": "retired"}}))

    def set_key_state(self, kid: str, state: str, now: datetime) -> None:
        self.signing_keys.update_one({"_id": kid, "state": {"$ne": state}},
                                     {"$set": {"state": state, "state_since": now}})

    @staticmethod
    def schedule_entry(doc: dict) -> SigningKey:
        return SigningKey(doc["_id"], doc["created_at"], doc["signs_from"])

    # --- spaces ----------------------------------------------------------------------------------------------------

    def insert_space(self, space: dict, event: dict) -> None:
        self.spaces.insert_one(outbox.with_events(space, event))

    def space(self, space_id: str) -> dict | None:
        return self.spaces.find_one({"_id": space_id}, HIDDEN)

    def all_spaces(self) -> list[dict]:
        return list(self.spaces.find({}, HIDDEN).sort("created_at", 1))

    # --- OpenID Connect sign-in attempts -----------------------------------------------------------------------

    def add_sign_in_attempt(self, attempt: dict) -> None:
        self.sign_in_attempts.insert_one(attempt)

    def take_sign_in_attempt(self, state: str, browser: str) -> dict | None:
        """The attempt for `state` started by `browser`, removed so it serves once."""
        return self.sign_in_attempts.find_one_and_delete({"_id": state, "browser": browser})


def _contact_changed(changes: dict, at: datetime) -> dict:
    """`changes` to a user, marking their contact record to publish (accounts.contacts): the version tells the
    publisher whether it changed again while it published."""
    return {"$set": {**changes, "contact_pending": True, "contact_changed_at": at}, "$inc": {"contact_version": 1}}
