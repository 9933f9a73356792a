"""Webhooks through the gateway, with every process running: an admin registers the bank's endpoint; the product team
moves a public idea and a panel's idea; the endpoint (a real HTTP receiver in the test) answers 500 first, gets the
public change again with the same webhook-id, verifies its signature and processes it once, and never hears of the
panel's idea; the admin reads the delivery log and replays the delivery, which comes with the same id again."""
import pytest

from idealab_testing import WebhookReceiver, assert_problem, unique, wait_for

from .test_initiatives import on_roadmap, submit

pytestmark = pytest.mark.e2e

ENDPOINTS = "/api/notifications/webhooks/endpoints"


@pytest.fixture
def bank():
    receiver = WebhookReceiver(statuses=[500])
    yield receiver
    receiver.close()


def test_a_public_status_change_reaches_the_banks_endpoint_once_signed_and_a_panels_never(member, bank):
    admin, team = member(roles=("admin",)), member(roles=("product_team",))
    panel = unique("panel-")[:-1]
    assert_problem(member().get(ENDPOINTS), 403)
    assert_problem(team.post(ENDPOINTS, json={"url": bank.url, "events": ["idea.status_changed"]}), 403)
    registered = admin.post(ENDPOINTS, json={"url": bank.url, "events": ["idea.status_changed"],
                                             "description": "The bank's CRM"})
    assert registered.status_code == 201, registered.text
    bank.secrets.append(registered.json()["secret"])
    endpoint_id = registered.json()["id"]

    public = submit(member(), "Round up my card payments into savings")
    secret = submit(member(spaces=(panel,)), "A panel-only savings plan", space=panel)
    for idea_id in (public, secret):
        wait_for(lambda: on_roadmap(team, idea_id), timeout=60, what="the roadmap to know the idea")
        moved = team.post(f"/api/roadmap/ideas/{idea_id}/status", json={"status": "planned", "message": "Soon."})
        assert moved.status_code == 200, moved.text

    wait_for(lambda: bank.processed, timeout=60, what="the endpoint to process a delivery")
    [(webhook_id, body)] = bank.processed.items()
    assert body["type"] == "idea.status_changed"
    assert (body["data"]["idea_id"], body["data"]["to"]) == (public, "planned")
    assert [(r["id"], r["status"]) for r in bank.requests] == [(webhook_id, 500), (webhook_id, 200)]
    assert all(r["verified_by"] == bank.secrets for r in bank.requests)

    log = admin.get(f"{ENDPOINTS}/{endpoint_id}/deliveries").json()
    [delivery] = [d for d in log["deliveries"] if d["state"] != "withheld"]
    assert (delivery["id"], delivery["state"], [a["status"] for a in delivery["log"]]) == (
        webhook_id, "delivered", [500, 200])
    assert secret not in str(bank.requests) and "panel-only" not in str(bank.requests)

    replayed = admin.post(f"/api/notifications/webhooks/deliveries/{webhook_id}/replay")
    assert replayed.status_code == 202, replayed.text
    wait_for(lambda: len(bank.requests) == 3, timeout=60, what="the replayed delivery")
    assert bank.requests[-1]["id"] == webhook_id and len(bank.processed) == 1
    assert secret not in str(bank.requests)
