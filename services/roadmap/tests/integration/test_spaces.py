"""Invite-only spaces on the roadmap: an idea of a space is on the board and opens only for its members and staff."""
import pytest

pytestmark = pytest.mark.integration


@pytest.fixture
def panel_idea(consume, event, idea_id):
    consume(event.submitted(idea_id, title="Panel-only savings pot", space="panel-1"))
    consume(event.threshold_reached(idea_id))
    return idea_id


@pytest.fixture
def public_idea(consume, event, idea_id):
    consume(event.submitted(idea_id + "-public", title="Dark mode"))
    return idea_id + "-public"


def board(client, headers=None) -> set[str]:
    columns = client.get("/api/roadmap", headers=headers or {}).json["columns"]
    return {item["idea_id"] for items in columns.values() for item in items}


def test_the_board_shows_a_space_idea_to_its_members_and_staff_only(client, bearer, panel_idea, public_idea):
    assert board(client) == {public_idea}
    assert board(client, bearer("olga", spaces=("panel-2",))) == {public_idea}
    assert board(client, bearer("paul", spaces=("panel-1",))) == {public_idea, panel_idea}
    assert board(client, bearer("pat", roles=("product_team",))) == {public_idea, panel_idea}


def test_a_space_idea_opens_for_its_members_and_staff_and_is_a_404_to_others(client, bearer, panel_idea):
    path = f"/api/roadmap/ideas/{panel_idea}"
    assert client.get(path).status_code == 404
    hidden = client.get(path, headers=bearer("olga"))
    assert hidden.status_code == 404 and "Panel-only" not in hidden.get_data(as_text=True)
    assert client.get(path, headers=bearer("paul", spaces=("panel-1",))).json["space"] == "panel-1"
    assert client.get(path, headers=bearer("mo", roles=("moderator",))).status_code == 200
