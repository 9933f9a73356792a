"""HTTP routes of the notifications service."""
from flask import Blueprint, request

from idealab import auth
from idealab.web import load, store

from . import handlers, schemas

bp = Blueprint("notifications", __name__)


@bp.get("/users/<user_id>/inbox")
@auth.require()
def inbox(user_id: str):
    query = schemas.InboxQuery().load(request.args)
    return schemas.Inbox().dump(handlers.read_inbox(store(), auth.current_principal(), user_id, query["limit"]))


@bp.post("/users/<user_id>/inbox/read")
@auth.require()
def mark_read(user_id: str):
    ids = load(schemas.MarkRead())["ids"]
    return schemas.Unread().dump(handlers.mark_read(store(), auth.current_principal(), user_id, ids))


@bp.get("/me/data")
@auth.require()
def my_data():
    """What this service holds about the caller, for their data download (GDPR)."""
    return schemas.MyData().dump(handlers.my_data(store(), auth.current_principal().user_id))
