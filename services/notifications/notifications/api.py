"""HTTP routes of the notifications service."""
from flask import Blueprint, request

from idealab import auth
from idealab.web import store

from . import handlers, schemas

bp = Blueprint("notifications", __name__)


@bp.get("/users/<user_id>/inbox")
@auth.require()
def inbox(user_id: str):
    query = schemas.InboxQuery().load(request.args)
    return schemas.Inbox().dump(handlers.read_inbox(store(), auth.current_principal(), user_id, query["limit"]))
