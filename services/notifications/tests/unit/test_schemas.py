"""The HTTP shapes of the inbox: its query and what it shows."""
from datetime import datetime, timezone

import pytest
from marshmallow import ValidationError

from notifications.schemas import Inbox, InboxQuery


def test_an_inbox_query_shows_fifty_entries_unless_told_otherwise():
    assert InboxQuery().load({}) == {"limit": 50}
    assert InboxQuery().load({"limit": "5"}) == {"limit": 5}


@pytest.mark.parametrize("query", [{"limit": "0"}, {"limit": "201"}, {"limit": "many"}, {"page": "2"}])
def test_an_inbox_query_refuses_limits_out_of_range_and_unknown_parameters(query):
    with pytest.raises(ValidationError) as refused:
        InboxQuery().load(query)
    assert set(refused.value.messages) == set(query)


def test_an_inbox_shows_entries_by_id_without_their_storage_details():
    at = datetime(2025, 3, 4, 10, 30, tzinfo=timezone.utc)
    shown = Inbox().dump({"user_id": "u1", "unread": 1, "entries": [{
        "_id": "e1:u1", "user_id": "u1", "event_id": "e1", "kind": "idea.status_changed", "idea_id": "i1",
        "title": "Dark mode is now planned", "message": "Soon.", "from": "under_review", "to": "planned",
        "created_at": at, "read": False}]})
    assert shown == {"user_id": "u1", "unread": 1, "entries": [{
        "id": "e1:u1", "kind": "idea.status_changed", "idea_id": "i1", "title": "Dark mode is now planned",
        "message": "Soon.", "from": "under_review", "to": "planned", "created_at": at.isoformat(), "read": False}]}
