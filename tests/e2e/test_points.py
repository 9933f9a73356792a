"""Points, leaderboards, profiles and ratings through the gateway (issue 14): the points consumer folds the real
events (an idea submitted, votes, a vote-and-withdraw loop that earns nothing); a space's board and the private part
of a profile reach its members only; hidden content loses its points and a member a moderator bans leaves the
board; a launch is rated by those who may see it, once each, and the product teams see its ratings. Names come from
real accounts (user.registered); the other services trust this lab's test signer, so tokens come from it."""
import pytest

from idealab_testing import unique, wait_for

from .test_campaign_voters import APPLIED_WITHIN, account, grant
from .test_core_flow import vote
from .test_following import move, submit

pytestmark = pytest.mark.e2e


def anonymous(member):
    nobody = member()
    nobody.session.headers.pop("Authorization")
    return nobody


def entries(reader, space: str) -> list[tuple[str, int, str]] | int:
    answer = reader.get("/api/ideas/leaderboard", params={"space": space, "period": "week"})
    if answer.status_code != 200:
        return answer.status_code
    return [(e["display_name"], e["points"], e["level"]) for e in answer.json()["entries"]]


def test_points_boards_and_profiles_show_what_each_reader_may_see_and_drop_hidden_content_and_bans(
        gateway, member, lab_env):
    space = unique("points-")[:-1]
    ann_account, bob_account = account(gateway, "Ann"), account(gateway, "Bob")
    mona = account(gateway, "Mona")
    grant(lab_env, mona, "moderator")
    mona.sign_in()  # a token with the role
    ann, bob = member(ann_account.user_id, spaces=(space,)), member(bob_account.user_id, spaces=(space,))
    farmer, outsider = member(spaces=(space,)), member()
    public_idea = submit(ann, "Round up my card payments into savings")
    panel_idea = ann.post("/api/ideas", json={"title": "A panel-only savings idea", "description": "For us.",
                                              "category": "savings", "space": space}).json()["id"]
    assert vote(farmer, panel_idea).status_code == 201
    for _ in range(4):  # withdraw, vote again… ending withdrawn
        assert farmer.delete(f"/api/votes/ideas/{panel_idea}").status_code == 204
        assert farmer.post(f"/api/votes/ideas/{panel_idea}").status_code == 201
    assert farmer.delete(f"/api/votes/ideas/{panel_idea}").status_code == 204
    assert vote(bob, panel_idea).status_code == 201  # after the farmer's, in the idea's partition

    # 10 for the idea submitted, 1 for the vote; the farmer's loop earns nothing.
    wait_for(lambda: entries(bob, space) == [("Ann", 10, "Newcomer"), ("Bob", 1, "Newcomer")],
             timeout=APPLIED_WITHIN, what="the panel's board")
    for stranger in (outsider, anonymous(member)):
        assert entries(stranger, space) == 404
    assert anonymous(member).get("/api/ideas/leaderboard", params={"period": "month"}).status_code == 200

    seen_by_stranger = outsider.get(f"/api/ideas/members/{ann.user_id}").json()
    assert [i["id"] for i in seen_by_stranger["ideas"]] == [public_idea]
    assert seen_by_stranger["display_name"] == "Ann" and seen_by_stranger["points"] == 10
    seen_by_member = bob.get(f"/api/ideas/members/{ann.user_id}").json()
    assert sorted(i["id"] for i in seen_by_member["ideas"]) == sorted([public_idea, panel_idea])
    assert seen_by_member["points"] == 20

    hidden = member(roles=("moderator",)).post(f"/api/ideas/{panel_idea}/hide", json={"reason": "off topic"})
    assert hidden.status_code == 200, hidden.text
    wait_for(lambda: entries(bob, space) == [("Bob", 1, "Newcomer")], timeout=APPLIED_WITHIN,
             what="the hidden idea's points taken back")
    assert bob.get(f"/api/ideas/members/{ann.user_id}").json()["points"] == 10

    banned = mona.post(f"/api/accounts/users/{bob.user_id}/ban", json={"reason": "vote buying"})
    assert banned.status_code in (200, 204), banned.text
    wait_for(lambda: entries(ann, space) == [], timeout=APPLIED_WITHIN, what="the banned member off the board")


def test_a_launch_is_rated_once_per_member_by_those_who_may_see_it_and_the_team_sees_its_ratings(member):
    space = unique("store-")[:-1]
    author, rater, outsider = member(spaces=(space,)), member(spaces=(space,)), member()
    team = member(roles=("product_team",))
    created = author.post("/api/ideas", json={"title": "An app to share a budget with my family",
                                              "description": "Co-created in the panel.", "category": "apps",
                                              "space": space})
    launch = created.json()["id"]
    ratings = f"/api/roadmap/ideas/{launch}/ratings"
    assert rater.put(ratings + "/mine", json={"stars": 5}).status_code in (404, 409)  # not launched yet
    move(team, launch, "launched", "The app is in the store.")

    assert rater.put(ratings + "/mine", json={"stars": 3, "review": "Useful"}).status_code == 201
    edited = rater.put(ratings + "/mine", json={"stars": 5, "review": "Useful, and faster now"})
    assert edited.status_code == 200 and edited.json()["stars"] == 5
    assert author.put(ratings + "/mine", json={"stars": 4}).status_code == 201
    shown = rater.get(ratings).json()
    assert shown["summary"] == {"count": 2, "average": 4.5, "distribution": {"1": 0, "2": 0, "3": 0, "4": 1, "5": 1}}
    assert shown["mine"]["review"] == "Useful, and faster now"

    for stranger in (outsider, anonymous(member)):
        assert stranger.get(ratings).status_code == 404
    assert outsider.put(ratings + "/mine", json={"stars": 1}).status_code == 404
    bad = rater.put(ratings + "/mine", json={"stars": 9})
    assert bad.status_code == 422 and bad.headers["Content-Type"].startswith("application/problem+json")

    launches = {x["id"]: x for x in team.get("/api/roadmap/launches").json()["launches"]}
    assert launches[launch]["count"] == 2 and launches[launch]["average"] == 4.5
    assert author.get("/api/roadmap/launches").status_code == 403
