"""Bad input through the gateway: a clear 4xx problem+json, never a 500, and nothing stored twice or half."""
import pytest

from idealab.testing import assert_problem, wait_for

pytestmark = pytest.mark.e2e

GOOD = {"title": "Round up card payments into savings", "description": "Every payment, rounded up.",
        "category": "savings"}


@pytest.fixture
def author(member):
    return member()


def count_ideas_by(author) -> int:
    ideas = author.get("/api/ideas", params={"limit": 100}).json()["ideas"]
    return sum(1 for i in ideas if i["author_id"] == author.user_id)


@pytest.mark.parametrize("body, field", [
    ({k: v for k, v in GOOD.items() if k != "title"}, "title"),
    ({**GOOD, "title": 42}, "title"),
    ({**GOOD, "$where": "sleep(1000)"}, "$where"),
    ({**GOOD, "title": "x" * 141}, "title"),
    ({**GOOD, "category": "Cards & Loans"}, "category"),
    ({**GOOD, "title": "Faster transfers\nBcc: attacker@evil.example"}, "title"),  # became a mail's Subject
    ({**GOOD, "title": "Faster transfers\u2028Bcc: attacker@evil.example"}, "title"),
])
def test_an_invalid_idea_is_refused_field_by_field_and_nothing_is_stored(author, body, field):
    problem = assert_problem(author.post("/api/ideas", json=body), 422)
    assert field in problem["errors"]
    assert count_ideas_by(author) == 0


def test_a_body_that_is_not_json_is_a_400(author):
    assert_problem(author.post("/api/ideas", data="title=hello", headers={"Content-Type": "text/plain"}), 400)
    assert count_ideas_by(author) == 0


def test_a_request_without_a_valid_token_is_a_401(gateway, author):
    import requests
    assert_problem(requests.post(f"{gateway}/api/ideas", json=GOOD, timeout=10), 401)
    forged = requests.post(f"{gateway}/api/ideas", json=GOOD, timeout=10,
                           headers={"Authorization": "Bearer not.a.token"})
    assert_problem(forged, 401)


def test_a_vote_on_an_unknown_idea_is_a_404(author):
    assert_problem(author.post("/api/votes/ideas/no-such-idea"), 404)


def test_a_second_vote_by_the_same_person_is_a_409_and_counts_once(author, member):
    idea_id = author.post("/api/ideas", json=GOOD).json()["id"]
    voter = member()
    wait_for(lambda: voter.post(f"/api/votes/ideas/{idea_id}").status_code == 201, what="the first vote")
    assert_problem(voter.post(f"/api/votes/ideas/{idea_id}"), 409)
    wait_for(lambda: voter.get(f"/api/votes/ideas/{idea_id}").json()["count"] == 1, what="the tally")
    assert voter.get(f"/api/votes/ideas/{idea_id}").json() == {
        "idea_id": idea_id, "count": 1, "threshold": 3, "threshold_reached": False, "my_vote": True}


def test_a_member_cannot_move_the_roadmap_and_nobody_can_read_another_inbox(author, member):
    idea_id = author.post("/api/ideas", json=GOOD).json()["id"]
    wait_for(lambda: author.get(f"/api/roadmap/ideas/{idea_id}").status_code == 200, what="the roadmap item")
    assert_problem(author.post(f"/api/roadmap/ideas/{idea_id}/status",
                               json={"status": "planned", "message": "I decide!"}), 403)
    assert author.get(f"/api/roadmap/ideas/{idea_id}").json()["status"] == "open"
    assert_problem(member().get(f"/api/notifications/users/{author.user_id}/inbox"), 403)


def test_a_product_team_move_with_an_unknown_status_is_refused(author, member):
    idea_id = author.post("/api/ideas", json=GOOD).json()["id"]
    team = member(roles=("product_team",))
    wait_for(lambda: team.get(f"/api/roadmap/ideas/{idea_id}").status_code == 200, what="the roadmap item")
    problem = assert_problem(team.post(f"/api/roadmap/ideas/{idea_id}/status",
                                       json={"status": "shipped", "message": "done"}), 422)
    assert "status" in problem["errors"]
    assert_problem(team.post(f"/api/roadmap/ideas/{idea_id}/status",
                             json={"status": "open", "message": "back"}), 422)
    assert team.get(f"/api/roadmap/ideas/{idea_id}").json()["history"] == []


def test_a_body_over_the_gateway_limit_is_a_413_problem_and_stores_nothing(author):
    huge = {**GOOD, "description": "x" * 2_000_000}
    assert_problem(author.post("/api/ideas", json=huge), 413)
    assert count_ideas_by(author) == 0


def test_every_answer_carries_one_request_id_the_service_also_names_in_its_problems(author):
    response = author.post("/api/votes/ideas/no-such-idea")
    assert len(response.raw.headers.getlist("X-Request-Id")) == 1
    assert response.json()["request_id"] == response.headers["X-Request-Id"]
