"""The response-time promise through the gateway, with every process running: a panel promising 30 minutes and the
default hour side by side; the team's queue read at later moments (`at`) orders them by due time with the overdue
first, a claim moves a post to its answer's due time, an answer takes it out; a member's private message reaches
the team's inbox without its words; the queue is the answerers' alone, and a panel's figures its members' and
staff's (anonymous and outsiders are told it does not exist)."""
import uuid
from datetime import datetime, timedelta
from urllib.parse import quote

import pytest

from idealab_testing import wait_for

pytestmark = pytest.mark.e2e


def created(response) -> dict:
    assert response.status_code == 201, response.text
    return response.json()


def mine(adviser, ids: set, at: datetime | None = None) -> list[dict]:
    """The team's queue (as it stands at `at`), keeping this test's posts only, in the queue's order."""
    query = "?limit=500" + (f"&at={quote(at.isoformat())}" if at else "")
    response = adviser.get(f"/api/ideas/promise/queue{query}")
    assert response.status_code == 200, response.text
    return [w for w in response.json()["waiting"] if w["item_id"] in ids]


def test_the_queue_orders_posts_by_due_time_across_targets_and_keeps_to_the_answerers(member):
    fast, slow = f"fast-{uuid.uuid4().hex[:8]}", f"slow-{uuid.uuid4().hex[:8]}"
    team, adviser = member(roles=("product_team",)), member(roles=("adviser",))
    ann = member(spaces=(fast, slow))
    outsider, moderator = member(), member(roles=("moderator",))
    anonymous = member()
    anonymous.session.headers.pop("Authorization")

    targets = team.put(f"/api/ideas/promise/targets?space={fast}",
                       json={"acknowledge_minutes": 30, "answer_minutes": 240})
    assert targets.status_code == 200, targets.text
    idea = created(ann.post("/api/ideas", json={"title": "Round-ups into savings", "description": "Each payment.",
                                                "category": "savings", "space": slow}))
    question = created(ann.post("/api/ideas/questions", json={"title": "Is the panel's app in Spanish?",
                                                              "body": "Para mi madre.", "space": fast,
                                                              "language": "es"}))
    thread = created(ann.post("/api/ideas/private-threads", json={"text": "My card was declined", "language": "fr"}))
    message_id = thread["messages"][0]["id"]
    ids = {idea["id"], question["id"], message_id}
    waiting = wait_for(lambda: (found := mine(adviser, ids)) and len(found) == 3 and found, timeout=90,
                       what="the three posts in the team's queue")
    by_id = {w["item_id"]: w for w in waiting}
    assert {w["kind"]: w["language"] for w in waiting} == {"idea": "en", "question": "es", "message": "fr"}
    assert by_id[message_id]["thread_id"] == thread["id"] and by_id[message_id]["title"] is None
    posted = datetime.fromisoformat(by_id[idea["id"]]["posted_at"])

    # 45 minutes on: past the panel's 30, within everyone else's hour.
    at_45 = mine(adviser, ids, posted + timedelta(minutes=45))
    assert [(w["item_id"], w["overdue"]) for w in at_45] == [
        (question["id"], True), (idea["id"], False), (message_id, False)]
    # 90 minutes on: everything is late for acknowledgement, the longest first.
    assert [(w["item_id"], w["overdue"]) for w in mine(adviser, ids, posted + timedelta(minutes=90))] == [
        (question["id"], True), (idea["id"], True), (message_id, True)]
    # Claimed, the idea is acknowledged and owes its answer within the day: last, and not late at 90 minutes.
    claimed = adviser.post(f"/api/ideas/promise/queue/idea/{idea['id']}/claim")
    assert claimed.status_code == 200 and claimed.json()["claimed_by"] == adviser.user_id
    assert [(w["item_id"], w["owed"], w["overdue"]) for w in mine(adviser, ids, posted + timedelta(minutes=90))] == [
        (question["id"], "acknowledge", True), (message_id, "acknowledge", True), (idea["id"], "answer", False)]
    assert mine(adviser, ids, posted + timedelta(hours=25))[-1]["overdue"]  # a day on, its answer is late too
    handed = adviser.post(f"/api/ideas/promise/queue/idea/{idea['id']}/hand-over", json={"to": team.user_id})
    assert handed.status_code == 200 and handed.json()["claimed_by"] == team.user_id
    # Answered (in public, and in the thread), posts leave the queue.
    created(adviser.post(f"/api/ideas/questions/{question['id']}/answers", json={"text": "Sí, en español."}))
    created(adviser.post(f"/api/ideas/private-threads/{thread['id']}/messages", json={"text": "We are on it."}))
    wait_for(lambda: [w["item_id"] for w in mine(adviser, ids)] == [idea["id"]], timeout=90,
             what="the answered posts out of the queue")

    # The team is told of the member's message in its inbox, without a word of it; no one else is.
    entries = wait_for(lambda: [e for e in adviser.get(f"/api/notifications/users/{adviser.user_id}/inbox")
                                .json()["entries"] if e.get("path") == f"/private/{thread['id']}"
                                and e["kind"] == "private_message.sent"] or None,
                       timeout=90, what="the member's message in the team's inbox")
    assert entries[0]["title"] == "A member wrote to the team privately" and "declined" not in str(entries)
    assert "private_message.sent" not in outsider.get(f"/api/notifications/users/{outsider.user_id}/inbox").text

    # The queue is the answerers': 401 anonymous, 403 to a member and to a moderator, and not a title leaks.
    assert anonymous.get("/api/ideas/promise/queue").status_code == 401
    for stranger in (outsider, moderator, ann):
        refused = stranger.get("/api/ideas/promise/queue")
        assert refused.status_code == 403 and "Round-ups" not in refused.text
        assert stranger.post(f"/api/ideas/promise/queue/idea/{idea['id']}/claim").status_code == 403
    # A panel's targets and figures are its members' and staff's; the rest are told it does not exist.
    month = posted.strftime("%Y-%m")
    for stranger in (outsider, anonymous):
        for path in (f"/api/ideas/promise/figures?space={fast}&month={month}",
                     f"/api/ideas/promise/targets?space={fast}"):
            response = stranger.get(path)
            assert response.status_code == 404 and fast not in response.text.replace(f"no space {fast}", ""), path
    figures = ann.get(f"/api/ideas/promise/figures?space={fast}&month={month}").json()
    assert figures["targets"] == {"acknowledge_minutes": 30, "answer_minutes": 240}
    assert figures["all"]["posted"] == 1 and figures["all"]["answer"]["within_target"] == 1
    assert [k["kind"] for k in figures["kinds"]] == ["idea", "question"]
    # The public lab's figures hold no private message for the public; the team sees those counted.
    public = anonymous.get(f"/api/ideas/promise/figures?month={month}").json()
    assert [k["kind"] for k in public["kinds"]] == ["idea", "question"]
    team_view = adviser.get(f"/api/ideas/promise/figures?month={month}").json()
    assert team_view["kinds"][2]["kind"] == "message" and team_view["kinds"][2]["posted"] >= 1
