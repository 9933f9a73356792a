"""HTTP routes of the roadmap service."""
from flask import Blueprint
from werkzeug.exceptions import NotFound

from idealab import auth
from idealab.web import load, store

from . import handlers, schemas

bp = Blueprint("roadmap", __name__)


@bp.get("")
def roadmap():
    visible = auth.visible_spaces(auth.current_principal())
    columns = store().by_status(None if visible is None else [None, *visible])
    return {"columns": {status: schemas.Item(many=True, exclude=("history",)).dump(items)
                        for status, items in columns.items()}}


@bp.get("/ideas/<idea_id>")
def item(idea_id: str):
    found = store().get(idea_id)
    if found is None or not _visible(found, auth.current_principal()):
        raise NotFound(f"no idea {idea_id} on the roadmap")
    return schemas.Item().dump(found)


def _visible(item: dict, principal: auth.Principal | None) -> bool:
    # Until its idea.submitted arrives an item's space is unknown: only staff see it then.
    if principal is not None and principal.is_staff:
        return True
    return "title" in item and auth.can_see(principal, item.get("space"))


@bp.post("/ideas/<idea_id>/status")
@auth.require("product_team")
def change_status(idea_id: str):
    change = load(schemas.StatusChange())
    moved = handlers.change_status(store(), idea_id, change["status"], change["message"],
                                   auth.current_principal().user_id)
    return schemas.Item().dump(moved)
