"""The webhook sender in the notifications worker as deployed (python -m notifications.worker): a delivery the
receiver was not there for is a stored job, so a worker stopped and started again delivers it, once."""
import pytest

from idealab_testing import WebhookReceiver, free_port, running_worker, wait_for

pytestmark = pytest.mark.integration


def test_a_delivery_that_failed_before_the_worker_stopped_is_made_once_by_the_next_worker(
        client, bearer, event, worker_env, publish, idea_id, mongo_db):
    port = free_port()  # the bank's system is down: nothing listens there yet
    registered = client.post("/api/notifications/webhooks/endpoints", headers=bearer("ada", roles=("admin",)),
                             json={"url": f"http://127.0.0.1:{port}/hooks", "events": ["idea.status_changed"]})
    assert registered.status_code == 201
    env = worker_env("notifications", WEBHOOK_FIRST_RETRY_SECONDS="1", WEBHOOK_LONGEST_WAIT_SECONDS="1")
    with running_worker("notifications.worker", env):
        publish(event.submitted(idea_id, "ann", title="Dark mode"))
        wait_for(lambda: mongo_db["ideas"].find_one({"_id": idea_id}), what="the idea known")
        publish(event.status_changed(idea_id, "planned", message="Coming in March."))
        wait_for(lambda: (mongo_db["webhook_deliveries"].find_one() or {}).get("attempts", 0) >= 2,
                 what="two failed attempts")

    bank = WebhookReceiver(secrets=[registered.json["secret"]], port=port)
    try:
        with running_worker("notifications.worker", env):
            wait_for(lambda: bank.processed, what="the delivery, by the next worker")
            wait_for(lambda: mongo_db["webhook_deliveries"].find_one()["state"] == "delivered",
                     what="the delivery recorded")
        assert len(bank.requests) == 1 and bank.requests[0]["verified_by"] == bank.secrets
        assert bank.requests[0]["body"]["data"]["message"] == "Coming in March."
    finally:
        bank.close()
