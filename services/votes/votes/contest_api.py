"""HTTP routes of contests (votes.contests), a blueprint nested in the votes API's. Entries are ideas (submitted to
the ideas API with their `contest_id`) and are voted for on the votes' own route, /api/votes/ideas/<entry id>."""
from datetime import datetime, timezone

from flask import Blueprint, current_app, request

from idealab import auth, openapi
from idealab.web import load, store

from . import contest_handlers, contest_schemas as schemas

bp = Blueprint("contests", __name__)
STAFF = ("product_team", "admin")


def _now() -> datetime:
    """The server's time, from the app's clock (tests set `votes.clock` to move it)."""
    return current_app.extensions.get("votes.clock", lambda: datetime.now(timezone.utc))()


def _number(number: str) -> int:
    """A round's number from the path; anything else names no round (0)."""
    return int(number) if number.isdigit() and len(number) < 4 else 0


@bp.post("/contests")
@auth.require(*STAFF)
@openapi.operation(body=schemas.ContestSetup, answer=schemas.Contest, status=201)
def create_contest():
    """Sets up a contest: its rounds and final, criteria, jury and prizes."""
    data = load(schemas.ContestSetup())
    contest = contest_handlers.create(store().contests, data, auth.current_principal(), _now())
    return schemas.Contest().dump(contest), 201, {"Location": f"/api/votes/contests/{contest['id']}"}


@bp.get("/contests")
@openapi.operation(query=schemas.ContestListQuery, answer=schemas.ContestList, optional_sign_in=True)
def list_contests():
    query = schemas.ContestListQuery().load(request.args)
    found = contest_handlers.listed(store().contests, auth.current_principal(), query["limit"], _now())
    return schemas.ContestList().dump(found)


@bp.get("/contests/<contest_id>")
@openapi.operation(answer=schemas.Contest, optional_sign_in=True)
def contest(contest_id: str):
    """A contest with its rounds: each one's state, and once closed its ranking, shortlist, scores and winner."""
    principal = auth.current_principal()
    found = contest_handlers.visible(store().contests, contest_id, principal)
    return schemas.Contest().dump(contest_handlers.shown(found, principal, _now()))


@bp.put("/contests/<contest_id>")
@auth.require(*STAFF)
@openapi.operation(body=schemas.ContestSetup, answer=schemas.Contest)
def edit_contest(contest_id: str):
    """Replaces the contest's setup; only before its first round opens (409 after)."""
    data = load(schemas.ContestSetup())
    edited = contest_handlers.edit(store().contests, contest_id, data, auth.current_principal(), _now())
    return schemas.Contest().dump(edited)


@bp.put("/contests/<contest_id>/rounds/<number>/scoresheet")
@auth.require()
@openapi.operation(body=schemas.ScoresheetSubmission, answer=schemas.Scoresheet)
def score(contest_id: str, number: str):
    """A juror scores the round's shortlist (every entry on every criterion), or rescores it, from the round's close
    to the end of its judging: 403 off the jury, 409 outside that window, 422 for an incomplete sheet."""
    scores = load(schemas.ScoresheetSubmission())["scores"]
    sheet = contest_handlers.score(store().contests, contest_id, _number(number), scores, auth.current_principal(),
                                   _now())
    return schemas.Scoresheet().dump(sheet)


@bp.get("/contests/<contest_id>/rounds/<number>/scoresheet")
@auth.require()
@openapi.operation(answer=schemas.Scoresheet)
def my_scoresheet(contest_id: str, number: str):
    sheet = contest_handlers.my_scoresheet(store().contests, contest_id, _number(number), auth.current_principal())
    return schemas.Scoresheet().dump(sheet)
