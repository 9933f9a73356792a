"""A private answer is told to its one recipient, in the inbox and by email, without a word of what it said; nobody
else hears of it, followers of the same idea included."""
from datetime import datetime, timedelta, timezone

import pytest

from idealab.events import new_event
from notifications import handlers

pytestmark = pytest.mark.integration

AT = datetime.now(timezone.utc) - timedelta(minutes=5)


def private_answer(recipient: str = "ann") -> dict:
    return new_event("answer.posted", {
        "answer_id": "m1", "about": "idea", "about_id": "idea-1", "idea_id": "idea-1", "author_id": "pat",
        "private": True, "recipient_id": recipient, "thread_id": "t1", "posted_at": AT},
        source="/ideas", subject="t1")


def test_only_the_recipient_is_told_once_in_the_inbox_and_by_email_with_a_link_and_no_content(consume, event,
                                                                                              store, mailbox,
                                                                                              send_emails):
    for member in ("ann", "bob"):
        consume(event.contact(member, f"{member}@example.com"))
    consume(event.submitted("idea-1", "ann", submitted_at=AT - timedelta(hours=1)))
    consume(event.vote_cast("idea-1", "bob"))  # bob follows the idea the answer is about
    answer = private_answer()
    consume(answer)
    consume(answer)  # replayed

    [entry] = handlers.read_inbox(store, "ann", 50)["entries"]
    assert entry["kind"] == "answer.posted" and entry["title"] == "You have a private answer from the team"
    assert handlers.read_inbox(store, "bob", 50)["entries"] == []
    send_emails()
    [mail] = mailbox.to("ann@example.com")
    assert "http://lab.example/private/t1" in mail.get_body(("plain",)).get_content()
    assert mailbox.to("bob@example.com") == []


def test_a_public_answer_tells_no_one(consume, store):
    consume(new_event("answer.posted", {"answer_id": "a1", "about": "question", "about_id": "q1", "author_id": "pat",
                                        "private": False, "posted_at": AT}, source="/ideas", subject="q1"))
    assert store.changes.count_documents({}) == 0
