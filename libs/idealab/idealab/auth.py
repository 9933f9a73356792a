"""Who is asking: verification of signed JWTs and role checks, in one place so the identity scheme can change here.

For now tokens are HS256 with a secret shared through the environment (the accounts service will replace it with
RS256 and JWKS). Claims: sub (user id), roles (list), iss, aud, exp.
"""
import functools
import time
from dataclasses import dataclass

import jwt
from flask import current_app, g, request
from werkzeug.exceptions import Forbidden, Unauthorized

ISSUER = "idealab"
AUDIENCE = "idealab"
ROLES = ("member", "product_team")


@dataclass(frozen=True)
class Principal:
    user_id: str
    roles: frozenset[str]

    def has(self, role: str) -> bool:
        return role in self.roles


def issue_token(secret: str, user_id: str, roles=("member",), ttl_seconds: int = 3600) -> str:
    now = int(time.time())
    claims = {"sub": user_id, "roles": list(roles), "iss": ISSUER, "aud": AUDIENCE, "iat": now,
              "exp": now + ttl_seconds}
    return jwt.encode(claims, secret, algorithm="HS256")


def verify_token(secret: str, token: str) -> Principal:
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"], audience=AUDIENCE, issuer=ISSUER,
                            options={"require": ["sub", "exp", "iss", "aud"]})
    except jwt.PyJWTError as exc:
        raise Unauthorized(f"invalid token: {exc}") from exc
    roles = claims.get("roles", [])
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise Unauthorized("invalid token: roles must be a list of names")
    return Principal(user_id=str(claims["sub"]), roles=frozenset(roles))


def current_principal() -> Principal | None:
    """The caller, or None when the request carries no token (an invalid token is always a 401)."""
    if "principal" not in g:
        header = request.headers.get("Authorization", "")
        if not header:
            g.principal = None
        elif not header.startswith("Bearer "):
            raise Unauthorized("Authorization must be 'Bearer <token>'")
        else:
            g.principal = verify_token(current_app.config["JWT_SECRET"], header.removeprefix("Bearer ").strip())
    return g.principal


def require(*roles: str):
    """Route decorator: a valid token is required (401), carrying one of `roles` when any are given (403)."""
    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            principal = current_principal()
            if principal is None:
                raise Unauthorized("sign in first: this request needs a bearer token")
            if roles and not any(principal.has(r) for r in roles):
                raise Forbidden(f"this needs the role {' or '.join(roles)}")
            return view(*args, **kwargs)
        return wrapper
    return decorator


def main() -> None:
    """Prints a token for trying the API by hand: python -m idealab.auth USER_ID [ROLE ...]."""
    import os
    import sys
    user_id, *roles = sys.argv[1:] or ["demo-member"]
    print(issue_token(os.environ["JWT_SECRET"], user_id, roles or ["member"]))


if __name__ == "__main__":
    main()
