"""An invite-only panel through the gateway, with every process running: its idea goes the whole way (votes,
threshold, roadmap, notifications) for its members, and nothing of it leaks to anyone else on the way — not in
lists, idea pages, comments, tallies, the roadmap or inboxes."""
import pytest

from idealab_testing import assert_problem, unique, wait_for

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

    # The outsider follows a public idea (a vote), so their inbox does get status changes: the panel's not being
    # there then means something. The panel's fan-out is done (its members have theirs) before this one starts.
    public = author.post("/api/ideas", json={"title": "Round-ups for everyone", "description": "Not a secret.",
                                             "category": "savings"}).json()["id"]
    assert vote(outsider, public).status_code == 201
    wait_for(lambda: team.get(f"/api/roadmap/ideas/{public}").status_code == 200, what="the public roadmap item")
    assert team.post(f"/api/roadmap/ideas/{public}/status",
                     json={"status": "under_review", "message": "Looking into it."}).status_code == 200
    wait_for(lambda: status_entries(outsider, public, "under_review"), what="the outsider's public notification")

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
    # Signed in but not a member: the panel idea does not exist for them (404), whatever they do with it. Anonymous:
    # sign in first (401), which says nothing of the idea either.
    assert_problem(outsider.post(f"/api/votes/ideas/{idea_id}"), 404)
    assert_problem(outsider.post(f"/api/ideas/{idea_id}/comments", json={"text": "Let me in"}), 404)
    assert_problem(anonymous.post(f"/api/votes/ideas/{idea_id}"), 401)
    inbox = outsider.get(f"/api/notifications/users/{outsider.user_id}/inbox")
    assert {entry["idea_id"] for entry in inbox.json()["entries"]} == {public}, inbox.text
    assert TITLE not in inbox.text
