"""How the use cases of campaigns and contests refuse, alike: what the caller may not see is not there, and a rule's
refusal (domain.Refused, of campaigns and contests) is the 4xx that says which."""
from marshmallow import ValidationError
from werkzeug.exceptions import Conflict, Forbidden, NotFound

from idealab.auth import Principal, can_see

from .domain import Refused

# The field a malformed ballot or scoresheet is refused on; a malformed setup is refused as a whole.
_FIELDS = {"ballot": "choices", "sheet": "scores"}


def visible(found: dict | None, viewer: Principal | None, missing: str) -> dict:
    """The campaign or contest found, unless the viewer may not see it: one of a space exists only for its members
    and staff (404 `missing`, as when there is none)."""
    if found is None or not can_see(viewer, found.get("space")):
        raise NotFound(missing)
    return found


def problem(refusal: Refused) -> Exception:
    """Outside the window 409; not eligible to vote, or not on the jury, 403; a malformed ballot, scoresheet or
    setup 422."""
    if refusal.kind == "window":
        return Conflict(str(refusal))
    if refusal.kind in ("eligibility", "jury"):
        return Forbidden(str(refusal))
    return ValidationError({_FIELDS.get(refusal.kind, "_schema"): [str(refusal)]})
