"""Who follows an idea (its author and its voters), and one inbox entry each when its status changes."""
import pytest

from notifications.store import FAN_OUT_CHUNK

pytestmark = pytest.mark.integration


def reasons(mongo_db, idea_id: str, user_id: str) -> list | None:
    found = mongo_db["subscriptions"].find_one({"idea_id": idea_id, "user_id": user_id})
    return None if found is None else sorted(found.get("reasons", []))


def inbox(mongo_db, user_id: str) -> list[dict]:
    return list(mongo_db["inbox"].find({"user_id": user_id}))


def test_the_author_of_a_submitted_idea_follows_it(consume, event, store, mongo_db, idea_id):
    consume(event.submitted(idea_id, "author-1"))
    assert list(store.subscribers(idea_id)) == ["author-1"]
    assert reasons(mongo_db, idea_id, "author-1") == ["author"]


def test_a_voter_follows_the_idea_voted_for(consume, event, store, mongo_db, idea_id):
    consume(event.submitted(idea_id, "author-1"))
    consume(event.vote_cast(idea_id, "voter-1"))
    consume(event.vote_cast(idea_id, "voter-1"))  # replayed
    assert sorted(store.subscribers(idea_id)) == ["author-1", "voter-1"]
    assert reasons(mongo_db, idea_id, "voter-1") == ["voter"]


def test_a_commenter_follows_the_idea_and_is_notified_of_its_next_change_once(consume, event, mongo_db, idea_id):
    consume(event.submitted(idea_id, "member-1"))
    consume(event.comment_posted(idea_id, "member-3"))
    consume(event.comment_posted(idea_id, "member-3", comment_id="comment-2"))
    consume(event.status_changed(idea_id))

    assert reasons(mongo_db, idea_id, "member-3") == ["commenter"]
    assert [(e["idea_id"], e["to"]) for e in inbox(mongo_db, "member-3")] == [(idea_id, "planned")]


def test_withdrawing_a_vote_drops_only_the_voter_reason(consume, event, store, mongo_db, idea_id):
    consume(event.submitted(idea_id, "author-1"))
    for user in ("author-1", "voter-1"):
        consume(event.vote_cast(idea_id, user))
        consume(event.vote_withdrawn(idea_id, user))

    assert reasons(mongo_db, idea_id, "author-1") == ["author"]
    assert reasons(mongo_db, idea_id, "voter-1") == []
    assert list(store.subscribers(idea_id)) == ["author-1"]


def test_every_subscriber_gets_exactly_one_inbox_entry_with_the_public_message(consume, event, mongo_db, idea_id):
    consume(event.submitted(idea_id, "author-1", title="Dark mode"))
    for voter in ("voter-1", "voter-2"):
        consume(event.vote_cast(idea_id, voter))
    consume(event.vote_cast(idea_id + "-other", "bystander"))  # follows another idea only

    consume(event.status_changed(idea_id, "planned", message="Coming to the app in March."))

    for user in ("author-1", "voter-1", "voter-2"):
        [entry] = inbox(mongo_db, user)
        assert (entry["idea_id"], entry["title"], entry["message"], entry["from"], entry["to"], entry["read"]) == (
            idea_id, "Dark mode is now planned", "Coming to the app in March.", "under_review", "planned", False)
    assert inbox(mongo_db, "bystander") == []


def test_a_replayed_status_change_adds_nothing_to_any_inbox(consume, event, mongo_db, idea_id):
    consume(event.submitted(idea_id, "author-1"))
    consume(event.vote_cast(idea_id, "voter-1"))
    changed = event.status_changed(idea_id)
    consume(changed)
    mongo_db["inbox"].update_one({"user_id": "voter-1"}, {"$set": {"read": True}})  # read it meanwhile
    first = sorted(mongo_db["inbox"].find(), key=lambda e: e["_id"])

    consume(changed)

    assert sorted(mongo_db["inbox"].find(), key=lambda e: e["_id"]) == first
    assert len(first) == 2


def test_each_later_status_change_adds_its_own_entry(consume, event, mongo_db, idea_id):
    consume(event.submitted(idea_id, "author-1"))
    consume(event.status_changed(idea_id, "planned"))
    consume(event.status_changed(idea_id, "in_progress", from_status="planned"))
    assert sorted(e["to"] for e in inbox(mongo_db, "author-1")) == ["in_progress", "planned"]


def test_a_voter_who_withdrew_is_not_notified(consume, event, mongo_db, idea_id):
    consume(event.submitted(idea_id, "author-1"))
    consume(event.vote_cast(idea_id, "voter-1"))
    consume(event.vote_withdrawn(idea_id, "voter-1"))

    consume(event.status_changed(idea_id))

    assert inbox(mongo_db, "voter-1") == []
    assert len(inbox(mongo_db, "author-1")) == 1


def test_a_status_change_of_an_idea_not_yet_known_by_title_still_reaches_its_voters(consume, event, mongo_db,
                                                                                     idea_id):
    consume(event.vote_cast(idea_id, "voter-1"))  # ideas.events and votes.events are read independently
    consume(event.status_changed(idea_id, "under_review", from_status="open"))
    [entry] = inbox(mongo_db, "voter-1")
    assert entry["title"] == "An idea you follow is now under review"


def subscribe_voters(mongo_db, idea_id: str, voters: list[str]) -> None:
    """Subscriptions as store.subscribe writes them, in one insert: thousands of vote.cast events take far longer."""
    mongo_db["subscriptions"].insert_many([{"_id": f"{idea_id}:{v}", "idea_id": idea_id, "user_id": v,
                                            "reasons": ["voter"]} for v in voters])


def test_a_status_change_reaches_every_one_of_thousands_of_subscribers(consume, event, mongo_db, idea_id):
    voters = [f"voter-{n:04d}" for n in range(2499)]
    assert len(voters) + 1 > 2 * FAN_OUT_CHUNK  # several bulk writes, the last one partial
    consume(event.submitted(idea_id, "author-1"))
    subscribe_voters(mongo_db, idea_id, voters)

    consume(event.status_changed(idea_id))

    assert mongo_db["inbox"].count_documents({"idea_id": idea_id}) == 2500
    assert sorted(mongo_db["inbox"].distinct("user_id")) == sorted(["author-1", *voters])


def test_a_replayed_fan_out_adds_only_the_missing_entries_and_keeps_those_already_read(consume, event, mongo_db,
                                                                                      idea_id):
    first, later = [f"voter-{n:04d}" for n in range(1500)], [f"voter-{n:04d}" for n in range(1500, 2500)]
    subscribe_voters(mongo_db, idea_id, first)
    changed = event.status_changed(idea_id)
    consume(changed)
    mongo_db["fan_outs"].update_many({}, {"$unset": {"done": ""}})  # as if it stopped after 1,500 of the 2,500
    already_read = [first[0], first[999], first[1499]]
    mongo_db["inbox"].update_many({"user_id": {"$in": already_read}}, {"$set": {"read": True}})
    subscribe_voters(mongo_db, idea_id, later)

    consume(changed)

    assert mongo_db["inbox"].count_documents({"idea_id": idea_id}) == 2500
    assert sorted(mongo_db["inbox"].distinct("user_id")) == sorted(first + later)
    assert sorted(e["user_id"] for e in mongo_db["inbox"].find({"read": True})) == already_read


def test_a_fan_out_that_meets_entries_written_meanwhile_inserts_only_the_rest(consume, event, mongo_db, idea_id):
    consume(event.submitted(idea_id, "author-1"))
    changed = event.status_changed(idea_id)
    consume(changed)
    mongo_db["inbox"].update_one({"user_id": "author-1"}, {"$set": {"read": True}})
    subscribe_voters(mongo_db, idea_id, ["voter-1", "voter-2", "voter-3"])
    # Another copy of the worker wrote voter-2's entry, then died before recording how far it got.
    entry = {**mongo_db["inbox"].find_one({"user_id": "author-1"}, {"_id": 0}), "user_id": "voter-2"}
    mongo_db["inbox"].insert_one({**entry, "_id": entry["event_id"] + ":voter-2"})
    mongo_db["fan_outs"].delete_many({})

    consume(changed)

    assert sorted(e["user_id"] for e in mongo_db["inbox"].find()) == ["author-1", "voter-1", "voter-2", "voter-3"]
    assert sorted(e["user_id"] for e in mongo_db["inbox"].find({"read": True})) == ["author-1", "voter-2"]


def test_a_replayed_fan_out_resumes_after_the_last_subscriber_served(consume, event, mongo_db, idea_id):
    subscribe_voters(mongo_db, idea_id, ["voter-1", "voter-2"])
    changed = event.status_changed(idea_id)
    consume(changed)
    mongo_db["fan_outs"].update_many({}, {"$unset": {"done": ""}})  # as if it stopped after the last one
    mongo_db["inbox"].delete_many({"user_id": "voter-1"})  # served already: a replay must not bring it back

    consume(changed)

    assert sorted(e["user_id"] for e in mongo_db["inbox"].find()) == ["voter-2"]


def test_a_finished_fan_out_replayed_or_redriven_later_reaches_nobody_who_followed_since(
        consume, event, mongo_db, idea_id):
    consume(event.submitted(idea_id, "author-1"))
    changed = event.status_changed(idea_id, "planned")
    consume(changed)
    consume(event.vote_cast(idea_id, "voter-9"))  # voted after the change

    consume(changed)

    assert [e["user_id"] for e in mongo_db["inbox"].find()] == ["author-1"]


def test_a_stale_vote_cast_replayed_after_a_withdrawal_brings_no_status_change(consume, event, mongo_db, idea_id):
    from datetime import datetime, timedelta, timezone
    consume(event.submitted(idea_id, "author-1"))
    cast = event.vote_cast(idea_id, "voter-1", version=1)
    consume(cast)
    consume(event.vote_withdrawn(idea_id, "voter-1", version=2))
    consume(event.status_changed(idea_id, "planned", changed_at=datetime.now(timezone.utc) + timedelta(seconds=1)))

    consume(cast)  # published twice by the votes relay, read late

    assert inbox(mongo_db, "voter-1") == []


def test_a_vote_read_after_a_later_status_change_still_brings_that_change_to_the_voter_once(
        consume, event, mongo_db, idea_id):
    consume(event.submitted(idea_id, "author-1"))
    from datetime import datetime, timedelta, timezone
    vote = event.vote_cast(idea_id, "late-voter")  # cast now, but read after the status change below
    # A second later: the database keeps milliseconds, so a change within the same one would not be "after".
    consume(event.status_changed(idea_id, "planned", message="Planned for June.",
                                 changed_at=datetime.now(timezone.utc) + timedelta(seconds=1)))

    consume(vote)
    consume(vote)  # replayed

    [entry] = inbox(mongo_db, "late-voter")
    assert (entry["to"], entry["message"]) == ("planned", "Planned for June.")
    assert len(inbox(mongo_db, "author-1")) == 1


def test_a_vote_cast_after_the_latest_status_change_brings_no_old_notification(consume, event, mongo_db, idea_id):
    consume(event.submitted(idea_id, "author-1"))
    consume(event.status_changed(idea_id, "planned"))
    consume(event.vote_cast(idea_id, "new-voter"))
    assert inbox(mongo_db, "new-voter") == []


def test_an_older_status_change_replayed_later_is_not_taken_for_the_latest(consume, event, store, idea_id):
    from datetime import datetime, timedelta, timezone
    now = datetime.now(timezone.utc)
    consume(event.status_changed(idea_id, "in_progress", from_status="planned", changed_at=now))
    consume(event.status_changed(idea_id, "planned", changed_at=now - timedelta(minutes=5)))
    assert store.last_change(idea_id)["to"] == "in_progress"


def test_a_stale_vote_cast_read_after_its_withdrawal_does_not_follow_the_idea_again(
        consume, event, store, mongo_db, idea_id):
    consume(event.submitted(idea_id, "author-1"))
    cast = event.vote_cast(idea_id, "voter-1", version=1)
    consume(cast)
    consume(event.vote_withdrawn(idea_id, "voter-1", version=2))
    consume(cast)  # published twice by the votes relay, read late
    assert reasons(mongo_db, idea_id, "voter-1") == []
    assert list(store.subscribers(idea_id)) == ["author-1"]


def test_an_idea_submitted_event_read_after_a_status_change_still_brings_that_change_to_the_author(
        consume, event, mongo_db, idea_id):
    submitted = event.submitted(idea_id, "author-1")
    consume(event.status_changed(idea_id, "planned", message="Planned for June."))
    consume(submitted)
    consume(submitted)  # replayed
    [entry] = inbox(mongo_db, "author-1")
    assert (entry["to"], entry["message"]) == ("planned", "Planned for June.")
