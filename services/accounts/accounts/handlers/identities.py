"""Provider identities (OpenID Connect) linked to accounts: which account one signs in to, and those linked, shown to
the owner (on the account page and in every password reset mail, so an identity someone else linked does not go
unseen) and removable by them. The protocol with the provider is oidc.py's."""
import logging
from datetime import datetime

from werkzeug.exceptions import NotFound

from .. import domain
from ..config import AccountsConfig, OidcProvider
from ..domain import Link, Refused
from ..store import AccountStore
from . import now

log = logging.getLogger(__name__)


def of(store: AccountStore, cfg: AccountsConfig, user_id: str) -> list[dict]:
    """[{provider, display_name, subject, linked_at}], oldest first."""
    names = {p.name: p.display_name for p in cfg.oidc_providers}
    return [{**identity, "display_name": names.get(identity["provider"], identity["provider"])}
            for identity in store.identities_of(user_id)]


def remove(store: AccountStore, user_id: str, provider: str) -> None:
    """Unlinks the provider's identities from the account and closes the sessions opened with them."""
    if not store.unlink_identities(user_id, provider):
        raise NotFound("no identity of this provider is linked to your account")
    store.revoke_sessions_of(user_id, now(), "identity removed", signed_in_with=provider)


def account_for(store: AccountStore, provider: OidcProvider, claims: dict) -> dict:
    """The account the provider's verified ID token signs in to (made, linked or reclaimed as README.md says), or
    Refused."""
    subject = str(claims["sub"])
    email = domain.normalise_email(str(claims.get("email") or ""))
    if not email:
        raise Refused("email_missing", f"{provider.display_name} did not share your email address")
    known = store.identity_user(provider.name, subject)
    by_email = store.user_by_email(email)
    decision = domain.link_decision(known, by_email, claims.get("email_verified") is True)
    at = now()
    if decision is Link.REFUSED:
        raise Refused("email_not_verified", f"{provider.display_name} has not verified your email address: "
                                            "verify it there, or sign up with your email and a password")
    if decision is Link.NEW:
        return _new_user(store, provider, subject, email, claims, at)
    user = known if decision is Link.KNOWN else by_email
    if user.get("deleted_at"):
        raise Refused("account_deleted", "this account no longer exists")
    if user.get("banned"):
        raise Refused("account_banned", "this account is banned")
    if decision is Link.RECLAIMED:
        _reclaim(store, user, at)
    if decision is not Link.KNOWN:
        store.link_identity(provider.name, subject, user["_id"], at)
        user = store.user(user["_id"])
    return user


def _new_user(store: AccountStore, provider: OidcProvider, subject: str, email: str, claims: dict,
              at: datetime) -> dict:
    user = domain.new_user(email, str(claims.get("name") or email.split("@")[0])[:80], None, True, at)
    if not store.insert_user(user, domain.user_registered(user, provider.name), domain.email_verified(user, at)):
        raise Refused("temporarily_unavailable", "an account with this email was just made; try again")
    store.link_identity(provider.name, subject, user["_id"], at)
    return user


def _reclaim(store: AccountStore, user: dict, at: datetime) -> None:
    """The account was made with an address nobody had proved, maybe by someone else than its owner, who proves it
    now: whatever its maker could sign in with ends (password, sessions, other identities). The owner sets a
    password, if they want one, through a reset."""
    if store.reclaim(user["_id"], domain.email_verified(user, at), at):
        store.revoke_sessions_of(user["_id"], at, "reclaimed by the address's owner")
        store.unlink_identities(user["_id"])
        log.warning("account %s reclaimed through OIDC: its password and sessions were dropped", user["_id"])
