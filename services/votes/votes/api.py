"""HTTP routes of the votes service."""
import csv
import io
from datetime import datetime, timezone

from flask import Blueprint, Response, current_app, request

from idealab import auth, openapi
from idealab.web import load, store

from . import contest_api, handlers, schemas

bp = Blueprint("votes", __name__)


@bp.post("/ideas/<idea_id>")
@auth.require("member", "product_team")
@openapi.operation(answer=schemas.Vote, status=201)
def cast(idea_id: str):
    vote = handlers.cast_vote(store(), idea_id, auth.current_principal())
    return schemas.Vote().dump(vote), 201


@bp.delete("/ideas/<idea_id>")
@auth.require("member", "product_team")
@openapi.operation(answer=None, status=204)
def withdraw(idea_id: str):
    handlers.withdraw_vote(store(), idea_id, auth.current_principal())
    return "", 204


@bp.get("/me/data")
@auth.require()
@openapi.operation(answer={"type": "object", "properties": {
    "votes": {"type": "array", "items": schemas.Vote}, "ballots": {"type": "array", "items": schemas.Ballot}}})
def my_data():
    """What this service holds about the caller, for their data download (GDPR). Votes stay counted after an
    account is deleted: they hold only the account's random id, which nothing links to a person any more."""
    user_id = auth.current_principal().user_id
    return {"votes": schemas.Vote(many=True).dump(store().votes_of(user_id)),
            "ballots": schemas.Ballot(many=True).dump(store().ballots_of(user_id))}


@bp.get("/ideas/<idea_id>")
@openapi.operation(answer=schemas.Tally, optional_sign_in=True)
def tally(idea_id: str):
    shown = handlers.show_tally(store(), idea_id, auth.current_principal(), current_app.config["VOTE_THRESHOLD"])
    return schemas.Tally().dump(shown)


def now() -> datetime:
    """The server's time, from the app's clock (tests set `votes.clock` to move it)."""
    return current_app.extensions.get("votes.clock", lambda: datetime.now(timezone.utc))()


@bp.post("/campaigns")
@auth.require("product_team", "admin")
@openapi.operation(body=schemas.CampaignSetup, answer=schemas.Campaign, status=201)
def create_campaign():
    data = load(schemas.CampaignSetup())
    campaign = handlers.create_campaign(store(), data, auth.current_principal(), now())
    return schemas.Campaign().dump(campaign), 201


@bp.get("/campaigns")
@openapi.operation(query=schemas.CampaignListQuery, answer=schemas.CampaignList, optional_sign_in=True)
def list_campaigns():
    query = schemas.CampaignListQuery().load(request.args)
    return schemas.CampaignList().dump(
        handlers.list_campaigns(store(), auth.current_principal(), query["limit"], now()))


@bp.get("/campaigns/<campaign_id>")
@openapi.operation(answer=schemas.Campaign, optional_sign_in=True)
def campaign(campaign_id: str):
    return schemas.Campaign().dump(handlers.show_campaign(store(), campaign_id, auth.current_principal(), now()))


@bp.put("/campaigns/<campaign_id>")
@auth.require("product_team", "admin")
@openapi.operation(body=schemas.CampaignSetup, answer=schemas.Campaign)
def edit_campaign(campaign_id: str):
    """Replaces the campaign's setup; only before it opens (409 after)."""
    data = load(schemas.CampaignSetup())
    edited = handlers.edit_campaign(store(), campaign_id, data, auth.current_principal(), now())
    return schemas.Campaign().dump(edited)


@bp.put("/campaigns/<campaign_id>/ballot")
@auth.require("member", "product_team")
@openapi.operation(body=schemas.BallotCast, answer=schemas.Ballot)
def cast_ballot(campaign_id: str):
    """Casts or changes the caller's one ballot while the campaign is open: 409 outside its window, 403 when the
    caller may not vote in it, 422 for a ballot its rule refuses."""
    choices = load(schemas.BallotCast())["choices"]
    ballot = handlers.cast_ballot(store(), campaign_id, auth.current_principal(), choices, now())
    return schemas.Ballot().dump(ballot)


@bp.get("/campaigns/<campaign_id>/ballot")
@auth.require()
@openapi.operation(answer=schemas.Ballot)
def my_ballot(campaign_id: str):
    return schemas.Ballot().dump(handlers.my_ballot(store(), campaign_id, auth.current_principal()))


@bp.get("/campaigns/<campaign_id>/results")
@openapi.operation(answer=schemas.Results, optional_sign_in=True)
def results(campaign_id: str):
    shown = handlers.results(store(), campaign_id, auth.current_principal(), now())
    return schemas.Results().dump(shown)


@bp.get("/campaigns/<campaign_id>/export")
@openapi.operation(query=schemas.ExportQuery, answer=schemas.Export, optional_sign_in=True, responses={"200": {
    "description": "the result and every ballot by its random id", "content": {
        "application/json": {"schema": schemas.Export},
        "text/csv": {"schema": {"type": "string", "description": "ballot_id,option_id,points: one row per choice"}}}}})
def export(campaign_id: str):
    """A closed campaign's ballots, to recount it and check its digest (python -m votes.verify_campaign)."""
    query = schemas.ExportQuery().load(request.args)
    exported = schemas.Export().dump(handlers.export(store(), campaign_id, auth.current_principal()))
    if query["format"] == "json":
        return exported
    out = io.StringIO()
    rows = csv.writer(out)
    rows.writerow(("ballot_id", "option_id", "points"))
    for ballot in exported["ballot_export"]:
        for option_id, points in sorted(ballot["choices"].items()):
            rows.writerow((ballot["ballot_id"], option_id, points))
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="campaign-{campaign_id}-ballots.csv"'})


@bp.get("/flags")
@auth.require("moderator", "admin")
@openapi.operation(query=schemas.FlagListQuery, answer=schemas.FlagList)
def flags():
    """Bursts of new accounts voting the same way, newest first, with the evidence (votes.integrity): for
    moderators to judge; the votes keep counting."""
    query = schemas.FlagListQuery().load(request.args)
    return schemas.FlagList().dump(handlers.list_flags(store(), query["limit"]))


# Contests (votes.contests): their routes, under the same prefix.
bp.register_blueprint(contest_api.bp)
