"""Use cases of the accounts service. As in every service, plain functions taking the store first, then the few
collaborators each needs (`cfg` the AccountsConfig, `mailer`, `keys` the key ring, `hasher` for passwords), wired
in app.py. By concern, since one module would be long:

    signin.py      sign-up, sign-in, refresh, sign-out: the sessions and the tokens they issue
    links.py       the one-time links mailed to a person: email verification, password reset
    keys.py        the key ring: the signing keys, published as a JWKS and rotated
    identities.py  provider identities: the account one signs in to; those linked, seen and removed by the owner
    access.py      roles, bans, invite-only spaces and their invitations
    erasure.py     my account (GDPR): data download, deletion; the purge of what expired

accounts consumes no other service's events: no event handlers here. This module holds what the use cases share."""
from datetime import datetime, timezone
from functools import lru_cache
from importlib import resources

from marshmallow import ValidationError
from werkzeug.exceptions import NotFound

from .. import domain
from ..store import AccountStore

BAD_LINK = "this link is unknown, already used or expired; ask for a new one"


def now() -> datetime:
    return datetime.now(timezone.utc)


def live_user(store: AccountStore, user_id: str) -> dict:
    user = store.user(user_id)
    if user is None or user.get("deleted_at"):
        raise NotFound("no such account")
    return user


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    text = resources.files(domain.__package__).joinpath("common-passwords.txt").read_text()
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def check_new_password(password: str) -> None:
    problem = domain.password_problem(password, common_passwords())
    if problem:
        raise ValidationError({"password": [problem]})
