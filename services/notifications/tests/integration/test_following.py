"""Following by choice (idea.followed / idea.unfollowed) and the followers of a merged duplicate (idea.merged)."""
from datetime import datetime, timedelta, timezone

import pytest

from idealab.events import new_event

pytestmark = pytest.mark.integration

T0 = datetime(2025, 5, 1, 9, 0, tzinfo=timezone.utc)


def chose(kind: str, idea_id: str, user_id: str, at: datetime) -> dict:
    return new_event(f"idea.{kind}", {"idea_id": idea_id, "user_id": user_id, "at": at}, source="/ideas",
                     subject=idea_id)


def vote(idea_id: str, voter_id: str, at: datetime) -> dict:
    return new_event("vote.cast", {"idea_id": idea_id, "voter_id": voter_id, "vote_version": 1, "cast_at": at},
                     source="/votes", subject=idea_id)


def following(store, user_id: str) -> set[str]:
    return {s["idea_id"] for s in store.follows(user_id)}


def test_a_member_follows_and_unfollows_and_an_older_vote_read_late_does_not_follow_again(consume, event, store):
    consume(event.submitted("idea-1", author_id="ann", submitted_at=T0))
    consume(chose("followed", "idea-1", "bob", T0 + timedelta(minutes=1)))
    assert following(store, "bob") == {"idea-1"}
    consume(chose("unfollowed", "idea-1", "ann", T0 + timedelta(minutes=2)))  # the author too may stop
    consume(chose("unfollowed", "idea-1", "bob", T0 + timedelta(minutes=2)))
    assert following(store, "ann") == following(store, "bob") == set()
    consume(vote("idea-1", "bob", T0 + timedelta(minutes=1, seconds=30)))  # read late
    assert following(store, "bob") == set()
    consume(vote("idea-1", "ann", T0 + timedelta(minutes=3)))  # a new vote follows again
    assert following(store, "ann") == {"idea-1"}


def test_the_followers_of_a_merged_duplicate_follow_the_original(consume, event, store):
    for idea, author in (("original", "ann"), ("duplicate", "bob")):
        consume(event.submitted(idea, author_id=author, submitted_at=T0))
    consume(chose("followed", "duplicate", "cat", T0))
    consume(chose("followed", "duplicate", "dan", T0))
    consume(chose("unfollowed", "duplicate", "dan", T0 + timedelta(seconds=1)))
    merged = new_event("idea.merged", {"idea_id": "duplicate", "into": "original", "by": "pat",
                                       "merged_at": T0 + timedelta(minutes=5)}, source="/ideas", subject="duplicate")
    consume(merged)
    consume(merged)
    assert "original" in following(store, "bob") and "original" in following(store, "cat")
    assert following(store, "dan") == set()


def test_a_vote_or_a_choice_to_follow_read_after_the_merge_follows_the_original_too(consume, event, store):
    for idea, author in (("original", "ann"), ("duplicate", "bob")):
        consume(event.submitted(idea, author_id=author, submitted_at=T0))
    merged_at = T0 + timedelta(minutes=5)
    consume(new_event("idea.merged", {"idea_id": "duplicate", "into": "original", "by": "pat", "merged_at": merged_at},
                      source="/ideas", subject="duplicate"))
    # Both made before the merge, read after it: a vote comes on the votes topic, a choice from another outbox.
    consume(vote("duplicate", "eve", T0 + timedelta(minutes=1)))
    consume(chose("followed", "duplicate", "cat", T0 + timedelta(minutes=2)))
    for member in ("eve", "cat"):
        assert following(store, member) == {"duplicate", "original"}, member
    [from_the_merge] = [s for s in store.follows("cat") if s["idea_id"] == "original"]
    assert from_the_merge["reasons"] == ["merged"]
