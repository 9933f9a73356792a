"""Marshmallow fields the request schemas of every service share."""
import unicodedata

from marshmallow import fields


class Text(fields.String):
    """A string without the spaces around it, so its length limits apply to what is kept (a blank text is none)."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


def breaks_line(char: str) -> bool:
    """A control character (CR, LF, VT, FF, NEL, tab…) or Unicode's line or paragraph separator."""
    return unicodedata.category(char) in ("Cc", "Zl", "Zp")


class OneLine(Text):
    """A text shown on one line (a title, a name): it ends up in mail subjects, headers and log lines, where a line
    break would start a new header or a new line."""

    default_error_messages = {"line_break": "one line only: no line breaks or control characters"}

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if any(breaks_line(c) for c in text):
            raise self.make_error("line_break")
        return text


class StrictBoolean(fields.Boolean):
    """JSON true or false, nothing else. marshmallow's Boolean takes "yes", "off", 1, 0…; and even with
    truthy={True}, falsy={False} it still takes 1 and 0, which equal True and False in a Python set."""

    def __init__(self, **kwargs):
        super().__init__(truthy={True}, falsy={False}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value
