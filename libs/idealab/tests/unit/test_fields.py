"""The shared request fields, with no server."""
import pytest
from marshmallow import Schema, ValidationError

from idealab.fields import OneLine

LINE_BREAKS = ["\n", "\r", "\r\n", "\v", "\f", "\x85", "\u2028", "\u2029", "\x00", "\x1b", "\t", "\x1e"]


class Titled(Schema):
    title = OneLine(required=True)


@pytest.mark.parametrize("line_break", LINE_BREAKS)
def test_a_one_line_text_refuses_any_line_break_or_control_character_naming_its_field(line_break):
    with pytest.raises(ValidationError) as refused:
        Titled().load({"title": f"Faster transfers{line_break}Bcc: attacker@evil.example"})
    assert refused.value.messages == {"title": ["one line only: no line breaks or control characters"]}


@pytest.mark.parametrize("title", ["Faster transfers", "Zoë's café ☕ — 24/7", "家族の口座 👨‍👩‍👧"])
def test_a_one_line_text_takes_any_printable_text(title):
    assert Titled().load({"title": f"  {title} \n"}) == {"title": title}
