"""The product team moves ideas along the roadmap over HTTP; nobody else can, and refused requests change nothing."""
import pytest

from idealab_testing import as_consumed

pytestmark = pytest.mark.integration

PROBLEM = "application/problem+json"


@pytest.fixture
def under_review(consume, event, idea_id):
    """An idea that reached the vote threshold: where the product team finds it."""
    consume(event.submitted(idea_id, title="Dark mode"))
    consume(event.threshold_reached(idea_id))
    return idea_id


def move(client, idea_id, body, headers=None):
    return client.post(f"/api/roadmap/ideas/{idea_id}/status", json=body, headers=headers or {})


def test_the_product_team_plans_an_idea_under_review_with_a_public_message(client, bearer, stored, under_review):
    response = move(client, under_review, {"status": "planned", "message": "Coming to the app in March."},
                    bearer("team-1", roles=("product_team",)))

    assert response.status_code == 200, response.text
    body = response.json
    assert (body["idea_id"], body["title"], body["status"]) == (under_review, "Dark mode", "planned")
    assert [(h["from"], h["to"]) for h in body["history"]] == [("open", "under_review"), ("under_review", "planned")]
    assert (body["history"][-1]["message"], body["history"][-1]["by"]) == ("Coming to the app in March.", "team-1")
    assert "outbox" not in body

    item = stored(under_review)
    assert item["status"] == "planned" and len(item["history"]) == 2
    announced = as_consumed(item["outbox"][-1])
    assert (announced.type, announced.subject) == ("idea.status_changed", under_review)
    assert (announced.data["from_status"], announced.data["to_status"], announced.data["message"],
            announced.data["by"]) == ("under_review", "planned", "Coming to the app in March.", "team-1")
    assert len(item["outbox"]) == 2  # the review event still waits for the relay, then this one


def test_anyone_reads_an_ideas_place_on_the_roadmap_with_its_history(client, bearer, under_review):
    move(client, under_review, {"status": "planned", "message": "Soon."}, bearer("team-1", roles=("product_team",)))

    response = client.get(f"/api/roadmap/ideas/{under_review}")

    assert response.status_code == 200
    assert response.json["status"] == "planned"
    assert [h["to"] for h in response.json["history"]] == ["under_review", "planned"]


def test_an_open_idea_is_shown_with_its_title_and_an_empty_history(client, consume, event, idea_id):
    consume(event.submitted(idea_id, title="Export to CSV"))

    response = client.get(f"/api/roadmap/ideas/{idea_id}")

    assert response.status_code == 200
    assert response.json == {"idea_id": idea_id, "title": "Export to CSV", "space": None, "category": "app",
                             "status": "open", "vote_count": 0, "updated_at": response.json["updated_at"],
                             "history": []}


def test_an_idea_known_only_from_its_threshold_event_is_shown_to_staff_only_under_review_without_a_title(
        client, bearer, consume, event, idea_id):
    consume(event.threshold_reached(idea_id))

    # Its space is not known yet, so it might be an invite-only one.
    assert client.get(f"/api/roadmap/ideas/{idea_id}", headers=bearer("ann")).status_code == 404
    assert idea_id not in str(client.get("/api/roadmap").json)
    shown = client.get(f"/api/roadmap/ideas/{idea_id}", headers=bearer("pat", roles=("product_team",))).json

    assert (shown["status"], shown["title"]) == ("under_review", None)
    assert [h["to"] for h in shown["history"]] == ["under_review"]


def test_the_roadmap_board_lists_ideas_by_status_without_their_history(client, consume, event, under_review,
                                                                      idea_id):
    other = idea_id + "-other"
    consume(event.submitted(other, title="Export to CSV"))

    columns = client.get("/api/roadmap").json["columns"]

    assert [i["idea_id"] for i in columns["under_review"]] == [under_review]
    assert [i["idea_id"] for i in columns["open"]] == [other]
    assert "history" not in columns["open"][0]


def test_a_member_may_not_move_an_idea(client, bearer, stored, under_review):
    before = stored(under_review)
    response = move(client, under_review, {"status": "planned", "message": "Sure."}, bearer("member-1"))
    assert response.status_code == 403
    assert response.content_type == PROBLEM
    assert stored(under_review) == before


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic eDp5"}])
def test_moving_an_idea_needs_a_valid_bearer_token(client, stored, under_review, headers):
    before = stored(under_review)
    response = move(client, under_review, {"status": "planned", "message": "Sure."}, headers)
    assert response.status_code == 401
    assert response.content_type == PROBLEM
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert stored(under_review) == before


def test_moving_an_idea_the_roadmap_does_not_know_is_not_found(client, bearer, stored, idea_id):
    response = move(client, idea_id, {"status": "planned", "message": "Sure."}, bearer("team-1", roles=("product_team",)))
    assert response.status_code == 404
    assert response.content_type == PROBLEM
    assert stored(idea_id) is None
    assert client.get(f"/api/roadmap/ideas/{idea_id}").status_code == 404


@pytest.mark.parametrize("target", ["under_review", "planned"])
def test_an_idea_cannot_be_moved_back_or_to_where_it_already_is(client, bearer, stored, under_review, target):
    team = bearer("team-1", roles=("product_team",))
    assert move(client, under_review, {"status": "planned", "message": "Soon."}, team).status_code == 200
    before = stored(under_review)

    response = move(client, under_review, {"status": target, "message": "Oops."}, team)

    assert response.status_code == 409
    assert response.content_type == PROBLEM
    assert stored(under_review) == before


def test_a_declined_idea_cannot_be_moved_again(client, bearer, stored, under_review):
    team = bearer("team-1", roles=("product_team",))
    assert move(client, under_review, {"status": "declined", "message": "Not for us."}, team).status_code == 200
    before = stored(under_review)

    response = move(client, under_review, {"status": "planned", "message": "Changed our mind."}, team)

    assert response.status_code == 409
    assert "declined" in response.json["detail"]
    assert stored(under_review) == before


@pytest.mark.parametrize(("body", "field"), [
    ({"status": "shipped", "message": "Done."}, "status"),
    ({"status": "open", "message": "Back to the start."}, "status"),
    ({"status": "planned", "message": ""}, "message"),
    ({"status": "planned", "message": "x" * 2001}, "message"),
    ({"status": "planned"}, "message"),
    ({"status": "planned", "message": "Soon.", "by": "someone-else"}, "by"),
    ({"status": "planned", "message": "Soon.", "$set": {"status": "launched"}}, "$set"),
])
def test_a_malformed_status_change_is_refused_with_a_problem_naming_the_field(client, bearer, stored, under_review,
                                                                              body, field):
    before = stored(under_review)

    response = move(client, under_review, body, bearer("team-1", roles=("product_team",)))

    assert response.status_code == 422
    assert response.content_type == PROBLEM
    assert response.json["status"] == 422
    assert field in response.json["errors"]
    assert stored(under_review) == before
