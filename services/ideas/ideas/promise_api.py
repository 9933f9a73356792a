"""HTTP routes of the response-time promise, under /api/ideas/promise: the team's queue (claim, hand over), each
space's targets, and the figures a bank publishes to show the promise kept."""
from flask import Blueprint, request
from werkzeug.exceptions import NotFound

from idealab import auth, openapi
from idealab.brand import LANGUAGES
from idealab.web import load, store

from . import promise, promise_handlers, promise_schemas
from .conversations import ANSWERERS
from .promise_store import PromiseStore

bp = Blueprint("promise", __name__)
# Who sets a space's targets: those who answer for the bank as a team and the admins, not one adviser alone.
TARGET_SETTERS = ("product_team", "admin")


def in_language(fields: dict) -> dict:
    """A post's fields with its language: the one chosen, or the one the member's lab speaks."""
    accepted = request.accept_languages.best_match(LANGUAGES)
    return {**fields, "language": promise.language(fields.get("language"), accepted)}


def _store() -> PromiseStore:
    return PromiseStore(store())


@bp.get("/queue")
@auth.require(*ANSWERERS)
@openapi.operation(query=promise_schemas.QueueQuery, answer=promise_schemas.Queue)
def queue():
    """What waits for the team: the posts not yet answered, by due time, the overdue first; filtered by space (or
    the public lab), kind, language and whom it waits for."""
    query = promise_schemas.QueueQuery().load(request.args)
    filters = {k: query[k] for k in ("space", "kind", "language", "waiting_for") if query[k] is not None}
    if query["public_lab"]:
        filters["space"] = None
    found = promise_handlers.queue(_store(), auth.current_principal(), filters, query["at"], query["limit"])
    return promise_schemas.Queue().dump(found)


@bp.post("/queue/<kind>/<item_id>/claim")
@auth.require(*ANSWERERS)
@openapi.operation(answer=promise_schemas.Waiting)
def claim(kind: str, item_id: str):
    """Takes the post on: it is acknowledged, and waits for me."""
    return promise_schemas.Waiting().dump(promise_handlers.claim(_store(), _kind(kind), item_id,
                                                                 auth.current_principal()))


@bp.post("/queue/<kind>/<item_id>/hand-over")
@auth.require(*ANSWERERS)
@openapi.operation(body=promise_schemas.HandOver, answer=promise_schemas.Waiting)
def hand_over(kind: str, item_id: str):
    """Hands the post over to another staff member, who it then waits for."""
    kind = _kind(kind)
    to = load(promise_schemas.HandOver())["to"]
    return promise_schemas.Waiting().dump(promise_handlers.hand_over(_store(), kind, item_id, to,
                                                                     auth.current_principal()))


@bp.get("/targets")
@openapi.operation(query=promise_schemas.SpaceQuery, answer=promise_schemas.SpaceTargets, optional_sign_in=True)
def targets():
    """A space's targets (none: the public lab's), in minutes from the member's post: to acknowledge it, to answer
    it. Who may not see the space is told it does not exist."""
    space = promise_schemas.SpaceQuery().load(request.args)["space"]
    return promise_schemas.SpaceTargets().dump(promise_handlers.targets(_store(), space, auth.current_principal()))


@bp.put("/targets")
@auth.require(*TARGET_SETTERS)
@openapi.operation(query=promise_schemas.SpaceQuery, body=promise_schemas.Targets,
                   answer=promise_schemas.SpaceTargets)
def set_targets():
    """Sets a space's targets (none: the public lab's); posts made from then on are promised them."""
    space = promise_schemas.SpaceQuery().load(request.args)["space"]
    minutes = load(promise_schemas.Targets())
    return promise_schemas.SpaceTargets().dump(promise_handlers.set_targets(_store(), space, minutes))


@bp.get("/figures")
@openapi.operation(query=promise_schemas.FiguresQuery, answer=promise_schemas.Figures, optional_sign_in=True)
def figures():
    """The promise kept in a month: the share of posts acknowledged and answered within the targets, and the median
    times. The public lab's for anyone; a private space's for its members and staff (404 to anyone else); private
    messages counted for the team only."""
    query = promise_schemas.FiguresQuery().load(request.args)
    found = promise_handlers.figures(_store(), query["space"], query["month"], auth.current_principal())
    return promise_schemas.Figures().dump(found)


def _kind(kind: str) -> str:
    if kind not in promise.KINDS:
        raise NotFound(f"no kind of post {kind}: {', '.join(promise.KINDS)}")
    return kind
