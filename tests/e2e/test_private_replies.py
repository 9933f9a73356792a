"""Private replies through the gateway, with every process running: the team answers a member privately on their
idea, their comment and their question, and the member writes back; the member and the team read every word, the
member's inbox says "you have a private answer" (no more), and a probe as another member and as anonymous through
every list, count, search, export, inbox and page finds no byte of it. The answer.posted events on the topic carry
ids only."""
import json
import uuid

import pytest
import requests

from idealab_testing import Inspector, wait_for

pytestmark = pytest.mark.e2e

MARKER = f"qzv{uuid.uuid4().hex}"  # one word, found nowhere else


def created(response) -> dict:
    assert response.status_code == 201, response.text
    return response.json()


def test_a_private_reply_reaches_its_member_and_the_team_and_leaks_nowhere(member, gateway, servers, lab_env):
    author, commenter = member(), member()
    adviser, team = member(roles=("adviser",)), member(roles=("product_team",))
    other = member()
    anonymous = member()
    anonymous.session.headers.pop("Authorization")

    idea = created(author.post("/api/ideas", json={"title": "Instant card freeze", "description": "From the app.",
                                                   "category": "cards"}))
    comment = created(commenter.post(f"/api/ideas/{idea['id']}/comments",
                                     json={"text": "My card was blocked abroad, twice."}))
    question = created(author.post("/api/ideas/questions", json={"title": "Why was my transfer held?",
                                                                 "body": "It was for my rent."}))
    on_idea = created(adviser.post(f"/api/ideas/{idea['id']}/private-replies",
                                   json={"text": f"Your account is fine {MARKER} idea"}))
    on_comment = created(adviser.post(f"/api/ideas/{idea['id']}/comments/{comment['id']}/private-replies",
                                      json={"text": f"We unblocked it {MARKER} comment"}))
    on_question = created(team.post(f"/api/ideas/questions/{question['id']}/private-replies",
                                    json={"text": f"The transfer was checked {MARKER} question"}))
    created(author.post(f"/api/ideas/private-threads/{on_idea['id']}/messages", json={"text": f"Thanks {MARKER}"}))
    mine = created(other.post("/api/ideas/private-threads", json={"text": "A question about my own loan."}))
    public = created(team.post(f"/api/ideas/questions/{question['id']}/answers",
                               json={"text": "Transfers over a limit are checked.", "pin": True}))

    # The members and the team read their threads, every word.
    for reader, thread in ((author, on_idea), (commenter, on_comment), (author, on_question), (team, on_comment)):
        assert MARKER in reader.get(f"/api/ideas/private-threads/{thread['id']}").text
    assert {t["id"] for t in author.get("/api/ideas/private-threads").json()["threads"]} == {
        on_idea["id"], on_question["id"]}
    assert MARKER in author.get("/api/ideas/me/data").text
    # Each recipient is told, once per answer, without the words; the team's answer is public.
    for recipient, count in ((author, 2), (commenter, 1)):
        entries = wait_for(lambda: [e for e in recipient.get(f"/api/notifications/users/{recipient.user_id}/inbox")
                                    .json()["entries"] if e["kind"] == "answer.posted"] or None,
                           what="the private answer in the recipient's inbox", timeout=90)
        wait_for(lambda: len([e for e in recipient.get(f"/api/notifications/users/{recipient.user_id}/inbox")
                              .json()["entries"] if e["kind"] == "answer.posted"]) == count, timeout=60,
                 what="every private answer in the inbox")
        assert entries[0]["title"] == "You have a private answer from the team"
        assert MARKER not in recipient.get(f"/api/notifications/users/{recipient.user_id}/inbox").text
    shown = anonymous.get(f"/api/ideas/questions/{question['id']}").json()
    assert shown["team_answer"]["id"] == public["id"] and shown["answered_privately"] is True

    # Everyone else: not a byte, anywhere.
    for stranger in (other, anonymous):
        paths = ["/api/ideas", "/api/ideas?sort=most_discussed", "/api/ideas?sort=trending", f"/api/ideas?q={MARKER}",
                 "/api/ideas?q=unblocked", f"/api/ideas/similar?title={MARKER}", f"/api/ideas/{idea['id']}",
                 f"/api/ideas/{idea['id']}/comments", f"/api/ideas/{idea['id']}/answers", "/api/ideas/questions",
                 f"/api/ideas/questions/{question['id']}", f"/api/ideas/questions/{question['id']}/answers",
                 f"/api/votes/ideas/{idea['id']}", "/api/roadmap", f"/api/roadmap/ideas/{idea['id']}",
                 f"/ideas/{idea['id']}", f"/questions/{question['id']}", "/private", f"/private/{on_idea['id']}"]
        if stranger is other:
            paths += ["/api/ideas/me/data", "/api/ideas/private-threads", "/api/votes/me/data",
                      "/api/notifications/me/data", f"/api/notifications/users/{other.user_id}/inbox"]
        for path in paths:
            response = stranger.get(path)
            assert response.status_code < 500, (path, response.text)
            assert MARKER not in response.text, path
        for thread in (on_idea, on_comment, on_question):
            response = stranger.get(f"/api/ideas/private-threads/{thread['id']}")
            assert response.status_code == (404 if stranger is other else 401), response.text
            assert MARKER not in response.text
        assert stranger.get(f"/api/ideas/{idea['id']}").json()["comment_count"] == 1
    assert {t["id"] for t in other.get("/api/ideas/private-threads").json()["threads"]} == {mine["id"]}
    assert MARKER not in requests.get(f"{gateway}/api/ideas/openapi.json", timeout=10).text

    # What travelled on the topic: ids, never the words.
    topic = lab_env["IDEALAB_NAMESPACE"] + "ideas.events"
    threads = {on_idea["id"], on_comment["id"], on_question["id"]}

    def private_answers() -> list[dict]:
        return [e for e in Inspector(servers.kafka).events(topic) if e["type"] == "answer.posted"
                and e["data"]["private"] and e["data"]["thread_id"] in threads]

    wait_for(lambda: len(private_answers()) == 3, what="the three private answers on the topic", timeout=60)
    answers = private_answers()
    assert {e["data"]["recipient_id"] for e in answers} == {author.user_id, commenter.user_id}
    everything = json.dumps(Inspector(servers.kafka).events(topic))
    assert MARKER not in everything
