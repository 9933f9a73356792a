"""Each member reads their own inbox over HTTP: newest first, with how many entries are still unread."""
from datetime import datetime, timedelta, timezone

import pytest

from notifications import handlers

pytestmark = pytest.mark.integration

PROBLEM = "application/problem+json"
# After the follows: a change made before someone followed is not theirs to see.
CHANGED_AT = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=1)


@pytest.fixture
def two_changes(consume, event, idea_id):
    """member-1 wrote one idea and voted for another; both moved, the second one later; member-2 follows one."""
    written, voted = idea_id + "-written", idea_id + "-voted"
    consume(event.submitted(written, "member-1", title="Dark mode"))
    consume(event.submitted(voted, "member-2", title="Export to CSV"))
    consume(event.vote_cast(voted, "member-1"))
    consume(event.status_changed(written, "planned", message="In March.", changed_at=CHANGED_AT))
    consume(event.status_changed(voted, "launched", from_status="in_progress", message="Out now.",
                                 changed_at=CHANGED_AT + timedelta(hours=1)))
    return written, voted


def test_a_member_reads_their_inbox_newest_first_with_the_unread_count(client, bearer, two_changes):
    written, voted = two_changes

    response = client.get("/api/notifications/users/member-1/inbox", headers=bearer("member-1"))

    assert response.status_code == 200, response.text
    body = response.json
    assert (body["user_id"], body["unread"]) == ("member-1", 2)
    assert [(e["idea_id"], e["title"], e["message"], e["read"]) for e in body["entries"]] == [
        (voted, "Export to CSV is now launched", "Out now.", False),
        (written, "Dark mode is now planned", "In March.", False),
    ]
    assert body["entries"][0]["from"] == "in_progress"
    assert body["entries"][1]["created_at"] == CHANGED_AT.isoformat()


def test_the_inbox_shows_only_the_members_own_entries(client, bearer, two_changes):
    _, voted = two_changes
    entries = client.get("/api/notifications/users/member-2/inbox", headers=bearer("member-2")).json["entries"]
    assert [e["idea_id"] for e in entries] == [voted]


def test_a_limited_inbox_shows_the_newest_entries_and_still_counts_every_unread_one(client, bearer, two_changes):
    _, voted = two_changes
    body = client.get("/api/notifications/users/member-1/inbox?limit=1", headers=bearer("member-1")).json
    assert [e["idea_id"] for e in body["entries"]] == [voted]
    assert body["unread"] == 2


def test_entries_already_read_are_shown_but_not_counted_as_unread(client, bearer, store, two_changes):
    written, _ = two_changes
    [change] = store.changes.find({"idea_id": written})
    handlers.mark_read(store, "member-1", [change["_id"]])

    body = client.get("/api/notifications/users/member-1/inbox", headers=bearer("member-1")).json

    assert body["unread"] == 1
    assert [(e["idea_id"], e["read"]) for e in body["entries"]][1] == (written, True)


def test_an_empty_inbox_has_no_entries_and_nothing_unread(client, bearer):
    body = client.get("/api/notifications/users/newcomer/inbox", headers=bearer("newcomer")).json
    assert body == {"user_id": "newcomer", "unread": 0, "entries": []}


def test_a_member_may_not_read_someone_elses_inbox(client, bearer, two_changes):
    response = client.get("/api/notifications/users/member-1/inbox", headers=bearer("member-2"))
    assert response.status_code == 403
    assert response.content_type == PROBLEM
    assert "entries" not in response.json


def test_not_even_the_product_team_reads_someone_elses_inbox(client, bearer, two_changes):
    response = client.get("/api/notifications/users/member-1/inbox", headers=bearer("team-1", roles=("product_team",)))
    assert response.status_code == 403


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-a-token"}])
def test_reading_an_inbox_needs_a_valid_bearer_token(client, two_changes, headers):
    response = client.get("/api/notifications/users/member-1/inbox", headers=headers)
    assert response.status_code == 401
    assert response.content_type == PROBLEM
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_an_inbox_limit_out_of_range_is_refused_with_a_problem(client, bearer):
    response = client.get("/api/notifications/users/member-1/inbox?limit=500", headers=bearer("member-1"))
    assert response.status_code == 422
    assert response.content_type == PROBLEM
    assert "limit" in response.json["errors"]
