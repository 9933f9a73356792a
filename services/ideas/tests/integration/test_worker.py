"""The ideas worker as deployed (python -m ideas.worker) against the real Kafka and database."""
import pytest

from idealab.events import new_event
from idealab_testing import running_worker, wait_for

pytestmark = pytest.mark.integration


def test_the_worker_publishes_a_submitted_idea_and_shows_the_tally_it_hears_of(
        client, bearer, store, worker_env, publish, kafka_state, namespace):
    with running_worker("ideas.worker", worker_env("ideas")):
        idea_id = client.post("/api/ideas", headers=bearer("ann"), json={
            "title": "Freeze my card from the app", "description": "One tap.", "category": "cards"}).json["id"]

        published = wait_for(lambda: [e for e in kafka_state.events(namespace + "ideas.events")
                                      if e["subject"] == idea_id], what="idea.submitted on ideas.events")
        assert [e["type"] for e in published] == ["idea.submitted"]
        wait_for(lambda: store.ideas.find_one({"_id": idea_id})["outbox"] == [], what="the outbox emptied")

        publish(new_event("tally.changed", {"idea_id": idea_id, "count": 7, "version": 7}, source="/votes",
                          subject=idea_id))
        wait_for(lambda: client.get(f"/api/ideas/{idea_id}").json["vote_count"] == 7, what="the vote count")


def test_the_worker_publishes_a_members_choices_to_follow_and_unfollow(
        client, bearer, store, worker_env, kafka_state, namespace):
    # The choices ride in the follows collection's documents: the relay must read that collection too.
    with running_worker("ideas.worker", worker_env("ideas")):
        idea_id = client.post("/api/ideas", headers=bearer("ann"), json={
            "title": "Split a bill in one tap", "description": "With a friend.", "category": "payments"}).json["id"]
        assert client.put(f"/api/ideas/{idea_id}/follow", headers=bearer("bea")).status_code == 200
        wait_for(lambda: store.follows.find_one({"_id": f"{idea_id}:bea"})["outbox"] == [], what="followed, relayed")
        assert client.delete(f"/api/ideas/{idea_id}/follow", headers=bearer("bea")).status_code == 200

        def choices():
            return [e for e in kafka_state.events(namespace + "ideas.events")
                    if e["subject"] == idea_id and e["type"] in ("idea.followed", "idea.unfollowed")]
        published = wait_for(lambda: len(choices()) == 2 and choices(), what="both choices on ideas.events")
        assert [e["type"] for e in published] == ["idea.followed", "idea.unfollowed"]
        assert {e["data"]["user_id"] for e in published} == {"bea"}
        wait_for(lambda: store.follows.find_one({"_id": f"{idea_id}:bea"})["outbox"] == [], what="the outbox emptied")


def test_the_worker_publishes_questions_and_answers_and_a_private_answer_with_ids_only(
        client, bearer, store, worker_env, kafka_state, namespace):
    # Questions, answers and private threads each ride in their own collection's documents: the relay reads them all.
    with running_worker("ideas.worker", worker_env("ideas")):
        asked = client.post("/api/ideas/questions", headers=bearer("ann"), json={
            "title": "Can I pay in yen abroad?", "body": "Next month in Tokyo."}).json
        team = bearer("pat", roles=("product_team",))
        client.post(f"/api/ideas/questions/{asked['id']}/answers", headers=team, json={"text": "Yes, no fee."})
        thread = client.post(f"/api/ideas/questions/{asked['id']}/private-replies", headers=team,
                             json={"text": "zqxsecret your card limit"}).json

        def published():
            return [e for e in kafka_state.events(namespace + "ideas.events")
                    if e["subject"] in (asked["id"], thread["id"])]
        found = wait_for(lambda: len(published()) == 3 and published(), what="the question and both answers")
        assert sorted(e["type"] for e in found) == ["answer.posted", "answer.posted", "question.asked"]
        assert "zqxsecret" not in str(found)
        wait_for(lambda: store.threads.find_one({"_id": thread["id"]})["outbox"] == [], what="the outbox emptied")
