"""A member writing to the team in a private thread is told to those who answer for the bank, in their inbox, once,
without a word of it or who wrote; no member hears of it, and no email goes out."""
from datetime import datetime, timedelta, timezone

import pytest

from idealab.events import new_event
from idealab.mail import Mailer
from notifications import handlers

pytestmark = pytest.mark.integration

AT = datetime.now(timezone.utc) - timedelta(minutes=5)


def member_wrote(thread: str = "t1") -> dict:
    return new_event("private_message.sent", {"message_id": f"m-{thread}", "thread_id": thread, "member_id": "ann",
                                              "space": "panel", "language": "fr", "sent_at": AT},
                     source="/ideas", subject=thread)


def test_the_team_is_told_once_in_its_inbox_and_no_member_hears_of_it(consume, event, store, mailbox):
    for member in ("ann", "adv"):
        consume(event.contact(member, f"{member}@example.com"))
    message = member_wrote()
    consume(message)
    consume(message)  # replayed

    [entry] = handlers.read_inbox(store, "adv", 50, team_member=True)["entries"]
    assert (entry["title"], entry["path"], entry["read"]) == ("A member wrote to the team privately", "/private/t1",
                                                              False)
    assert "ann" not in str(entry) and "panel" not in str(entry)
    assert handlers.read_inbox(store, "ann", 50)["entries"] == []
    assert handlers.read_inbox(store, "bob", 50)["entries"] == []
    assert handlers.mark_read(store, "adv", None, team_member=True)["unread"] == 0
    while handlers.queue_emails(store):
        pass
    handlers.send_due_emails(store, Mailer("127.0.0.1", mailbox.port, "lab@example.com"), "http://lab.example")
    assert mailbox.to("adv@example.com") == [] and mailbox.to("ann@example.com") == []


def test_the_inbox_route_shows_the_teams_entries_to_answerers_only(consume, client, bearer):
    consume(member_wrote())
    for user, roles, count in (("adv", ("adviser",), 1), ("pat", ("product_team",), 1), ("mod", ("moderator",), 0),
                               ("ann", ("member",), 0)):
        inbox = client.get(f"/api/notifications/users/{user}/inbox", headers=bearer(user, roles)).get_json()
        assert len(inbox["entries"]) == count, (user, inbox)
