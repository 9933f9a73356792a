"""Webhooks against a real HTTP receiver in the test (http.server on a free port) that verifies every request with
the Standard Webhooks library and processes each webhook-id once: deliveries signed with every live secret (a rotated
one included), a 500 tried again with the same id and processed once, an endpoint failing for too long turned off
with its registrant told in the inbox, nothing of a private space ever sent, replays, and a restart losing nothing.
The worker's clock is the test's (`deliver_due(now=…)`), a few seconds ahead at most: the receiver's library refuses
a timestamp more than five minutes from its own clock."""
import json
from datetime import datetime, timedelta, timezone

import pytest

from idealab.mongo import as_stored
from idealab_testing import WebhookReceiver, assert_problem
from notifications import webhook_handlers, webhooks
from notifications.config import WebhookConfig

pytestmark = pytest.mark.integration

CONFIG = WebhookConfig(public_url="http://lab.example", timeout_seconds=5, first_retry=timedelta(seconds=1),
                       longest_wait=timedelta(seconds=2), give_up_after=timedelta(hours=1),
                       disable_after=timedelta(seconds=10))


@pytest.fixture
def receiver():
    made = []

    def make(statuses=()):
        made.append(WebhookReceiver(statuses=statuses))
        return made[-1]
    yield make
    for r in made:
        r.close()


@pytest.fixture
def register(client, bearer):
    def make(receiver, events=("idea.status_changed",), user="ada"):
        response = client.post("/api/notifications/webhooks/endpoints", headers=bearer(user, roles=("admin",)),
                               json={"url": receiver.url, "events": list(events), "description": "CRM"})
        assert response.status_code == 201, response.get_data(as_text=True)
        receiver.secrets.append(response.json["secret"])
        return response.json
    return make


def deliver(store, now=None, config=CONFIG) -> int:
    return webhook_handlers.deliver_due(store.webhooks, store, config, now=now)


def public_idea_planned(consume, event, idea_id, **changed):
    consume(event.submitted(idea_id, "author-4711", title="Block a lost card"))
    consume(event.status_changed(idea_id, "planned", message="Coming in March.", **changed))


def test_a_status_change_reaches_the_endpoint_signed_with_public_facts_only(consume, event, store, idea_id,
                                                                            receiver, register):
    bank = receiver()
    endpoint = register(bank)
    public_idea_planned(consume, event, idea_id)

    assert deliver(store) == 1

    [request] = bank.requests
    assert request["verified_by"] == bank.secrets and request["signatures"][0].startswith("v1,")
    assert request["body"]["type"] == "idea.status_changed"
    assert request["body"]["data"] == {
        "idea_id": idea_id, "url": request["body"]["data"]["url"], "title": "Block a lost card",
        "from": "under_review", "to": "planned", "message": "Coming in March.",
        "changed_at": request["body"]["data"]["changed_at"], "initiative_id": None}
    assert request["body"]["data"]["url"].endswith(f"/ideas/{idea_id}")
    assert "author-4711" not in json.dumps(request["body"]) and "team-1" not in json.dumps(request["body"])
    assert request["id"] == f"msg_{endpoint['id']}_" + store.changes.find_one()["_id"]
    assert deliver(store) == 0


def test_a_500_is_tried_again_later_with_the_same_id_and_the_receiver_processes_it_once(
        consume, event, store, idea_id, receiver, register, client, bearer):
    bank = receiver(statuses=[500])
    endpoint = register(bank)
    public_idea_planned(consume, event, idea_id)
    consume(event.status_changed(idea_id, "planned", message="Coming in March."))  # another event: its own id
    now = datetime.now(timezone.utc)

    assert deliver(store, now) == 2
    assert [r["status"] for r in bank.requests] == [500, 200]
    failed = store.webhooks.deliveries.find_one({"state": "queued"})
    assert failed["attempts"] == 1 and failed["next_attempt_at"] > now and failed["error"] == "HTTP 500"
    assert deliver(store, now) == 0, "not due yet: exponential backoff"

    assert deliver(store, now + timedelta(seconds=3)) == 1

    assert [r["status"] for r in bank.requests] == [500, 200, 200]
    assert bank.requests[0]["id"] == bank.requests[2]["id"], "the retry carries the same webhook-id"
    assert len(bank.processed) == 2 and all(r["verified_by"] for r in bank.requests)
    log = client.get(f"/api/notifications/webhooks/endpoints/{endpoint['id']}/deliveries",
                     headers=bearer("ada", roles=("admin",))).json
    assert {(d["state"], d["attempts"]) for d in log["deliveries"]} == {("delivered", 2), ("delivered", 1)}
    retried = next(d for d in log["deliveries"] if d["attempts"] == 2)
    assert [a["status"] for a in retried["log"]] == [500, 200]
    assert log["endpoint"]["failing_since"] is None, "a success clears the endpoint's failing record"


def test_after_a_rotation_both_secrets_sign_and_a_receiver_holding_either_verifies(
        consume, event, store, idea_id, receiver, register, client, bearer):
    bank = receiver()
    endpoint = register(bank)
    old = bank.secrets[0]
    rotated = client.post(f"/api/notifications/webhooks/endpoints/{endpoint['id']}/secrets",
                          headers=bearer("bea", roles=("admin",)))
    assert rotated.status_code == 201 and rotated.json["live_secrets"] == 2
    new = rotated.json["secret"]
    assert new.startswith("whsec_") and new != old
    bank.secrets = [old, new]
    public_idea_planned(consume, event, idea_id)

    deliver(store)

    [request] = bank.requests
    assert len(request["signatures"]) == 2 and request["verified_by"] == [old, new]
    later = store.webhooks.endpoint(endpoint["id"])
    after_overlap = datetime.now(timezone.utc) + webhooks.ROTATION_OVERLAP + timedelta(seconds=1)
    assert webhooks.live_secrets(later, after_overlap) == [new], "the replaced secret stops signing after a day"
    assert "secret" not in client.get("/api/notifications/webhooks/endpoints",
                                      headers=bearer("ada", roles=("admin",))).json["endpoints"][0]


def test_an_endpoint_failing_for_too_long_is_turned_off_and_its_registrant_is_told_in_the_inbox(
        consume, event, store, idea_id, receiver, register, client, bearer):
    bank = receiver(statuses=[500] * 10)
    endpoint = register(bank, user="ada")
    public_idea_planned(consume, event, idea_id)
    now = datetime.now(timezone.utc)

    deliver(store, now)
    deliver(store, now + timedelta(seconds=5))
    assert store.webhooks.endpoint(endpoint["id"])["enabled"] is True, "failing for 5 s only"
    deliver(store, now + timedelta(seconds=11))

    turned_off = store.webhooks.endpoint(endpoint["id"])
    assert (turned_off["enabled"], turned_off["failing_since"]) == (False, as_stored(now))
    assert [r["status"] for r in bank.requests] == [500, 500, 500]
    assert store.webhooks.deliveries.find_one()["state"] == "failed"
    inbox = client.get("/api/notifications/users/ada/inbox", headers=bearer("ada", roles=("admin",))).json
    assert [(e["kind"], e["title"]) for e in inbox["entries"]] == [
        ("webhook.disabled", "A webhook endpoint was turned off")]
    assert bank.url in inbox["entries"][0]["message"]
    assert client.get("/api/notifications/users/bob/inbox", headers=bearer("bob")).json["entries"] == []

    consume(event.status_changed(idea_id, "in_progress", from_status="planned"))
    assert deliver(store, now + timedelta(seconds=12)) == 0, "a disabled endpoint is sent nothing more"

    admin = bearer("ada", roles=("admin",))
    back = client.put(f"/api/notifications/webhooks/endpoints/{endpoint['id']}", json={"enabled": True},
                      headers=admin)
    assert back.json["enabled"] is True and back.json["failing_since"] is None
    delivery = store.webhooks.deliveries.find_one()
    assert client.post(f"/api/notifications/webhooks/deliveries/{delivery['_id']}/replay",
                       headers=admin).status_code == 202
    bank.statuses = []
    assert deliver(store, now + timedelta(seconds=13)) == 1
    assert bank.requests[-1]["id"] == delivery["_id"] and len(bank.processed) == 1


def test_nothing_of_a_private_space_reaches_an_endpoint(consume, event, store, idea_id, receiver, register):
    bank = receiver()
    register(bank, events=sorted(webhooks.EVENTS))
    panel_idea = f"{idea_id}-panel"
    consume(event.submitted(panel_idea, "ann", title="Panel secret", space="panel-1"))
    consume(event.status_changed(panel_idea, "planned", message="Panel only."))
    consume(event.submitted(idea_id, "ann", title="Public idea"))

    deliver(store)

    assert [r["body"]["type"] for r in bank.requests] == ["idea.submitted"]
    assert "Panel" not in json.dumps(bank.requests)
    assert store.webhooks.deliveries.find_one({"idea_id": panel_idea})["state"] == "withheld"


def test_a_status_change_read_before_its_idea_waits_for_it_and_then_goes_out(consume, event, store, idea_id,
                                                                              receiver, register):
    bank = receiver()
    register(bank)
    consume(event.status_changed(idea_id, "planned"))  # idea.submitted is on another topic, read later
    now = datetime.now(timezone.utc)

    assert deliver(store, now) == 1 and bank.requests == []
    consume(event.submitted(idea_id, "ann", title="Block a lost card"))
    assert deliver(store, now + webhook_handlers.UNKNOWN_IDEA_WAIT) == 1

    assert len(bank.requests) == 1


def test_a_replayed_event_queues_nothing_twice_and_an_endpoint_gets_nothing_from_before_it_was_registered(
        consume, event, store, idea_id, receiver, register):
    bank = receiver()
    before = event.status_changed(idea_id, "under_review", from_status="open",
                                  changed_at=datetime.now(timezone.utc) - timedelta(minutes=5))
    register(bank)
    consume(event.submitted(idea_id, "ann"))
    changed = event.status_changed(idea_id, "planned")
    for e in (before, changed, changed):
        consume(e)

    deliver(store)

    assert [r["body"]["data"]["to"] for r in bank.requests] == ["planned"]


def test_a_worker_that_died_while_sending_leaves_its_deliveries_to_be_sent_again(consume, event, store, idea_id,
                                                                                 receiver, register):
    bank = receiver()
    register(bank)
    public_idea_planned(consume, event, idea_id)
    now = datetime.now(timezone.utc)
    store.webhooks.claim(store.webhooks.due(now, 10), now, -timedelta(seconds=1))  # claimed, then killed

    assert deliver(store) == 1

    assert len(bank.requests) == 1 and store.webhooks.deliveries.find_one()["state"] == "delivered"


def test_staff_routes_refuse_bad_input_and_unknown_ids(client, bearer, receiver, register):
    admin = bearer("ada", roles=("admin",))
    path = "/api/notifications/webhooks/endpoints"
    assert_problem(client.post(path, json={"url": "ftp://x.example", "events": ["idea.submitted"]}, headers=admin), 422)
    assert_problem(client.post(path, json={"url": "https://x.example", "events": ["answer.posted"]}, headers=admin),
                   422)
    assert_problem(client.post(path, json={"url": "https://x.example", "events": []}, headers=admin), 422)
    assert_problem(client.put(f"{path}/ep_nothing", json={"enabled": True}, headers=admin), 404)
    assert_problem(client.post(f"{path}/ep_nothing/secrets", headers=admin), 404)
    assert_problem(client.get(f"{path}/ep_nothing/deliveries", headers=admin), 404)
    assert_problem(client.post("/api/notifications/webhooks/deliveries/msg_nothing/replay", headers=admin), 404)
    assert_problem(client.get(path, headers=bearer("pat", roles=("product_team",))), 403)
