"""The votes worker as deployed (python -m votes.worker) against the real Kafka and database."""
from datetime import datetime, timezone

import pytest

from idealab.events import new_event
from idealab_testing import running_worker, wait_for

pytestmark = pytest.mark.integration


def test_the_worker_opens_submitted_ideas_to_votes_and_counts_them_up_to_the_threshold(
        client, bearer, store, worker_env, publish, kafka_state, namespace, idea_id):
    with running_worker("votes.worker", worker_env("votes", VOTE_THRESHOLD="1")):
        publish(new_event("idea.submitted", {
            "idea_id": idea_id, "title": "Freeze my card", "description": "One tap.", "category": "cards",
            "author_id": "ann", "submitted_at": datetime.now(timezone.utc)}, source="/ideas", subject=idea_id))
        wait_for(lambda: store.votable_idea(idea_id), what="the idea open to votes")

        assert client.post(f"/api/votes/ideas/{idea_id}", headers=bearer("bob")).status_code == 201
        wait_for(lambda: client.get(f"/api/votes/ideas/{idea_id}").json["count"] == 1, what="the tally")

        types = wait_for(lambda: (found := [e["type"] for e in kafka_state.events(namespace + "votes.events")
                                            if e["subject"] == idea_id]) and len(found) == 3 and found,
                         what="three events about the idea on votes.events")
        assert sorted(types) == ["idea.threshold_reached", "tally.changed", "vote.cast"]
