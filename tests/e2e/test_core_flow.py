"""The core flow through the gateway over HTTP only: idea → votes → threshold → roadmap → every voter notified."""
import json

import pytest
from kafka import KafkaProducer

from idealab_testing import Inspector, wait_for

from .conftest import THRESHOLD

pytestmark = pytest.mark.e2e


def submit_idea(author) -> str:
    response = author.post("/api/ideas", json={"title": "Block a lost card from the phone",
                                               "description": "One tap in the app, before the thief uses it.",
                                               "category": "cards"})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def first_answer_but(waiting: int, call, **wait):
    """The first answer of `call` whose status is not `waiting` ("not yet"), whatever it is: a 500 ends the wait
    and is returned for the caller to fail on, never sent again (a Response is falsy for any 4xx or 5xx, so
    `status != waiting and response` retried a 500 until a 201 came)."""
    def answered():
        response = call()
        return None if response.status_code == waiting else [response]
    return wait_for(answered, **wait)[0]


def vote(voter, idea_id: str):
    # The votes service learns of new ideas from idea.submitted; until then the idea is unknown to it (404).
    return first_answer_but(404, lambda: voter.post(f"/api/votes/ideas/{idea_id}"),
                            what="the votes service to know the idea")


def status_entries(person, idea_id: str, status: str) -> list[dict]:
    inbox = person.get(f"/api/notifications/users/{person.user_id}/inbox").json()
    return [e for e in inbox["entries"] if e["idea_id"] == idea_id and e["to"] == status]


def status_changed_events(servers, lab_env, idea_id: str) -> list[dict]:
    topic = lab_env["IDEALAB_NAMESPACE"] + "roadmap.events"
    return [e for e in Inspector(servers.kafka).events(topic) if e["subject"] == idea_id]


def test_voters_and_author_are_notified_once_when_the_product_team_plans_a_popular_idea(member, servers, lab_env):
    author = member()
    voters = [member() for _ in range(THRESHOLD)]
    team = member(roles=("product_team",))
    idea_id = submit_idea(author)

    for voter in voters:
        assert vote(voter, idea_id).status_code == 201
    assert voters[0].post(f"/api/votes/ideas/{idea_id}").status_code == 409

    wait_for(lambda: author.get(f"/api/votes/ideas/{idea_id}").json()["count"] == THRESHOLD, what="the tally")
    # Two relay hops and two consumer hops from the votes (vote, then threshold or tally event).
    wait_for(lambda: author.get(f"/api/roadmap/ideas/{idea_id}").json()["status"] == "under_review", timeout=90,
             what="the threshold to send the idea to review")
    wait_for(lambda: author.get(f"/api/ideas/{idea_id}").json()["vote_count"] == THRESHOLD, timeout=90,
             what="the ideas list to show the votes")

    moved = team.post(f"/api/roadmap/ideas/{idea_id}/status",
                      json={"status": "planned", "message": "Coming to the app in March."})
    assert moved.status_code == 200, moved.text
    assert [h["to"] for h in moved.json()["history"]] == ["under_review", "planned"]

    everyone = [author, *voters]
    for person in everyone:
        entries = wait_for(lambda: status_entries(person, idea_id, "planned"), what=f"{person.user_id}'s inbox")
        assert len(entries) == 1
        assert entries[0]["message"] == "Coming to the app in March."
    assert status_entries(team, idea_id, "planned") == []  # the team neither wrote nor voted for it

    # Replay: the status event is delivered again; a later change on the same idea (same partition, so read after
    # the replay) shows the worker has gone past it.
    planned = [e for e in status_changed_events(servers, lab_env, idea_id) if e["data"]["to"] == "planned"]
    assert len(planned) == 1
    producer = KafkaProducer(bootstrap_servers=servers.kafka)
    producer.send(lab_env["IDEALAB_NAMESPACE"] + "roadmap.events", key=idea_id.encode(),
                  value=json.dumps(planned[0]).encode()).get(10)
    producer.close()
    assert team.post(f"/api/roadmap/ideas/{idea_id}/status",
                     json={"status": "in_progress", "message": "Being built."}).status_code == 200
    for person in everyone:
        wait_for(lambda: status_entries(person, idea_id, "in_progress"), what=f"{person.user_id}'s second entry")
        assert len(status_entries(person, idea_id, "planned")) == 1


def test_the_gateway_serves_the_lab_page_and_answers_unknown_apis_with_a_problem(gateway, member):
    visitor = member()
    page = visitor.get("/")
    assert page.status_code == 200 and "Idea Lab" in page.text
    unknown = visitor.get("/api/nothing-here")
    assert unknown.status_code == 404
    assert unknown.headers["Content-Type"].startswith("application/problem+json")
    assert unknown.json()["status"] == 404
