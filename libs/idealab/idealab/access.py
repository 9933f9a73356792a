"""Bans, demotions, password resets, closed sessions and removals from spaces, in force from the moment a service
reads the accounts event saying so, not when the caller's access token (15 minutes) expires.

A token tells who the caller is and what accounts granted when it was issued (`iat`). What accounts changed since,
every service keeps in its own `access` collection, written only by the handlers below: every service's worker runs
them in a consumer group of its own, `<service>.access` (idealab.worker), and every API applies the collection to
each request that carries a token (idealab.auth.current_principal), so route code sees the principal as it stands:

- banned → 403, whatever the token;
- the token's session (`sid`) revoked → 401: sign in again (a password reset, a ban or a deletion revokes every
  session, each announced); a token naming no session (issued before they were named) by a password reset at or
  after its `iat`;
- roles changed at or after `iat` → the roles of the latest change, not the token's (a demotion takes effect);
- removed from a space at or after `iat` → the space is dropped from the token's (a token issued after being
  invited again has it back).

"At or after": `iat` holds whole seconds, so a token issued in the very second of a change is taken as older than it
(for a removal or a role change: the holder's next token, a refresh away, carries the change anyway); a token older
than a change is never taken as newer.

Cost: one read per request with a token, `find({_id: {$in: [user key, session key]}})`: at most two small documents
by the `_id` index, in one round trip (none for anonymous requests). Nearly everyone has no document, and the read
finds nothing. A cache would save that read but serve a ban late by its age; the brief is "within a second or two".
Documents: `user:<id>` {banned_at, roles, roles_at, reset_at, removed: {<space id>: at}}, one per person accounts
changed, small; `session:<id>` {revoked_at, expires_at}, dropped by a TTL index once no access token of the session
can still be valid.

The handlers are idempotent and need no order (the latest time wins), so a replay or a redelivery changes nothing.
"""
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError
from werkzeug.exceptions import Forbidden, Unauthorized

from .auth import Principal

USER, SESSION = "user:", "session:"
# Longer than any access token lives: a revoked session's document is needed no longer.
SESSION_KEPT = timedelta(days=1)


def restricted(principal: Principal, user: dict | None, session: dict | None) -> Principal:
    """The principal as accounts has it now, from the token and what changed since it was issued."""
    if user is None and session is None:
        return principal
    user = user or {}
    if user.get("banned_at") is not None:
        raise Forbidden("this account is banned")
    issued = datetime.fromtimestamp(principal.issued_at, timezone.utc)

    def since_issued(when: datetime | None) -> bool:
        return when is not None and when >= issued

    if session is not None or (principal.session_id is None and since_issued(user.get("reset_at"))):
        raise Unauthorized("this session was closed (signed out, password reset or refresh token reused); sign in "
                           "again")
    removed = user.get("removed", {})
    return replace(principal,
                   roles=frozenset(user["roles"]) if since_issued(user.get("roles_at")) else principal.roles,
                   spaces=frozenset(s for s in principal.spaces if not since_issued(removed.get(s))))


class Access:
    """The service's `access` read model: every pymongo call of this module."""

    def __init__(self, db: Database):
        self.collection = db["access"]

    def ensure_indexes(self) -> None:
        self.collection.create_index("expires_at", expireAfterSeconds=0)

    def applied(self, principal: Principal) -> Principal:
        user_key = USER + principal.user_id
        session_key = SESSION + principal.session_id if principal.session_id else None
        found = {d["_id"]: d for d in self.collection.find({"_id": {"$in": [user_key, session_key]}})}
        return restricted(principal, found.get(user_key), found.get(session_key))

    def latest(self, user_id: str, field: str, at: datetime) -> None:
        self.collection.update_one({"_id": USER + user_id}, {"$max": {field: at}}, upsert=True)

    def set_roles(self, user_id: str, roles: list[str], at: datetime) -> None:
        """Keeps the latest change: an older one, replayed or late, changes nothing."""
        try:
            self.collection.update_one({"_id": USER + user_id, "$or": [{"roles_at": None}, {"roles_at": {"$lt": at}}]},
                                       {"$set": {"roles": roles, "roles_at": at}}, upsert=True)
        except DuplicateKeyError:
            pass  # the document holds a change as new or newer

    def revoke_session(self, session_id: str, at: datetime) -> None:
        self.collection.update_one({"_id": SESSION + session_id},
                                   {"$min": {"revoked_at": at}, "$max": {"expires_at": at + SESSION_KEPT}},
                                   upsert=True)


def event_handlers(access: Access) -> dict:
    return {
        "user.banned": lambda e: access.latest(e.data["user_id"], "banned_at", e.data["banned_at"]),
        "user.password_reset": lambda e: access.latest(e.data["user_id"], "reset_at", e.data["reset_at"]),
        "space.member_removed": lambda e: access.latest(e.data["user_id"], f"removed.{e.data['space_id']}",
                                                        e.data["removed_at"]),
        "user.role_changed": lambda e: access.set_roles(e.data["user_id"], e.data["roles"], e.data["changed_at"]),
        "session.revoked": lambda e: access.revoke_session(e.data["session_id"], e.data["revoked_at"]),
    }
