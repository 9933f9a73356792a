"""Initiatives over HTTP: the product team drafts one over some ideas, announces it and moves it, its ideas moving
with it (each with its history entry and its own event); members see it once announced, in its space only; the
board, "you asked, we did" and the Atom feed show it."""
import json
from xml.etree import ElementTree

import pytest

from idealab.events import new_event
from idealab_testing import as_consumed
from roadmap import feed

pytestmark = pytest.mark.integration

TEAM = {"roles": ("product_team",)}


@pytest.fixture
def ideas(consume, event, idea_id):
    """Three public ideas under review, with their votes, and one of a panel."""
    ids = [f"{idea_id}-{n}" for n in range(3)]
    for n, i in enumerate(ids):
        consume(event.submitted(i, title=f"Block my card {n}"))
        consume(event.threshold_reached(i))
        consume(tally(i, 10 + n, version=10 + n))
    consume(event.submitted(f"{idea_id}-panel", title="Panel secret", space="panel-1"))
    return ids


def tally(idea_id, count, version):
    return new_event("tally.changed", {"idea_id": idea_id, "count": count, "version": version}, source="/votes",
                     subject=idea_id)


def draft(client, bearer, idea_ids, **changes):
    body = {"title": {"en": "Block a lost card from the phone", "fr": "Bloquer sa carte"},
            "description": {"en": "One tap."}, "target_quarter": "2026-Q3", "owner_team": "cards",
            "idea_ids": idea_ids, **changes}
    return client.post("/api/roadmap/initiatives", json=body, headers=bearer("team-1", **TEAM))


def announced(client, bearer, idea_ids):
    created = draft(client, bearer, idea_ids)
    assert created.status_code == 201, created.text
    initiative_id = created.json["initiative_id"]
    response = client.post(f"/api/roadmap/initiatives/{initiative_id}/announce",
                           json={"message": "You asked: we are building it."}, headers=bearer("team-1", **TEAM))
    assert response.status_code == 200, response.text
    return response.json


def test_announcing_moves_its_ideas_each_with_its_history_and_event(client, bearer, stored, ideas):
    initiative = announced(client, bearer, ideas)

    assert (initiative["status"], initiative["announced"], initiative["votes"]) == ("planned", True, 33)
    assert [i["status"] for i in initiative["ideas"]] == ["planned"] * 3
    for idea_id in ideas:
        item = stored(idea_id)
        assert item["history"][-1]["initiative_id"] == initiative["initiative_id"]
        assert item["history"][-1]["message"] == "You asked: we are building it."
        moved = as_consumed(json.loads(json.dumps(item["outbox"][-1])))
        assert (moved.type, moved.data["to_status"], moved.data["initiative_id"]) == (
            "idea.status_changed", "planned", initiative["initiative_id"])


def test_moving_it_to_launched_moves_every_idea_and_replaying_its_event_changes_nothing(
        client, bearer, consume, mongo_db, stored, ideas):
    initiative_id = announced(client, bearer, ideas)["initiative_id"]
    response = client.post(f"/api/roadmap/initiatives/{initiative_id}/status",
                           json={"status": "launched", "message": "Live in the app."}, headers=bearer("t", **TEAM))
    assert response.status_code == 200, response.text
    assert [i["status"] for i in response.json["ideas"]] == ["launched"] * 3
    assert [(h["from"], h["to"]) for h in response.json["history"]] == [(None, "planned"), ("planned", "launched")]

    for event in mongo_db["initiatives"].find_one({"_id": initiative_id})["outbox"]:
        consume(json.loads(json.dumps(event)))
    assert [len(stored(i)["history"]) for i in ideas] == [3, 3, 3]  # review, planned, launched: no more


def test_the_worker_moves_the_ideas_an_interrupted_api_left_behind(client, bearer, consume, mongo_db, stored, ideas):
    initiative_id = announced(client, bearer, ideas)["initiative_id"]
    mongo_db["items"].update_one({"_id": ideas[1]}, {"$set": {"status": "under_review"}, "$pop": {"history": 1}})

    consume(json.loads(json.dumps(mongo_db["initiatives"].find_one({"_id": initiative_id})["outbox"][0])))

    assert stored(ideas[1])["status"] == "planned"


def test_ideas_of_another_space_or_unknown_ones_are_refused_and_nothing_is_stored(client, bearer, mongo_db, ideas,
                                                                                   idea_id):
    mixed = draft(client, bearer, [ideas[0], f"{idea_id}-panel"])
    assert mixed.status_code == 422 and "different spaces" in mixed.text
    assert draft(client, bearer, ["nowhere"]).status_code == 422
    assert draft(client, bearer, ideas, target_quarter="next year").status_code == 422
    assert draft(client, bearer, ideas, title={"de": "Karte"}).status_code == 422
    assert draft(client, bearer, ideas, title={"en": "Two\nlines"}).status_code == 422
    assert mongo_db["initiatives"].count_documents({}) == 0


def test_a_draft_is_for_staff_and_an_announced_one_is_for_everyone_who_sees_its_ideas(client, bearer, consume,
                                                                                        event, idea_id, ideas):
    initiative_id = draft(client, bearer, ideas).json["initiative_id"]
    assert client.get(f"/api/roadmap/initiatives/{initiative_id}").status_code == 404
    assert client.get("/api/roadmap/initiatives", headers=bearer("m")).json["initiatives"] == []
    assert client.get(f"/api/roadmap/initiatives/{initiative_id}", headers=bearer("t", **TEAM)).status_code == 200

    consume(event.submitted(f"{idea_id}-panel-2", title="Panel secret too", space="panel-1"))
    panel = announced(client, bearer, [f"{idea_id}-panel", f"{idea_id}-panel-2"])
    path = f"/api/roadmap/initiatives/{panel['initiative_id']}"
    assert client.get(path).status_code == 404 and client.get(path, headers=bearer("o")).status_code == 404
    assert client.get(path, headers=bearer("p", spaces=("panel-1",))).json["space"] == "panel-1"
    assert "Panel secret" not in client.get("/api/roadmap").text
    assert client.get("/api/roadmap", query_string={"space": "panel-1"}).status_code == 404
    member_board = client.get("/api/roadmap", query_string={"space": "panel-1"},
                              headers=bearer("p", spaces=("panel-1",)))
    assert [i["initiative_id"] for i in member_board.json["initiatives"]] == [panel["initiative_id"]]


def test_the_board_shows_initiatives_first_and_the_open_columns_most_voted(client, bearer, consume, event, idea_id,
                                                                           ideas):
    initiative_id = announced(client, bearer, ideas)["initiative_id"]
    for n in range(12):
        consume(event.submitted(f"{idea_id}-open-{n}", title=f"Open {n}"))
        consume(tally(f"{idea_id}-open-{n}", n, version=n + 1))
    consume(tally(f"{idea_id}-open-3", 1, version=1))  # a stale copy: kept out

    board = client.get("/api/roadmap").json
    assert [i["initiative_id"] for i in board["initiatives"]] == [initiative_id]
    assert [i["vote_count"] for i in board["columns"]["open"]] == list(range(11, 1, -1))
    assert board["open_list"] == "/ideas?status=open&sort=most_voted"
    assert client.get("/api/roadmap", query_string={"category": "cards"}).json == {
        "initiatives": [], "columns": {}, "open_list": "/ideas?status=open&sort=most_voted&category=cards"}


def test_you_asked_we_did_lists_launched_initiatives_and_the_feed_only_public_changes(client, bearer, consume,
                                                                                       event, idea_id, ideas):
    launched = announced(client, bearer, ideas)["initiative_id"]
    client.post(f"/api/roadmap/initiatives/{launched}/status", json={"status": "launched", "message": "Live."},
                headers=bearer("t", **TEAM))
    consume(event.submitted(f"{idea_id}-panel-2", title="Panel secret too", space="panel-1"))
    announced(client, bearer, [f"{idea_id}-panel", f"{idea_id}-panel-2"])

    done = client.get("/api/roadmap/initiatives", query_string={"status": "launched"}).json["initiatives"]
    assert [(i["initiative_id"], i["votes"], len(i["ideas"])) for i in done] == [(launched, 33, 3)]

    response = client.get("/api/roadmap/feed.atom")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    root = ElementTree.fromstring(response.data)
    titles = [e.findtext(f"{{{feed.ATOM}}}title") for e in root.iter(f"{{{feed.ATOM}}}entry")]
    assert "Block a lost card from the phone: now launched" in titles
    assert "Block my card 0: now launched" in titles
    assert "Panel" not in response.get_data(as_text=True)
