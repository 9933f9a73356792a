"""HTTP routes of the ideas service: load the request schema, run the use case, dump the response schema."""
from flask import Blueprint, request
from werkzeug.exceptions import NotFound

from idealab import auth
from idealab.web import load, store

from . import domain, handlers, schemas

bp = Blueprint("ideas", __name__)
MODERATORS = ("moderator", "admin")


@bp.post("")
@auth.require("member", "product_team")
def submit():
    fields = load(schemas.IdeaSubmission())
    idea = handlers.submit_idea(store(), fields, auth.current_principal())
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
    staff = principal is not None and principal.is_staff
    ideas = store().list(query["sort"], query["limit"], query["offset"], spaces, include_hidden=staff)
    return {"ideas": schemas.Idea(many=True).dump(ideas), "sort": query["sort"], "offset": query["offset"]}


@bp.get("/me/data")
@auth.require()
def my_data():
    """What this service holds about the caller, for their data download (GDPR)."""
    return schemas.MyData().dump(handlers.my_data(store(), auth.current_principal().user_id))


@bp.get("/<idea_id>")
def get_idea(idea_id: str):
    return schemas.Idea().dump(handlers.visible_idea(store(), idea_id, auth.current_principal()))


@bp.post("/<idea_id>/comments")
@auth.require("member", "product_team")
def post_comment(idea_id: str):
    fields = load(schemas.CommentSubmission())
    comment = handlers.post_comment(store(), idea_id, fields, auth.current_principal())
    return schemas.Comment().dump(comment), 201


@bp.get("/<idea_id>/comments")
def list_comments(idea_id: str):
    query = schemas.CommentListQuery().load(request.args)
    found = handlers.comments(store(), idea_id, auth.current_principal(), query["limit"], query["offset"])
    return {"comments": schemas.Comment(many=True).dump(found), "offset": query["offset"]}


# Moderation hides and restores, with a public reason; there is no route that deletes an idea or a comment.
@bp.post("/<idea_id>/hide")
@auth.require(*MODERATORS)
def hide_idea(idea_id: str):
    return _moderate(idea_id, None, domain.HIDE, schemas.Idea())


@bp.post("/<idea_id>/restore")
@auth.require(*MODERATORS)
def restore_idea(idea_id: str):
    return _moderate(idea_id, None, domain.RESTORE, schemas.Idea())


@bp.post("/<idea_id>/comments/<comment_id>/hide")
@auth.require(*MODERATORS)
def hide_comment(idea_id: str, comment_id: str):
    return _moderate(idea_id, comment_id, domain.HIDE, schemas.Comment())


@bp.post("/<idea_id>/comments/<comment_id>/restore")
@auth.require(*MODERATORS)
def restore_comment(idea_id: str, comment_id: str):
    return _moderate(idea_id, comment_id, domain.RESTORE, schemas.Comment())


def _moderate(idea_id: str, comment_id: str | None, action: str, shape):
    reason = load(schemas.Moderation())["reason"]
    return shape.dump(handlers.moderate(store(), idea_id, comment_id, action, reason, auth.current_principal()))
