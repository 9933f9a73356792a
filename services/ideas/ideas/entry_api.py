"""HTTP routes of contest entries (ideas.entries), a blueprint nested in the ideas API's: short videos, uploaded and
served by ranges, and a contest's entries. An entry itself is submitted as an idea with its `contest_id`."""

from flask import Blueprint, current_app, request

from idealab import auth, openapi
from idealab.web import store

from . import entries, handlers, schemas, uploads

bp = Blueprint("entries", __name__)


@bp.post("/videos")
@auth.require("member", "product_team")
@openapi.operation(answer=schemas.Video, status=201, **uploads.declared(
    "video", "an MP4 or WebM clip of at most 8 MB", too_large="the video is over 8 MB",
    wrong_type="the file is not an MP4 or WebM video (read from its bytes)",
    at_quota="the member's uploads of the day (UTC) are at their quota"))
def upload_video():
    """Uploads a short clip for a contest entry. Its type is read from its bytes; send its id as the entry's
    `video_id`."""
    data = uploads.received("video", entries.MAX_VIDEO_BYTES, "a video may be at most 8 MB")
    video = handlers.upload_video(store(), data, auth.current_principal(), current_app.extensions["ideas.images"])
    return schemas.Video().dump(video), 201, {"Location": entries.video_url(video["_id"])}


@bp.get("/videos/<video_id>")
@openapi.operation(answer=None, optional_sign_in=True, responses={
    "200": {"description": "the whole video", "content": uploads.binary(entries.VIDEO_TYPES)},
    "206": {"description": "the byte range asked for by `Range`", "content": uploads.binary(entries.VIDEO_TYPES)},
    "416": uploads.problem("the range asked for is not in the video")})
def video(video_id: str):
    """An entry's video, whole or by the byte ranges a player asks for (206); an invite-only space's entry's video
    only for its members and staff (404 to anyone else)."""
    found, public = entries.visible_video(store(), video_id, auth.current_principal())
    answer = uploads.served(found, public)
    return answer.make_conditional(request, accept_ranges=True, complete_length=found["size"])


@bp.get("/contests/<contest_id>/entries")
@openapi.operation(query=schemas.EntryListQuery, answer=schemas.EntryList, optional_sign_in=True)
def contest_entries(contest_id: str):
    """A contest's entries (of one round with `round`), in their order of submission."""
    query = schemas.EntryListQuery().load(request.args)
    principal = auth.current_principal()
    staff = principal is not None and principal.is_staff
    found = entries.entries_of(store(), contest_id, query["round"], principal, staff, query["limit"])
    return schemas.EntryList().dump({"entries": found})
