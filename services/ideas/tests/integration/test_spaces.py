"""Invite-only spaces in the ideas API: only their members (and staff) post in them, list them or open their ideas;
for anyone else their ideas do not exist."""
import pytest

pytestmark = pytest.mark.integration

IDEA = {"title": "A savings pot only panel members see", "description": "For the top customers' panel.",
        "category": "savings"}


@pytest.fixture
def panel_idea(client, bearer):
    response = client.post("/api/ideas", json={**IDEA, "space": "panel-1"},
                           headers=bearer("paula", spaces=("panel-1",)))
    assert response.status_code == 201
    return response.get_json()


@pytest.fixture
def public_idea(client, bearer):
    response = client.post("/api/ideas", json={**IDEA, "title": "An idea everybody sees"}, headers=bearer("ann"))
    assert response.status_code == 201
    return response.get_json()


def listed(client, headers=None, **query) -> set[str]:
    response = client.get("/api/ideas", query_string=query, headers=headers or {})
    assert response.status_code == 200, response.get_json()
    return {idea["id"] for idea in response.get_json()["ideas"]}


def test_a_member_of_a_space_posts_in_it_and_the_idea_says_so(panel_idea):
    assert panel_idea["space"] == "panel-1"


def test_someone_outside_the_space_cannot_post_in_it_and_nothing_is_stored(client, bearer, store):
    response = client.post("/api/ideas", json={**IDEA, "space": "panel-1"}, headers=bearer("olga", spaces=("p2",)))
    assert response.status_code == 403 and response.mimetype == "application/problem+json"
    assert store.ideas.count_documents({}) == 0


def test_lists_show_space_ideas_to_its_members_and_staff_only(client, bearer, panel_idea, public_idea):
    both = {panel_idea["id"], public_idea["id"]}
    assert listed(client) == {public_idea["id"]}
    assert listed(client, bearer("olga", spaces=("panel-2",))) == {public_idea["id"]}
    assert listed(client, bearer("paul", spaces=("panel-1",))) == both
    for role in ("product_team", "moderator", "admin"):
        assert listed(client, bearer("sam", roles=(role,))) == both
    assert listed(client, bearer("olga"), sort="most_voted") == {public_idea["id"]}


def test_a_space_can_be_listed_alone_by_its_members(client, bearer, panel_idea, public_idea):
    assert listed(client, bearer("paul", spaces=("panel-1",)), space="panel-1") == {panel_idea["id"]}
    assert listed(client, bearer("pat", roles=("product_team",)), space="panel-1") == {panel_idea["id"]}


@pytest.mark.parametrize("headers", [{}, {"spaces": ("panel-2",)}], ids=["anonymous", "outsider"])
def test_listing_a_space_one_is_not_in_is_a_404_as_for_a_space_that_does_not_exist(client, bearer, panel_idea,
                                                                                    headers):
    auth = bearer("olga", **headers) if headers else {}
    response = client.get("/api/ideas", query_string={"space": "panel-1"}, headers=auth)
    assert response.status_code == 404
    assert "panel" not in str(response.get_json().get("ideas", ""))


def test_a_space_idea_is_a_404_to_outsiders_and_opens_for_its_members_and_staff(client, bearer, panel_idea):
    path = f"/api/ideas/{panel_idea['id']}"
    assert client.get(path).status_code == 404
    outsider = client.get(path, headers=bearer("olga"))
    assert outsider.status_code == 404
    assert panel_idea["title"] not in outsider.get_data(as_text=True)
    assert client.get(path, headers=bearer("paul", spaces=("panel-1",))).get_json()["title"] == IDEA["title"]
    assert client.get(path, headers=bearer("mo", roles=("moderator",))).status_code == 200
