"""Questions, the team's answers and private replies over HTTP: members ask, the team answers in public (one answer
pinned as the team's) or privately, and a private reply reaches its member and the team only — in no list, count,
search, comment thread or someone else's data download."""
import json

import pytest

from idealab_testing import as_consumed, assert_problem
from ideas import handlers

pytestmark = pytest.mark.integration

IDEA = {"title": "Freeze my card from the app", "description": "And unfreeze it.", "category": "cards"}
QUESTION = {"title": "Can I get my statements in Spanish?", "body": "I live in Madrid."}
SECRET = "zqxprivatemarker account 4242 overdraft"
TEAM = ("product_team",)
ADVISER = ("adviser",)


@pytest.fixture
def idea(client, bearer):
    return client.post("/api/ideas", json=IDEA, headers=bearer("ann")).get_json()


@pytest.fixture
def question(client, bearer):
    response = client.post("/api/ideas/questions", json=QUESTION, headers=bearer("ann"))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_a_member_asks_a_question_everyone_reads_it_and_its_event_says_who_and_where(client, bearer, question,
                                                                                   store):
    assert client.get(f"/api/ideas/questions/{question['id']}").get_json()["title"] == QUESTION["title"]
    assert [q["id"] for q in client.get("/api/ideas/questions").get_json()["questions"]] == [question["id"]]
    [event] = [as_consumed(e) for e in store.questions.find_one({"_id": question["id"]})["outbox"]]
    assert event.type == "question.asked" and event.data["author_id"] == "ann"
    assert QUESTION["body"] not in json.dumps(event.data, default=str)


def test_a_question_in_a_space_is_not_there_for_outsiders(client, bearer):
    asked = client.post("/api/ideas/questions", json={**QUESTION, "space": "panel-1"},
                        headers=bearer("ann", spaces=("panel-1",))).get_json()
    assert_problem(client.get(f"/api/ideas/questions/{asked['id']}", headers=bearer("bob")), 404)
    assert client.get("/api/ideas/questions", headers=bearer("bob")).get_json()["questions"] == []
    assert_problem(client.post("/api/ideas/questions", json={**QUESTION, "space": "panel-1"},
                               headers=bearer("bob")), 403)
    assert client.get(f"/api/ideas/questions/{asked['id']}", headers=bearer("ada", roles=ADVISER)).status_code == 200


def test_the_team_answers_in_public_and_the_pinned_answer_shows_on_the_question_and_the_idea_list(
        client, bearer, question, idea):
    answered = client.post(f"/api/ideas/questions/{question['id']}/answers",
                           json={"text": "Yes: choose Español in your settings.", "pin": True},
                           headers=bearer("ada", roles=ADVISER))
    assert answered.status_code == 201, answered.get_json()
    shown = client.get(f"/api/ideas/questions/{question['id']}").get_json()
    assert shown["team_answer"]["text"] == "Yes: choose Español in your settings."

    first = client.post(f"/api/ideas/{idea['id']}/answers", json={"text": "We are on it."},
                        headers=bearer("pat", roles=TEAM)).get_json()
    assert client.get("/api/ideas").get_json()["ideas"][0]["team_answer"] is None
    pinned = client.put(f"/api/ideas/{idea['id']}/team-answer", json={"answer_id": first["id"]},
                        headers=bearer("pat", roles=TEAM))
    assert pinned.status_code == 200 and pinned.get_json()["team_answer"]["id"] == first["id"]
    assert client.get("/api/ideas").get_json()["ideas"][0]["team_answer"]["text"] == "We are on it."
    assert [a["text"] for a in client.get(f"/api/ideas/{idea['id']}/answers").get_json()["answers"]] == [
        "We are on it."]
    assert_problem(client.put(f"/api/ideas/{idea['id']}/team-answer", json={"answer_id": "nope"},
                              headers=bearer("pat", roles=TEAM)), 422)


def test_members_and_moderators_cannot_answer_for_the_bank(client, bearer, question):
    for who in (bearer("bob"), bearer("mo", roles=("moderator",))):
        assert_problem(client.post(f"/api/ideas/questions/{question['id']}/answers", json={"text": "Sure"},
                                   headers=who), 403)


def test_a_private_reply_on_a_comment_reaches_its_author_and_the_team_and_no_one_else(client, bearer, idea, store):
    comment = client.post(f"/api/ideas/{idea['id']}/comments", json={"text": "My card was blocked twice."},
                          headers=bearer("bob")).get_json()
    replied = client.post(f"/api/ideas/{idea['id']}/comments/{comment['id']}/private-replies",
                          json={"text": SECRET}, headers=bearer("ada", roles=ADVISER))
    assert replied.status_code == 201, replied.get_json()
    thread = replied.get_json()
    assert thread["member_id"] == "bob" and [m["text"] for m in thread["messages"]] == [SECRET]
    for event in (as_consumed(e) for e in store.comments.find_one({"_id": comment["id"]})["outbox"]):
        handlers.on_comments_changed(store, event)

    # The author and the team read it; bob answers back in the same thread.
    assert client.get(f"/api/ideas/private-threads/{thread['id']}", headers=bearer("bob")).status_code == 200
    assert client.post(f"/api/ideas/private-threads/{thread['id']}/messages", json={"text": "Thanks!"},
                       headers=bearer("bob")).status_code == 201
    assert [t["id"] for t in client.get("/api/ideas/private-threads", headers=bearer("pat", roles=TEAM))
            .get_json()["threads"]] == [thread["id"]]
    # Anyone else: not there, in any read of the lab.
    for other in ({}, bearer("cat"), bearer("ann"), bearer("mo", roles=("moderator",))):
        reads = [client.get(path, headers=other) for path in (
            "/api/ideas", f"/api/ideas/{idea['id']}", f"/api/ideas/{idea['id']}/comments",
            f"/api/ideas/{idea['id']}/answers", "/api/ideas/questions", "/api/ideas?q=overdraft",
            "/api/ideas?q=zqxprivatemarker", "/api/ideas/similar?title=overdraft account")]
        if other:
            reads += [client.get(p, headers=other) for p in ("/api/ideas/me/data", "/api/ideas/private-threads")]
            assert_problem(client.get(f"/api/ideas/private-threads/{thread['id']}", headers=other), 404)
            assert_problem(client.post(f"/api/ideas/private-threads/{thread['id']}/messages", json={"text": "hi"},
                                       headers=other), 404)
        for response in reads:
            assert response.status_code == 200, response.request.path
            assert "zqxprivatemarker" not in response.get_data(as_text=True), response.request.path
    assert client.get(f"/api/ideas/{idea['id']}").get_json()["comment_count"] == 1
    assert client.get(f"/api/ideas/{idea['id']}/comments").get_json()["comments"][0]["answered_privately"] is True
    assert "zqxprivatemarker" not in json.dumps(store.ideas.find_one({"_id": idea["id"]}), default=str)


def test_a_private_answer_is_announced_with_ids_only_to_its_one_recipient(client, bearer, idea, store):
    client.post(f"/api/ideas/{idea['id']}/private-replies", json={"text": SECRET}, headers=bearer("pat", roles=TEAM))
    [stored] = store.threads.find()
    [event] = [as_consumed(e) for e in stored["outbox"]]
    assert event.type == "answer.posted"
    assert event.data["private"] is True and event.data["recipient_id"] == "ann"
    assert "zqxprivatemarker" not in json.dumps(event.data, default=str)
    assert client.get(f"/api/ideas/{idea['id']}").get_json()["answered_privately"] is True


def test_a_member_opens_a_private_conversation_from_their_account_and_only_they_and_the_team_see_it(client, bearer):
    opened = client.post("/api/ideas/private-threads", json={"text": SECRET}, headers=bearer("bob"))
    assert opened.status_code == 201, opened.get_json()
    thread = opened.get_json()
    assert thread["about"] == "account" and thread["messages"][0]["from_team"] is False
    answered = client.post(f"/api/ideas/private-threads/{thread['id']}/messages", json={"text": "Call us."},
                           headers=bearer("ada", roles=ADVISER)).get_json()
    assert [m["from_team"] for m in answered["messages"]] == [False, True]
    mine = client.get("/api/ideas/me/data", headers=bearer("bob")).get_json()
    assert [t["id"] for t in mine["private_threads"]] == [thread["id"]]
    assert "zqxprivatemarker" not in client.get("/api/ideas/me/data", headers=bearer("ada", roles=ADVISER)).text
    assert client.get("/api/ideas/private-threads", headers=bearer("cat")).get_json()["threads"] == []


def test_a_deleted_members_private_threads_are_gone(client, bearer, store):
    client.post("/api/ideas/private-threads", json={"text": SECRET}, headers=bearer("bob"))
    handlers.on_user_deleted(store, type("Event", (), {"data": {"user_id": "bob"}}))
    assert store.threads.count_documents({}) == 0


def test_bad_conversation_input_is_a_422_problem(client, bearer, question):
    assert_problem(client.post("/api/ideas/questions", json={"title": "Hi"}, headers=bearer("bob")), 422)
    assert_problem(client.post("/api/ideas/private-threads", json={"text": " "}, headers=bearer("bob")), 422)
    assert_problem(client.post(f"/api/ideas/questions/{question['id']}/answers", json={"text": 3},
                               headers=bearer("pat", roles=TEAM)), 422)
