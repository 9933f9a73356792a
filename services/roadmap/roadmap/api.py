"""HTTP routes of the roadmap service."""
from flask import Blueprint, Response, request
from werkzeug.exceptions import NotFound

from idealab import auth, openapi
from idealab.web import load, store

from . import handlers, ratings, schemas

bp = Blueprint("roadmap", __name__)


@bp.get("")
@openapi.operation(query=schemas.BoardQuery, answer=schemas.Board, optional_sign_in=True)
def roadmap():
    """The roadmap. Announced initiatives with their ideas first, then the ideas by status; the open column holds
    its most voted few, `open_list` the whole of it."""
    query = schemas.BoardQuery().load(request.args)
    spaces = auth.readable_lists(auth.current_principal(), query["space"])
    return schemas.Board().dump(handlers.board(store(), spaces, query["category"]))


@bp.get("/ideas/<idea_id>")
@openapi.operation(answer=schemas.Item, optional_sign_in=True)
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
@openapi.operation(body=schemas.StatusChange, answer=schemas.Item)
def change_status(idea_id: str):
    change = load(schemas.StatusChange())
    moved = handlers.change_status(store(), idea_id, change["status"], change["message"],
                                   auth.current_principal().user_id)
    return schemas.Item().dump(moved)


@bp.get("/initiatives")
@openapi.operation(query=schemas.InitiativesQuery, answer=schemas.Initiatives, optional_sign_in=True)
def initiatives():
    """Initiatives, the most recently moved first. `status=launched` is "you asked, we did"; staff also see drafts."""
    query = schemas.InitiativesQuery().load(request.args)
    principal = auth.current_principal()
    found = handlers.initiatives(store(), auth.readable_lists(principal, query["space"]),
                                 principal is not None and principal.is_staff, query)
    return schemas.Initiatives().dump(found)


@bp.post("/initiatives")
@auth.require("product_team")
@openapi.operation(body=schemas.InitiativeDraft, answer=schemas.Initiative, status=201)
def create_initiative():
    """Drafts an initiative answering some ideas (all of one space, or all public); staff alone see it until it is
    announced."""
    draft = load(schemas.InitiativeDraft())
    created = handlers.create_initiative(store(), draft, auth.current_principal().user_id)
    return schemas.Initiative().dump(handlers.with_ideas(store(), [created])[0]), 201


@bp.get("/initiatives/<initiative_id>")
@openapi.operation(answer=schemas.Initiative, optional_sign_in=True)
def initiative(initiative_id: str):
    principal = auth.current_principal()
    found = handlers.initiative(store(), initiative_id, lambda i: _initiative_visible(i, principal))
    return schemas.Initiative().dump(found)


def _initiative_visible(initiative: dict, principal: auth.Principal | None) -> bool:
    if principal is not None and principal.is_staff:
        return True
    return initiative["announced"] and auth.can_see(principal, initiative["space"])


@bp.post("/initiatives/<initiative_id>/announce")
@auth.require("product_team")
@openapi.operation(body=schemas.Announcement, answer=schemas.Initiative)
def announce_initiative(initiative_id: str):
    """Announces it with a public message: its ideas move to its status, and their followers are told once."""
    body = load(schemas.Announcement())
    announced = handlers.announce_initiative(store(), initiative_id, body["message"], auth.current_principal().user_id)
    return schemas.Initiative().dump(handlers.with_ideas(store(), [announced])[0])


@bp.post("/initiatives/<initiative_id>/status")
@auth.require("product_team")
@openapi.operation(body=schemas.StatusChange, answer=schemas.Initiative)
def move_initiative(initiative_id: str):
    """Moves an announced initiative on with a public message, and its ideas with it."""
    change = load(schemas.StatusChange())
    moved = handlers.move_initiative(store(), initiative_id, change["status"], change["message"],
                                     auth.current_principal().user_id)
    return schemas.Initiative().dump(handlers.with_ideas(store(), [moved])[0])


@bp.get("/feed.atom")
@openapi.operation(answer=None, responses={"200": {"description": "an Atom feed of the public roadmap's changes",
                                                   "content": {"application/atom+xml": {
                                                       "schema": {"type": "string"}}}}})
def feed():
    """The public roadmap's changes as an Atom feed: announced initiatives and ideas that moved, public ones only."""
    document = handlers.roadmap_feed(store(), request.host_url.rstrip("/"))
    return Response(document, mimetype="application/atom+xml")


# Ratings of what was built (roadmap.ratings), of a launched idea or initiative (`kind`, from the URL).
def _rated(method: str, path: str):
    """The route for both kinds: /ideas/<target_id>/ratings<path> and /initiatives/<target_id>/ratings<path>."""
    def register(view):
        for kind in ratings.KINDS:
            bp.route(f"/{kind}/<target_id>/ratings{path}", methods=[method], defaults={"kind": kind})(view)
        return view
    return register


@_rated("GET", "")
@openapi.operation(query=schemas.RatingsQuery, answer=schemas.Ratings, optional_sign_in=True)
def launch_ratings(kind: str, target_id: str):
    """A launched idea's or initiative's ratings: the average, how many gave each number of stars, the reviews
    (newest first), and mine when signed in."""
    query = schemas.RatingsQuery().load(request.args)
    found = ratings.ratings(store().rated, kind, target_id, auth.current_principal(), query["limit"],
                            query["offset"])
    return schemas.Ratings().dump(found)


@_rated("PUT", "/mine")
@auth.require("member")
@openapi.operation(body=schemas.RatingBody, answer=schemas.Rating, status=201)
def rate(kind: str, target_id: str):
    """Rates what was launched 1 to 5 stars, with a review if I like (201); rating again edits my rating (200)."""
    body = load(schemas.RatingBody())
    found, new = ratings.rate(store().rated, kind, target_id, body["stars"], body["review"],
                              auth.current_principal())
    return schemas.Rating().dump(ratings.as_shown(found, False)), 201 if new else 200


@_rated("POST", "/<member_id>/hide")
@auth.require("moderator", "admin")
@openapi.operation(body=schemas.ReviewModeration, answer=schemas.Rating)
def hide_review(kind: str, target_id: str, member_id: str):
    """Hides a review with a public reason (its stars still count); nothing is deleted."""
    return _moderate_review(kind, target_id, member_id, ratings.HIDE)


@_rated("POST", "/<member_id>/restore")
@auth.require("moderator", "admin")
@openapi.operation(body=schemas.ReviewModeration, answer=schemas.Rating)
def restore_review(kind: str, target_id: str, member_id: str):
    return _moderate_review(kind, target_id, member_id, ratings.RESTORE)


def _moderate_review(kind: str, target_id: str, member_id: str, action: str):
    reason = load(schemas.ReviewModeration())["reason"]
    return schemas.Rating().dump(ratings.moderate(store().rated, kind, target_id, member_id, action, reason,
                                                  auth.current_principal()))


@bp.get("/launches")
@auth.require("product_team", "admin")
@openapi.operation(answer=schemas.Launches)
def launches():
    """For product teams: what was launched, latest first, each with its ratings' count, average and distribution."""
    spaces = auth.readable_lists(auth.current_principal(), None)
    return schemas.Launches().dump({"launches": ratings.launches(store().rated, spaces)})


@bp.get("/me/data")
@auth.require()
@openapi.operation(answer=schemas.MyData)
def my_data():
    """What this service holds about the caller, for their data download (GDPR): their ratings and reviews."""
    return schemas.MyData().dump({"ratings": store().rated.by_member(auth.current_principal().user_id)})
