"""HTTP routes of the roadmap service."""
from flask import Blueprint
from werkzeug.exceptions import NotFound

from idealab import auth
from idealab.web import load, store

from . import handlers, schemas

bp = Blueprint("roadmap", __name__)


@bp.get("")
def roadmap():
    columns = store().by_status()
    return {"columns": {status: schemas.Item(many=True, exclude=("history",)).dump(items)
                        for status, items in columns.items()}}


@bp.get("/ideas/<idea_id>")
def item(idea_id: str):
    found = store().get(idea_id)
    if found is None:
        raise NotFound(f"no idea {idea_id} on the roadmap")
    return schemas.Item().dump(found)


@bp.post("/ideas/<idea_id>/status")
@auth.require("product_team")
def change_status(idea_id: str):
    change = load(schemas.StatusChange())
    moved = handlers.change_status(store(), idea_id, change["status"], change["message"],
                                   auth.current_principal().user_id)
    return schemas.Item().dump(moved)
