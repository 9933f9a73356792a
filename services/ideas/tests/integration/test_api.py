"""The ideas API through the Flask test client, over a real database of its own."""
from datetime import datetime, timedelta, timezone

import pytest

from idealab_testing import TokenSigner, assert_problem
from idealab.events import new_event
from idealab_testing import as_consumed
from ideas import domain, handlers

pytestmark = pytest.mark.integration

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)
VALID = {"title": "Block a lost card from the phone", "description": "One tap in the app.", "category": "cards"}


def submit(client, headers, **changes):
    return client.post("/api/ideas", json={**VALID, **changes}, headers=headers)


def listed(client, sort: str) -> list[str]:
    response = client.get(f"/api/ideas?sort={sort}")
    assert response.status_code == 200
    return [idea["title"] for idea in response.get_json()["ideas"]]


def test_a_member_submits_an_idea_and_finds_it_where_the_location_says(client, bearer):
    response = submit(client, bearer("ann"), title="  Block a lost card from the phone  ")

    assert response.status_code == 201
    idea = response.get_json()
    assert response.headers["Location"] == f"/api/ideas/{idea['id']}"
    assert idea["title"] == "Block a lost card from the phone"
    assert (idea["author_id"], idea["status"], idea["vote_count"]) == ("ann", "open", 0)
    fetched = client.get(response.headers["Location"])
    assert fetched.status_code == 200
    assert fetched.get_json() == idea


def test_a_submitted_idea_is_stored_with_its_idea_submitted_event_in_the_same_document(client, bearer, store):
    idea = submit(client, bearer("ann")).get_json()

    stored = store.ideas.find_one({"_id": idea["id"]})
    assert len(stored["outbox"]) == 1
    event = as_consumed(stored["outbox"][0])
    assert (event.type, event.subject) == ("idea.submitted", idea["id"])
    assert event.data["author_id"] == "ann"
    assert event.data["title"] == idea["title"]
    assert event.data["submitted_at"].isoformat() == idea["submitted_at"]


def test_the_product_team_may_submit_ideas_too(client, bearer):
    assert submit(client, bearer("pat", roles=("product_team",))).status_code == 201


def test_a_token_without_a_member_role_is_forbidden(client, bearer, store):
    assert_problem(submit(client, bearer("bot", roles=())), 403)
    assert store.ideas.count_documents({}) == 0


def seed(store, *titles: str) -> dict[str, str]:
    """Ideas submitted a minute apart, in the order given (the clock of a request is too fine to order by)."""
    ids = {}
    for minute, title in enumerate(titles):
        idea, event = domain.submit({**VALID, "title": title}, "ann", T0 + timedelta(minutes=minute))
        store.add(idea, event)
        ids[title] = idea["_id"]
    return ids


def test_ideas_are_listed_newest_first(client, bearer, store):
    seed(store, "The first idea", "The second idea")
    assert submit(client, bearer("ann"), title="The idea just submitted").status_code == 201

    assert listed(client, "newest") == ["The idea just submitted", "The second idea", "The first idea"]


def test_ideas_are_listed_most_voted_first_once_their_tallies_arrive(client, store):
    ids = seed(store, "Few votes", "Most votes", "No votes")
    for title, count in (("Few votes", 1), ("Most votes", 5)):
        handlers.on_tally_changed(store, as_consumed(tally_changed(ids[title], count, version=count)))

    assert listed(client, "most_voted") == ["Most votes", "Few votes", "No votes"]
    assert client.get(f"/api/ideas/{ids['Most votes']}").get_json()["vote_count"] == 5


def test_ideas_with_as_many_votes_are_listed_newest_first(client, store):
    ids = seed(store, "Older", "Newer")
    for title in ids:
        handlers.on_tally_changed(store, as_consumed(tally_changed(ids[title], 2, version=2)))

    assert listed(client, "most_voted") == ["Newer", "Older"]


def test_the_list_pages_with_limit_and_offset(client, store):
    seed(store, *(f"Idea number {n}" for n in range(5)))

    page = client.get("/api/ideas?sort=newest&limit=2&offset=1").get_json()

    assert [i["title"] for i in page["ideas"]] == ["Idea number 3", "Idea number 2"]
    assert (page["sort"], page["offset"]) == ("newest", 1)


def test_the_list_shows_no_outbox(client, store):
    seed(store, "An idea with its event still waiting")

    assert "outbox" not in client.get("/api/ideas").get_json()["ideas"][0]


def test_a_bad_list_query_is_a_problem(client):
    assert_problem(client.get("/api/ideas?sort=oldest"), 422)


def test_an_unknown_idea_is_a_404_problem(client):
    assert_problem(client.get("/api/ideas/no-such-idea"), 404)


@pytest.mark.parametrize("body, field", [
    pytest.param({"description": "No title.", "category": "cards"}, "title", id="missing title"),
    pytest.param({**VALID, "title": 42}, "title", id="title of the wrong type"),
    pytest.param({**VALID, "$where": "sleep(1000)"}, "$where", id="dollar-prefixed key"),
    pytest.param({**VALID, "title": "x" * 141}, "title", id="title over 140 characters"),
    pytest.param({**VALID, "category": "Not A Category"}, "category", id="bad category"),
    pytest.param({**VALID, "title": "      "}, "title", id="blank title"),
    pytest.param({**VALID, "title": "Faster transfers\nBcc: attacker@evil.example"}, "title",
                 id="title with a line break and a header after it"),
    pytest.param({**VALID, "title": "Faster transfers\u2028now"}, "title", id="title with a Unicode line separator"),
    pytest.param({**VALID, "category": "cards\n"}, "category", id="category with a line break"),
    pytest.param({**VALID, "description": " \n "}, "description", id="blank description"),
    pytest.param({**VALID, "author_id": "mallory"}, "author_id", id="another author claimed"),
])
def test_invalid_input_is_a_422_problem_naming_the_field_and_stores_nothing(client, bearer, store, body, field):
    response = client.post("/api/ideas", json=body, headers=bearer("ann"))

    problem = assert_problem(response, 422)
    assert list(problem["errors"]) == [field]
    assert store.ideas.count_documents({}) == 0


@pytest.mark.parametrize("data, content_type", [
    pytest.param("title=hello", "application/x-www-form-urlencoded", id="form body"),
    pytest.param("{not json", "application/json", id="broken JSON"),
    pytest.param('["a", "list"]', "application/json", id="JSON that is not an object"),
])
def test_a_body_that_is_not_a_json_object_is_a_400_problem_and_stores_nothing(client, bearer, store, data,
                                                                              content_type):
    response = client.post("/api/ideas", data=data, content_type=content_type, headers=bearer("ann"))

    assert_problem(response, 400)
    assert store.ideas.count_documents({}) == 0


def test_submitting_without_a_token_is_a_401_problem_and_stores_nothing(client, store):
    response = client.post("/api/ideas", json=VALID)

    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert store.ideas.count_documents({}) == 0


def test_submitting_with_a_forged_token_is_a_401_problem(client, store):
    forged = TokenSigner().token("ann")  # a key accounts never published

    assert_problem(client.post("/api/ideas", json=VALID, headers={"Authorization": f"Bearer {forged}"}), 401)
    assert store.ideas.count_documents({}) == 0


def tally_changed(idea_id: str, count: int, version: int) -> dict:
    return new_event("tally.changed", {"idea_id": idea_id, "count": count, "version": version},
                     source="/votes", subject=idea_id)
