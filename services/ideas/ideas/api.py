"""HTTP routes of the ideas service: load the request schema, run the use case, dump the response schema."""
from flask import Blueprint, request
from werkzeug.exceptions import Forbidden, NotFound

from idealab import auth
from idealab.web import load, store

from . import handlers, schemas

bp = Blueprint("ideas", __name__)


@bp.post("")
@auth.require("member", "product_team")
def submit():
    fields = load(schemas.IdeaSubmission())
    principal = auth.current_principal()
    if not principal.can_see(fields["space"]):
        raise Forbidden("only members of this space may post in it")
    idea = handlers.submit_idea(store(), fields, principal.user_id)
    return schemas.Idea().dump(idea), 201, {"Location": f"/api/ideas/{idea['_id']}"}


@bp.get("")
def list_ideas():
    query = schemas.IdeaListQuery().load(request.args)
    principal = auth.current_principal()
    if query["space"] is not None:
        if not auth.can_see(principal, query["space"]):
            raise NotFound(f"no space {query['space']}")
        spaces = [query["space"]]
    else:
        visible = auth.visible_spaces(principal)
        spaces = None if visible is None else [None, *visible]
    ideas = store().list(query["sort"], query["limit"], query["offset"], spaces)
    return {"ideas": schemas.Idea(many=True).dump(ideas), "sort": query["sort"], "offset": query["offset"]}


@bp.get("/me/data")
@auth.require()
def my_data():
    """What this service holds about the caller, for their data download (GDPR)."""
    return {"ideas": schemas.Idea(many=True).dump(store().by_author(auth.current_principal().user_id))}


@bp.get("/<idea_id>")
def get_idea(idea_id: str):
    idea = store().get(idea_id)
    # An idea of a space the caller is not in answers as if it did not exist: its existence is not told either.
    if idea is None or not auth.can_see(auth.current_principal(), idea.get("space")):
        raise NotFound(f"no idea {idea_id}")
    return schemas.Idea().dump(idea)

