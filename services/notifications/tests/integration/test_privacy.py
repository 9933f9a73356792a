"""A member's own data in notifications: marking entries read, downloading what is held about them, and erasure
when their account is deleted (GDPR)."""
import pytest

pytestmark = pytest.mark.integration


@pytest.fixture
def notified(consume, event, idea_id):
    """member-1 wrote an idea and voted for another; both moved."""
    consume(event.submitted(idea_id, "member-1", title="Dark mode"))
    consume(event.submitted(idea_id + "-2", "member-2", title="Export to CSV"))
    consume(event.vote_cast(idea_id + "-2", "member-1"))
    consume(event.status_changed(idea_id))
    consume(event.status_changed(idea_id + "-2"))
    return idea_id


def inbox(client, bearer, user="member-1") -> dict:
    return client.get(f"/api/notifications/users/{user}/inbox", headers=bearer(user)).get_json()


def test_a_member_marks_one_entry_read_then_all(client, bearer, notified):
    first = inbox(client, bearer)["entries"][0]["id"]
    path = "/api/notifications/users/member-1/inbox/read"

    assert client.post(path, json={"ids": [first]}, headers=bearer("member-1")).get_json()["unread"] == 1
    assert client.post(path, json={}, headers=bearer("member-1")).get_json() == {"user_id": "member-1",
                                                                                 "unread": 0}
    assert all(e["read"] for e in inbox(client, bearer)["entries"])


def test_nobody_marks_someone_elses_inbox(client, bearer, notified):
    response = client.post("/api/notifications/users/member-1/inbox/read", json={},
                           headers=bearer("member-2", roles=("member", "admin")))
    assert response.status_code == 403
    assert inbox(client, bearer)["unread"] == 2


@pytest.mark.parametrize("body", [{"ids": "all"}, {"ids": [1]}, {"ids": [""]}, {"everything": True}])
def test_a_bad_mark_read_request_is_a_422(client, bearer, notified, body):
    response = client.post("/api/notifications/users/member-1/inbox/read", json=body, headers=bearer("member-1"))
    assert response.status_code == 422 and response.mimetype == "application/problem+json"


def test_a_member_downloads_their_subscriptions_and_inbox(client, bearer, notified):
    data = client.get("/api/notifications/me/data", headers=bearer("member-1")).get_json()
    assert {(s["idea_id"], tuple(s["reasons"])) for s in data["subscriptions"]} == {
        (notified, ("author",)), (notified + "-2", ("voter",))}
    assert len(data["inbox"]) == 2
    assert client.get("/api/notifications/me/data").status_code == 401


def test_a_deleted_account_loses_its_inbox_and_subscriptions_and_replays_do_not_bring_them_back(
        client, bearer, consume, event, notified):
    consume(event.user_deleted("member-1"))
    assert inbox(client, bearer) == {"user_id": "member-1", "unread": 0, "entries": []}

    consume(event.submitted(notified, "member-1", title="Dark mode"))  # a replay of the topics
    consume(event.vote_cast(notified + "-2", "member-1"))
    consume(event.status_changed(notified, "in_progress", from_status="planned"))
    consume(event.user_deleted("member-1"))  # and of the deletion itself

    data = client.get("/api/notifications/me/data", headers=bearer("member-1")).get_json()
    assert data == {"subscriptions": [], "inbox": [], "email": None, "emails": [], "email_choices": {}}
    assert inbox(client, bearer, "member-2")["unread"] == 1  # others keep theirs

