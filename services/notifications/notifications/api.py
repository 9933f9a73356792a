"""HTTP routes of the notifications service."""
from flask import Blueprint, request

from idealab import auth
from idealab.web import load, store

from . import handlers, schemas

bp = Blueprint("notifications", __name__)


# A member's inbox and preferences are theirs alone: not even staff read or change them.
@bp.get("/users/<user_id>/inbox")
@auth.require_self()
def inbox(user_id: str):
    query = schemas.InboxQuery().load(request.args)
    return schemas.Inbox().dump(handlers.read_inbox(store(), user_id, query["limit"]))


@bp.post("/users/<user_id>/inbox/read")
@auth.require_self()
def mark_read(user_id: str):
    ids = load(schemas.MarkRead())["ids"]
    return schemas.Unread().dump(handlers.mark_read(store(), user_id, ids))


@bp.get("/users/<user_id>/preferences")
@auth.require_self()
def preferences(user_id: str):
    return schemas.PreferencesShown().dump(handlers.preferences(store(), user_id))


@bp.put("/users/<user_id>/preferences")
@auth.require_self()
def set_preferences(user_id: str):
    email = load(schemas.Preferences())["email"]
    return schemas.PreferencesShown().dump(handlers.set_preferences(store(), user_id, email))


@bp.post("/unsubscribe")
def unsubscribe():
    """The link of every email (RFC 8058 one-click: mail clients POST here with a form body), no sign-in needed."""
    handlers.unsubscribe(store(), schemas.UnsubscribeQuery().load(request.args)["token"])
    return {"unsubscribed": True}


@bp.get("/me/data")
@auth.require()
def my_data():
    """What this service holds about the caller, for their data download (GDPR)."""
    return schemas.MyData().dump(handlers.my_data(store(), auth.current_principal().user_id))
