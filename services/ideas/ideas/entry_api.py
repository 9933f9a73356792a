"""HTTP routes of contest entries (ideas.entries), a blueprint nested in the ideas API's: short videos, uploaded and
served by ranges, and a contest's entries. An entry itself is submitted as an idea with its `contest_id`."""

from flask import Blueprint, Response, current_app, request
from marshmallow import ValidationError
from werkzeug.exceptions import RequestEntityTooLarge

from idealab import auth, openapi
from idealab.web import PROBLEM, store

from . import entries, handlers, schemas

bp = Blueprint("entries", __name__)
MAX_UPLOAD_BYTES = entries.MAX_VIDEO_BYTES + 64 * 1024
# Served as a file that runs nothing and is never read as anything but its stored type.
VIDEO_HEADERS = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'; sandbox"}
CACHING = {True: "public, max-age=31536000, immutable", False: "private, no-cache"}


def _problem(description: str) -> dict:
    return {"description": description, "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}}


@bp.post("/videos")
@auth.require("member", "product_team")
@openapi.operation(
    answer=schemas.Video, status=201,
    requestBody={"required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["video"],
        "properties": {"video": {"type": "string", "format": "binary", "contentMediaType": "application/octet-stream",
                                 "description": "an MP4 or WebM clip of at most 8 MB"}}}}}},
    responses={"400": _problem("the body is not a readable form"),
               "413": _problem("the video is over 8 MB"),
               "415": _problem("the file is not an MP4 or WebM video (read from its bytes)"),
               "422": _problem("no file in the form's `video` field"),
               "429": _problem("the member's uploads of the day (UTC) are at their quota")})
def upload_video():
    """Uploads a short clip for a contest entry. Its type is read from its bytes; send its id as the entry's
    `video_id`."""
    request.max_content_length = MAX_UPLOAD_BYTES
    upload = request.files.get("video")
    if upload is None:
        raise ValidationError({"video": ["a file in the multipart/form-data field `video`"]})
    data = upload.stream.read(entries.MAX_VIDEO_BYTES + 1)
    if len(data) > entries.MAX_VIDEO_BYTES:
        raise RequestEntityTooLarge("a video may be at most 8 MB")
    video = handlers.upload_video(store(), data, auth.current_principal(), current_app.extensions["ideas.images"])
    return schemas.Video().dump(video), 201, {"Location": entries.video_url(video["_id"])}


@bp.get("/videos/<video_id>")
@openapi.operation(answer=None, optional_sign_in=True, responses={
    "200": {"description": "the whole video", "content": {
        kind: {"schema": {"type": "string", "format": "binary"}} for kind in entries.VIDEO_TYPES}},
    "206": {"description": "the byte range asked for by `Range`", "content": {
        kind: {"schema": {"type": "string", "format": "binary"}} for kind in entries.VIDEO_TYPES}},
    "416": _problem("the range asked for is not in the video")})
def video(video_id: str):
    """An entry's video, whole or by the byte ranges a player asks for (206); an invite-only space's entry's video
    only for its members and staff (404 to anyone else)."""
    found, public = entries.visible_video(store(), video_id, auth.current_principal())
    answer = Response(found["data"], content_type=found["content_type"],
                      headers={**VIDEO_HEADERS, "Cache-Control": CACHING[public]})
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
