"""A campaign's options (issue 12): one may stand for an idea of the lab (one the votes service knows, of the public
lab or of the campaign's own space), and show an image the lab holds."""
import pytest

from .test_campaigns import OPENS, clock, setup  # noqa: F401 - fixtures

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


def test_an_option_shows_an_image_the_lab_holds_named_by_its_id(client, staff, clock):
    options = [{"id": "a", "name": "A charity", "image_id": "0123456789abcdef0123456789abcdef"},
               {"id": "b", "name": "Another"}]
    created = client.post("/api/votes/campaigns", json=setup(options=options), headers=staff)
    assert created.status_code == 201
    assert [o["image_id"] for o in created.get_json()["options"]] == ["0123456789abcdef0123456789abcdef", None]
    options[0]["image_id"] = "https://elsewhere.example/tracker.gif"  # the lab loads nothing from outside
    refused = client.post("/api/votes/campaigns", json=setup(options=options), headers=staff)
    assert refused.status_code == 422 and "image" in str(refused.get_json()["errors"]["options"])
