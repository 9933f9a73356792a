"""HTTP routes of the accounts service."""
import json
from datetime import datetime

import jwt
from flask import Blueprint, Response, current_app, redirect, request

from idealab import auth
from idealab.openapi import describe
from idealab.web import load

from . import domain, schemas
from .handlers import Accounts
from .oidc import OidcSignIn

bp = Blueprint("accounts", __name__)


def accounts() -> Accounts:
    return current_app.extensions["accounts"]


def oidc() -> OidcSignIn:
    return current_app.extensions["accounts.oidc"]


def _me() -> str:
    return auth.current_principal().user_id


def _client() -> str | None:
    """The client's address, as the trusted proxies in front saw it (ProxyFix, app.py)."""
    return request.remote_addr


TOO_MANY = {"description": "too many password checks or mails for this account, client address or mailbox; retry "
                           "after the time in Retry-After",
            "headers": {"Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}},
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
LIMITED = describe(responses={"429": TOO_MANY})


# --- keys --------------------------------------------------------------------------------------------------------

@bp.get("/.well-known/jwks.json")
def jwks():
    response = current_app.json.response(accounts().keys.jwks())
    # Short: a key about to sign is published KEY_PUBLISH_AHEAD_SECONDS (more than this) before it does.
    response.headers["Cache-Control"] = "public, max-age=60"
    return response


# --- sign-up, sign-in, sessions --------------------------------------------------------------------------------------

@bp.post("/users")
@LIMITED
def sign_up():
    body = load(schemas.SignUp())
    user = accounts().sign_up(body["email"], body["password"], body["display_name"], _client())
    return schemas.User().dump(user), 201


@bp.post("/sessions")
@LIMITED
def sign_in():
    body = load(schemas.SignIn())
    return schemas.Tokens().dump(accounts().sign_in(body["email"], body["password"], _client()))


@bp.post("/sessions/refresh")
def refresh():
    return schemas.Tokens().dump(accounts().refresh(load(schemas.RefreshToken())["refresh_token"]))


@bp.delete("/sessions")
def sign_out():
    accounts().sign_out(load(schemas.RefreshToken())["refresh_token"])
    return "", 204


@bp.post("/verifications")
def verify_email():
    accounts().verify_email(load(schemas.OneTimeToken())["token"])
    return "", 204


@bp.post("/me/verification-mail")
@auth.require()
@LIMITED
def resend_verification():
    accounts().resend_verification(_me())
    return "", 202


@bp.post("/password-resets")
def request_password_reset():
    accounts().request_password_reset(load(schemas.ResetRequest())["email"])
    return "", 202


@bp.post("/password-resets/confirm")
@LIMITED
def confirm_password_reset():
    body = load(schemas.ResetConfirm())
    accounts().confirm_password_reset(body["token"], body["password"], _client())
    return "", 204


# --- my account ------------------------------------------------------------------------------------------------------

@bp.get("/me")
@auth.require()
def profile():
    return schemas.Profile().dump(accounts().profile(_me()))


@bp.get("/me/data")
@auth.require()
def my_data():
    user_id = _me()
    body = json.dumps(accounts().export(user_id), default=_iso, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="idealab-account-{user_id}.json"',
        "Cache-Control": "no-store"})


@bp.delete("/me")
@auth.require()
@LIMITED
def delete_me():
    password = (load(schemas.DeleteAccount()) if request.content_length else {}).get("password")
    accounts().delete(_me(), password, _token_issued_at(), _client())
    return "", 204


@bp.get("/me/identities")
@auth.require()
def my_identities():
    """The sign-in providers linked to my account."""
    return schemas.LinkedIdentity(many=True).dump(accounts().identities.of(_me()))


@bp.delete("/me/identities/<provider>")
@auth.require()
def unlink_identity(provider: str):
    """Removes a sign-in provider from my account. The sessions opened with it end."""
    accounts().identities.remove(_me(), provider)
    return "", 204


def _iso(value):
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _token_issued_at() -> int | None:
    # The token was verified by auth.require for this very request; only its iat is read here.
    token = request.headers["Authorization"].removeprefix("Bearer ").strip()
    issued_at = jwt.decode(token, options={"verify_signature": False}).get("iat")
    return issued_at if isinstance(issued_at, int) else None


# --- roles and bans --------------------------------------------------------------------------------------------------

@bp.get("/users")
@auth.require("admin")
def find_users():
    query = schemas.UserQuery().load(request.args.to_dict())
    return schemas.ManagedUser(many=True).dump(accounts().find_users(query["email"]))


@bp.put("/users/<user_id>/roles")
@auth.require("admin")
def set_roles(user_id: str):
    user = accounts().set_roles(auth.current_principal(), user_id, load(schemas.Roles())["roles"])
    return schemas.ManagedUser().dump(user)


@bp.post("/users/<user_id>/ban")
@auth.require("moderator", "admin")
def ban(user_id: str):
    user = accounts().ban(auth.current_principal(), user_id, load(schemas.Ban())["reason"])
    return schemas.ManagedUser().dump(user)


# --- invite-only spaces ----------------------------------------------------------------------------------------------

@bp.post("/spaces")
@auth.require("admin")
def create_space():
    space = accounts().create_space(auth.current_principal(), load(schemas.NewSpace())["name"])
    return schemas.Space().dump(space), 201


@bp.get("/spaces")
@auth.require("admin")
def list_spaces():
    return schemas.Space(many=True).dump(accounts().spaces())


@bp.get("/spaces/<space_id>/members")
@auth.require("admin")
def list_members(space_id: str):
    return schemas.Member(many=True).dump(accounts().members(space_id))


@bp.delete("/spaces/<space_id>/members/<user_id>")
@auth.require("admin")
def remove_member(space_id: str, user_id: str):
    accounts().remove_member(auth.current_principal(), space_id, user_id)
    return "", 204


@bp.post("/spaces/<space_id>/invitations")
@auth.require("admin")
@LIMITED
def invite(space_id: str):
    accounts().invite(auth.current_principal(), space_id, load(schemas.Invitation())["email"])
    return "", 202


@bp.post("/invitations/accept")
@auth.require()
def accept_invitation():
    space = accounts().accept_invitation(auth.current_principal(), load(schemas.OneTimeToken())["token"])
    # The new membership reaches the other services in the next access token: refresh now to see the space.
    return {"space_id": space["_id"], "name": space["name"]}


# --- OpenID Connect --------------------------------------------------------------------------------------------------

@bp.get("/providers")
def providers():
    return schemas.Provider(many=True).dump(oidc().providers())


@bp.get("/oidc/<name>/start")
def oidc_start(name: str):
    return_to = schemas.SignInStart().load(request.args.to_dict())["return_to"]
    cookie = oidc().browser_cookie()
    # One binding per browser, kept across its sign-ins, so two tabs signing in at once both finish.
    browser = request.cookies.get(cookie["key"]) or domain.new_secret()
    response = redirect(oidc().start(name, return_to, browser), 302)
    response.set_cookie(value=browser, **cookie)
    return response


@bp.get("/oidc/<name>/callback")
def oidc_callback(name: str):
    browser = request.cookies.get(oidc().browser_cookie()["key"])
    return redirect(oidc().finish(name, request.args.to_dict(), browser), 302)


