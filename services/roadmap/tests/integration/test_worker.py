"""The roadmap worker as deployed (python -m roadmap.worker) against the real Kafka and database."""
import pytest

from idealab_testing import running_worker, wait_for

pytestmark = pytest.mark.integration


def test_the_worker_sends_an_idea_over_the_threshold_to_review_and_announces_it(
        client, event, worker_env, publish, kafka_state, namespace, idea_id):
    with running_worker("roadmap.worker", worker_env("roadmap")):
        publish(event.submitted(idea_id, title="Freeze my card"), event.threshold_reached(idea_id, count=10))

        wait_for(lambda: client.get(f"/api/roadmap/ideas/{idea_id}").json.get("status") == "under_review",
                 what="the idea under review")
        announced = wait_for(lambda: [e for e in kafka_state.events(namespace + "roadmap.events")
                                      if e["subject"] == idea_id], what="idea.status_changed on roadmap.events")
        assert [(e["type"], e["data"]["from"], e["data"]["to"]) for e in announced] == [
            ("idea.status_changed", "open", "under_review")]
        assert client.get(f"/api/roadmap/ideas/{idea_id}").json["title"] == "Freeze my card"
