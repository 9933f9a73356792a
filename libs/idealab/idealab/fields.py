"""Marshmallow fields the request schemas of every service share."""
from marshmallow import fields


class Text(fields.String):
    """A string without the spaces around it, so its length limits apply to what is kept (a blank text is none)."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()
