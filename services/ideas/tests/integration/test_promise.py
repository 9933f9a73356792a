"""The response-time promise over HTTP, with the worker's handlers fed the events the API stored: posts reach the
team's queue with their language and due times, a claim acknowledges, an answer (public or private) takes a post
out, a member's private message comes in and the team's reply answers it; replays change nothing; the queue is the
answerers' and a private space's targets and figures its members' and staff's."""
from datetime import datetime, timedelta, timezone

import pytest

from idealab.events import new_event
from idealab_testing import as_consumed, assert_problem
from ideas import handlers

pytestmark = pytest.mark.integration

ADVISER = ("adviser",)
TEAM = ("product_team",)


def created(response) -> dict:
    assert response.status_code == 201, response.get_json()
    return response.get_json()


@pytest.fixture
def work(store):
    """Hands every event waiting in the outboxes to the worker's handlers, each twice (a replay)."""
    mapping = handlers.event_handlers(store)

    def run():
        for collection in (store.ideas, store.questions, store.answers, store.threads):
            for document in collection.find({"outbox.0": {"$exists": True}}):
                for envelope in document["outbox"]:
                    for _ in range(2):
                        if envelope["type"] in mapping:
                            mapping[envelope["type"]](as_consumed(envelope))
                collection.update_one({"_id": document["_id"]}, {"$set": {"outbox": []}})
    return run


def queue(client, bearer, query=""):
    response = client.get(f"/api/ideas/promise/queue{query}", headers=bearer("adv", ADVISER))
    assert response.status_code == 200, response.get_json()
    return response.get_json()["waiting"]


def test_posts_wait_in_the_queue_until_claimed_and_answered_in_public_or_privately(client, bearer, work):
    idea = created(client.post("/api/ideas", json={"title": "Freeze my card", "description": "From the app.",
                                                   "category": "cards", "language": "es"}, headers=bearer("ann")))
    question = created(client.post("/api/ideas/questions", json={"title": "Statements in French?", "body": "Yes?"},
                                   headers={**bearer("bob"), "Accept-Language": "fr-FR,fr;q=0.9"}))
    assert (idea["language"], question["language"]) == ("es", "fr")
    work()
    waiting = queue(client, bearer)
    assert [(w["kind"], w["item_id"], w["language"], w["owed"]) for w in waiting] == [
        ("idea", idea["id"], "es", "acknowledge"), ("question", question["id"], "fr", "acknowledge")]
    assert waiting[0]["title"] == "Freeze my card"
    assert [w["item_id"] for w in queue(client, bearer, "?language=fr")] == [question["id"]]
    assert [w["item_id"] for w in queue(client, bearer, "?kind=idea")] == [idea["id"]]

    claimed = client.post(f"/api/ideas/promise/queue/idea/{idea['id']}/claim", headers=bearer("adv", ADVISER))
    assert claimed.status_code == 200 and claimed.get_json()["owed"] == "answer"
    assert [w["item_id"] for w in queue(client, bearer, "?waiting_for=me")] == [idea["id"]]
    handed = client.post(f"/api/ideas/promise/queue/idea/{idea['id']}/hand-over", json={"to": "pat"},
                         headers=bearer("adv", ADVISER)).get_json()
    assert handed["claimed_by"] == "pat" and handed["handovers"][0]["from"] == "adv"
    assert_problem(client.post(f"/api/ideas/promise/queue/idea/{idea['id']}/claim", headers=bearer("adv", ADVISER)),
                   409)  # pat's now: handed over, not taken back by a claim
    assert queue(client, bearer, "?waiting_for=me") == []

    created(client.post(f"/api/ideas/{idea['id']}/answers", json={"text": "Coming soon."}, headers=bearer("pat", TEAM)))
    created(client.post(f"/api/ideas/questions/{question['id']}/private-replies", json={"text": "Yes, for you."},
                        headers=bearer("pat", TEAM)))
    work()
    assert queue(client, bearer) == []
    assert_problem(client.post(f"/api/ideas/promise/queue/idea/{idea['id']}/claim", headers=bearer("adv", ADVISER)),
                   409)


def test_a_members_private_message_waits_until_the_team_writes_back(client, bearer, work, store):
    thread = created(client.post("/api/ideas/private-threads", json={"text": "About my loan", "language": "en"},
                                 headers=bearer("ann")))
    work()
    [waiting] = queue(client, bearer, "?kind=message")
    assert (waiting["thread_id"], waiting["title"], waiting["language"]) == (thread["id"], None, "en")
    created(client.post(f"/api/ideas/private-threads/{thread['id']}/messages", json={"text": "We look at it."},
                        headers=bearer("adv", ADVISER)))
    work()
    assert queue(client, bearer) == []
    assert store.promises.count_documents({}) == 1  # replays recorded nothing twice


def test_a_spaces_targets_are_set_by_staff_and_promised_to_the_posts_made_after(client, bearer, work):
    assert client.get("/api/ideas/promise/targets?space=panel").status_code == 404
    assert client.get("/api/ideas/promise/targets?space=panel", headers=bearer("out")).status_code == 404
    assert_problem(client.put("/api/ideas/promise/targets?space=panel",
                              json={"acknowledge_minutes": 30, "answer_minutes": 240}, headers=bearer("adv", ADVISER)),
                   403)
    assert_problem(client.put("/api/ideas/promise/targets?space=panel",
                              json={"acknowledge_minutes": 30, "answer_minutes": 10}, headers=bearer("pat", TEAM)), 422)
    set_ = client.put("/api/ideas/promise/targets?space=panel", json={"acknowledge_minutes": 30,
                                                                      "answer_minutes": 240},
                      headers=bearer("pat", TEAM))
    assert set_.get_json() == {"space": "panel", "acknowledge_minutes": 30, "answer_minutes": 240}
    assert client.get("/api/ideas/promise/targets?space=panel", headers=bearer("ann", spaces=("panel",))).get_json()[
        "acknowledge_minutes"] == 30
    assert client.get("/api/ideas/promise/targets").get_json()["acknowledge_minutes"] == 60  # the public lab's

    idea = created(client.post("/api/ideas", json={"title": "A panel idea", "description": "For us.",
                                                   "category": "cards", "space": "panel"},
                               headers=bearer("ann", spaces=("panel",))))
    work()
    [waiting] = queue(client, bearer, "?space=panel")
    posted = datetime.fromisoformat(waiting["posted_at"])
    assert datetime.fromisoformat(waiting["acknowledge_due"]) - posted == timedelta(minutes=30)
    assert queue(client, bearer, "?public_lab=true") == []
    later = (posted + timedelta(minutes=31)).isoformat()
    [at_later] = queue(client, bearer, f"?space=panel&at={later.replace('+', '%2B')}")
    assert at_later["overdue"] and at_later["item_id"] == idea["id"]


def test_the_queue_is_for_those_who_answer_and_a_private_spaces_figures_for_its_members_and_staff(client, bearer,
                                                                                                  work):
    created(client.post("/api/ideas", json={"title": "A panel idea", "description": "For us.", "category": "cards",
                                            "space": "panel"}, headers=bearer("ann", spaces=("panel",))))
    created(client.post("/api/ideas", json={"title": "A public idea", "description": "For all.",
                                            "category": "cards"}, headers=bearer("bob")))
    created(client.post("/api/ideas/private-threads", json={"text": "My own loan"}, headers=bearer("bob")))
    work()
    assert_problem(client.get("/api/ideas/promise/queue"), 401)
    for roles in (("member",), ("moderator",)):
        assert_problem(client.get("/api/ideas/promise/queue", headers=bearer("m", roles, ("panel",))), 403)
    month = datetime.now(timezone.utc).strftime("%Y-%m")
    for headers in ({}, bearer("out")):
        assert_problem(client.get(f"/api/ideas/promise/figures?space=panel&month={month}", headers=headers), 404)
    panel = client.get(f"/api/ideas/promise/figures?space=panel&month={month}",
                       headers=bearer("ann", spaces=("panel",))).get_json()
    assert panel["all"]["posted"] == 1
    public = client.get(f"/api/ideas/promise/figures?month={month}").get_json()
    # The public lab's: its one idea; no panel idea, and no private message, whose number is not the public's.
    assert public["all"]["posted"] == 1 and [k["kind"] for k in public["kinds"]] == ["idea", "question"]
    team = client.get(f"/api/ideas/promise/figures?month={month}", headers=bearer("adv", ADVISER)).get_json()
    assert team["all"]["posted"] == 2 and team["kinds"][2] == {**team["kinds"][2], "kind": "message", "posted": 1}
    assert_problem(client.get("/api/ideas/promise/figures?month=2026-13"), 422)


def test_a_deleted_members_posts_leave_the_queue_and_their_id_is_erased(client, bearer, work, store):
    idea = created(client.post("/api/ideas", json={"title": "Cheaper transfers", "description": "Abroad.",
                                                   "category": "cards"}, headers=bearer("ann")))
    created(client.post("/api/ideas/private-threads", json={"text": "About my loan"}, headers=bearer("ann")))
    work()
    assert len(queue(client, bearer)) == 2
    deleted = as_consumed(new_event("user.deleted", {"user_id": "ann", "deleted_at": datetime.now(timezone.utc)},
                                    source="/accounts", subject="ann"))
    for _ in range(2):  # replayed too
        handlers.event_handlers(store)["user.deleted"](deleted)
    assert queue(client, bearer) == []
    assert store.promises.count_documents({"member_id": "ann"}) == 0
    assert store.promises.count_documents({"item_id": idea["id"], "author_gone_at": {"$ne": None}}) == 1


def test_moving_an_idea_on_the_roadmap_answers_it_whichever_event_is_read_first(client, bearer, work, store):
    ideas = [created(client.post("/api/ideas", json={"title": f"Idea number {n}", "description": "Well.",
                                                     "category": "cards"}, headers=bearer("ann"))) for n in (1, 2)]
    moved = [new_event("idea.status_changed", {
        "idea_id": idea["id"], "from_status": "open", "to_status": "under_review", "message": "We look at it.",
        "by": "pat", "changed_at": datetime.now(timezone.utc)}, source="/roadmap", subject=idea["id"]) for idea in ideas]
    mapping = handlers.event_handlers(store)
    mapping["idea.status_changed"](as_consumed(moved[0]))  # before the idea's own event: read on another topic
    work()
    mapping["idea.status_changed"](as_consumed(moved[1]))  # after it
    assert queue(client, bearer) == []
    assert store.promises.count_documents({"answered_at": {"$ne": None}}) == 2
