"""A member writing to the team in a private thread is told to those who answer for the bank, in their inbox (by the
role in their token) and by email (while accounts says they hold an answerer's role), once, without a word of it or
who wrote; no member or moderator hears of it."""
from datetime import datetime, timedelta, timezone

import pytest

from idealab.events import new_event
from notifications import handlers

pytestmark = pytest.mark.integration

AT = datetime.now(timezone.utc) - timedelta(minutes=5)


def member_wrote(thread: str = "t1") -> dict:
    return new_event("private_message.sent", {"message_id": f"m-{thread}", "thread_id": thread, "member_id": "ann",
                                              "space": "panel", "language": "fr", "sent_at": AT},
                     source="/ideas", subject=thread)


def role_changed(user: str, *roles: str, minutes_ago: int = 30) -> dict:
    return new_event("user.role_changed", {"user_id": user, "roles": list(roles), "by": "admin",
                                           "changed_at": datetime.now(timezone.utc) - timedelta(minutes=minutes_ago)},
                     source="/accounts", subject=user)


def test_the_team_is_told_once_in_its_inbox_and_no_member_hears_of_it(consume, event, store, mailbox, send_emails):
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
    send_emails()  # nobody accounts named an answerer: no one to mail
    assert mailbox.to("adv@example.com") == [] and mailbox.to("ann@example.com") == []


def test_the_inbox_route_shows_the_teams_entries_to_answerers_only(consume, client, bearer):
    consume(member_wrote())
    for user, roles, count in (("adv", ("adviser",), 1), ("pat", ("product_team",), 1), ("mod", ("moderator",), 0),
                               ("ann", ("member",), 0)):
        inbox = client.get(f"/api/notifications/users/{user}/inbox", headers=bearer(user, roles)).get_json()
        assert len(inbox["entries"]) == count, (user, inbox)


def test_answerers_are_emailed_once_without_the_words_while_they_hold_the_role(consume, event, store, mailbox,
                                                                              send_emails):
    for user in ("adv", "mod", "ann"):
        consume(event.contact(user, f"{user}@example.com"))
    consume(role_changed("adv", "member", "adviser"))
    consume(role_changed("mod", "member", "moderator"))
    message = member_wrote("t1")
    consume(message)
    consume(message)  # replayed
    send_emails()
    [mail] = mailbox.to("adv@example.com")
    assert mail["Subject"] == "A member wrote to the team privately"
    body = mail.get_body(("plain",)).get_content()
    assert "http://lab.example/private/t1" in body and "ann" not in body and "panel" not in body
    assert mailbox.to("mod@example.com") == [] and mailbox.to("ann@example.com") == []
    # Its inbox has each entry once, though it follows the team's key for the emails.
    assert len(handlers.read_inbox(store, "adv", 50, team_member=True)["entries"]) == 1

    consume(role_changed("adv", "member", minutes_ago=1))  # no longer an adviser
    consume(member_wrote("t2"))
    send_emails()
    assert len(mailbox.to("adv@example.com")) == 1
