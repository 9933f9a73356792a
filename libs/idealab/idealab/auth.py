"""Who is asking: verification of the accounts service's access tokens and role checks, in one place.

Access tokens are RS256 JWTs signed by accounts, whose public keys are published as a JWKS. Every service verifies
them here against that JWKS, kept for `max_age` (accounts publishes a new key longer than that before signing with
it, so rotation needs no restart), and fetched again early when a token names a key it has not seen, at most once
per `refetch_interval` so forged key ids cannot turn into a flood on accounts.
Claims: sub (user id), roles, spaces (invite-only spaces the user belongs to), iss, aud, exp, iat, sid (the session,
or refresh-token family, the token was issued in). What accounts changed since `iat` (bans, demotions, resets, closed
sessions, removals from spaces) is applied to the claims by idealab.access.
"""
import functools
import json
import threading
import time
import urllib.request
from dataclasses import dataclass

import jwt
from flask import current_app, g, request
from werkzeug.exceptions import Forbidden, NotFound, ServiceUnavailable, Unauthorized

AUDIENCE = "idealab"
ALGORITHM = "RS256"
# employee: for campaigns by role; jury: scores contests' shortlists (votes.contests).
ROLES = ("member", "product_team", "moderator", "admin", "adviser", "employee", "jury")
# Staff see every space and every hidden item; members see the public lab and their own spaces. Advisers answer
# members' questions and private threads, in whatever space they were asked.
STAFF = frozenset({"product_team", "moderator", "admin", "adviser"})


@dataclass(frozen=True)
class Principal:
    user_id: str
    roles: frozenset[str]
    spaces: frozenset[str] = frozenset()
    issued_at: int = 0  # the token's iat, in seconds
    session_id: str | None = None

    def has(self, role: str) -> bool:
        return role in self.roles

    @property
    def is_staff(self) -> bool:
        return bool(self.roles & STAFF)

    def can_see(self, space: str | None) -> bool:
        """Whether content in `space` (None: the public lab) is visible to this user."""
        return space is None or self.is_staff or space in self.spaces


def can_see(principal: "Principal | None", space: str | None) -> bool:
    """Whether content in `space` is visible to the caller (anonymous callers see the public lab only)."""
    return space is None or (principal is not None and principal.can_see(space))


def visible_spaces(principal: "Principal | None") -> list[str] | None:
    """The spaces a listing may show besides the public lab: None means every space (staff)."""
    if principal is None:
        return []
    return None if principal.is_staff else sorted(principal.spaces)


def readable_lists(principal: "Principal | None", space: str | None) -> list[str | None] | None:
    """The lists a reader reads: the one space asked for (404 if not theirs), or the public lab (None) and every
    space they may see (None: every list, for staff)."""
    if space is not None:
        if not can_see(principal, space):
            raise NotFound(f"no space {space}")
        return [space]
    visible = visible_spaces(principal)
    return None if visible is None else [None, *visible]


class KeySet:
    """The accounts service's public keys, from a JWKS URL (http(s):// or file://)."""

    def __init__(self, url: str, refetch_interval: float = 10.0, max_age: float = 60.0, timeout: float = 3.0):
        self.url = url
        self.refetch_interval = refetch_interval
        self.max_age = max_age
        self.timeout = timeout
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = float("-inf")
        self._lock = threading.Lock()

    def key(self, kid: str) -> jwt.PyJWK:
        with self._lock:
            age = time.monotonic() - self._fetched_at
            if age >= self.max_age or (kid not in self._keys and age >= self.refetch_interval):
                self._refresh()
            found = self._keys.get(kid)
        if found is None:
            raise Unauthorized("invalid token: signed with an unknown key")
        return found

    def _refresh(self) -> None:
        try:
            self._keys = self._fetch()
        except (OSError, ValueError) as exc:
            # Keys already known keep working while accounts is away; with none, nobody can be verified.
            if not self._keys:
                raise ServiceUnavailable("the sign-in keys cannot be read right now; try again shortly",
                                         retry_after=5) from exc
        self._fetched_at = time.monotonic()

    def _fetch(self) -> dict[str, jwt.PyJWK]:
        with urllib.request.urlopen(self.url, timeout=self.timeout) as response:
            document = json.load(response)
        keys = {}
        for entry in document.get("keys", []):
            if entry.get("kid") and entry.get("kty") == "RSA" and entry.get("use", "sig") == "sig":
                keys[entry["kid"]] = jwt.PyJWK(entry, algorithm=ALGORITHM)
        return keys


class Verifier:
    def __init__(self, keys: KeySet, issuer: str):
        self.keys = keys
        self.issuer = issuer

    def verify(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise Unauthorized(f"invalid token: {exc}") from exc
        # Checked before any key lookup: `alg: none` and HS256-with-the-public-key forgeries stop here.
        if header.get("alg") != ALGORITHM or not isinstance(header.get("kid"), str):
            raise Unauthorized(f"invalid token: only {ALGORITHM} tokens with a key id are accepted")
        try:
            claims = jwt.decode(token, self.keys.key(header["kid"]), algorithms=[ALGORITHM], audience=AUDIENCE,
                                issuer=self.issuer, options={"require": ["sub", "exp", "iss", "aud"]})
        except jwt.PyJWTError as exc:
            raise Unauthorized(f"invalid token: {exc}") from exc
        sid = claims.get("sid")
        if sid is not None and not isinstance(sid, str):
            raise Unauthorized("invalid token: sid must be a string")
        # iat, when there, is a number (PyJWT checks it); without it, every change accounts announced applies.
        return Principal(user_id=str(claims["sub"]), roles=frozenset(_names(claims, "roles")),
                         spaces=frozenset(_names(claims, "spaces")), issued_at=int(claims.get("iat", 0)),
                         session_id=sid)


def _names(claims: dict, claim: str) -> list[str]:
    value = claims.get(claim, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Unauthorized(f"invalid token: {claim} must be a list of names")
    return value


def current_principal() -> Principal | None:
    """The caller, or None when the request carries no token (an invalid token is always a 401)."""
    if "principal" not in g:
        header = request.headers.get("Authorization", "")
        if not header:
            g.principal = None
        elif not header.startswith("Bearer "):
            raise Unauthorized("Authorization must be 'Bearer <token>'")
        else:
            verifier: Verifier = current_app.extensions["idealab.verifier"]
            principal = verifier.verify(header.removeprefix("Bearer ").strip())
            access = current_app.extensions.get("idealab.access")  # every service's app has it (idealab.web)
            g.principal = principal if access is None else access.applied(principal)
    return g.principal


def _signed_in() -> Principal:
    principal = current_principal()
    if principal is None:
        raise Unauthorized("sign in first: this request needs a bearer token")
    return principal


def require_self(arg: str = "user_id"):
    """Route decorator: the route is about one person (the URL's `arg`), and only that person may call it, staff
    included — a 403 before the request body is even read."""
    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if _signed_in().user_id != kwargs[arg]:
                raise Forbidden("this is someone else's: only they may see or change it")
            return view(*args, **kwargs)
        wrapper.roles = ()  # the route's documented security (idealab.openapi): a token, any role
        return wrapper
    return decorator


def require(*roles: str):
    """Route decorator: a valid token is required (401), carrying one of `roles` when any are given (403)."""
    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            principal = _signed_in()
            if roles and not any(principal.has(r) for r in roles):
                raise Forbidden(f"this needs the role {' or '.join(roles)}")
            return view(*args, **kwargs)
        wrapper.roles = roles  # the route's documented security (idealab.openapi)
        return wrapper
    return decorator
