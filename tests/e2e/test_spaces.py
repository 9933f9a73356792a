"""An invite-only panel through the gateway, with every process running: its idea goes the whole way (votes,
threshold, roadmap, notifications) for its members, and nothing of it leaks to anyone else on the way — not in
lists, idea pages, comments, tallies, the roadmap or inboxes."""
import pytest

from idealab.testing import unique, wait_for

from .conftest import THRESHOLD
from .test_core_flow import status_entries, vote

pytestmark = pytest.mark.e2e

TITLE = "A savings rate for panel members only"


def test_a_panel_idea_goes_the_whole_way_for_its_members_and_leaks_nowhere(member):
    panel = unique("panel-")[:-1]
    author = member(spaces=(panel,))
    voters = [member(spaces=(panel,)) for _ in range(THRESHOLD)]
    team = member(roles=("product_team",))
    outsider = member(spaces=("another-panel",))
    anonymous = member()
    anonymous.session.headers.pop("Authorization")

    submitted = author.post("/api/ideas", json={"title": TITLE, "description": "Ask the panel first.",
                                                "category": "savings", "space": panel})
    assert submitted.status_code == 201, submitted.text
    idea_id = submitted.json()["id"]
    assert outsider.post("/api/ideas", json={"title": "Sneaking into the panel", "description": "No.",
                                             "category": "savings", "space": panel}).status_code == 403
    for voter in voters:
        assert vote(voter, idea_id).status_code == 201
    assert voters[0].post(f"/api/ideas/{idea_id}/comments", json={"text": "Yes!"}).status_code == 201
    # Two relay hops and two consumer hops from the votes (vote, then threshold event).
    wait_for(lambda: author.get(f"/api/roadmap/ideas/{idea_id}").json().get("status") == "under_review", timeout=90,
             what="the threshold to send the panel idea to review")
    assert team.post(f"/api/roadmap/ideas/{idea_id}/status",
                     json={"status": "planned", "message": "The panel convinced us."}).status_code == 200
    for person in [author, *voters]:
        wait_for(lambda: status_entries(person, idea_id, "planned"), what="a panel member's notification")

    for stranger in (outsider, anonymous):
        assert idea_id not in stranger.get("/api/ideas", params={"limit": 100}).text
        assert idea_id not in stranger.get("/api/ideas", params={"sort": "most_voted", "limit": 100}).text
        assert stranger.get("/api/ideas", params={"space": panel}).status_code == 404
        for path in (f"/api/ideas/{idea_id}", f"/api/ideas/{idea_id}/comments", f"/api/votes/ideas/{idea_id}",
                     f"/api/roadmap/ideas/{idea_id}"):
            response = stranger.get(path)
            assert response.status_code == 404, path
            assert TITLE not in response.text
        assert idea_id not in stranger.get("/api/roadmap").text
        assert stranger.post(f"/api/votes/ideas/{idea_id}").status_code in (401, 404)
    assert outsider.get(f"/api/notifications/users/{outsider.user_id}/inbox").json()["entries"] == []
