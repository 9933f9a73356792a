"""Initiatives through the gateway, with every process running: the product team groups three ideas with overlapping
followers into an initiative and announces it; each follower's inbox has one entry for it, not one per idea; moving
it to launched moves the three ideas with their history; "you asked, we did" lists it; the Atom feed parses and
holds nothing of a private space, whose initiative stays hidden from outsiders."""
import time
from xml.etree import ElementTree

import pytest

from idealab_testing import unique, wait_for

from .test_core_flow import vote

pytestmark = pytest.mark.e2e

ATOM = "{http://www.w3.org/2005/Atom}"
PANEL_TITLE = "A panel-only card for savers"


def submit(author, title, space=None) -> str:
    body = {"title": title, "description": "Asked by many.", "category": "cards", **({"space": space} if space else {})}
    response = author.post("/api/ideas", json=body)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def initiative_entries(person, initiative_id) -> list[dict]:
    inbox = person.get(f"/api/notifications/users/{person.user_id}/inbox").json()
    return [e for e in inbox["entries"] if e["idea_id"] == f"initiative:{initiative_id}"]


def on_roadmap(team, idea_id, votes=0) -> bool:
    """The roadmap knows the idea (its idea.submitted was read) and counts `votes` (its tally.changed)."""
    response = team.get(f"/api/roadmap/ideas/{idea_id}")
    return response.status_code == 200 and response.json()["title"] is not None and \
        response.json()["vote_count"] >= votes


def test_an_initiative_of_three_ideas_tells_each_follower_once_and_launches_them_together(member):
    team = member(roles=("product_team",))
    authors = [member() for _ in range(3)]
    f1, f2, f3 = (member() for _ in range(3))
    anonymous = member()
    anonymous.session.headers.pop("Authorization")
    ideas = [submit(author, f"Block a lost card, take {n}") for n, author in enumerate(authors)]
    # Overlapping followers, below the vote threshold so no idea moves by itself.
    for idea_id, voters in zip(ideas, ((f1, f2), (f1, f3), (f2, f3))):
        for voter in voters:
            assert vote(voter, idea_id).status_code == 201
    for idea_id in ideas:
        wait_for(lambda: on_roadmap(team, idea_id, votes=2), timeout=60, what="the roadmap to know the idea's votes")

    created = team.post("/api/roadmap/initiatives", json={
        "title": {"en": "Block a lost card from the phone", "fr": "Bloquer sa carte depuis le téléphone"},
        "description": {"en": "One tap in the app."}, "target_quarter": "2026-Q3", "owner_team": "cards",
        "idea_ids": ideas})
    assert created.status_code == 201, created.text
    initiative_id = created.json()["initiative_id"]
    assert anonymous.get(f"/api/roadmap/initiatives/{initiative_id}").status_code == 404  # a draft
    announced = team.post(f"/api/roadmap/initiatives/{initiative_id}/announce",
                          json={"message": "You asked: we are building it."})
    assert announced.status_code == 200, announced.text

    followers = [*authors, f1, f2, f3]
    for person in followers:
        wait_for(lambda: initiative_entries(person, initiative_id), timeout=60, what="the announcement in an inbox")
    for idea_id in ideas:  # the ideas' own changes went through too
        wait_for(lambda: person.get(f"/api/ideas/{idea_id}").json().get("status") == "planned",
                 what="the ideas service to see the idea planned")
    time.sleep(2)
    for person in followers:
        entries = person.get(f"/api/notifications/users/{person.user_id}/inbox").json()["entries"]
        assert [(e["idea_id"], e["to"]) for e in entries] == [(f"initiative:{initiative_id}", "planned")]

    launched = team.post(f"/api/roadmap/initiatives/{initiative_id}/status",
                         json={"status": "launched", "message": "Live in the app today."})
    assert launched.status_code == 200, launched.text
    for idea_id in ideas:
        history = anonymous.get(f"/api/roadmap/ideas/{idea_id}").json()["history"]
        assert [(h["to"], h.get("initiative_id")) for h in history] == [
            ("planned", initiative_id), ("launched", initiative_id)]
        assert history[-1]["message"] == "Live in the app today." and history[-1]["by"] == team.user_id
    wait_for(lambda: len(initiative_entries(f1, initiative_id)) == 2, timeout=60, what="the launch in an inbox")

    done = anonymous.get("/api/roadmap/initiatives", params={"status": "launched"}).json()["initiatives"]
    ours = [i for i in done if i["initiative_id"] == initiative_id]
    assert len(ours) == 1 and ours[0]["votes"] == 6 and {i["idea_id"] for i in ours[0]["ideas"]} == set(ideas)


def test_the_atom_feed_parses_and_a_panels_initiative_reaches_its_members_only(member):
    panel = unique("panel-")[:-1]
    team = member(roles=("product_team",))
    insider = member(spaces=(panel,))
    outsider = member(spaces=("another-panel",))
    public = submit(member(), "Round-ups for everyone")
    secret = submit(insider, PANEL_TITLE, space=panel)
    for idea_id in (public, secret):
        wait_for(lambda: on_roadmap(team, idea_id), timeout=60, what="the roadmap to know the idea")
    for title, idea_id in (("Round-ups", public), ("Panel savings", secret)):
        created = team.post("/api/roadmap/initiatives", json={"title": {"en": title}, "owner_team": "savings",
                                                              "idea_ids": [idea_id]})
        assert created.status_code == 201, created.text
        created = created.json()
        assert team.post(f"/api/roadmap/initiatives/{created['initiative_id']}/announce",
                         json={"message": f"{title}: coming."}).status_code == 200
        if idea_id == secret:
            panel_initiative = created["initiative_id"]

    feed = outsider.get("/api/roadmap/feed.atom")
    assert feed.status_code == 200 and feed.headers["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(feed.content)
    assert root.tag == f"{ATOM}feed"
    titles = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
    assert "Round-ups: announced" in titles and "Round-ups for everyone: now planned" in titles
    assert "Panel" not in feed.text and secret not in feed.text and panel_initiative not in feed.text

    for stranger in (outsider, member()):
        assert stranger.get(f"/api/roadmap/initiatives/{panel_initiative}").status_code == 404
        assert panel_initiative not in stranger.get("/api/roadmap").text
        assert PANEL_TITLE not in stranger.get("/api/roadmap/initiatives").text
        assert stranger.get("/api/roadmap", params={"space": panel}).status_code == 404
    board = insider.get("/api/roadmap", params={"space": panel}).json()
    assert [i["initiative_id"] for i in board["initiatives"]] == [panel_initiative]
