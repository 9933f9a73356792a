"""An option may stand for an idea of the lab: one the votes service knows, of the public lab or the campaign's own
space, so a public campaign never shows a panel's idea."""
import pytest

from votes import campaigns

OPTIONS = [{"id": "fixed", "name": "A charity"}, {"id": "from-idea", "name": "Round-ups", "idea_id": "i1"}]


def test_options_standing_for_public_ideas_are_taken_in_any_campaign():
    campaigns.check_idea_options(OPTIONS, None, {"i1": None})
    campaigns.check_idea_options(OPTIONS, "panel", {"i1": None})


def test_an_idea_of_the_campaigns_own_space_is_taken():
    campaigns.check_idea_options(OPTIONS, "panel", {"i1": "panel"})


@pytest.mark.parametrize("space, known, says", [
    (None, {"i1": "panel"}, "another space"),  # a public campaign showing a panel's idea
    ("other", {"i1": "panel"}, "another space"),
    (None, {}, "no idea i1"),
])
def test_an_unknown_idea_or_one_of_another_space_is_refused_naming_it(space, known, says):
    with pytest.raises(campaigns.Refused, match=says):
        campaigns.check_idea_options(OPTIONS, space, known)
