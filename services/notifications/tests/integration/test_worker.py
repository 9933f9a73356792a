"""The notifications worker as deployed (python -m notifications.worker) against the real Kafka and database."""
import pytest

from idealab.testing import running_worker, wait_for

pytestmark = pytest.mark.integration


def test_the_worker_notifies_the_author_and_the_voters_of_a_status_change(
        client, bearer, event, worker_env, publish, idea_id):
    with running_worker("notifications.worker", worker_env("notifications")):
        publish(event.submitted(idea_id, "ann"), event.vote_cast(idea_id, "bob"),
                event.status_changed(idea_id, "planned", message="Coming in March."))

        for user in ("ann", "bob"):
            inbox = wait_for(lambda: (got := client.get(f"/api/notifications/users/{user}/inbox",
                                                        headers=bearer(user)).json)["entries"] and got,
                             what=f"{user}'s notification")
            assert [(e["to"], e["message"]) for e in inbox["entries"]] == [("planned", "Coming in March.")]
