"""HTTP routes of the ideas service: load the request schema, run the use case, dump the response schema."""
from flask import Blueprint, request
from werkzeug.exceptions import NotFound

from idealab import auth
from idealab.web import load, store

from . import handlers, schemas

bp = Blueprint("ideas", __name__)


@bp.post("")
@auth.require("member", "product_team")
def submit():
    fields = load(schemas.IdeaSubmission())
    idea = handlers.submit_idea(store(), fields, auth.current_principal().user_id)
    return schemas.Idea().dump(idea), 201, {"Location": f"/api/ideas/{idea['_id']}"}


@bp.get("")
def list_ideas():
    query = schemas.IdeaListQuery().load(request.args)
    ideas = store().list(query["sort"], query["limit"], query["offset"])
    return {"ideas": schemas.Idea(many=True).dump(ideas), "sort": query["sort"], "offset": query["offset"]}


@bp.get("/<idea_id>")
def get_idea(idea_id: str):
    idea = store().get(idea_id)
    if idea is None:
        raise NotFound(f"no idea {idea_id}")
    return schemas.Idea().dump(idea)
