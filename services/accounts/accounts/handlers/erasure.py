"""My account (GDPR): what accounts holds about me, downloaded or erased (the profile is live_user); and the purge of
what expired."""
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from werkzeug.exceptions import Unauthorized

from .. import domain, limits
from ..config import AccountsConfig
from ..store import AccountStore
from . import live_user, now


def export(store: AccountStore, user_id: str) -> dict:
    """Everything accounts holds about the user (hashes of passwords and tokens are secrets, not data about them,
    and are left out)."""
    user = live_user(store, user_id)
    spaces = [store.space(s) for s in user["spaces"]]
    return {
        "account": {k: user.get(k) for k in ("email", "display_name", "email_verified", "roles", "created_at",
                                             "banned")} | {"id": user["_id"],
                                                            "has_password": bool(user.get("password_hash"))},
        "spaces": [{"id": s["_id"], "name": s["name"]} for s in spaces if s],
        "identities": store.identities_of(user_id),
        "sessions": [{"id": s["_id"], "created_at": s["created_at"], "signed_in_with": s["signed_in_with"],
                      "revoked_at": s.get("revoked_at")} for s in store.sessions_of(user_id)],
    }


def delete(store: AccountStore, cfg: AccountsConfig, hasher: PasswordHasher, user_id: str, password: str | None,
           token_issued_at: int, client: str | None) -> None:
    """Needs the password, or, for an account without one, a recent sign-in (the token's iat). The user document
    stays as a tombstone; user.deleted tells the other services to erase what they hold."""
    user = live_user(store, user_id)
    at = now()
    if user.get("password_hash"):
        limits.password_check(store, cfg, user_id, client)
        try:
            hasher.verify(user["password_hash"], password or "")
        except (VerificationError, InvalidHashError):
            raise Unauthorized("to delete your account, give your password") from None
    elif not domain.may_delete_without_password(token_issued_at, at, timedelta(seconds=cfg.recent_sign_in_seconds)):
        raise Unauthorized("to delete your account, sign in again first (within the last 5 minutes)")
    tombstone = {"email": domain.erased_email(user_id), "display_name": "", "password_hash": None,
                 "email_verified": False, "roles": [], "spaces": [], "banned": None, "deleted_at": at}
    if store.erase_user(user_id, user["email"], tombstone, domain.user_deleted(user_id, at)):
        store.revoke_sessions_of(user_id, at, "account deleted")


def purge_expired(store: AccountStore, cfg: AccountsConfig) -> dict[str, int]:
    """Expired links, refresh tokens, sign-in attempts and limit counters; sessions closed longer ago than a refresh
    token lives (their tokens are gone, and GDPR asks to keep no more than needed)."""
    at = now()
    return store.purge_expired(at, at - timedelta(seconds=cfg.refresh_ttl_seconds))
