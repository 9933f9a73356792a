"""The ideas worker as deployed (python -m ideas.worker) against the real Kafka and database."""
import pytest

from idealab.events import new_event
from idealab.testing import running_worker, wait_for

pytestmark = pytest.mark.integration


def test_the_worker_publishes_a_submitted_idea_and_shows_the_tally_it_hears_of(
        client, bearer, store, worker_env, publish, kafka_state, namespace):
    with running_worker("ideas.worker", worker_env("ideas")):
        idea_id = client.post("/api/ideas", headers=bearer("ann"), json={
            "title": "Freeze my card from the app", "description": "One tap.", "category": "cards"}).json["id"]

        published = wait_for(lambda: [e for e in kafka_state.events(namespace + "ideas.events")
                                      if e["subject"] == idea_id], what="idea.submitted on ideas.events")
        assert [e["type"] for e in published] == ["idea.submitted"]
        wait_for(lambda: store.ideas.find_one({"_id": idea_id})["outbox"] == [], what="the outbox emptied")

        publish(new_event("tally.changed", {"idea_id": idea_id, "count": 7, "version": 7}, source="/votes",
                          subject=idea_id))
        wait_for(lambda: client.get(f"/api/ideas/{idea_id}").json["vote_count"] == 7, what="the vote count")
