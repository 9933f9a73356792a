"""Sign-up, sign-in, refresh and sign-out: the sessions (refresh-token families) and the tokens they issue."""
import logging
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from marshmallow import ValidationError
from werkzeug.exceptions import Conflict, Forbidden, Unauthorized

from idealab.mail import Mailer

from .. import domain, limits
from ..config import AccountsConfig
from ..domain import Refresh
from ..store import AccountStore
from . import check_new_password, links, now
from .keys import Keys

log = logging.getLogger(__name__)

WRONG_CREDENTIALS = "wrong email or password"


class Hasher(PasswordHasher):
    """argon2id at the configured cost, with a decoy hash: checked against when the email is unknown, so both
    answers take as long (no account enumeration by time)."""

    def __init__(self, cfg: AccountsConfig):
        super().__init__(time_cost=cfg.argon2_time_cost, memory_cost=cfg.argon2_memory_kib,
                         parallelism=cfg.argon2_parallelism)
        self.decoy = self.hash(domain.new_secret())


def issue_tokens(store: AccountStore, cfg: AccountsConfig, keys: Keys, user: dict, session_id: str | None = None,
                 signed_in_with: str = "password") -> dict:
    """An access token and a refresh token; a sign-in opens a new session (refresh-token family)."""
    issued = now()
    if session_id is None:
        session_id = _open_session(store, user, signed_in_with)
    refresh_token = domain.new_secret()
    store.add_refresh_token({
        "_id": domain.digest(refresh_token), "session_id": session_id, "user_id": user["_id"], "issued_at": issued,
        "expires_at": issued + timedelta(seconds=cfg.refresh_ttl_seconds), "used_at": None})
    claims = domain.access_claims(user, cfg.settings.jwt_issuer, issued, cfg.access_ttl_seconds, session_id)
    return {"access_token": keys.sign(claims), "refresh_token": refresh_token, "token_type": "Bearer",
            "expires_in": cfg.access_ttl_seconds}


def _open_session(store: AccountStore, user: dict, signed_in_with: str) -> str:
    session_id = domain.new_id()
    store.open_session({"_id": session_id, "user_id": user["_id"], "created_at": now(),
                        "signed_in_with": signed_in_with, "revoked_at": None})
    return session_id


def sign_up(store: AccountStore, cfg: AccountsConfig, hasher: Hasher, mailer: Mailer, email: str, password: str,
            display_name: str, client: str | None) -> dict:
    check_new_password(password)
    email = domain.normalise_email(email)
    refused = domain.refused_domain(email, cfg.refused_email_domains)
    if refused:
        raise ValidationError({"email": [f"addresses at {refused} are not accepted here (a throwaway-address "
                                         "service); use an address of your own"]})
    limits.sign_up(store, cfg, domain.email_domain(email), client)
    limits.password_check(store, cfg, f"email:{email}", client)
    user = domain.new_user(email, display_name, hasher.hash(password), False, now())
    if not store.insert_user(user, domain.user_registered(user, "password")):
        raise Conflict("an account with this email exists; sign in, or reset its password")
    # Beyond the mailbox's allowance (sign-ups and deletions in a loop) the account is made without a mail: its
    # owner asks for one later.
    if limits.mail(store, cfg, email, user["_id"]) is None:
        links.send_verification(store, cfg, mailer, user)
    return user


def sign_in(store: AccountStore, cfg: AccountsConfig, hasher: Hasher, keys: Keys, email: str, password: str,
            client: str | None) -> dict:
    email = domain.normalise_email(email)
    user = store.user_by_email(email)
    limits.password_check(store, cfg, user["_id"] if user else f"email:{email}", client)
    stored_hash = (user or {}).get("password_hash") or hasher.decoy
    try:
        hasher.verify(stored_hash, password)
        matched = user is not None and user.get("password_hash") is not None
    except (VerificationError, InvalidHashError):
        matched = False
    if not matched or user.get("deleted_at"):
        raise Unauthorized(WRONG_CREDENTIALS)
    if user.get("banned"):
        raise Forbidden("this account is banned")
    session_id = _open_session(store, user, "password")
    # A reset that landed while the old password was being checked ended the sessions open then, not this one.
    # Looked at after opening it: a reset after this look ends it with the others.
    if (store.user(user["_id"]) or {}).get("password_hash") != user["password_hash"]:
        store.revoke_session(session_id, user["_id"], now(), "password reset")
        raise Unauthorized(WRONG_CREDENTIALS)
    if hasher.check_needs_rehash(user["password_hash"]):
        # Only over the hash checked: never over a new password a reset wrote meanwhile.
        store.set_password_hash(user["_id"], hasher.hash(password), replacing=user["password_hash"])
    return issue_tokens(store, cfg, keys, user, session_id)


def refresh(store: AccountStore, cfg: AccountsConfig, keys: Keys, refresh_token: str) -> dict:
    at = now()
    before = store.use_refresh_token(domain.digest(refresh_token), at)
    session = store.session(before["session_id"]) if before else None
    outcome = domain.refresh_outcome(before, session, at)
    if outcome is Refresh.REUSED:
        store.revoke_session(session["_id"], session["user_id"], at, "a refresh token was used twice")
        log.warning("refresh token reused; session %s revoked", session["_id"])
        raise Unauthorized("this refresh token was used before: the session is closed; sign in again")
    if outcome is not Refresh.ROTATE:
        raise Unauthorized(f"the refresh token is {outcome.value}; sign in again")
    user = store.user(session["user_id"])
    refusal = domain.sign_in_refusal(user)
    if refusal:
        store.revoke_session(session["_id"], session["user_id"], at, refusal)
        raise Unauthorized(refusal)
    return issue_tokens(store, cfg, keys, user, session["_id"])


def sign_out(store: AccountStore, refresh_token: str) -> None:
    """Closes the session the token belongs to; an unknown token is not an error (signing out twice is fine)."""
    token = store.refresh_token(domain.digest(refresh_token))
    if token is not None:
        store.revoke_session(token["session_id"], token["user_id"], now(), "signed out")
