"""The one-time links mailed to a person: email verification and password reset (invitations: spaces.py). Each is
stored as its secret's digest and claimed with one conditional update, so two requests never both use it."""
import logging
import threading
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from werkzeug.exceptions import BadRequest, Conflict, TooManyRequests

from idealab import brand
from idealab.mail import Mailer

from .. import domain, limits
from ..config import AccountsConfig
from ..store import AccountStore
from . import BAD_LINK, check_new_password, identities, live_user, now

log = logging.getLogger(__name__)


def new_link(store: AccountStore, purpose: str, ttl: timedelta, at: datetime, **fields) -> str:
    """The secret of a new link, of which only the digest is stored."""
    secret = domain.new_secret()
    store.add_link({"_id": domain.digest(secret), "purpose": purpose, "created_at": at, "expires_at": at + ttl,
                    "used_at": None, **fields})
    return secret


def send_verification(store: AccountStore, cfg: AccountsConfig, mailer: Mailer, user: dict) -> None:
    secret = new_link(store, "verify", domain.VERIFICATION_TTL, now(), user_id=user["_id"])
    # No display name in mails to an address not yet proved: whoever signs up chooses it, and would choose the
    # text of a mail to someone else's address.
    lab = brand.current().name
    _mail_quietly(mailer, user["email"], f"Confirm your email for {lab}",
                  f"Hello,\n\nconfirm your email address for {lab} by opening "
                  f"this link within 48 hours:\n\n{cfg.public_url}/verify#token={secret}\n")


def resend_verification(store: AccountStore, cfg: AccountsConfig, mailer: Mailer, user_id: str) -> None:
    user = live_user(store, user_id)
    if user["email_verified"]:
        raise Conflict("your email is verified already")
    limits.mail_or_refuse(store, cfg, user["email"], user["_id"])
    send_verification(store, cfg, mailer, user)


def verify_email(store: AccountStore, token: str) -> None:
    link = store.use_link(domain.digest(token), "verify", now())
    user = store.user(link["user_id"]) if link else None
    if user is None or user.get("deleted_at"):
        raise BadRequest(BAD_LINK)
    _mark_email_verified(store, user)


def _mark_email_verified(store: AccountStore, user: dict) -> None:
    """Once the address is known to be theirs (once: one user.email_verified per account)."""
    if not user["email_verified"]:
        at = now()
        store.mark_email_verified(user["_id"], domain.email_verified(user, at), at)


def request_password_reset(store: AccountStore, cfg: AccountsConfig, mailer: Mailer, email: str) -> None:
    """Answers the same whether the email is known or not; only a known account gets a mail, sent beside the
    answer (in a thread) so the time to answer does not tell either."""
    user = store.user_by_email(domain.normalise_email(email))
    # Beyond the allowance nothing is sent either, and the answer stays the same.
    if user is None or user.get("deleted_at") or limits.mail(store, cfg, user["email"], user["_id"]) is not None:
        return
    at = now()
    secret = new_link(store, "reset", domain.RESET_TTL, at, user_id=user["_id"])
    # Only the newest link works: an older one, in a mailbox read by someone else since, no longer resets.
    store.drop_unused_links(user["_id"], "reset", created_before=at)
    threading.Thread(target=_mail_quietly, name="mail", daemon=True, args=(
        mailer, user["email"], f"Reset your {brand.current().name} password",
        f"Hello,\n\nsomeone (we hope you) asked to reset your {brand.current().name} password. Choose a new one "
        f"within the hour "
        f"here:\n\n{cfg.public_url}/reset-password#token={secret}\n\n{_identities_told(store, cfg, user['_id'])}"
        f"If it was not you, ignore this mail: your password stays as it is.\n")).start()


def _identities_told(store: AccountStore, cfg: AccountsConfig, user_id: str) -> str:
    """The sign-in providers linked to the account, for the reset mail: one the owner did not link could be how
    someone else gets in, password reset or not."""
    linked = identities.of(store, cfg, user_id)
    if not linked:
        return ""
    listed = "".join(f"- {i['display_name']}, linked on {i['linked_at']:%Y-%m-%d}\n" for i in linked)
    return (f"Your account can also be signed in to with:\n{listed}If you do not know one of them, remove it "
            f"on your account page once signed in: {cfg.public_url}/account\n\n")


def confirm_password_reset(store: AccountStore, cfg: AccountsConfig, hasher: PasswordHasher, token: str,
                           password: str, client: str | None) -> None:
    check_new_password(password)  # before the link is used, so a refused password does not burn it
    at = now()
    link_digest = domain.digest(token)
    link = store.use_link(link_digest, "reset", at)
    user = store.user(link["user_id"]) if link else None
    if user is None or user.get("deleted_at"):
        raise BadRequest(BAD_LINK)
    try:
        limits.password_check(store, cfg, user["_id"], client)
    except TooManyRequests:
        store.unuse_link(link_digest)  # the link still works once the wait is over
        raise
    store.set_password_hash(user["_id"], hasher.hash(password), event=domain.password_reset(user["_id"], at))
    # Whoever knew the old password may hold a session, or an older link: every one ends here.
    store.revoke_sessions_of(user["_id"], at, "password reset")
    store.drop_unused_links(user["_id"], "reset")
    _mark_email_verified(store, user)  # the link reached the mailbox: the address is theirs


def _mail_quietly(mailer: Mailer, to: str, subject: str, body: str) -> None:
    """Mails whose failure must not fail the request (the person can ask for another)."""
    try:
        mailer.send(to, subject, body)
    except OSError as exc:
        log.warning("mail %r not sent: %s", subject, exc)
