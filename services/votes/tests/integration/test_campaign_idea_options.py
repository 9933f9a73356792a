"""An option of a campaign may stand for an idea of the lab (issue 12): one the votes service knows, of the public
lab or of the campaign's own space."""
import pytest

from .test_campaigns import OPENS, clock, setup, staff  # noqa: F401 - fixtures

pytestmark = pytest.mark.integration


def test_an_option_standing_for_an_unknown_idea_or_a_panels_idea_in_a_public_campaign_is_a_422(
        client, staff, clock, store):
    store.add_votable_idea("public-idea", OPENS, None)
    store.add_votable_idea("panel-idea", OPENS, "panel")
    options = [{"id": "a", "name": "A charity"}, {"id": "b", "name": "Round-ups"}]
    for idea_id, says in (("nowhere", "no idea nowhere"), ("panel-idea", "another space")):
        options[1]["idea_id"] = idea_id
        refused = client.post("/api/votes/campaigns", json=setup(options=options), headers=staff)
        assert refused.status_code == 422 and says in refused.get_json()["errors"]["options"][0]
    options[1]["idea_id"] = "public-idea"
    created = client.post("/api/votes/campaigns", json=setup(options=options), headers=staff)
    assert created.status_code == 201 and created.get_json()["options"][1]["idea_id"] == "public-idea"
