"""The database server stops and comes back: the APIs say so with 503 (never a 500, never a hang) and recover by
themselves, and so do the workers. A database server of the test's own: the shared one is never stopped."""
import pytest
import requests
from pymongo import MongoClient

from idealab_testing import wait_for

from .system import first_answer_but

pytestmark = pytest.mark.faults

# pymongo gives up selecting a server after 3 s (idealab.mongo); an answer well within this means no hang.
ANSWER_WITHIN = 10


def assert_unavailable(response: requests.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    assert int(response.headers["Retry-After"]) > 0
    assert response.json()["status"] == 503


def test_an_api_answers_503_with_retry_after_while_its_database_is_down_and_recovers_by_itself(
        system, private_database, publish, event, bearer, idea_id):
    votes = system.api("votes", MONGODB_URI=private_database.uri)
    system.worker("votes", MONGODB_URI=private_database.uri)
    publish(event.submitted(idea_id))
    wait_for(lambda: requests.get(f"{votes.url}/ideas/{idea_id}", timeout=5).status_code == 200,
             what="the idea open to votes")

    private_database.kill()
    for call in (lambda: requests.get(f"{votes.url}/ideas/{idea_id}", timeout=ANSWER_WITHIN),
                 lambda: requests.post(f"{votes.url}/ideas/{idea_id}", headers=bearer("ann"), timeout=ANSWER_WITHIN),
                 lambda: requests.get(f"{votes.url}/readyz", timeout=ANSWER_WITHIN)):
        assert_unavailable(call())

    private_database.start()
    cast = first_answer_but(503, lambda: requests.post(f"{votes.url}/ideas/{idea_id}", headers=bearer("ann"),
                                                       timeout=ANSWER_WITHIN),
                            what="the API to reach the database again")
    assert cast.status_code == 201, cast.text
    wait_for(lambda: requests.get(f"{votes.url}/ideas/{idea_id}", timeout=5).json()["count"] == 1,
             what="the worker to count the vote cast after the outage")


def test_an_api_started_while_its_database_is_down_answers_503_until_the_database_is_up(
        system, private_database, bearer, idea_id):
    private_database.kill()
    ideas = system.api("ideas", MONGODB_URI=private_database.uri)

    assert_unavailable(requests.get(f"{ideas.url}/readyz", timeout=ANSWER_WITHIN))
    assert_unavailable(requests.get(f"{ideas.url}", timeout=ANSWER_WITHIN))

    private_database.start()
    idea = {"title": "Round up savings", "description": "Spare change to savings.", "category": "savings"}
    submitted = first_answer_but(503, lambda: requests.post(ideas.url, headers=bearer("ann"), json=idea,
                                                            timeout=ANSWER_WITHIN),
                                 what="the API to reach the database")
    assert submitted.status_code == 201, submitted.text
    assert requests.get(f"{ideas.url}/readyz", timeout=ANSWER_WITHIN).status_code == 200


def test_a_worker_started_while_its_database_is_down_waits_for_it_and_then_works(
        system, private_database, publish, event, idea_id):
    private_database.kill()
    worker = system.worker("votes", MONGODB_URI=private_database.uri)
    wait_for(lambda: "making the indexes failed" in worker.log_tail(), what="the worker to wait for the database")
    assert worker.running
    publish(event.submitted(idea_id))

    private_database.start()
    with MongoClient(private_database.uri) as client:
        votable = client[worker.env["VOTES_DATABASE"]]["ideas"]
        # The worker gets going once the database is back, joins its group and reads the event from Kafka.
        wait_for(lambda: votable.find_one({"_id": idea_id}), timeout=90, what="the worker to open the idea to votes")
