"""A member removed from an invite-only space hears no more of its ideas; nothing else of theirs changes."""
from datetime import datetime, timedelta, timezone

import pytest

from idealab.events import new_event
from notifications import handlers

pytestmark = pytest.mark.integration


def removed(user_id: str, space: str) -> dict:
    return new_event("space.member_removed", {"space_id": space, "user_id": user_id, "by": "moderator-1",
                                              "removed_at": datetime.now(timezone.utc)},
                     source="/accounts", subject=space)


def test_a_removed_member_gets_no_more_of_the_space_ideas_and_keeps_the_rest(consume, event, store):
    consume(event.submitted("panel-idea", "author-1", space="panel"))
    consume(event.submitted("public-idea", "author-1"))
    for idea_id in ("panel-idea", "public-idea"):
        consume(event.vote_cast(idea_id, "ann"))

    consume(removed("ann", "panel"))
    consume(removed("ann", "panel"))  # replayed
    consume(event.vote_cast("panel-idea", "ann"))  # read late: the same vote, already applied
    later = datetime.now(timezone.utc) + timedelta(seconds=1)
    for idea_id in ("panel-idea", "public-idea"):
        consume(event.status_changed(idea_id, "planned", "open", changed_at=later))

    assert [e["idea_id"] for e in handlers.read_inbox(store, "ann", 200)["entries"]] == ["public-idea"]
    assert {e["idea_id"] for e in handlers.read_inbox(store, "author-1", 200)["entries"]} == {"panel-idea",
                                                                                               "public-idea"}


def added(user_id: str, space: str, at: datetime) -> dict:
    return new_event("space.member_added", {"space_id": space, "user_id": user_id, "added_at": at},
                     source="/accounts", subject=space)


def test_a_vote_read_after_the_removal_does_not_bring_the_space_back_to_inbox_or_email(
        consume, event, store, mailbox, send_emails):
    """Removals come on the accounts topic, votes on the votes topic: a vote cast before the removal may be read
    after it, and still the removed member hears nothing of the space."""
    consume(event.contact("ann", "ann@example.com"))
    consume(event.submitted("panel-idea", "author-1", space="panel"))
    consume(removed("ann", "panel"))
    consume(event.vote_cast("panel-idea", "ann"))  # first read now
    consume(event.status_changed("panel-idea", "planned", "open",
                                 changed_at=datetime.now(timezone.utc) + timedelta(seconds=1)))
    send_emails()

    assert handlers.read_inbox(store, "ann", 200)["entries"] == []
    assert handlers.my_data(store, "ann")["inbox"] == []
    assert mailbox.to("ann@example.com") == []


def test_a_member_invited_back_hears_of_the_space_again(consume, event, store):
    consume(event.submitted("panel-idea", "author-1", space="panel"))
    consume(removed("ann", "panel"))
    consume(added("ann", "panel", datetime.now(timezone.utc) + timedelta(seconds=1)))
    consume(event.vote_cast("panel-idea", "ann"))
    consume(event.status_changed("panel-idea", "planned", "open",
                                 changed_at=datetime.now(timezone.utc) + timedelta(seconds=2)))

    assert [e["idea_id"] for e in handlers.read_inbox(store, "ann", 200)["entries"]] == ["panel-idea"]
