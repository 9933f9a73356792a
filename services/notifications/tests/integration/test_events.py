"""Who follows an idea (its author, its voters, its commenters), and the one record of each status change that
every follower's inbox shows."""
from datetime import datetime, timedelta, timezone

import pytest

from notifications import handlers

pytestmark = pytest.mark.integration


def reasons(mongo_db, idea_id: str, user_id: str) -> list | None:
    found = mongo_db["subscriptions"].find_one({"idea_id": idea_id, "user_id": user_id})
    return None if found is None else sorted(found.get("reasons", []))


def subscribers(store, idea_id: str) -> list[str]:
    return [s["user_id"] for s in store.subscriptions_after(idea_id, None, 1000) if s["reasons"]]


def inbox(store, user_id: str) -> list[dict]:
    return handlers.read_inbox(store, user_id, 200)["entries"]


def later(seconds: float = 1) -> datetime:
    """A change time after the events made meanwhile: the database keeps milliseconds, so a change within the same
    one would not be after them."""
    return datetime.now(timezone.utc) + timedelta(seconds=seconds)


def test_the_author_of_a_submitted_idea_follows_it(consume, event, store, mongo_db, idea_id):
    consume(event.submitted(idea_id, "author-1"))
    assert subscribers(store, idea_id) == ["author-1"]
    assert reasons(mongo_db, idea_id, "author-1") == ["author"]


def test_a_voter_follows_the_idea_voted_for(consume, event, store, mongo_db, idea_id):
    consume(event.submitted(idea_id, "author-1"))
    consume(event.vote_cast(idea_id, "voter-1"))
    consume(event.vote_cast(idea_id, "voter-1"))  # replayed
    assert subscribers(store, idea_id) == ["author-1", "voter-1"]
    assert reasons(mongo_db, idea_id, "voter-1") == ["voter"]


def test_a_commenter_follows_the_idea_and_is_notified_of_its_next_change_once(consume, event, store, mongo_db,
                                                                               idea_id):
    consume(event.submitted(idea_id, "member-1"))
    consume(event.comment_posted(idea_id, "member-3"))
    consume(event.comment_posted(idea_id, "member-3", comment_id="comment-2"))
    consume(event.status_changed(idea_id, changed_at=later()))

    assert reasons(mongo_db, idea_id, "member-3") == ["commenter"]
    assert [(e["idea_id"], e["to"]) for e in inbox(store, "member-3")] == [(idea_id, "planned")]


def test_withdrawing_a_vote_drops_only_the_voter_reason(consume, event, store, mongo_db, idea_id):
    consume(event.submitted(idea_id, "author-1"))
    for user in ("author-1", "voter-1"):
        consume(event.vote_cast(idea_id, user))
        consume(event.vote_withdrawn(idea_id, user))

    assert reasons(mongo_db, idea_id, "author-1") == ["author"]
    assert reasons(mongo_db, idea_id, "voter-1") == []
    assert subscribers(store, idea_id) == ["author-1"]


def test_every_subscriber_gets_exactly_one_inbox_entry_with_the_public_message(consume, event, store, idea_id):
    consume(event.submitted(idea_id, "author-1", title="Dark mode"))
    for voter in ("voter-1", "voter-2"):
        consume(event.vote_cast(idea_id, voter))
    consume(event.vote_cast(idea_id + "-other", "bystander"))  # follows another idea only

    consume(event.status_changed(idea_id, "planned", message="Coming to the app in March.", changed_at=later()))

    for user in ("author-1", "voter-1", "voter-2"):
        [entry] = inbox(store, user)
        assert (entry["idea_id"], entry["title"], entry["message"], entry["from"], entry["to"], entry["read"]) == (
            idea_id, "Dark mode is now planned", "Coming to the app in March.", "under_review", "planned", False)
    assert inbox(store, "bystander") == []


def test_one_status_change_is_one_record_whatever_the_number_of_followers(consume, event, store, mongo_db, idea_id):
    voters = [f"voter-{n:04d}" for n in range(2500)]
    since = datetime.now(timezone.utc)
    mongo_db["subscriptions"].insert_many([{"_id": f"{idea_id}:{v}", "idea_id": idea_id, "user_id": v,
                                            "reasons": ["voter"], "since": since} for v in voters])

    consume(event.status_changed(idea_id, changed_at=later()))

    assert mongo_db["changes"].count_documents({}) == 1
    for voter in (voters[0], voters[1234], voters[-1]):
        assert [e["to"] for e in inbox(store, voter)] == ["planned"]


def test_a_replayed_status_change_adds_nothing_to_any_inbox(consume, event, store, mongo_db, idea_id):
    consume(event.submitted(idea_id, "author-1"))
    consume(event.vote_cast(idea_id, "voter-1"))
    changed = event.status_changed(idea_id, changed_at=later())
    consume(changed)
    handlers.mark_read(store, "voter-1", None)  # read it meanwhile
    first = list(mongo_db["changes"].find())

    consume(changed)

    assert list(mongo_db["changes"].find()) == first
    assert [e["read"] for e in inbox(store, "voter-1")] == [True]
    assert [e["read"] for e in inbox(store, "author-1")] == [False]


def test_each_later_status_change_adds_its_own_entry(consume, event, store, idea_id):
    consume(event.submitted(idea_id, "author-1"))
    consume(event.status_changed(idea_id, "planned", changed_at=later()))
    consume(event.status_changed(idea_id, "in_progress", from_status="planned", changed_at=later(2)))
    assert [e["to"] for e in inbox(store, "author-1")] == ["in_progress", "planned"]


def test_a_voter_who_withdrew_is_not_notified(consume, event, store, idea_id):
    consume(event.submitted(idea_id, "author-1"))
    consume(event.vote_cast(idea_id, "voter-1"))
    consume(event.vote_withdrawn(idea_id, "voter-1"))

    consume(event.status_changed(idea_id, changed_at=later()))

    assert inbox(store, "voter-1") == []
    assert len(inbox(store, "author-1")) == 1


def test_a_voter_who_withdrew_and_voted_again_sees_only_the_changes_since(consume, event, store, idea_id):
    consume(event.vote_cast(idea_id, "voter-1", version=1))
    consume(event.vote_withdrawn(idea_id, "voter-1", version=2))
    consume(event.status_changed(idea_id, "planned", changed_at=later()))
    again = event.vote_cast(idea_id, "voter-1", version=3)
    again["data"]["cast_at"] = later(2).isoformat()  # after that change was made
    consume(again)
    assert inbox(store, "voter-1") == []

    consume(event.status_changed(idea_id, "in_progress", from_status="planned", changed_at=later(3)))

    assert [e["to"] for e in inbox(store, "voter-1")] == ["in_progress"]


def test_a_status_change_of_an_idea_not_yet_known_by_title_still_reaches_its_voters(consume, event, store, idea_id):
    consume(event.vote_cast(idea_id, "voter-1"))  # ideas.events and votes.events are read independently
    consume(event.status_changed(idea_id, "under_review", from_status="open", changed_at=later()))
    [entry] = inbox(store, "voter-1")
    assert entry["title"] == "An idea you follow is now under review"


def test_a_status_change_replayed_later_reaches_nobody_who_followed_since(consume, event, store, idea_id):
    consume(event.submitted(idea_id, "author-1"))
    changed = event.status_changed(idea_id, "planned", changed_at=later())
    consume(changed)
    consume(event.vote_cast(idea_id, "voter-9"))
    voted_after = event.vote_cast(idea_id, "voter-8")
    voted_after["data"]["cast_at"] = later(2).isoformat()

    consume(voted_after)
    consume(changed)

    assert [len(inbox(store, user)) for user in ("author-1", "voter-8")] == [1, 0]


def test_a_stale_vote_cast_replayed_after_a_withdrawal_brings_no_status_change(consume, event, store, idea_id):
    consume(event.submitted(idea_id, "author-1"))
    cast = event.vote_cast(idea_id, "voter-1", version=1)
    consume(cast)
    consume(event.vote_withdrawn(idea_id, "voter-1", version=2))
    consume(event.status_changed(idea_id, "planned", changed_at=later()))

    consume(cast)  # published twice by the votes relay, read late

    assert inbox(store, "voter-1") == []


def test_a_vote_read_after_a_later_status_change_still_brings_that_change_to_the_voter_once(
        consume, event, store, idea_id):
    consume(event.submitted(idea_id, "author-1"))
    vote = event.vote_cast(idea_id, "late-voter")  # cast now, but read after the status change below
    consume(event.status_changed(idea_id, "planned", message="Planned for June.", changed_at=later()))

    consume(vote)
    consume(vote)  # replayed

    [entry] = inbox(store, "late-voter")
    assert (entry["to"], entry["message"]) == ("planned", "Planned for June.")
    assert len(inbox(store, "author-1")) == 1


def test_a_vote_cast_after_the_latest_status_change_brings_no_old_notification(consume, event, store, idea_id):
    consume(event.submitted(idea_id, "author-1"))
    consume(event.status_changed(idea_id, "planned", changed_at=datetime.now(timezone.utc) - timedelta(seconds=1)))
    consume(event.vote_cast(idea_id, "new-voter"))
    assert inbox(store, "new-voter") == []


def test_a_stale_vote_cast_read_after_its_withdrawal_does_not_follow_the_idea_again(
        consume, event, store, mongo_db, idea_id):
    consume(event.submitted(idea_id, "author-1"))
    cast = event.vote_cast(idea_id, "voter-1", version=1)
    consume(cast)
    consume(event.vote_withdrawn(idea_id, "voter-1", version=2))
    consume(cast)  # published twice by the votes relay, read late
    assert reasons(mongo_db, idea_id, "voter-1") == []
    assert subscribers(store, idea_id) == ["author-1"]


def test_an_idea_submitted_event_read_after_a_status_change_still_brings_that_change_to_the_author(
        consume, event, store, idea_id):
    submitted = event.submitted(idea_id, "author-1")
    consume(event.status_changed(idea_id, "planned", message="Planned for June.", changed_at=later()))
    consume(submitted)
    consume(submitted)  # replayed
    [entry] = inbox(store, "author-1")
    assert (entry["to"], entry["message"]) == ("planned", "Planned for June.")
