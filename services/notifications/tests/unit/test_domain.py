"""What a subscriber reads when an idea's status changes, and the key that keeps it to one entry per change."""
from datetime import datetime, timezone

import pytest

from idealab.events import new_event
from idealab.testing import as_consumed
from notifications.domain import inbox_entry_id, status_notification

CHANGED_AT = datetime(2025, 3, 4, 10, 30, tzinfo=timezone.utc)


def status_changed(to_status: str = "planned", from_status: str = "under_review"):
    return as_consumed(new_event("idea.status_changed", {
        "idea_id": "idea-1", "from_status": from_status, "to_status": to_status,
        "message": "Coming to the app in March.", "by": "team-1", "changed_at": CHANGED_AT},
        source="/roadmap", subject="idea-1"))


def test_an_inbox_entry_id_is_the_same_every_time_for_one_event_and_one_user():
    assert inbox_entry_id("event-1", "user-1") == inbox_entry_id("event-1", "user-1")


def test_an_inbox_entry_id_differs_for_another_user_or_another_event():
    ids = {inbox_entry_id("event-1", "user-1"), inbox_entry_id("event-1", "user-2"),
           inbox_entry_id("event-2", "user-1")}
    assert len(ids) == 3


def test_a_status_notification_names_the_idea_and_its_new_status_in_words():
    event = status_changed("under_review", "open")
    assert status_notification(event, "Dark mode")["title"] == "Dark mode is now under review"


@pytest.mark.parametrize(("status", "words"), [
    ("planned", "planned"), ("in_progress", "in progress"), ("launched", "launched"), ("declined", "declined"),
    ("duplicate", "merged into another idea"),
])
def test_a_status_notification_words_every_status_for_people(status, words):
    assert status_notification(status_changed(status, "open"), "Dark mode")["title"] == f"Dark mode is now {words}"


def test_a_status_notification_for_an_idea_of_unknown_title_still_reads_as_a_sentence():
    assert status_notification(status_changed("in_progress", "planned"), None)["title"] == (
        "An idea you follow is now in progress")


def test_a_status_notification_carries_the_public_message_and_the_change():
    event = status_changed()
    assert status_notification(event, "Dark mode") == {
        "kind": "idea.status_changed", "idea_id": "idea-1", "title": "Dark mode is now planned",
        "message": "Coming to the app in March.", "from": "under_review", "to": "planned",
        "created_at": CHANGED_AT, "event_id": event.id,
    }


def test_a_voter_is_owed_the_latest_change_only_when_the_vote_was_cast_before_it():
    from datetime import datetime, timedelta, timezone

    from notifications.domain import owed_latest_change
    changed_at = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
    change = {"created_at": changed_at}
    assert owed_latest_change(change, changed_at - timedelta(seconds=1))
    assert not owed_latest_change(change, changed_at + timedelta(seconds=1))
    assert not owed_latest_change(None, changed_at)


def test_a_vote_in_the_same_millisecond_as_the_change_is_owed_it_though_the_database_dropped_the_microseconds():
    from datetime import datetime, timezone

    from notifications.domain import owed_latest_change
    stored_change = {"created_at": datetime(2026, 3, 1, 12, 0, 0, 123000, tzinfo=timezone.utc)}
    assert owed_latest_change(stored_change, datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=timezone.utc))
    assert not owed_latest_change(stored_change, datetime(2026, 3, 1, 12, 0, 0, 124000, tzinfo=timezone.utc))
