"""Mentions in the ideas service: a comment's @names are resolved with the members directory (fed by accounts'
events) and its comment.posted names those who may see it, each once; a private thread's words name no one."""
from datetime import datetime, timedelta, timezone

import pytest

from idealab.events import new_event
from idealab_testing import as_consumed
from ideas import handlers

pytestmark = pytest.mark.integration

IDEA = {"title": "Round-ups into savings", "description": "Every card payment.", "category": "savings"}
T0 = datetime.now(timezone.utc) - timedelta(days=1)


def accounts(store, kind: str, **data) -> None:
    mapping = handlers.event_handlers(store)
    subject = data.get("user_id", "x")
    mapping[kind](as_consumed(new_event(kind, data, source="/accounts", subject=subject)))


@pytest.fixture
def members(store):
    for user_id, name in (("u-alice", "Alice Martin"), ("u-paul", "Paul Pan"), ("u-out", "Otto Outsider"),
                          ("u-mo", "Mona Mod"), ("u-twin1", "Sam"), ("u-twin2", "Sam")):
        accounts(store, "user.registered", user_id=user_id, display_name=name, signed_up_with="password",
                 registered_at=T0)
    accounts(store, "space.member_added", space_id="panel", user_id="u-paul", added_at=T0)
    accounts(store, "space.member_added", space_id="panel", user_id="u-alice", added_at=T0)
    accounts(store, "space.member_removed", space_id="panel", user_id="u-alice", by="admin",
             removed_at=T0 + timedelta(hours=1))
    accounts(store, "user.role_changed", user_id="u-mo", roles=["moderator"], by="admin", changed_at=T0)
    # Replayed out of order: an older role change and an older addition change nothing.
    accounts(store, "user.role_changed", user_id="u-mo", roles=["member"], by="admin", changed_at=T0 - timedelta(1))
    accounts(store, "space.member_added", space_id="panel", user_id="u-alice", added_at=T0 - timedelta(days=1))


def mentioned_by(store, comment_id: str) -> list[str]:
    [event] = [as_consumed(e) for e in store.comments.find_one({"_id": comment_id})["outbox"]]
    return event.data["mentioned"]


def test_a_comment_in_the_public_lab_names_each_mentioned_member_once(client, bearer, store, members):
    idea = client.post("/api/ideas", json=IDEA, headers=bearer("u-bob")).get_json()
    comment = client.post(f"/api/ideas/{idea['id']}/comments", headers=bearer("u-bob"), json={
        "text": "@AliceMartin @alice_martin and @OttoOutsider, see this. @Sam? @nobody, @u-bob"}).get_json()
    assert mentioned_by(store, comment["id"]) == ["u-alice", "u-out"]
    assert "mentioned" not in comment  # who was told is not shown


def test_a_comment_in_a_private_space_names_only_its_members_and_staff(client, bearer, store, members):
    panel = bearer("u-paul", spaces=("panel",))
    idea = client.post("/api/ideas", json={**IDEA, "space": "panel"}, headers=panel).get_json()
    comment = client.post(f"/api/ideas/{idea['id']}/comments", headers=panel, json={
        "text": "@OttoOutsider @AliceMartin @MonaMod @PaulPan what do you think?"}).get_json()
    # Otto was never in the panel, Alice was removed from it, Paul wrote it: only the moderator is named.
    assert mentioned_by(store, comment["id"]) == ["u-mo"]


def test_a_deleted_member_is_named_no_more(client, bearer, store, members):
    handlers.on_user_deleted(store, as_consumed(new_event("user.deleted", {"user_id": "u-alice", "deleted_at": T0},
                                                          source="/accounts", subject="u-alice")))
    idea = client.post("/api/ideas", json=IDEA, headers=bearer("u-bob")).get_json()
    comment = client.post(f"/api/ideas/{idea['id']}/comments", headers=bearer("u-bob"),
                          json={"text": "@AliceMartin"}).get_json()
    assert mentioned_by(store, comment["id"]) == []


def test_a_mention_in_a_private_thread_names_no_one(client, bearer, store, members):
    idea = client.post("/api/ideas", json=IDEA, headers=bearer("u-bob")).get_json()
    thread = client.post(f"/api/ideas/{idea['id']}/private-replies", json={"text": "Ask @AliceMartin about it"},
                         headers=bearer("u-pat", roles=("product_team",))).get_json()
    events = [as_consumed(e) for e in store.threads.find_one({"_id": thread["id"]})["outbox"]]
    assert [e.type for e in events] == ["answer.posted"]
    assert "u-alice" not in str([e.data for e in events])
