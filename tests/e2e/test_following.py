"""Following ideas through the gateway (issue 14): following an idea one never voted on brings its status changes to
the inbox; unfollowing one voted on stops them and keeps the vote; merging a duplicate counts each of both ideas'
voters once on the original, and the duplicate's followers follow the original."""
import time

import pytest

from idealab_testing import wait_for

from .test_core_flow import status_entries, vote

pytestmark = pytest.mark.e2e


def submit(author, title: str) -> str:
    response = author.post("/api/ideas", json={"title": title, "description": "As the title says.",
                                               "category": "payments"})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def move(team, idea_id: str, status: str, message: str) -> None:
    # The roadmap learns of an idea from idea.submitted: 404 until then.
    wait_for(lambda: team.get(f"/api/roadmap/ideas/{idea_id}").status_code == 200, what="the roadmap to know it")
    moved = team.post(f"/api/roadmap/ideas/{idea_id}/status", json={"status": status, "message": message})
    assert moved.status_code == 200, moved.text


def tally(someone, idea_id: str) -> int:
    return someone.get(f"/api/votes/ideas/{idea_id}").json()["count"]


def test_following_an_idea_one_did_not_vote_on_brings_its_status_changes_to_the_inbox(member):
    author, follower, bystander = member(), member(), member()
    team = member(roles=("product_team",))
    idea_id = submit(author, "Split a bill with a friend in one tap")

    assert follower.get(f"/api/ideas/{idea_id}/follow").json()["following"] is None  # no choice made yet
    followed = follower.put(f"/api/ideas/{idea_id}/follow")
    assert followed.status_code == 200, followed.text
    assert followed.json()["following"] is True
    assert follower.get(f"/api/ideas/{idea_id}/follow").json()["following"] is True
    assert follower.put(f"/api/ideas/{idea_id}/follow").status_code == 200  # again: still following, no error

    move(team, idea_id, "under_review", "We are looking at bill splitting.")
    entries = wait_for(lambda: status_entries(follower, idea_id, "under_review"), what="the follower's notification")
    assert len(entries) == 1 and entries[0]["message"] == "We are looking at bill splitting."
    wait_for(lambda: status_entries(author, idea_id, "under_review"), what="the author's notification")
    assert status_entries(bystander, idea_id, "under_review") == []
    assert tally(follower, idea_id) == 0  # following is not voting


def test_unfollowing_an_idea_one_voted_on_stops_its_notifications_and_keeps_the_vote(member):
    author, quitter, stayer = member(), member(), member()
    team = member(roles=("product_team",))
    idea_id = submit(author, "Pay the rent on the first of each month")
    for voter in (quitter, stayer):
        assert vote(voter, idea_id).status_code == 201
    wait_for(lambda: tally(author, idea_id) == 2, what="both votes counted")

    unfollowed = quitter.delete(f"/api/ideas/{idea_id}/follow")
    assert unfollowed.status_code == 200, unfollowed.text
    assert unfollowed.json()["following"] is False
    assert quitter.get(f"/api/votes/ideas/{idea_id}").json()["my_vote"] is True

    move(team, idea_id, "under_review", "Rent payments are on our list.")
    wait_for(lambda: status_entries(stayer, idea_id, "under_review"), what="the voter who still follows it")
    time.sleep(3)  # the inbox is read when asked: the quitter's would show it by now, had they still followed it
    assert status_entries(quitter, idea_id, "under_review") == []
    assert tally(author, idea_id) == 2  # the vote stays counted
    assert quitter.get(f"/api/votes/ideas/{idea_id}").json()["my_vote"] is True

    # Following again brings the changes after it (not those from before).
    assert quitter.put(f"/api/ideas/{idea_id}/follow").status_code == 200
    move(team, idea_id, "planned", "Planned for the spring.")
    wait_for(lambda: status_entries(quitter, idea_id, "planned"), what="the notification after following again")
    assert status_entries(quitter, idea_id, "under_review") == []


def test_a_merge_counts_each_voter_of_both_ideas_once_and_the_duplicates_followers_follow_the_original(member):
    author, both, only_original, only_duplicate, follower = (member() for _ in range(5))
    staff, team = member(roles=("moderator",)), member(roles=("product_team",))
    original = submit(author, "Instant card freeze from the lock screen")
    duplicate = submit(author, "Freeze the card from the lock screen")
    for voter in (both, only_original):
        assert vote(voter, original).status_code == 201
    for voter in (both, only_duplicate):
        assert vote(voter, duplicate).status_code == 201
    assert follower.put(f"/api/ideas/{duplicate}/follow").status_code == 200
    wait_for(lambda: tally(author, original) == 2 and tally(author, duplicate) == 2, what="the votes counted")

    assert author.post(f"/api/ideas/{duplicate}/merge", json={"into": original}).status_code == 403  # staff only
    merged = staff.post(f"/api/ideas/{duplicate}/merge", json={"into": original})
    assert merged.status_code == 200, merged.text
    assert merged.json()["merged_into"] == original
    assert author.get(f"/api/ideas/{duplicate}").json()["merged_into"] == original
    assert staff.post(f"/api/ideas/{duplicate}/merge", json={"into": original}).status_code == 409  # once
    assert staff.post(f"/api/ideas/{original}/merge", json={"into": duplicate}).status_code == 409  # not back

    # The original counts both, only_original and only_duplicate: three members, not four votes.
    wait_for(lambda: tally(author, original) == 3, timeout=90, what="the original's tally of distinct voters")
    wait_for(lambda: author.get(f"/api/roadmap/ideas/{duplicate}").json().get("status") == "duplicate",
             timeout=90, what="the roadmap to mark the duplicate")
    time.sleep(2)
    assert tally(author, original) == 3  # and it stays there
    # The duplicate's voters and followers now hear of the original.
    wait_for(lambda: author.get(f"/api/roadmap/ideas/{original}").json().get("status") == "under_review",
             timeout=90, what="three votes reaching the threshold")  # THRESHOLD is 3
    move(team, original, "planned", "Card freeze ships in May.")
    for person in (follower, only_duplicate, both, only_original):
        wait_for(lambda: status_entries(person, original, "planned"), what="a merged follower's notification")
