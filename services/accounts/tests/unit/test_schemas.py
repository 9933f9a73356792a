"""The HTTP shapes of the accounts API refuse what they must, with no server."""
import pytest
from marshmallow import ValidationError

from accounts import schemas

SIGN_UP = {"email": "ann@example.com", "password": "a long enough password"}


def refused_fields(schema, body: dict) -> set[str]:
    with pytest.raises(ValidationError) as refused:
        schema.load(body)
    return set(refused.value.messages)


@pytest.mark.parametrize("line_break", ["\n", "\r\n", "\v", "\f", "\x85", "\u2028", "\u2029", "\x00"])
def test_a_display_name_or_a_space_name_is_one_line(line_break):
    name = f"Ann{line_break}your bank account is locked"
    assert refused_fields(schemas.SignUp(), {**SIGN_UP, "display_name": name}) == {"display_name"}
    assert refused_fields(schemas.NewSpace(), {"name": name}) == {"name"}


@pytest.mark.parametrize("name", ["Ann, visit https://evil.example", "Ann www.evil.example", "evil.example",
                                  "Ann ann@evil.example", "Bank-support.com team", "ftp://x"])
def test_a_display_name_carries_no_link_into_a_mail(name):
    assert refused_fields(schemas.SignUp(), {**SIGN_UP, "display_name": name}) == {"display_name"}


@pytest.mark.parametrize("name", ["Ann", "J.R.R. Tolkien", "Zoë O'Brien-Smith", "Dr. Who", "李小龙", "Ann 2.0"])
def test_a_display_name_may_be_any_name(name):
    assert schemas.SignUp().load({**SIGN_UP, "display_name": name})["display_name"] == name


def test_a_space_name_may_hold_dots_and_symbols():
    assert schemas.NewSpace().load({"name": "Panel 2.0 — bank.example staff"})["name"] == \
        "Panel 2.0 — bank.example staff"


def test_a_space_counts_unverified_votes_unless_it_says_so_with_a_json_boolean():
    assert schemas.NewSpace().load({"name": "Panel"})["unverified_may_vote"] is True
    assert schemas.NewSpace().load({"name": "Panel", "unverified_may_vote": False})["unverified_may_vote"] is False
    assert refused_fields(schemas.NewSpace(), {"name": "Panel", "unverified_may_vote": 0}) == {"unverified_may_vote"}
