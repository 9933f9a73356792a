"""GET /api/ideas/pages/<idea_id>: an idea's page with its share preview (ideas.share), which the gateway serves for
/ideas/<idea_id> in place of the bare web lab. Made for an anonymous reader, whatever the request carries."""
import functools
import os

from flask import Blueprint, Response, current_app
from pymongo.errors import ConnectionFailure
from werkzeug.exceptions import NotFound

from idealab import brand, openapi
from idealab.web import store

from . import handlers, share

bp = Blueprint("share", __name__)
# Without the web lab's build beside the service, the page still carries the preview and leads to the lab.
BARE_PAGE = "<!doctype html>\n<html>\n  <head>\n    <meta charset=\"utf-8\" />\n    <title></title>\n  </head>\n" \
            "  <body><p><a href=\"/\">Open the lab</a></p></body>\n</html>\n"


@functools.lru_cache(maxsize=4)
def _index(path: str, _modified: float) -> str:
    with open(path, encoding="utf-8") as file:
        return file.read()


def index_html(path: str) -> str:
    """The web lab's index.html, read again when a new build replaced it."""
    try:
        return _index(path, os.stat(path).st_mtime)
    except OSError:
        return BARE_PAGE


@bp.get("/pages/<idea_id>")
@openapi.operation(answer=None, responses={"200": {
    "description": "the web lab's page for the idea, with its Open Graph and Twitter card tags",
    "content": {"text/html": {"schema": {"type": "string"}}}}})
def idea_page(idea_id: str):
    """An idea's page with its share preview; the lab's own preview for an idea not everyone may see (or none)."""
    try:
        idea = handlers.visible_idea(store(), idea_id, None)
    except NotFound:
        idea = None
    except ConnectionFailure:  # the database is away: the page still opens the lab, with the lab's own preview
        idea = None
    lab, public_url = brand.current(), current_app.config["PUBLIC_URL"]
    preview = share.of_idea(idea, lab, public_url, f"/ideas/{idea_id}")
    html = share.page(index_html(current_app.config["WEB_INDEX"]), preview, lab)
    # Kept by no shared cache: a moderator's hiding must reach the next preview.
    return Response(html, mimetype="text/html", headers={"Cache-Control": "no-cache"})
