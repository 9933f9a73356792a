"""Invite-only spaces in the votes API: only members of an idea's space (and staff) vote on it or see its tally;
for anyone else the idea is not there."""
import pytest

from idealab_testing import as_consumed
from votes import handlers

pytestmark = pytest.mark.integration


@pytest.fixture
def panel_idea(store, event):
    handlers.on_idea_submitted(store, as_consumed(event.submitted("panel-idea", space="panel-1")))
    return "panel-idea"


def test_a_member_of_the_space_votes_and_sees_the_tally(client, bearer, panel_idea):
    paul = bearer("paul", spaces=("panel-1",))
    assert client.post(f"/api/votes/ideas/{panel_idea}", headers=paul).status_code == 201
    assert client.get(f"/api/votes/ideas/{panel_idea}", headers=paul).get_json()["my_vote"] is True


def test_staff_see_the_tally_of_any_space(client, bearer, panel_idea):
    for role in ("product_team", "moderator", "admin"):
        assert client.get(f"/api/votes/ideas/{panel_idea}", headers=bearer("sam", roles=(role,))).status_code == 200


@pytest.mark.parametrize("spaces", [(), ("panel-2",)], ids=["no-space", "another-space"])
def test_an_outsider_can_neither_vote_withdraw_nor_see_the_tally(client, bearer, store, panel_idea, spaces):
    olga = bearer("olga", spaces=spaces)
    for response in (client.post(f"/api/votes/ideas/{panel_idea}", headers=olga),
                     client.delete(f"/api/votes/ideas/{panel_idea}", headers=olga),
                     client.get(f"/api/votes/ideas/{panel_idea}", headers=olga),
                     client.get(f"/api/votes/ideas/{panel_idea}")):
        assert response.status_code == 404 and response.mimetype == "application/problem+json"
        assert "count" not in response.get_json()
    assert store.votes.count_documents({}) == 0
