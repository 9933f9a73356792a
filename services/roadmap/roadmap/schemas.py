"""HTTP shapes of the roadmap API."""
from marshmallow import Schema, fields, validate

from idealab.fields import Text

from .domain import TEAM_STATUSES


class StatusChange(Schema):
    status = fields.String(required=True, validate=validate.OneOf(TEAM_STATUSES))
    message = Text(required=True, validate=validate.Length(min=1, max=2000))


class HistoryEntry(Schema):
    from_status = fields.String(attribute="from", data_key="from")
    to_status = fields.String(attribute="to", data_key="to")
    message = fields.String()
    by = fields.String()
    at = fields.AwareDateTime()


class Item(Schema):
    idea_id = fields.String(attribute="_id")
    # Absent until idea.submitted arrives when the threshold event was read first.
    title = fields.String(allow_none=True, dump_default=None)
    space = fields.String(allow_none=True, dump_default=None)
    status = fields.String()
    updated_at = fields.AwareDateTime(allow_none=True)
    # FerretDB v1 drops an empty array given in $setOnInsert, so an open item may have no stored history yet.
    history = fields.List(fields.Nested(HistoryEntry), dump_default=list)
