"""The one record of a status change, who sees it in their inbox, what they read of it, and the email jobs it
makes."""
from datetime import datetime, timedelta, timezone

import pytest

from idealab.events import new_event
from idealab_testing import as_consumed
from notifications.domain import all_read, email_jobs, inbox, sees, status_change

CHANGED_AT = datetime(2025, 3, 4, 10, 30, tzinfo=timezone.utc)
NOW = datetime(2025, 3, 4, 10, 31, tzinfo=timezone.utc)


def status_changed(to_status: str = "planned", from_status: str = "under_review"):
    return as_consumed(new_event("idea.status_changed", {
        "idea_id": "idea-1", "from_status": from_status, "to_status": to_status,
        "message": "Coming to the app in March.", "by": "team-1", "changed_at": CHANGED_AT},
        source="/roadmap", subject="idea-1"))


def change(change_id: str, idea_id: str, created_at: datetime, recorded_at: datetime | None = None) -> dict:
    return {"_id": change_id, "idea_id": idea_id, "created_at": created_at, "recorded_at": recorded_at or created_at,
            "title": "Dark mode is now planned", "message": "Soon."}


def test_a_status_change_names_the_idea_and_its_new_status_in_words():
    assert status_change(status_changed("under_review", "open"), "Dark mode", NOW)["title"] == (
        "Dark mode is now under review")


@pytest.mark.parametrize(("status", "words"), [
    ("planned", "planned"), ("in_progress", "in progress"), ("launched", "launched"), ("declined", "declined"),
    ("duplicate", "merged into another idea"),
])
def test_a_status_change_words_every_status_for_people(status, words):
    assert status_change(status_changed(status, "open"), "Dark mode", NOW)["title"] == f"Dark mode is now {words}"


def test_a_status_change_of_an_idea_of_unknown_title_still_reads_as_a_sentence():
    assert status_change(status_changed("in_progress", "planned"), None, NOW)["title"] == (
        "An idea you follow is now in progress")


def test_a_status_change_is_one_record_keyed_by_its_event_with_the_public_message():
    event = status_changed()
    assert status_change(event, "Dark mode", NOW) == {
        "_id": event.id, "kind": "idea.status_changed", "idea_id": "idea-1", "title": "Dark mode is now planned",
        "name": "Dark mode", "message": "Coming to the app in March.", "from": "under_review", "to": "planned",
        "created_at": CHANGED_AT, "recorded_at": NOW, "emails_queued": False,
    }


def test_a_subscriber_sees_a_change_made_once_they_followed_and_not_one_made_before():
    changed = change("c1", "idea-1", CHANGED_AT)
    assert sees(changed, CHANGED_AT - timedelta(seconds=1))
    assert not sees(changed, CHANGED_AT + timedelta(seconds=1))


def test_a_follow_in_the_same_millisecond_as_the_change_sees_it_though_the_database_dropped_the_microseconds():
    stored = change("c1", "idea-1", datetime(2026, 3, 1, 12, 0, 0, 123000, tzinfo=timezone.utc))
    assert sees(stored, datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=timezone.utc))
    assert not sees(stored, datetime(2026, 3, 1, 12, 0, 0, 124000, tzinfo=timezone.utc))


def test_an_inbox_is_the_changes_the_member_sees_newest_first_with_what_they_read():
    first, later = change("c1", "idea-1", CHANGED_AT), change("c2", "idea-2", CHANGED_AT + timedelta(hours=1))
    before_following = change("c0", "idea-2", CHANGED_AT - timedelta(days=1))
    since = {"idea-1": CHANGED_AT - timedelta(days=2), "idea-2": CHANGED_AT - timedelta(hours=1)}

    entries = inbox([first, before_following, later], since, {"ids": ["c1"]})

    assert [(e["_id"], e["read"]) for e in entries] == [("c2", False), ("c1", True)]


def test_reading_everything_marks_by_a_watermark_set_back_and_the_recent_entries_one_by_one():
    old, recent = change("c1", "idea-1", NOW - timedelta(hours=1)), change("c2", "idea-1", CHANGED_AT, NOW)
    coming = change("c3", "idea-1", NOW, NOW - timedelta(seconds=5))  # recorded just before, not shown yet
    since = {"idea-1": None}

    marks = all_read(inbox([old, recent], since, {}), NOW)

    assert [(e["_id"], e["read"]) for e in inbox([old, recent, coming], since, marks)] == [
        ("c3", False), ("c2", True), ("c1", True)]


def test_email_jobs_go_to_the_emailable_subscribers_who_see_the_change_one_key_each():
    changed = change("c1", "idea-1", CHANGED_AT)
    subscribers = [{"user_id": "ann", "since": CHANGED_AT - timedelta(days=1)}, {"user_id": "bob"},
                   {"user_id": "cat", "since": CHANGED_AT - timedelta(days=1)},
                   {"user_id": "dan", "since": CHANGED_AT + timedelta(seconds=1)}]

    jobs = email_jobs(changed, subscribers, {"ann", "bob", "dan"}, NOW)

    assert [(j["_id"], j["state"]) for j in jobs] == [("c1:ann:email", "queued"), ("c1:bob:email", "queued")]
