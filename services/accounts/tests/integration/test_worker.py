"""The accounts worker as deployed (python -m accounts.worker) publishing users' and spaces' events to Kafka."""
import json

import pytest

from idealab_testing import running_worker, wait_for

pytestmark = pytest.mark.integration

PASSWORD = "correct horse battery staple"  # what the conftest signs people up with


def test_the_worker_publishes_what_happened_to_users_and_spaces_and_empties_the_outboxes(
        client, admin, member, accounts, mailbox, worker_env, kafka_state, namespace):
    root, ann = admin(), member()
    client.post("/api/accounts/verifications", json={"token": mailbox.link("ann@example.com", "verify")})
    space = client.post("/api/accounts/spaces", headers=root["headers"], json={"name": "Panel"}).get_json()
    client.post(f"/api/accounts/spaces/{space['id']}/invitations", headers=root["headers"],
                json={"email": "ann@example.com"})
    client.post("/api/accounts/invitations/accept", headers=ann["headers"],
                json={"token": mailbox.link("ann@example.com", "invitations")})
    client.post(f"/api/accounts/users/{ann['id']}/ban", headers=root["headers"], json={"reason": "spam"})
    client.delete("/api/accounts/me", headers=root["headers"], json={"password": PASSWORD})

    with running_worker("accounts.worker", worker_env("accounts")):
        wait_for(lambda: accounts.store.users.count_documents({"outbox.0": {"$exists": True}}) == 0
                 and accounts.store.spaces.count_documents({"outbox.0": {"$exists": True}}) == 0
                 and accounts.store.sessions.count_documents({"outbox.0": {"$exists": True}}) == 0
                 and accounts.store.users.count_documents({"contact_pending": True}) == 0,
                 what="the outboxes emptied and the contacts published")

    published = kafka_state.events(namespace + "accounts.events")
    about_ann = [e["type"] for e in published if e["subject"] == ann["id"]]
    about_root = [e["type"] for e in published if e["subject"] == root["id"]]
    about_space = [e["type"] for e in published if e["subject"] == space["id"]]
    # The ban and the deletion close the person's session too, announced from its document (no order with the user's).
    assert [t for t in about_ann if t != "session.revoked"] == ["user.registered", "user.email_verified",
                                                                 "user.banned"]
    assert [t for t in about_root if t != "session.revoked"] == ["user.registered", "user.role_changed",
                                                                  "user.deleted"]
    assert "session.revoked" in about_ann and "session.revoked" in about_root
    assert sorted(about_space) == ["space.created", "space.member_added"]  # two documents: no order between them
    # No event carries an email address: the verified ones go by the compacted contacts topic, keyed by member,
    # and an erased member's record is a tombstone there.
    assert [e["type"] for e in published if "@" in str(e["data"])] == []
    contacts = {r.key.decode(): r.value for r in kafka_state.records(namespace + "accounts.contacts", 2)}
    assert json.loads(contacts[ann["id"]])["email"] == "ann@example.com" and contacts[root["id"]] is None
