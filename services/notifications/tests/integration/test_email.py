"""Email notifications: a status change's walk over its subscribers queues one email job per subscriber with a
verified address who has not turned email off, resuming where it stopped; the sender sends them in batches through a
real SMTP server, retries, gives up, and obeys unsubscribes and erasure."""
from datetime import datetime, timedelta, timezone

import pytest
from prometheus_client import REGISTRY

from idealab.mail import Mailer
from idealab_testing import assert_problem, free_port
from notifications import domain, handlers

pytestmark = pytest.mark.integration

PUBLIC_URL = "http://lab.example"


@pytest.fixture
def followed(consume, event, idea_id):
    """ann wrote the idea and bob voted for it, both with verified addresses; cat voted, with no address known."""
    consume(event.contact("ann", "ann@example.com"))
    consume(event.contact("bob", "bob@example.com"))
    consume(event.submitted(idea_id, "ann", title="Dark mode"))
    consume(event.vote_cast(idea_id, "bob"))
    consume(event.vote_cast(idea_id, "cat"))
    return idea_id


def jobs(store) -> list[dict]:
    return sorted(store.deliveries.find(), key=lambda j: j["user_id"])


def walk(store) -> None:
    """Walks every change's subscribers into email jobs, as the worker's sender does before sending."""
    while handlers.queue_emails(store):
        pass


def send(store, mailbox) -> int:
    return handlers.send_due_emails(store, Mailer("127.0.0.1", mailbox.port, "lab@example.com"), PUBLIC_URL)


def test_a_status_change_queues_one_email_per_subscriber_with_a_verified_address_even_when_replayed(
        consume, event, store, followed):
    changed = event.status_changed(followed, "planned", message="Coming in March.")
    consume(changed)
    walk(store)
    consume(changed)  # replayed after its walk ended
    walk(store)

    assert [(j["user_id"], j["state"], j["title"]) for j in jobs(store)] == [
        ("ann", "queued", "Dark mode is now planned"), ("bob", "queued", "Dark mode is now planned")]


def test_a_follower_whose_event_is_read_after_the_status_change_gets_its_email_too(consume, event, store, idea_id):
    consume(event.contact("dan", "dan@example.com"))
    consume(event.submitted(idea_id, "ann", title="Dark mode"))
    vote = event.vote_cast(idea_id, "dan")  # cast before the change below, read after it (another topic)
    consume(event.status_changed(idea_id, "planned", changed_at=datetime.now(timezone.utc) + timedelta(seconds=1)))
    walk(store)
    consume(vote)
    consume(vote)  # replayed

    assert [(j["user_id"], j["title"]) for j in jobs(store)] == [("dan", "Dark mode is now planned")]


def test_a_voter_who_withdrew_before_the_change_is_not_emailed(consume, event, store, followed):
    consume(event.vote_withdrawn(followed, "bob"))
    consume(event.status_changed(followed, changed_at=datetime.now(timezone.utc) + timedelta(seconds=1)))
    walk(store)

    assert [j["user_id"] for j in jobs(store)] == ["ann"]


def subscribe_with_addresses(store, idea_id: str, users: list[str]) -> None:
    """Subscriptions and verified addresses as the store writes them, in bulk: thousands of events take far longer."""
    since = datetime.now(timezone.utc) - timedelta(minutes=1)
    store.subscriptions.insert_many([{"_id": f"{idea_id}:{u}", "idea_id": idea_id, "user_id": u,
                                      "reasons": ["voter"], "since": since} for u in users])
    store.contacts.insert_many([{"_id": u, "email": f"{u}@example.com", "email_enabled": True,
                                 "unsubscribe_token": f"token-of-{u}-0123456789"} for u in users])


def test_a_walk_over_thousands_of_subscribers_resumes_after_the_last_batch_recorded_and_queues_nobody_twice(
        consume, event, store, idea_id):
    voters = [f"voter-{n:04d}" for n in range(2500)]
    subscribe_with_addresses(store, idea_id, voters)
    consume(event.status_changed(idea_id))

    assert handlers.queue_emails(store, batch=1000) == 1000
    store.changes.update_many({}, {"$unset": {"emailed_up_to": ""}})  # killed before recording that batch
    while handlers.queue_emails(store, batch=1000):
        pass

    assert store.deliveries.count_documents({}) == 2500
    assert sorted(store.deliveries.distinct("user_id")) == voters
    assert handlers.queue_emails(store) == 0 and store.changes.find_one()["emails_queued"] is True


def test_the_sender_sends_each_batch_over_one_connection_and_records_it_before_the_next(
        consume, event, store, idea_id, mailbox, monkeypatch):
    import smtplib
    voters = [f"voter-{n:03d}" for n in range(250)]
    subscribe_with_addresses(store, idea_id, voters)
    consume(event.status_changed(idea_id))
    walk(store)
    opened, connect = [], smtplib.SMTP.connect
    monkeypatch.setattr(smtplib.SMTP, "connect", lambda smtp, *args: opened.append(args) or connect(smtp, *args))

    for batch in (100, 100, 50):
        assert send(store, mailbox) == batch
        assert store.deliveries.count_documents({"state": "sent"}) == len(mailbox.messages)

    assert send(store, mailbox) == 0 and len(opened) == 3
    assert sorted(m["To"] for m in mailbox.messages) == [f"{v}@example.com" for v in voters]


def test_a_batch_whose_sender_died_while_sending_is_given_up_in_doubt_never_sent_again(
        consume, event, store, followed, mailbox):
    consume(event.status_changed(followed))
    walk(store)
    now = datetime.now(timezone.utc)
    store.claim_emails(store.due_emails(now, 50), now, -timedelta(seconds=1))  # claimed, then the sender was killed

    assert send(store, mailbox) == 2

    assert mailbox.messages == []
    assert {(j["state"], j["reason"]) for j in jobs(store)} == {("failed", domain.IN_DOUBT)}
    assert len(store.failed_emails()) == 2


def test_the_sender_mails_each_job_once_with_a_one_click_unsubscribe(consume, event, store, followed, mailbox):
    consume(event.status_changed(followed, "planned", message="Coming in March."))
    walk(store)

    assert send(store, mailbox) == 2
    assert send(store, mailbox) == 0

    [mail] = mailbox.to("ann@example.com")
    assert mail["Subject"] == "Dark mode is now planned"
    text = mail.get_body(("plain",)).get_content()
    assert "Coming in March." in text and f"{PUBLIC_URL}/ideas/{followed}" in text
    token = mailbox.link("ann@example.com", "unsubscribe")
    raw = dict(mail.raw_items())  # as received, neither unfolded nor decoded: what a mail client acts on (RFC 8058)
    assert raw["List-Unsubscribe"] == f"<{PUBLIC_URL}/api/notifications/unsubscribe?token={token}>"
    assert raw["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert {j["state"] for j in jobs(store)} == {"sent"}


def test_a_second_sender_that_read_the_same_jobs_sends_none_of_them_again(
        consume, event, store, followed, mailbox, monkeypatch):
    consume(event.status_changed(followed, "planned"))
    walk(store)
    read_by_the_other = store.due_emails(datetime.now(timezone.utc), 50)  # before the lease passed to this one

    assert send(store, mailbox) == 2
    monkeypatch.setattr(store, "due_emails", lambda now, limit: read_by_the_other)
    send(store, mailbox)

    assert len(mailbox.to("ann@example.com")) == 1 and len(mailbox.to("bob@example.com")) == 1
    assert {(j["state"], j["attempts"]) for j in jobs(store)} == {("sent", 1)}


def test_a_mail_server_that_refuses_is_retried_later_then_given_up(consume, event, store, followed):
    consume(event.status_changed(followed))
    walk(store)
    nowhere = Mailer("127.0.0.1", free_port(), "lab@example.com", timeout_seconds=2)

    assert handlers.send_due_emails(store, nowhere, PUBLIC_URL) == 2
    first = jobs(store)[0]
    assert (first["state"], first["attempts"]) == ("queued", 1) and first["reason"]
    assert first["next_attempt_at"] > first["queued_at"]
    assert handlers.send_due_emails(store, nowhere, PUBLIC_URL) == 0  # not due yet

    store.deliveries.update_many({}, {"$set": {"attempts": domain.MAX_ATTEMPTS - 1,
                                               "next_attempt_at": first["queued_at"] - timedelta(seconds=1)}})
    handlers.send_due_emails(store, nowhere, PUBLIC_URL)
    assert {(j["state"], j["attempts"]) for j in jobs(store)} == {("failed", domain.MAX_ATTEMPTS)}


def test_a_title_with_a_line_break_queued_before_titles_were_one_line_is_mailed_on_one_line(
        consume, event, store, idea_id, mailbox):
    consume(event.contact("ann", "ann@example.com"))
    consume(event.submitted(idea_id, "ann", title="Faster transfers\nBcc: attacker@evil.example"))
    consume(event.status_changed(idea_id, "under_review"))
    walk(store)

    send(store, mailbox)

    [mail] = mailbox.to("ann@example.com")
    assert mail["Subject"] == "Faster transfers Bcc: attacker@evil.example is now under review"
    assert mail["Bcc"] is None and mailbox.to("attacker@evil.example") == []


def failed_emails() -> float:
    return REGISTRY.get_sample_value("idealab_notification_deliveries_total",
                                     {"channel": "email", "outcome": "failed"}) or 0


def test_a_job_no_retry_would_send_is_marked_failed_with_its_error_and_the_next_jobs_are_sent(
        consume, event, store, followed, mailbox):
    consume(event.status_changed(followed))
    walk(store)
    store.contacts.update_one({"_id": "ann"}, {"$set": {"email": "ann@example.com\nBcc: attacker@evil.example"}})
    failed_before = failed_emails()

    assert send(store, mailbox) == 2

    ann, bob = jobs(store)
    assert (ann["state"], ann["attempts"]) == ("failed", 1) and ann["reason"].startswith("Unsendable: not one address")
    assert bob["state"] == "sent" and len(mailbox.to("bob@example.com")) == 1
    assert failed_emails() == failed_before + 1
    assert [j["_id"] for j in store.failed_emails()] == [ann["_id"]]
    assert send(store, mailbox) == 0, "a failed job is not tried again"


def test_the_unsubscribe_link_turns_email_off_without_signing_in(client, consume, event, store, followed,
                                                                  mailbox):
    consume(event.status_changed(followed))
    walk(store)
    send(store, mailbox)
    token = mailbox.link("bob@example.com", "unsubscribe")

    # As a mail client does for RFC 8058 one-click: a form body, no token in it.
    response = client.post(f"/api/notifications/unsubscribe?token={token}", data="List-Unsubscribe=One-Click",
                           content_type="application/x-www-form-urlencoded")

    assert response.status_code == 200 and response.json == {"unsubscribed": True}
    consume(event.status_changed(followed, "in_progress", from_status="planned"))
    walk(store)
    assert sorted(j["user_id"] for j in jobs(store) if j["state"] == "queued") == ["ann"]


def test_email_turned_back_on_is_not_turned_off_by_the_link_of_an_older_mail(client, bearer, consume, event, store,
                                                                              followed, mailbox):
    consume(event.status_changed(followed))
    walk(store)
    send(store, mailbox)
    old = f"/api/notifications/unsubscribe?token={mailbox.link('bob@example.com', 'unsubscribe')}"
    assert client.post(old).status_code == 200
    assert client.post(old).status_code == 200, "a one-click unsubscribe sent twice is obeyed twice"

    path = "/api/notifications/users/bob/preferences"
    assert client.put(path, json={"email": True}, headers=bearer("bob")).json["email"] is True

    assert_problem(client.post(old), 404)
    assert client.get(path, headers=bearer("bob")).json["email"] is True
    new = store.contact("bob")["unsubscribe_token"]
    assert client.put(path, json={"email": True}, headers=bearer("bob")).status_code == 200
    assert store.contact("bob")["unsubscribe_token"] == new, "email left on keeps its links working"


@pytest.mark.parametrize("query, status", [("token=" + "x" * 24, 404), ("", 422), ("token=short", 422)])
def test_a_wrong_unsubscribe_link_is_a_problem(client, followed, query, status):
    response = client.post(f"/api/notifications/unsubscribe?{query}")
    assert response.status_code == status and response.mimetype == "application/problem+json"


def test_members_turn_email_off_and_on_for_themselves_only(client, bearer, consume, event, store, followed):
    path = "/api/notifications/users/bob/preferences"
    assert client.get(path, headers=bearer("bob")).json == {
        "user_id": "bob", "email": True, "email_address_known": True, "kinds": {
            "status_changes": "instant", "answers": "instant", "mentions": "instant", "campaign_results": "instant"},
        "language": None, "time_zone": "UTC", "bounce": None}
    assert client.put(path, json={"email": False}, headers=bearer("bob")).json["email"] is False
    assert client.put(path, json={"email": False}, headers=bearer("ann")).status_code == 403
    assert client.get(path, headers=bearer("ann", roles=("admin",))).status_code == 403

    consume(event.status_changed(followed))
    walk(store)

    assert [j["user_id"] for j in jobs(store)] == ["ann"]
    assert client.put(path, json={"email": True}, headers=bearer("bob")).json["email"] is True


def test_email_cannot_be_turned_on_without_a_verified_address(client, bearer, followed):
    path = "/api/notifications/users/cat/preferences"
    assert client.get(path, headers=bearer("cat")).json["email_address_known"] is False
    response = client.put(path, json={"email": True}, headers=bearer("cat"))
    assert response.status_code == 404 and response.mimetype == "application/problem+json"
    assert client.put(path, json={"email": "yes"}, headers=bearer("cat")).status_code == 422


def test_an_erased_account_gets_no_more_mail_not_even_one_already_queued(consume, event, store, followed,
                                                                         mailbox):
    consume(event.status_changed(followed))
    walk(store)
    ann_job = next(j for j in jobs(store) if j["user_id"] == "ann")
    consume(event.user_deleted("ann"))
    store.deliveries.insert_one(ann_job)  # a job the fan-out queued while the erasure ran

    send(store, mailbox)

    assert mailbox.to("ann@example.com") == [] and len(mailbox.to("bob@example.com")) == 1
    assert store.contact("ann") is None
    consume(event.contact("ann", "ann@example.com"))  # a replay of the topic
    assert store.contact("ann") is None
