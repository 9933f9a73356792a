"""What the routes of uploaded files (an idea's image, an entry's video) do alike: take one file from a multipart
form, refused past its size before it is read whole, declared with its refusals; and serve it back."""
from flask import Response, request
from marshmallow import ValidationError
from werkzeug.exceptions import RequestEntityTooLarge

from idealab.web import PROBLEM

# Room for the multipart form around the largest file; past it the body is refused before it is read whole.
FORM_ROOM = 64 * 1024
# Served as a file that runs nothing and is never read as anything but its stored type.
FILE_HEADERS = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'; sandbox"}
# A space's file is checked at every request (its members change): no cache may keep it for someone else.
CACHING = {True: "public, max-age=31536000, immutable", False: "private, no-cache"}


def problem(description: str) -> dict:
    return {"description": description, "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}}


def binary(types: tuple[str, ...]) -> dict:
    """The content of an answer that is a file of one of `types`."""
    return {kind: {"schema": {"type": "string", "format": "binary"}} for kind in types}


def declared(field: str, described: str, too_large: str, wrong_type: str, at_quota: str) -> dict:
    """The OpenAPI fields of a route taking one file, `described`, in the form's `field`, and its refusals."""
    return {
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
            "type": "object", "required": [field],
            "properties": {field: {"type": "string", "format": "binary",
                                   "contentMediaType": "application/octet-stream", "description": described}}}}}},
        "responses": {"400": problem("the body is not a readable form"), "413": problem(too_large),
                      "415": problem(wrong_type), "422": problem(f"no file in the form's `{field}` field"),
                      "429": problem(at_quota)}}


def received(field: str, max_bytes: int, too_large: str) -> bytes:
    """The bytes of the file in the form's `field`: 413 with `too_large` past `max_bytes`, 422 without one."""
    request.max_content_length = max_bytes + FORM_ROOM  # RequestEntityTooLarge (413) when the form is read
    upload = request.files.get(field)
    if upload is None:
        raise ValidationError({field: [f"a file in the multipart/form-data field `{field}`"]})
    data = upload.stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise RequestEntityTooLarge(too_large)
    return data


def served(found: dict, public: bool) -> Response:
    """A stored file as its own type; cached by anyone only when anyone may see it."""
    return Response(found["data"], content_type=found["content_type"],
                    headers={**FILE_HEADERS, "Cache-Control": CACHING[public]})
