"""Rules about accounts, passwords, tokens, signing keys, spaces and sign-in links, with no I/O."""
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from urllib.parse import urlsplit

from idealab.auth import AUDIENCE, ROLES
from idealab.events import new_event

SOURCE = "/accounts"
MIN_PASSWORD_LENGTH = 10
STAFF_ROLES = frozenset({"moderator", "admin"})
VERIFICATION_TTL = timedelta(hours=48)
RESET_TTL = timedelta(hours=1)
INVITATION_TTL = timedelta(days=14)
SIGN_IN_ATTEMPT_TTL = timedelta(minutes=10)


def new_id() -> str:
    return uuid.uuid4().hex


def normalise_email(email: str) -> str:
    return email.strip().lower()


def new_user(email: str, display_name: str, password_hash: str | None, email_verified: bool, now: datetime) -> dict:
    user = {"_id": new_id(), "email": email, "display_name": display_name, "password_hash": password_hash,
            "email_verified": email_verified, "roles": ["member"], "spaces": [], "banned": None, "created_at": now,
            "deleted_at": None}
    # A verified address (from an OpenID Connect provider) goes to the contacts topic (accounts.contacts).
    if not email_verified:
        return user
    return {**user, "contact_pending": True, "contact_changed_at": now, "contact_version": 1}


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].lower()


def refused_domain(email: str, refused: frozenset[str]) -> str | None:
    """The refused domain the address is at, itself or as a subdomain (x@mail.throwaway.example), or None."""
    labels = email_domain(email).split(".")
    return next((d for d in (".".join(labels[i:]) for i in range(len(labels))) if d in refused), None)


def erased_email(user_id: str) -> str:
    """What a deleted user's email becomes: unique (the index stays unique) and no longer anybody's address."""
    return f"erased-{user_id}@erased.invalid"


# --- passwords -------------------------------------------------------------------------------------------------

def password_problem(password: str, common: frozenset[str]) -> str | None:
    """Why `password` is refused, or None. Common passwords are refused as they are and with digits or symbols
    added at the end ("Summer2024!" is "summer"), the usual way people stretch a short one to the minimum."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"use at least {MIN_PASSWORD_LENGTH} characters"
    lowered = password.lower()
    stem = lowered.rstrip("0123456789!@#$%^&*()-_=+.,;:?~ ")
    if lowered in common or stem in common:
        return "this password is one of the most common ones; choose another"
    if len(set(lowered)) < 3:
        return "use more than two different characters"
    return None


# --- one-time secrets (links in mails, refresh tokens, OIDC states) ----------------------------------------------

def new_secret() -> str:
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """Only this is stored: a leaked database does not hand out working links or refresh tokens."""
    return hashlib.sha256(secret.encode()).hexdigest()


# --- access tokens -----------------------------------------------------------------------------------------------

def access_claims(user: dict, issuer: str, now: datetime, ttl_seconds: int, session_id: str) -> dict:
    """`sid` names the session (refresh-token family): its revocation reaches every service (session.revoked)."""
    issued = int(now.timestamp())
    return {"iss": issuer, "aud": AUDIENCE, "sub": user["_id"], "sid": session_id, "roles": list(user["roles"]),
            "spaces": list(user.get("spaces", [])), "email_verified": bool(user["email_verified"]),
            "iat": issued, "exp": issued + ttl_seconds, "jti": new_id()}


def sign_in_refusal(user: dict | None) -> str | None:
    """Why this account may not sign in or refresh (None: it may)."""
    if user is None or user.get("deleted_at"):
        return "this account no longer exists"
    if user.get("banned"):
        return "this account is banned"
    return None


# --- refresh tokens ----------------------------------------------------------------------------------------------

class Refresh(Enum):
    ROTATE = "rotate"
    REUSED = "reused"        # presented a second time: stolen or replayed, so the whole family is revoked
    EXPIRED = "expired"
    REVOKED = "revoked"      # signed out, reset its password, banned, or its family was revoked for reuse
    UNKNOWN = "unknown"


def refresh_outcome(token: dict | None, session: dict | None, now: datetime) -> Refresh:
    """What presenting a refresh token leads to. `token` is the token as it was before this use claimed it."""
    if token is None or session is None:
        return Refresh.UNKNOWN
    if token.get("used_at") is not None:
        return Refresh.REUSED
    if session.get("revoked_at") is not None:
        return Refresh.REVOKED
    if token["expires_at"] <= now:
        return Refresh.EXPIRED
    return Refresh.ROTATE


# --- signing keys ------------------------------------------------------------------------------------------------

class KeyState(str, Enum):
    NEXT = "next"           # published, not signing yet: verifiers learn it before they meet a token it signed
    ACTIVE = "active"       # signs every new token
    RETIRING = "retiring"   # published until the last token it signed has expired
    RETIRED = "retired"     # no longer published


@dataclass(frozen=True)
class SigningKey:
    kid: str
    created_at: datetime
    signs_from: datetime


def key_states(keys: list[SigningKey], now: datetime, access_ttl: timedelta) -> dict[str, KeyState]:
    """The state of every key at `now`. The key that signs is the one that started signing last; a key stops
    signing when its successor starts, and is retired once every token it signed has expired."""
    started = sorted((k for k in keys if k.signs_from <= now), key=lambda k: (k.signs_from, k.created_at))
    states = {k.kid: KeyState.NEXT for k in keys if k.signs_from > now}
    for key, successor in zip(started, started[1:]):
        last_expiry = successor.signs_from + access_ttl
        states[key.kid] = KeyState.RETIRED if now >= last_expiry else KeyState.RETIRING
    if started:
        states[started[-1].kid] = KeyState.ACTIVE
    return states


def signing_kid(states: dict[str, KeyState]) -> str | None:
    return next((kid for kid, state in states.items() if state is KeyState.ACTIVE), None)


def published(states: dict[str, KeyState]) -> list[str]:
    return [kid for kid, state in states.items() if state is not KeyState.RETIRED]


# --- roles, bans, deletion ---------------------------------------------------------------------------------------

def checked_roles(roles: list[str]) -> list[str]:
    """Roles in catalogue order without repeats; every account keeps "member" so it can take part."""
    return [r for r in ROLES if r in set(roles) | {"member"}]


def ban_refusal(actor_id: str, actor_roles: frozenset[str], target: dict) -> str | None:
    if target["_id"] == actor_id:
        return "you cannot ban yourself"
    if "admin" not in actor_roles and STAFF_ROLES & set(target["roles"]):
        return "only an admin can ban a moderator or an admin"
    return None


def may_delete_without_password(issued_at: int | None, now: datetime, recent: timedelta) -> bool:
    """An account without a password (made through OIDC) is deleted on a fresh sign-in instead."""
    return issued_at is not None and now.timestamp() - issued_at <= recent.total_seconds()


def invitation_is_for(link: dict, user: dict) -> bool:
    """An invitation is for the address it was mailed to: a forwarded or leaked link lets nobody else in."""
    return link.get("email") == normalise_email(user["email"])


# --- OpenID Connect ----------------------------------------------------------------------------------------------

def safe_return_to(path: str | None) -> str:
    """A path on our own origin, so a sign-in link cannot send tokens to another site ("//evil", "https://evil",
    "/\\evil" are refused)."""
    if not path:
        return "/"
    parts = urlsplit(path)
    if (not path.startswith("/") or path.startswith("//") or "\\" in path or parts.scheme or parts.netloc
            or any(ord(c) < 32 for c in path)):
        raise ValueError("return_to must be a path on this site, such as /ideas")
    return path


class Refused(Exception):
    """A sign-in through a provider that failed once its attempt was known: told to the browser in `return_to`'s
    fragment."""

    def __init__(self, error: str, description: str):
        super().__init__(error, description)
        self.error = error
        self.description = description


class Link(Enum):
    KNOWN = "known"          # this provider identity signed in before
    BY_EMAIL = "by_email"    # the provider vouches for the address of an account we verified: link it
    RECLAIMED = "reclaimed"  # ... of an account nobody proved the address of: its owner takes it back
    NEW = "new"
    REFUSED = "refused"      # the provider has not verified the address: it claims nothing


def link_decision(identity_user: dict | None, email_user: dict | None, email_verified: bool) -> Link:
    if identity_user is not None:
        return Link.KNOWN
    # An address the provider did not verify may be anybody's: it neither makes an account on that address (whose
    # owner's sign-up would then be refused) nor joins one (the pre-hijacking of accounts).
    if not email_verified:
        return Link.REFUSED
    if email_user is None:
        return Link.NEW
    # An account whose address was never proved may have been made by someone else with the owner's address: the
    # owner proves it now, and whatever its maker could sign in with (password, sessions, identities) is dropped.
    return Link.BY_EMAIL if email_user["email_verified"] else Link.RECLAIMED


# --- events ------------------------------------------------------------------------------------------------------

def user_registered(user: dict, signed_up_with: str) -> dict:
    return new_event("user.registered", {"user_id": user["_id"], "display_name": user["display_name"],
                                         "signed_up_with": signed_up_with, "registered_at": user["created_at"]},
                     source=SOURCE, subject=user["_id"])


def email_verified(user: dict, now: datetime) -> dict:
    """Without the address: it goes to notifications by the contacts topic (accounts.contacts), where erasure
    really removes it (docs/decisions/0014)."""
    return new_event("user.email_verified", {"user_id": user["_id"], "verified_at": now},
                     source=SOURCE, subject=user["_id"])


def contact_record(user: dict) -> dict | None:
    """What the contacts topic holds for the user: their verified address, or None (a tombstone) once erased or
    while unverified."""
    if user.get("deleted_at") or not user.get("email_verified"):
        return None
    return {"user_id": user["_id"], "email": user["email"], "changed_at": user["contact_changed_at"].isoformat()}


def role_changed(user_id: str, roles: list[str], by: str, now: datetime) -> dict:
    return new_event("user.role_changed", {"user_id": user_id, "roles": roles, "by": by, "changed_at": now},
                     source=SOURCE, subject=user_id)


def user_banned(user_id: str, reason: str, by: str, now: datetime) -> dict:
    return new_event("user.banned", {"user_id": user_id, "reason": reason, "by": by, "banned_at": now},
                     source=SOURCE, subject=user_id)


def password_reset(user_id: str, now: datetime) -> dict:
    return new_event("user.password_reset", {"user_id": user_id, "reset_at": now}, source=SOURCE, subject=user_id)


def session_revoked(session_id: str, user_id: str, reason: str, now: datetime) -> dict:
    return new_event("session.revoked", {"session_id": session_id, "user_id": user_id, "reason": reason,
                                         "revoked_at": now}, source=SOURCE, subject=user_id)


def user_deleted(user_id: str, now: datetime) -> dict:
    return new_event("user.deleted", {"user_id": user_id, "deleted_at": now}, source=SOURCE, subject=user_id)


def space_created(space: dict) -> dict:
    return new_event("space.created", {"space_id": space["_id"], "name": space["name"], "by": space["created_by"],
                                       "created_at": space["created_at"],
                                       "unverified_may_vote": space["unverified_may_vote"]},
                     source=SOURCE, subject=space["_id"])


def member_added(space_id: str, user_id: str, now: datetime) -> dict:
    return new_event("space.member_added", {"space_id": space_id, "user_id": user_id, "added_at": now},
                     source=SOURCE, subject=space_id)


def member_removed(space_id: str, user_id: str, by: str, now: datetime) -> dict:
    return new_event("space.member_removed", {"space_id": space_id, "user_id": user_id, "by": by,
                                              "removed_at": now}, source=SOURCE, subject=space_id)
