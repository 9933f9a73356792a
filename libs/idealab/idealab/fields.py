"""Marshmallow fields the request schemas of every service share."""
from marshmallow import fields


class Text(fields.String):
    """A string without the spaces around it, so its length limits apply to what is kept (a blank text is none)."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


class StrictBoolean(fields.Boolean):
    """JSON true or false, nothing else. marshmallow's Boolean takes "yes", "off", 1, 0…; and even with
    truthy={True}, falsy={False} it still takes 1 and 0, which equal True and False in a Python set."""

    def __init__(self, **kwargs):
        super().__init__(truthy={True}, falsy={False}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value
