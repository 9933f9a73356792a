"""HTTP routes of the accounts service: load the request schema, run the use case with the store (and the
collaborators create_app wired: config, key ring, password hasher, mailer), dump the response schema."""
import json
from datetime import datetime

from flask import Blueprint, Response, current_app, redirect, request

from idealab import auth, openapi
from idealab.mail import Mailer
from idealab.web import load, store

from . import domain, schemas
from .config import AccountsConfig
from .handlers import access, erasure, identities, links, live_user, signin
from .handlers.keys import Keys
from .oidc import OidcSignIn

bp = Blueprint("accounts", __name__)


def cfg() -> AccountsConfig:
    return current_app.extensions["accounts.config"]


def keys() -> Keys:
    return current_app.extensions["accounts.keys"]


def hasher() -> signin.Hasher:
    return current_app.extensions["accounts.hasher"]


def mailer() -> Mailer:
    return current_app.extensions["accounts.mailer"]


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
LIMITED = {"responses": {"429": TOO_MANY}}


# --- keys --------------------------------------------------------------------------------------------------------

@bp.get("/.well-known/jwks.json")
@openapi.operation(answer={"type": "object", "properties": {"keys": {"type": "array", "items": {"type": "object"}}}})
def jwks():
    response = current_app.json.response(keys().jwks())
    # Short: a key about to sign is published KEY_PUBLISH_AHEAD_SECONDS (more than this) before it does.
    response.headers["Cache-Control"] = "public, max-age=60"
    return response


# --- sign-up, sign-in, sessions --------------------------------------------------------------------------------------

@bp.post("/users")
@openapi.operation(body=schemas.SignUp, answer=schemas.User, status=201, **LIMITED)
def sign_up():
    body = load(schemas.SignUp())
    user = signin.sign_up(store(), cfg(), hasher(), mailer(), body["email"], body["password"], body["display_name"],
                          _client())
    return schemas.User().dump(user), 201


@bp.post("/sessions")
@openapi.operation(body=schemas.SignIn, answer=schemas.Tokens, **LIMITED)
def sign_in():
    body = load(schemas.SignIn())
    tokens = signin.sign_in(store(), cfg(), hasher(), keys(), body["email"], body["password"], _client())
    return schemas.Tokens().dump(tokens)


@bp.post("/sessions/refresh")
@openapi.operation(body=schemas.RefreshToken, answer=schemas.Tokens)
def refresh():
    tokens = signin.refresh(store(), cfg(), keys(), load(schemas.RefreshToken())["refresh_token"])
    return schemas.Tokens().dump(tokens)


@bp.delete("/sessions")
@openapi.operation(body=schemas.RefreshToken, answer=None, status=204)
def sign_out():
    signin.sign_out(store(), load(schemas.RefreshToken())["refresh_token"])
    return "", 204


@bp.post("/verifications")
@openapi.operation(body=schemas.OneTimeToken, answer=None, status=204)
def verify_email():
    links.verify_email(store(), load(schemas.OneTimeToken())["token"])
    return "", 204


@bp.post("/me/verification-mail")
@auth.require()
@openapi.operation(answer=None, status=202, **LIMITED)
def resend_verification():
    links.resend_verification(store(), cfg(), mailer(), _me())
    return "", 202


@bp.post("/password-resets")
@openapi.operation(body=schemas.ResetRequest, answer=None, status=202)
def request_password_reset():
    links.request_password_reset(store(), cfg(), mailer(), load(schemas.ResetRequest())["email"])
    return "", 202


@bp.post("/password-resets/confirm")
@openapi.operation(body=schemas.ResetConfirm, answer=None, status=204, **LIMITED)
def confirm_password_reset():
    body = load(schemas.ResetConfirm())
    links.confirm_password_reset(store(), cfg(), hasher(), body["token"], body["password"], _client())
    return "", 204


# --- my account ------------------------------------------------------------------------------------------------------

@bp.get("/me")
@auth.require()
@openapi.operation(answer=schemas.Profile)
def profile():
    return schemas.Profile().dump(live_user(store(), _me()))


@bp.get("/me/data")
@auth.require()
@openapi.operation(answer={"type": "object"})
def my_data():
    user_id = _me()
    body = json.dumps(erasure.export(store(), user_id), default=_iso, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="idealab-account-{user_id}.json"',
        "Cache-Control": "no-store"})


@bp.delete("/me")
@auth.require()
@openapi.operation(body=schemas.DeleteAccount, answer=None, status=204, **LIMITED)
def delete_me():
    password = (load(schemas.DeleteAccount()) if request.content_length else {}).get("password")
    erasure.delete(store(), cfg(), hasher(), _me(), password, auth.current_principal().issued_at, _client())
    return "", 204


@bp.get("/me/identities")
@auth.require()
@openapi.operation(answer=schemas.LinkedIdentity(many=True))
def my_identities():
    """The sign-in providers linked to my account."""
    return schemas.LinkedIdentity(many=True).dump(identities.of(store(), cfg(), _me()))


@bp.delete("/me/identities/<provider>")
@auth.require()
@openapi.operation(answer=None, status=204)
def unlink_identity(provider: str):
    """Removes a sign-in provider from my account. The sessions opened with it end."""
    identities.remove(store(), _me(), provider)
    return "", 204


def _iso(value):
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


# --- roles and bans --------------------------------------------------------------------------------------------------

@bp.get("/users")
@auth.require("admin")
@openapi.operation(query=schemas.UserQuery, answer=schemas.ManagedUser(many=True))
def find_users():
    query = schemas.UserQuery().load(request.args.to_dict())
    return schemas.ManagedUser(many=True).dump(access.find_users(store(), query["email"]))


@bp.put("/users/<user_id>/roles")
@auth.require("admin")
@openapi.operation(body=schemas.Roles, answer=schemas.ManagedUser)
def set_roles(user_id: str):
    user = access.set_roles(store(), auth.current_principal(), user_id, load(schemas.Roles())["roles"])
    return schemas.ManagedUser().dump(user)


@bp.post("/users/<user_id>/ban")
@auth.require("moderator", "admin")
@openapi.operation(body=schemas.Ban, answer=schemas.ManagedUser)
def ban(user_id: str):
    user = access.ban(store(), auth.current_principal(), user_id, load(schemas.Ban())["reason"])
    return schemas.ManagedUser().dump(user)


# --- invite-only spaces ----------------------------------------------------------------------------------------------

@bp.post("/spaces")
@auth.require("admin")
@openapi.operation(body=schemas.NewSpace, answer=schemas.Space, status=201)
def create_space():
    body = load(schemas.NewSpace())
    space = access.create_space(store(), auth.current_principal(), body["name"], body["unverified_may_vote"])
    return schemas.Space().dump(space), 201


@bp.get("/spaces")
@auth.require("admin")
@openapi.operation(answer=schemas.Space(many=True))
def list_spaces():
    return schemas.Space(many=True).dump(access.spaces(store()))


@bp.get("/spaces/<space_id>/members")
@auth.require("admin")
@openapi.operation(answer=schemas.Member(many=True))
def list_members(space_id: str):
    return schemas.Member(many=True).dump(access.members(store(), space_id))


@bp.delete("/spaces/<space_id>/members/<user_id>")
@auth.require("admin")
@openapi.operation(answer=None, status=204)
def remove_member(space_id: str, user_id: str):
    access.remove_member(store(), auth.current_principal(), space_id, user_id)
    return "", 204


@bp.post("/spaces/<space_id>/invitations")
@auth.require("admin")
@openapi.operation(body=schemas.Invitation, answer=None, status=202, **LIMITED)
def invite(space_id: str):
    access.invite(store(), cfg(), mailer(), auth.current_principal(), space_id, load(schemas.Invitation())["email"])
    return "", 202


@bp.post("/invitations/accept")
@auth.require()
@openapi.operation(body=schemas.OneTimeToken, answer={"type": "object", "properties": {
    "space_id": {"type": "string"}, "name": {"type": "string"}}})
def accept_invitation():
    space = access.accept_invitation(store(), auth.current_principal(), load(schemas.OneTimeToken())["token"])
    # The new membership reaches the other services in the next access token: refresh now to see the space.
    return {"space_id": space["_id"], "name": space["name"]}


# --- OpenID Connect --------------------------------------------------------------------------------------------------

@bp.get("/providers")
@openapi.operation(answer=schemas.Provider(many=True))
def providers():
    return schemas.Provider(many=True).dump(oidc().providers())


@bp.get("/oidc/<name>/start")
@openapi.operation(query=schemas.SignInStart, answer=None, status=302)
def oidc_start(name: str):
    return_to = schemas.SignInStart().load(request.args.to_dict())["return_to"]
    cookie = oidc().browser_cookie()
    # One binding per browser, kept across its sign-ins, so two tabs signing in at once both finish.
    browser = request.cookies.get(cookie["key"]) or domain.new_secret()
    response = redirect(oidc().start(store(), name, return_to, browser), 302)
    response.set_cookie(value=browser, **cookie)
    return response


@bp.get("/oidc/<name>/callback")
@openapi.operation(answer=None, status=302)
def oidc_callback(name: str):
    browser = request.cookies.get(oidc().browser_cookie()["key"])
    return redirect(oidc().finish(store(), name, request.args.to_dict(), browser), 302)


