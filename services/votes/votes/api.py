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


@bp.get("/me/data")
@auth.require()
def my_data():
    """What this service holds about the caller, for their data download (GDPR). Votes stay counted after an
    account is deleted: they hold only the account's random id, which nothing links to a person any more."""
    votes = store().votes_of(auth.current_principal().user_id)
    return {"votes": schemas.Vote(many=True).dump(votes)}


@bp.get("/ideas/<idea_id>")
def tally(idea_id: str):
    shown = handlers.show_tally(store(), idea_id, auth.current_principal(), current_app.config["VOTE_THRESHOLD"])
    return schemas.Tally().dump(shown)
