"""The votes API through the Flask test client, over a real database of its own."""
from datetime import datetime, timezone

import pytest

from idealab.events import new_event
from idealab_testing import as_consumed, assert_problem
from votes import handlers

pytestmark = pytest.mark.integration


@pytest.fixture
def idea_id(store):
    """An idea the votes service has learnt of from idea.submitted, so it is open to votes."""
    return submitted(store, "idea-1")


def submitted(store, idea_id: str) -> str:
    handlers.on_idea_submitted(store, as_consumed(new_event("idea.submitted", {
        "idea_id": idea_id, "title": "Block a lost card", "description": "One tap.", "category": "cards",
        "author_id": "ann", "submitted_at": datetime(2025, 3, 1, tzinfo=timezone.utc)},
        source="/ideas", subject=idea_id)))
    return idea_id


def outbox_types(store, idea_id: str, voter_id: str) -> list[tuple[str, int]]:
    doc = store.votes.find_one({"idea_id": idea_id, "voter_id": voter_id})
    return [(e["type"], e["data"]["vote_version"]) for e in doc["outbox"]]


def test_a_member_casts_a_vote_and_it_is_stored_live_with_its_vote_cast_event(client, bearer, store, idea_id):
    response = client.post(f"/api/votes/ideas/{idea_id}", headers=bearer("bob"))

    assert response.status_code == 201
    body = response.get_json()
    assert (body["idea_id"], body["voter_id"]) == (idea_id, "bob")
    assert store.vote(idea_id, "bob")["live"] is True
    assert outbox_types(store, idea_id, "bob") == [("vote.cast", 1)]


def test_the_tally_shows_the_viewers_own_vote_and_none_for_an_anonymous_viewer(client, bearer, idea_id):
    client.post(f"/api/votes/ideas/{idea_id}", headers=bearer("bob"))

    mine = client.get(f"/api/votes/ideas/{idea_id}", headers=bearer("bob")).get_json()
    theirs = client.get(f"/api/votes/ideas/{idea_id}", headers=bearer("cat")).get_json()
    anonymous = client.get(f"/api/votes/ideas/{idea_id}").get_json()

    assert (mine["my_vote"], theirs["my_vote"], anonymous["my_vote"]) == (True, False, None)
    assert anonymous["threshold"] == 3


def test_casting_a_vote_on_an_unknown_idea_is_a_404_problem_and_stores_nothing(client, bearer, store):
    assert_problem(client.post("/api/votes/ideas/no-such-idea", headers=bearer("bob")), 404)
    assert store.votes.count_documents({}) == 0


def test_the_tally_of_an_unknown_idea_is_a_404_problem(client):
    assert_problem(client.get("/api/votes/ideas/no-such-idea"), 404)


def test_a_second_vote_by_the_same_member_is_a_409_problem_and_nothing_is_stored_twice(client, bearer, store,
                                                                                      idea_id):
    assert client.post(f"/api/votes/ideas/{idea_id}", headers=bearer("bob")).status_code == 201

    assert_problem(client.post(f"/api/votes/ideas/{idea_id}", headers=bearer("bob")), 409)
    assert store.votes.count_documents({"idea_id": idea_id}) == 1
    assert store.vote(idea_id, "bob")["version"] == 1
    assert outbox_types(store, idea_id, "bob") == [("vote.cast", 1)]


def test_a_member_withdraws_a_vote_and_casts_it_again(client, bearer, store, idea_id):
    url = f"/api/votes/ideas/{idea_id}"
    assert client.post(url, headers=bearer("bob")).status_code == 201

    withdrawn = client.delete(url, headers=bearer("bob"))
    assert withdrawn.status_code == 204
    assert client.get(url, headers=bearer("bob")).get_json()["my_vote"] is False

    assert client.post(url, headers=bearer("bob")).status_code == 201
    assert client.get(url, headers=bearer("bob")).get_json()["my_vote"] is True
    vote = store.vote(idea_id, "bob")
    assert (vote["live"], vote["version"]) == (True, 3)
    assert store.votes.count_documents({"idea_id": idea_id}) == 1
    assert outbox_types(store, idea_id, "bob") == [("vote.cast", 1), ("vote.withdrawn", 2), ("vote.cast", 3)]


def test_withdrawing_without_a_vote_is_a_404_problem(client, bearer, store, idea_id):
    assert_problem(client.delete(f"/api/votes/ideas/{idea_id}", headers=bearer("bob")), 404)
    assert store.votes.count_documents({}) == 0


def test_withdrawing_a_vote_twice_is_a_404_problem_the_second_time(client, bearer, store, idea_id):
    url = f"/api/votes/ideas/{idea_id}"
    client.post(url, headers=bearer("bob"))
    assert client.delete(url, headers=bearer("bob")).status_code == 204

    assert_problem(client.delete(url, headers=bearer("bob")), 404)
    assert outbox_types(store, idea_id, "bob") == [("vote.cast", 1), ("vote.withdrawn", 2)]


def test_one_members_vote_does_not_stop_another_from_voting(client, bearer, store, idea_id):
    for voter in ("bob", "cat"):
        assert client.post(f"/api/votes/ideas/{idea_id}", headers=bearer(voter)).status_code == 201

    assert store.live_votes(idea_id) == 2


def test_a_member_may_vote_on_several_ideas(client, bearer, store, idea_id):
    other = submitted(store, "idea-2")

    for idea in (idea_id, other):
        assert client.post(f"/api/votes/ideas/{idea}", headers=bearer("bob")).status_code == 201

    assert store.votes.count_documents({"voter_id": "bob"}) == 2


@pytest.mark.parametrize("method", ["post", "delete"])
def test_voting_without_a_token_is_a_401_problem_and_stores_nothing(client, store, idea_id, method):
    response = getattr(client, method)(f"/api/votes/ideas/{idea_id}")

    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert store.votes.count_documents({}) == 0


def test_voting_with_a_malformed_authorization_header_is_a_401_problem(client, store, idea_id):
    assert_problem(client.post(f"/api/votes/ideas/{idea_id}", headers={"Authorization": "Basic Ym9iOnB3"}), 401)
    assert store.votes.count_documents({}) == 0


def test_a_token_without_a_member_role_may_not_vote(client, bearer, store, idea_id):
    assert_problem(client.post(f"/api/votes/ideas/{idea_id}", headers=bearer("bot", roles=())), 403)
    assert store.votes.count_documents({}) == 0


def test_learning_of_the_same_idea_twice_keeps_one_votable_idea(store, idea_id):
    submitted(store, idea_id)

    assert store.ideas.count_documents({}) == 1
    assert store.votable_idea(idea_id)


def test_a_member_downloads_their_votes_withdrawn_ones_included(client, bearer, store, idea_id):
    other = submitted(store, "idea-2")
    client.post(f"/api/votes/ideas/{idea_id}", headers=bearer("bob"))
    client.post(f"/api/votes/ideas/{other}", headers=bearer("bob"))
    client.delete(f"/api/votes/ideas/{other}", headers=bearer("bob"))
    client.post(f"/api/votes/ideas/{idea_id}", headers=bearer("cat"))

    votes = client.get("/api/votes/me/data", headers=bearer("bob")).get_json()["votes"]

    assert sorted((v["idea_id"], v["live"]) for v in votes) == [(idea_id, True), (other, False)]
    assert client.get("/api/votes/me/data").status_code == 401
