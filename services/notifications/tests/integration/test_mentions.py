"""A member a comment mentions (the ideas service names only those who may see it) is told once, in the inbox and by
email, with a link to the comment and not its words; the commenter and the idea's followers are not."""
from datetime import datetime, timedelta, timezone

import pytest

from idealab.events import new_event
from notifications import handlers

pytestmark = pytest.mark.integration

AT = datetime.now(timezone.utc) - timedelta(minutes=5)


def mentioning(*mentioned: str) -> dict:
    return new_event("comment.posted", {"comment_id": "c1", "idea_id": "idea-1", "author_id": "bob",
                                        "reply_to": None, "posted_at": AT, "mentioned": list(mentioned)},
                     source="/ideas", subject="idea-1")


def test_each_mentioned_member_is_told_once_in_the_inbox_and_by_email(consume, event, store, mailbox,
                                                                       send_emails):
    for member in ("ann", "cat", "bob"):
        consume(event.contact(member, f"{member}@example.com"))
    consume(event.submitted("idea-1", "dan", title="Round-ups into savings", submitted_at=AT - timedelta(hours=1)))
    posted = mentioning("ann", "cat")
    consume(posted)
    consume(posted)  # replayed

    for member in ("ann", "cat"):
        [entry] = handlers.read_inbox(store, member, 50)["entries"]
        assert entry["kind"] == "comment.mentioned"
        assert entry["title"] == "You were mentioned in a comment on Round-ups into savings"
    assert handlers.read_inbox(store, "bob", 50)["entries"] == []
    assert handlers.read_inbox(store, "dan", 50)["entries"] == []
    send_emails()
    [mail] = mailbox.to("ann@example.com")
    assert "http://lab.example/ideas/idea-1#comment-c1" in mail.get_body(("plain",)).get_content()
    assert len(mailbox.to("cat@example.com")) == 1 and mailbox.to("bob@example.com") == []


def test_a_comment_that_mentions_no_one_tells_no_one(consume, event, store):
    consume(event.submitted("idea-1", "dan", submitted_at=AT - timedelta(hours=1)))
    consume(mentioning())
    consume(event.comment_posted("idea-1", "eve", comment_id="c2"))  # an event from before mentions existed
    assert store.changes.count_documents({}) == 0
