"""Use cases of the accounts service."""
import json
import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from importlib import resources

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from marshmallow import ValidationError
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from werkzeug.exceptions import (BadRequest, Conflict, Forbidden, NotFound, ServiceUnavailable, TooManyRequests,
                                 Unauthorized)

from idealab.auth import ALGORITHM, Principal

from . import domain
from .config import AccountsConfig
from .domain import KeyState, Refresh
from idealab.mail import Mailer
from .identities import LinkedIdentities
from .limits import Limits
from .store import AccountStore

log = logging.getLogger(__name__)

WRONG_CREDENTIALS = "wrong email or password"
BAD_LINK = "this link is unknown, already used or expired; ask for a new one"


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    text = resources.files(__package__).joinpath("common-passwords.txt").read_text()
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Keys:
    """The RSA signing keys: kept in the database, published as a JWKS, rotated without downtime."""

    def __init__(self, store: AccountStore, cfg: AccountsConfig, clock: Callable[[], datetime] = _now):
        self.store = store
        self.cfg = cfg
        self.clock = clock
        self._private: dict[str, rsa.RSAPrivateKey] = {}
        self._lock = threading.Lock()

    def ensure_first(self) -> None:
        """At first start there is nobody to warn ahead: the first key signs at once."""
        # The generation is read first: a process that adds the first key between the two reads then holds it, and
        # this one's key is refused (read second, it was the next generation, and two keys signed: seen in CI).
        generation = self.store.last_key_generation() + 1
        if not self.store.signing_keys_in_use():
            self._add(ahead=timedelta(0), generation=generation)

    def rotate(self) -> str:
        """Adds a key that verifiers learn of before it signs; the current one retires once its tokens expired."""
        while True:
            kid = self._add(ahead=timedelta(seconds=self.cfg.key_publish_ahead_seconds),
                            generation=self.store.last_key_generation() + 1)
            if kid:
                return kid

    def _add(self, ahead: timedelta, generation: int) -> str | None:
        """The new key's id, or None when another process added this generation first."""
        now = self.clock()
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        kid = domain.new_id()[:16]
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key()))
        added = self.store.add_signing_key({
            "_id": kid, "generation": generation, "created_at": now, "signs_from": now + ahead,
            "state": (KeyState.ACTIVE if ahead <= timedelta(0) else KeyState.NEXT).value, "state_since": now,
            "public_jwk": {**public, "kid": kid, "use": "sig", "alg": ALGORITHM},
            "private_pem": private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                 serialization.NoEncryption()).decode()})
        return kid if added else None

    def current(self) -> tuple[list[dict], dict[str, KeyState]]:
        """The keys still in use and their state now; state changes are written back so the database shows them."""
        docs = self.store.signing_keys_in_use()
        now = self.clock()
        states = domain.key_states([self.store.schedule_entry(d) for d in docs], now,
                                   timedelta(seconds=self.cfg.access_ttl_seconds))
        for doc in docs:
            if doc["state"] != states[doc["_id"]].value:
                self.store.set_key_state(doc["_id"], states[doc["_id"]].value, now)
        return docs, states

    def jwks(self) -> dict:
        docs, states = self.current()
        shown = set(domain.published(states))
        return {"keys": [d["public_jwk"] for d in sorted(docs, key=lambda d: d["created_at"]) if d["_id"] in shown]}

    def key(self, kid: str) -> jwt.PyJWK:
        """The public key `kid` if it is still published: what idealab.auth.Verifier asks a key set for."""
        docs, states = self.current()
        doc = next((d for d in docs if d["_id"] == kid and states[kid] is not KeyState.RETIRED), None)
        if doc is None:
            raise Unauthorized("invalid token: signed with an unknown key")
        return jwt.PyJWK(doc["public_jwk"], algorithm=ALGORITHM)

    def sign(self, claims: dict) -> str:
        docs, states = self.current()
        kid = domain.signing_kid(states)
        if kid is None:
            raise ServiceUnavailable("no signing key is active; run `python -m accounts.cli rotate-keys`")
        with self._lock:
            if kid not in self._private:
                pem = next(d["private_pem"] for d in docs if d["_id"] == kid)
                self._private[kid] = serialization.load_pem_private_key(pem.encode(), password=None)
            private = self._private[kid]
        return jwt.encode(claims, private, algorithm=ALGORITHM, headers={"kid": kid})


class Accounts:
    def __init__(self, store: AccountStore, cfg: AccountsConfig, mailer: Mailer,
                 clock: Callable[[], datetime] = _now):
        self.store = store
        self.cfg = cfg
        self.mailer = mailer
        self.hasher = PasswordHasher(time_cost=cfg.argon2_time_cost, memory_cost=cfg.argon2_memory_kib,
                                     parallelism=cfg.argon2_parallelism)
        self.clock = clock
        self.keys = Keys(store, cfg, clock)
        self.limits = Limits(store, cfg, clock)
        self.identities = LinkedIdentities(store, cfg, clock)
        # Checked against when the email is unknown, so both answers take as long (no account enumeration by time).
        self._decoy_hash = self.hasher.hash(domain.new_secret())

    # --- tokens ----------------------------------------------------------------------------------------------------

    def issue_tokens(self, user: dict, session_id: str | None = None, signed_in_with: str = "password") -> dict:
        """An access token and a refresh token; a sign-in opens a new session (refresh-token family)."""
        now = self.clock()
        if session_id is None:
            session_id = self._open_session(user, signed_in_with)
        refresh = domain.new_secret()
        self.store.add_refresh_token({
            "_id": domain.digest(refresh), "session_id": session_id, "user_id": user["_id"], "issued_at": now,
            "expires_at": now + timedelta(seconds=self.cfg.refresh_ttl_seconds), "used_at": None})
        claims = domain.access_claims(user, self.cfg.settings.jwt_issuer, now, self.cfg.access_ttl_seconds,
                                      session_id)
        return {"access_token": self.keys.sign(claims), "refresh_token": refresh, "token_type": "Bearer",
                "expires_in": self.cfg.access_ttl_seconds}

    def _open_session(self, user: dict, signed_in_with: str) -> str:
        session_id = domain.new_id()
        self.store.open_session({"_id": session_id, "user_id": user["_id"], "created_at": self.clock(),
                                 "signed_in_with": signed_in_with, "revoked_at": None})
        return session_id

    def refresh(self, refresh_token: str) -> dict:
        now = self.clock()
        before = self.store.use_refresh_token(domain.digest(refresh_token), now)
        session = self.store.session(before["session_id"]) if before else None
        outcome = domain.refresh_outcome(before, session, now)
        if outcome is Refresh.REUSED:
            self.store.revoke_session(session["_id"], session["user_id"], now, "a refresh token was used twice")
            log.warning("refresh token reused; session %s revoked", session["_id"])
            raise Unauthorized("this refresh token was used before: the session is closed; sign in again")
        if outcome is not Refresh.ROTATE:
            raise Unauthorized(f"the refresh token is {outcome.value}; sign in again")
        user = self.store.user(session["user_id"])
        refusal = domain.sign_in_refusal(user)
        if refusal:
            self.store.revoke_session(session["_id"], session["user_id"], now, refusal)
            raise Unauthorized(refusal)
        return self.issue_tokens(user, session["_id"])

    def sign_out(self, refresh_token: str) -> None:
        """Closes the session the token belongs to; an unknown token is not an error (signing out twice is fine)."""
        token = self.store.refresh_token(domain.digest(refresh_token))
        if token is not None:
            self.store.revoke_session(token["session_id"], token["user_id"], self.clock(), "signed out")

    # --- sign-up, sign-in, email verification, password reset ------------------------------------------------------

    def sign_up(self, email: str, password: str, display_name: str, client: str | None) -> dict:
        problem = domain.password_problem(password, common_passwords())
        if problem:
            raise ValidationError({"password": [problem]})
        email = domain.normalise_email(email)
        self.limits.password_check(f"email:{email}", client)
        now = self.clock()
        user = {"_id": domain.new_id(), "email": email, "display_name": display_name,
                "password_hash": self.hasher.hash(password), "email_verified": False, "roles": ["member"],
                "spaces": [], "banned": None, "created_at": now, "deleted_at": None}
        if not self.store.insert_user(user, domain.user_registered(user, "password")):
            raise Conflict("an account with this email exists; sign in, or reset its password")
        # Beyond the mailbox's allowance (sign-ups and deletions in a loop) the account is made without a mail: its
        # owner asks for one later.
        if self.limits.mail(email, user["_id"]) is None:
            self._send_verification(user)
        return user

    def resend_verification(self, user_id: str) -> None:
        user = self._live_user(user_id)
        if user["email_verified"]:
            raise Conflict("your email is verified already")
        self.limits.mail_or_refuse(user["email"], user["_id"])
        self._send_verification(user)

    def _send_verification(self, user: dict) -> None:
        secret = self._new_link("verify", domain.VERIFICATION_TTL, self.clock(), user_id=user["_id"])
        # No display name in mails to an address not yet proved: whoever signs up chooses it, and would choose the
        # text of a mail to someone else's address.
        self._mail_quietly(user["email"], "Confirm your email for Idea Lab",
                           f"Hello,\n\nconfirm your email address for Idea Lab by opening "
                           f"this link within 48 hours:\n\n{self.cfg.public_url}/verify#token={secret}\n")

    def sign_in(self, email: str, password: str, client: str | None) -> dict:
        email = domain.normalise_email(email)
        user = self.store.user_by_email(email)
        self.limits.password_check(user["_id"] if user else f"email:{email}", client)
        stored_hash = (user or {}).get("password_hash") or self._decoy_hash
        try:
            self.hasher.verify(stored_hash, password)
            matched = user is not None and user.get("password_hash") is not None
        except (VerificationError, InvalidHashError):
            matched = False
        if not matched or user.get("deleted_at"):
            raise Unauthorized(WRONG_CREDENTIALS)
        if user.get("banned"):
            raise Forbidden("this account is banned")
        session_id = self._open_session(user, "password")
        # A reset that landed while the old password was being checked ended the sessions open then, not this one.
        # Looked at after opening it: a reset after this look ends it with the others.
        if (self.store.user(user["_id"]) or {}).get("password_hash") != user["password_hash"]:
            self.store.revoke_session(session_id, user["_id"], self.clock(), "password reset")
            raise Unauthorized(WRONG_CREDENTIALS)
        if self.hasher.check_needs_rehash(user["password_hash"]):
            # Only over the hash checked: never over a new password a reset wrote meanwhile.
            self.store.set_password_hash(user["_id"], self.hasher.hash(password), replacing=user["password_hash"])
        return self.issue_tokens(user, session_id)

    def verify_email(self, token: str) -> None:
        link = self.store.use_link(domain.digest(token), "verify", self.clock())
        user = self.store.user(link["user_id"]) if link else None
        if user is None or user.get("deleted_at"):
            raise BadRequest(BAD_LINK)
        self.mark_email_verified(user)

    def mark_email_verified(self, user: dict) -> dict:
        """The user as they are once their address is known to be theirs."""
        if not user["email_verified"]:
            self.store.mark_email_verified(user["_id"], domain.email_verified(user, self.clock()))
            user = self.store.user(user["_id"])
        return user

    def request_password_reset(self, email: str) -> None:
        """Answers the same whether the email is known or not; only a known account gets a mail, sent beside the
        answer (in a thread) so the time to answer does not tell either."""
        user = self.store.user_by_email(domain.normalise_email(email))
        # Beyond the allowance nothing is sent either, and the answer stays the same.
        if user is None or user.get("deleted_at") or self.limits.mail(user["email"], user["_id"]) is not None:
            return
        now = self.clock()
        secret = self._new_link("reset", domain.RESET_TTL, now, user_id=user["_id"])
        # Only the newest link works: an older one, in a mailbox read by someone else since, no longer resets.
        self.store.drop_unused_links(user["_id"], "reset", created_before=now)
        self._mail_in_background(user["email"], "Reset your Idea Lab password",
                                 f"Hello,\n\nsomeone (we hope you) asked to reset your Idea "
                                 f"Lab password. Choose a new one within the hour here:\n\n"
                                 f"{self.cfg.public_url}/reset-password#token={secret}\n\n"
                                 f"{self._identities_told(user['_id'])}"
                                 f"If it was not you, ignore this mail: your password stays as it is.\n")

    def _identities_told(self, user_id: str) -> str:
        """The sign-in providers linked to the account, for the reset mail: one the owner did not link could be how
        someone else gets in, password reset or not."""
        identities = self.identities.of(user_id)
        if not identities:
            return ""
        listed = "".join(f"- {i['display_name']}, linked on {i['linked_at']:%Y-%m-%d}\n" for i in identities)
        return (f"Your account can also be signed in to with:\n{listed}If you do not know one of them, remove it "
                f"on your account page once signed in: {self.cfg.public_url}/account\n\n")

    def confirm_password_reset(self, token: str, password: str, client: str | None) -> None:
        problem = domain.password_problem(password, common_passwords())
        if problem:
            # Checked before the link is used, so a refused password does not burn it.
            raise ValidationError({"password": [problem]})
        now = self.clock()
        link_digest = domain.digest(token)
        link = self.store.use_link(link_digest, "reset", now)
        user = self.store.user(link["user_id"]) if link else None
        if user is None or user.get("deleted_at"):
            raise BadRequest(BAD_LINK)
        try:
            self.limits.password_check(user["_id"], client)
        except TooManyRequests:
            self.store.unuse_link(link_digest)  # the link still works once the wait is over
            raise
        self.store.set_password_hash(user["_id"], self.hasher.hash(password),
                                     event=domain.password_reset(user["_id"], now))
        # Whoever knew the old password may hold a session, or an older link: every one ends here.
        self.store.revoke_sessions_of(user["_id"], now, "password reset")
        self.store.drop_unused_links(user["_id"], "reset")
        self.mark_email_verified(user)  # the link reached the mailbox: the address is theirs

    # --- roles and bans ----------------------------------------------------------------------------------------------

    def find_users(self, email: str) -> list[dict]:
        user = self.store.user_by_email(domain.normalise_email(email))
        return [user] if user and not user.get("deleted_at") else []

    def set_roles(self, actor: Principal, user_id: str, roles: list[str]) -> dict:
        user = self._live_user(user_id)
        roles = domain.checked_roles(roles)
        if user_id == actor.user_id and "admin" not in roles:
            raise Conflict("you cannot take the admin role from yourself; ask another admin")
        self.store.set_roles(user_id, roles, domain.role_changed(user_id, roles, actor.user_id, self.clock()))
        return self.store.user(user_id)

    def grant_role(self, email: str, role: str) -> dict:
        """For the command line: the first admin has nobody to grant them the role through the API."""
        user = self.store.user_by_email(domain.normalise_email(email))
        if user is None or user.get("deleted_at"):
            raise NotFound(f"no account with the email {email}")
        roles = domain.checked_roles([*user["roles"], role])
        self.store.set_roles(user["_id"], roles, domain.role_changed(user["_id"], roles, "cli", self.clock()))
        return self.store.user(user["_id"])

    def ban(self, actor: Principal, user_id: str, reason: str) -> dict:
        user = self._live_user(user_id)
        refusal = domain.ban_refusal(actor.user_id, actor.roles, user)
        if refusal:
            raise Forbidden(refusal)
        now = self.clock()
        if not self.store.ban(user_id, {"reason": reason, "by": actor.user_id, "at": now},
                              domain.user_banned(user_id, reason, actor.user_id, now)):
            raise Conflict("this account is banned already")
        self.store.revoke_sessions_of(user_id, now, "banned")
        return self.store.user(user_id)

    # --- invite-only spaces ------------------------------------------------------------------------------------------

    def create_space(self, actor: Principal, name: str) -> dict:
        space = {"_id": domain.new_id(), "name": name, "created_by": actor.user_id, "created_at": self.clock()}
        self.store.insert_space(space, domain.space_created(space))
        return {**space, "member_count": 0}

    def spaces(self) -> list[dict]:
        return [{**s, "member_count": self.store.member_count(s["_id"])} for s in self.store.all_spaces()]

    def members(self, space_id: str) -> list[dict]:
        self._space(space_id)
        return self.store.members(space_id)

    def invite(self, actor: Principal, space_id: str, email: str) -> None:
        space = self._space(space_id)
        email = domain.normalise_email(email)
        self.limits.invitation_or_refuse(email, actor.user_id)
        secret = self._new_link("invitation", domain.INVITATION_TTL, self.clock(), space_id=space_id, email=email,
                                invited_by=actor.user_id)
        try:
            self.mailer.send(email, f"You are invited to {space['name']} on Idea Lab",
                             f"Hello,\n\nyou are invited to join {space['name']}, a private space of Idea Lab. "
                             f"Sign in (or join in one click) and accept within 14 days here:\n\n"
                             f"{self.cfg.public_url}/invitations#token={secret}\n")
        except OSError as exc:
            log.warning("invitation mail to space %s not sent: %s", space_id, exc)
            raise ServiceUnavailable("the mail server does not answer; try again shortly", retry_after=30) from exc

    def accept_invitation(self, principal: Principal, token: str) -> dict:
        """The invited joins, signed in with the address the invitation was sent to: a forwarded or leaked link lets
        nobody else in (and is not used up by them)."""
        link_digest = domain.digest(token)
        link = self.store.use_link(link_digest, "invitation", self.clock())
        if link is None:
            raise BadRequest(BAD_LINK)
        space = self.store.space(link["space_id"])
        user = self.store.user(principal.user_id)
        if space is None or user is None or user.get("deleted_at"):
            self.store.unuse_link(link_digest)
            raise NotFound("the space or your account no longer exists")
        if not domain.invitation_is_for(link, user):
            self.store.unuse_link(link_digest)
            raise Forbidden("this invitation was sent to another address: sign in with the address it was sent "
                            "to, or ask for an invitation to yours")
        self.store.add_to_space(user["_id"], space["_id"], domain.member_added(space["_id"], user["_id"],
                                                                               self.clock()))
        return space

    def remove_member(self, actor: Principal, space_id: str, user_id: str) -> None:
        self._space(space_id)
        if not self.store.remove_from_space(user_id, space_id,
                                            domain.member_removed(space_id, user_id, actor.user_id, self.clock())):
            raise NotFound("this user is not a member of this space")

    # --- my account (GDPR) ---------------------------------------------------------------------------------------

    def profile(self, user_id: str) -> dict:
        return self._live_user(user_id)

    def export(self, user_id: str) -> dict:
        """Everything accounts holds about the user (hashes of passwords and tokens are secrets, not data about them,
        and are left out)."""
        user = self._live_user(user_id)
        spaces = [self.store.space(s) for s in user["spaces"]]
        return {
            "account": {k: user.get(k) for k in ("email", "display_name", "email_verified", "roles", "created_at",
                                                 "banned")} | {"id": user["_id"],
                                                                "has_password": bool(user.get("password_hash"))},
            "spaces": [{"id": s["_id"], "name": s["name"]} for s in spaces if s],
            "identities": self.store.identities_of(user_id),
            "sessions": [{"id": s["_id"], "created_at": s["created_at"], "signed_in_with": s["signed_in_with"],
                          "revoked_at": s.get("revoked_at")} for s in self.store.sessions_of(user_id)],
        }

    def delete(self, user_id: str, password: str | None, token_issued_at: int | None, client: str | None) -> None:
        user = self._live_user(user_id)
        now = self.clock()
        if user.get("password_hash"):
            self.limits.password_check(user_id, client)
            try:
                self.hasher.verify(user["password_hash"], password or "")
            except (VerificationError, InvalidHashError):
                raise Unauthorized("to delete your account, give your password") from None
        elif not domain.may_delete_without_password(token_issued_at, now,
                                                    timedelta(seconds=self.cfg.recent_sign_in_seconds)):
            raise Unauthorized("to delete your account, sign in again first (within the last 5 minutes)")
        tombstone = {"email": domain.erased_email(user_id), "display_name": "", "password_hash": None,
                     "email_verified": False, "roles": [], "spaces": [], "banned": None, "deleted_at": now}
        if self.store.erase_user(user_id, tombstone, domain.user_deleted(user_id, now)):
            self.store.revoke_sessions_of(user_id, now, "account deleted")

    def purge_expired(self) -> dict[str, int]:
        """Expired links, refresh tokens and sign-in attempts; sessions closed longer ago than a refresh token lives
        (their tokens are gone, and GDPR asks to keep no more than needed)."""
        now = self.clock()
        return self.store.purge_expired(now, now - timedelta(seconds=self.cfg.refresh_ttl_seconds))

    # --- helpers -----------------------------------------------------------------------------------------------------

    def _live_user(self, user_id: str) -> dict:
        user = self.store.user(user_id)
        if user is None or user.get("deleted_at"):
            raise NotFound("no such account")
        return user

    def _space(self, space_id: str) -> dict:
        space = self.store.space(space_id)
        if space is None:
            raise NotFound("no such space")
        return space

    def _new_link(self, purpose: str, ttl: timedelta, now: datetime, **fields) -> str:
        secret = domain.new_secret()
        self.store.add_link({"_id": domain.digest(secret), "purpose": purpose, "created_at": now,
                             "expires_at": now + ttl, "used_at": None, **fields})
        return secret

    def _mail_in_background(self, to: str, subject: str, body: str) -> None:
        threading.Thread(target=self._mail_quietly, args=(to, subject, body), name="mail", daemon=True).start()

    def _mail_quietly(self, to: str, subject: str, body: str) -> None:
        """Mails whose failure must not fail the request (the person can ask for another)."""
        try:
            self.mailer.send(to, subject, body)
        except OSError as exc:
            log.warning("mail %r not sent: %s", subject, exc)

