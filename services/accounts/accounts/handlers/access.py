"""Who may do and see what: roles, bans, and invite-only spaces (joined through an invitation mailed to one
address)."""
import logging

from werkzeug.exceptions import BadRequest, Conflict, Forbidden, NotFound, ServiceUnavailable

from idealab import brand
from idealab.auth import Principal
from idealab.mail import Mailer

from .. import domain, limits
from ..config import AccountsConfig
from ..store import AccountStore
from . import BAD_LINK, live_user, now
from .links import new_link

log = logging.getLogger(__name__)


def find_users(store: AccountStore, email: str) -> list[dict]:
    user = store.user_by_email(domain.normalise_email(email))
    return [user] if user and not user.get("deleted_at") else []


def set_roles(store: AccountStore, actor: Principal, user_id: str, roles: list[str]) -> dict:
    live_user(store, user_id)
    roles = domain.checked_roles(roles)
    if user_id == actor.user_id and "admin" not in roles:
        raise Conflict("you cannot take the admin role from yourself; ask another admin")
    store.set_roles(user_id, roles, domain.role_changed(user_id, roles, actor.user_id, now()))
    return store.user(user_id)


def grant_role(store: AccountStore, email: str, role: str) -> dict:
    """For the command line: the first admin has nobody to grant them the role through the API."""
    user = store.user_by_email(domain.normalise_email(email))
    if user is None or user.get("deleted_at"):
        raise NotFound(f"no account with the email {email}")
    roles = domain.checked_roles([*user["roles"], role])
    store.set_roles(user["_id"], roles, domain.role_changed(user["_id"], roles, "cli", now()))
    return store.user(user["_id"])


def ban(store: AccountStore, actor: Principal, user_id: str, reason: str) -> dict:
    refusal = domain.ban_refusal(actor.user_id, actor.roles, live_user(store, user_id))
    if refusal:
        raise Forbidden(refusal)
    at = now()
    if not store.ban(user_id, {"reason": reason, "by": actor.user_id, "at": at},
                     domain.user_banned(user_id, reason, actor.user_id, at)):
        raise Conflict("this account is banned already")
    store.revoke_sessions_of(user_id, at, "banned")
    return store.user(user_id)


def create_space(store: AccountStore, actor: Principal, name: str, unverified_may_vote: bool = True) -> dict:
    space = {"_id": domain.new_id(), "name": name, "created_by": actor.user_id, "created_at": now(),
             "unverified_may_vote": unverified_may_vote}
    store.insert_space(space, domain.space_created(space))
    return {**space, "member_count": 0}


def spaces(store: AccountStore) -> list[dict]:
    return [{**s, "member_count": store.member_count(s["_id"])} for s in store.all_spaces()]


def members(store: AccountStore, space_id: str) -> list[dict]:
    _space(store, space_id)
    return store.members(space_id)


def invite(store: AccountStore, cfg: AccountsConfig, mailer: Mailer, actor: Principal, space_id: str,
           email: str) -> None:
    space = _space(store, space_id)
    email = domain.normalise_email(email)
    limits.invitation_or_refuse(store, cfg, email, actor.user_id)
    secret = new_link(store, "invitation", domain.INVITATION_TTL, now(), space_id=space_id, email=email,
                      invited_by=actor.user_id)
    try:
        lab = brand.current().name
        mailer.send(email, f"You are invited to {space['name']} on {lab}",
                    f"Hello,\n\nyou are invited to join {space['name']}, a private space of {lab}. "
                    f"Sign in (or join in one click) and accept within 14 days here:\n\n"
                    f"{cfg.public_url}/invitations#token={secret}\n")
    except OSError as exc:
        log.warning("invitation mail to space %s not sent: %s", space_id, exc)
        raise ServiceUnavailable("the mail server does not answer; try again shortly", retry_after=30) from exc


def accept_invitation(store: AccountStore, principal: Principal, token: str) -> dict:
    """The invited joins, signed in with the address the invitation was sent to: a forwarded or leaked link lets
    nobody else in (and is not used up by them)."""
    link_digest = domain.digest(token)
    link = store.use_link(link_digest, "invitation", now())
    if link is None:
        raise BadRequest(BAD_LINK)
    space = store.space(link["space_id"])
    user = store.user(principal.user_id)
    if space is None or user is None or user.get("deleted_at"):
        store.unuse_link(link_digest)
        raise NotFound("the space or your account no longer exists")
    if not domain.invitation_is_for(link, user):
        store.unuse_link(link_digest)
        raise Forbidden("this invitation was sent to another address: sign in with the address it was sent to, or "
                        "ask for an invitation to yours")
    store.add_to_space(user["_id"], space["_id"], domain.member_added(space["_id"], user["_id"], now()))
    return space


def remove_member(store: AccountStore, actor: Principal, space_id: str, user_id: str) -> None:
    _space(store, space_id)
    if not store.remove_from_space(user_id, space_id, domain.member_removed(space_id, user_id, actor.user_id, now())):
        raise NotFound("this user is not a member of this space")


def _space(store: AccountStore, space_id: str) -> dict:
    space = store.space(space_id)
    if space is None:
        raise NotFound("no such space")
    return space
