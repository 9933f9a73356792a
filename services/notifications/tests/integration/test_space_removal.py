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
