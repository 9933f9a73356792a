"""The HTTP shape of a status change: what the product team may send."""
import pytest
from marshmallow import ValidationError

from roadmap.schemas import StatusChange


@pytest.mark.parametrize("status", ["under_review", "planned", "in_progress", "launched", "declined"])
def test_a_status_change_accepts_every_status_the_product_team_may_choose(status):
    assert StatusChange().load({"status": status, "message": "Why."}) == {"status": status, "message": "Why."}


@pytest.mark.parametrize("status", ["shipped", "open", "duplicate", "PLANNED", ""])
def test_a_status_change_refuses_statuses_the_product_team_may_not_choose(status):
    with pytest.raises(ValidationError) as refused:
        StatusChange().load({"status": status, "message": "Why."})
    assert set(refused.value.messages) == {"status"}


@pytest.mark.parametrize("message", ["", "x" * 2001])
def test_a_status_change_refuses_an_empty_or_over_long_message(message):
    with pytest.raises(ValidationError) as refused:
        StatusChange().load({"status": "planned", "message": message})
    assert set(refused.value.messages) == {"message"}


def test_a_status_change_accepts_a_message_of_the_longest_allowed_length():
    assert StatusChange().load({"status": "planned", "message": "x" * 2000})["message"] == "x" * 2000


def test_a_status_change_needs_both_a_status_and_a_message():
    with pytest.raises(ValidationError) as refused:
        StatusChange().load({})
    assert set(refused.value.messages) == {"status", "message"}


def test_a_status_change_refuses_unknown_keys():
    with pytest.raises(ValidationError) as refused:
        StatusChange().load({"status": "planned", "message": "Why.", "by": "someone-else"})
    assert set(refused.value.messages) == {"by"}


def test_a_message_of_spaces_only_is_refused_and_others_are_kept_without_surrounding_spaces():
    import pytest
    from marshmallow import ValidationError

    from roadmap.schemas import StatusChange
    with pytest.raises(ValidationError) as refused:
        StatusChange().load({"status": "planned", "message": "   "})
    assert "message" in refused.value.messages
    assert StatusChange().load({"status": "planned", "message": "  Coming soon. "})["message"] == "Coming soon."
