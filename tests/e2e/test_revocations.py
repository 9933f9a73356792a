"""Removals, bans and revoked sessions take effect within seconds of accounts announcing them, through the gateway,
for tokens issued before them (valid for 15 more minutes): what one may see and do is decided against what each
service learnt since, not by the token alone. Accounts' events are published here as accounts does (this lab's
services trust the test's signer, not accounts' keys)."""
from datetime import datetime, timezone

import pytest

from idealab import events, kafka
from idealab_testing import unique, wait_for

from .test_core_flow import status_entries, vote

pytestmark = pytest.mark.e2e

PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)
# A worker hop: the event's poll, the handler's write; generous for two shared cores.
APPLIED_WITHIN = 20


@pytest.fixture
def accounts_says(servers, lab_env):
    """accounts_says("user.banned", user_id=…, …): puts an accounts event on this lab's topic, validated."""
    publisher = kafka.Publisher(servers.kafka, lab_env["IDEALAB_NAMESPACE"], timeout_seconds=10)

    def say(event_type: str, **data) -> None:
        time_field = {"user.banned": "banned_at", "space.member_removed": "removed_at",
                      "session.revoked": "revoked_at"}[event_type]
        subject = data.get("space_id", data["user_id"])
        publisher.publish([events.new_event(event_type, {**data, time_field: datetime.now(timezone.utc)},
                                            source="/accounts", subject=subject)])
    yield say
    publisher.close()


@pytest.fixture
def panel_idea(member):
    """A panel with its author and an idea in it."""
    panel = unique("panel-")[:-1]
    author = member(spaces=(panel,))
    submitted = author.post("/api/ideas", json={"title": "Panel only: a savings rate", "description": "Secret.",
                                                "category": "savings", "space": panel})
    assert submitted.status_code == 201, submitted.text
    return panel, author, submitted.json()["id"]


def test_a_removed_member_no_longer_sees_the_panel_idea_nor_its_list_with_a_token_from_before(
        member, panel_idea, accounts_says):
    panel, _, idea_id = panel_idea
    removed = member(spaces=(panel,))
    assert removed.get(f"/api/ideas/{idea_id}").status_code == 200
    assert removed.get("/api/ideas", params={"space": panel}).status_code == 200

    accounts_says("space.member_removed", space_id=panel, user_id=removed.user_id, by="moderator-1")
    wait_for(lambda: removed.get(f"/api/ideas/{idea_id}").status_code == 404, timeout=APPLIED_WITHIN,
             what="the removal to reach the ideas service")
    assert removed.get("/api/ideas", params={"space": panel}).status_code == 404
    assert idea_id not in removed.get("/api/ideas", params={"limit": 100}).text


def test_a_banned_member_cannot_vote_with_a_token_from_before_the_ban(member, accounts_says):
    author, banned = member(), member()
    idea_id = author.post("/api/ideas", json={"title": "Round-ups", "description": "Save the change.",
                                              "category": "savings"}).json()["id"]
    vote(author, idea_id)  # the votes service knows the idea

    accounts_says("user.banned", user_id=banned.user_id, reason="vote farming", by="moderator-1")
    wait_for(lambda: banned.get(f"/api/votes/ideas/{idea_id}").status_code == 403, timeout=APPLIED_WITHIN,
             what="the ban to reach the votes service")
    assert banned.post(f"/api/votes/ideas/{idea_id}").status_code == 403


def test_a_token_of_a_session_revoked_for_reuse_cannot_vote_and_another_session_still_can(
        member, signer, gateway, accounts_says):
    author = member()
    idea_id = author.post("/api/ideas", json={"title": "Card freeze", "description": "One tap.",
                                              "category": "cards"}).json()["id"]
    vote(author, idea_id)
    user_id = unique("user-")[:-1]
    stolen = member(user_id)
    stolen.session.headers["Authorization"] = f"Bearer {signer.token(user_id, sid='family-1')}"
    mine = member(user_id)
    mine.session.headers["Authorization"] = f"Bearer {signer.token(user_id, sid='family-2')}"

    accounts_says("session.revoked", session_id="family-1", user_id=user_id, reason="a refresh token was reused")
    wait_for(lambda: stolen.get(f"/api/votes/ideas/{idea_id}").status_code == 401, timeout=APPLIED_WITHIN,
             what="the revocation to reach the votes service")
    assert stolen.post(f"/api/votes/ideas/{idea_id}").status_code == 401
    assert mine.post(f"/api/votes/ideas/{idea_id}").status_code == 201


def test_a_removed_member_gets_no_inbox_entry_when_a_panel_idea_they_voted_on_is_planned(
        member, panel_idea, accounts_says):
    panel, author, idea_id = panel_idea
    team = member(roles=("product_team",))
    removed, staying = member(spaces=(panel,)), member(spaces=(panel,))
    for voter in (removed, staying):
        assert vote(voter, idea_id).status_code == 201

    accounts_says("space.member_removed", space_id=panel, user_id=removed.user_id, by="moderator-1")
    wait_for(lambda: removed.get(f"/api/ideas/{idea_id}").status_code == 404, timeout=APPLIED_WITHIN,
             what="the removal to reach the ideas service")
    wait_for(lambda: team.get(f"/api/roadmap/ideas/{idea_id}").status_code == 200, what="the roadmap item")
    assert team.post(f"/api/roadmap/ideas/{idea_id}/status",
                     json={"status": "planned", "message": "The panel convinced us."}).status_code == 200
    wait_for(lambda: status_entries(staying, idea_id, "planned"), what="a remaining member's notification")
    wait_for(lambda: status_entries(author, idea_id, "planned"), what="the author's notification")
    inbox = removed.get(f"/api/notifications/users/{removed.user_id}/inbox")
    assert inbox.status_code == 200 and idea_id not in inbox.text, inbox.text


def test_a_panel_image_is_served_to_its_members_and_staff_only(member, panel_idea):
    panel, author, _ = panel_idea
    uploaded = author.post("/api/ideas/images", files={"image": ("rate.png", PNG, "image/png")})
    assert uploaded.status_code == 201, uploaded.text
    image_id = uploaded.json()["id"]
    assert author.post("/api/ideas", json={"title": "With a chart", "description": "See the image.",
                                           "category": "savings", "space": panel,
                                           "image_id": image_id}).status_code == 201
    outsider, anonymous = member(spaces=("another-panel",)), member()
    anonymous.session.headers.pop("Authorization")

    for allowed in (author, member(spaces=(panel,)), member(roles=("moderator",))):
        response = allowed.get(f"/api/ideas/images/{image_id}")
        assert response.status_code == 200 and response.content == PNG
        assert "public" not in response.headers["Cache-Control"]
    for stranger in (outsider, anonymous):
        assert stranger.get(f"/api/ideas/images/{image_id}").status_code == 404
