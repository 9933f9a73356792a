"""Inboxes are joined when read, so every read the inbox, its unread badge, its read marks, the data download and
the email walk and sender make must be answered by an index: each read command is explained on the engine as the
store sent it, over a few thousand documents, and none may be a full scan."""
from datetime import datetime, timedelta, timezone

import pytest

from idealab.mail import Mailer
from notifications import handlers

pytestmark = pytest.mark.integration

NOW = datetime.now(timezone.utc)
MEMBERS, IDEAS = 400, 1_000


@pytest.fixture
def lab(store, mongo_db):
    """1,000 ideas with two status changes each, 400 members following ten ideas each, their addresses, read marks and
    sent emails, and one change whose email walk has not begun."""
    store.ensure_indexes()
    members = [f"member-{n:03d}" for n in range(MEMBERS)]
    store.subscriptions.insert_many([
        {"_id": f"idea-{(m * 7 + k * 97) % IDEAS}:{member}", "idea_id": f"idea-{(m * 7 + k * 97) % IDEAS}",
         "user_id": member, "reasons": ["voter"], "since": NOW - timedelta(days=30)}
        for m, member in enumerate(members) for k in range(10)])
    store.changes.insert_many([
        {"_id": f"change-{i}-{to}", "kind": "idea.status_changed", "idea_id": f"idea-{i}", "title": f"Idea {i}",
         "message": "…", "from": "open", "to": to, "created_at": NOW - timedelta(days=days),
         "recorded_at": NOW - timedelta(days=days), "emails_queued": True}
        for i in range(IDEAS) for days, to in ((2, "planned"), (1, "launched"))])
    store.changes.update_one({"_id": "change-0-launched"}, {"$set": {"emails_queued": False}})
    store.contacts.insert_many([{"_id": m, "email": f"{m}@example.com", "email_enabled": True,
                                 "unsubscribe_token": f"token-{m}-0123456789"} for m in members])
    store.read_marks.insert_many([{"_id": m, "up_to": NOW - timedelta(days=1, hours=1), "ids": []}
                                  for m in members[::2]])
    store.deliveries.insert_many([{"_id": f"change-{i}-planned:{m}:email", "user_id": m, "channel": "email",
                                   "idea_id": f"idea-{i}", "title": "…", "message": "…", "state": "sent",
                                   "attempts": 1, "queued_at": NOW, "next_attempt_at": NOW, "sent_at": NOW}
                                  for i, m in ((i, members[i % MEMBERS]) for i in range(3_000))])
    return mongo_db


def test_an_inbox_its_unread_badge_its_read_marks_and_the_data_download_are_read_by_index(client, bearer, lab,
                                                                                          reads):
    member = bearer("member-007")
    path = "/api/notifications/users/member-007/inbox"
    reads.commands.clear()

    inbox = client.get(path, headers=member).json
    assert client.get(path, query_string={"limit": 1}, headers=member).json["unread"] == inbox["unread"] > 0
    client.post(path + "/read", json={"ids": [inbox["entries"][0]["id"]]}, headers=member)
    assert client.post(path + "/read", json={}, headers=member).json["unread"] == 0
    assert len(client.get("/api/notifications/me/data", headers=member).json["inbox"]) == 20

    assert {c.get("find") or c.get("aggregate") for c in reads.commands} >= {"subscriptions", "changes",
                                                                            "read_marks"}
    assert reads.full_scans(lab) == []


def test_the_email_walk_and_the_sender_read_by_index(store, lab, reads, mailbox):
    reads.commands.clear()

    assert handlers.queue_emails(store) > 0
    assert handlers.send_due_emails(store, Mailer("127.0.0.1", mailbox.port, "lab@example.com"), "http://lab") > 0

    assert {c.get("find") for c in reads.commands} >= {"changes", "subscriptions", "contacts", "deliveries"}
    assert reads.full_scans(lab) == []
