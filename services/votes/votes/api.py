"""HTTP routes of the votes service."""
from flask import Blueprint, current_app

from idealab import auth
from idealab.web import store

from . import handlers, schemas

bp = Blueprint("votes", __name__)


@bp.post("/ideas/<idea_id>")
@auth.require("member", "product_team")
def cast(idea_id: str):
    vote = handlers.cast_vote(store(), idea_id, auth.current_principal())
    return schemas.Vote().dump(vote), 201


@bp.delete("/ideas/<idea_id>")
@auth.require("member", "product_team")
def withdraw(idea_id: str):
    handlers.withdraw_vote(store(), idea_id, auth.current_principal())
    return "", 204


@bp.get("/ideas/<idea_id>")
def tally(idea_id: str):
    shown = handlers.show_tally(store(), idea_id, auth.current_principal(), current_app.config["VOTE_THRESHOLD"])
    return schemas.Tally().dump(shown)
