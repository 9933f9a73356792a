"""The community in the browser (issue 14): the leaderboard names the most active members with their level beside
their name, a member's profile shows their level, points and ideas, a launched idea is rated and reviewed from its
page (the average and distribution shown), a comment shows its author's name and level and the team marks it
helpful, and the product team sees every launch's ratings; in French too. Keyboard first, axe-clean."""
import re

import pytest
from playwright.sync_api import expect

from .conftest import eventually, screenshot

pytestmark = pytest.mark.browser


def test_leaderboard_profile_and_a_rating_of_what_was_launched(signed_in, person, grant_role, accessible):
    author = person("Lea").sign_in()
    idea = author.call("POST", "/api/ideas", json={"title": "Share a savings goal with my family",
                                                   "description": "Everyone adds to it from their own app.",
                                                   "category": "savings"})
    assert idea.status_code == 201, idea.text
    idea_id = idea.json()["id"]
    team = person("Tom")
    grant_role(team, "product_team")
    team.sign_in()
    eventually(lambda: team.call("GET", f"/api/roadmap/ideas/{idea_id}").status_code == 200, "the roadmap's item")
    launched = team.call("POST", f"/api/roadmap/ideas/{idea_id}/status",
                         json={"status": "launched", "message": "Shared goals are in the app."})
    assert launched.status_code == 200, launched.text
    # 10 for the idea, 30 for it planned (launched skips no credit) and 50 launched.
    eventually(lambda: any(e["member_id"] == author.user_id and e["points"] == 90 for e in author.call(
        "GET", "/api/ideas/leaderboard?period=week&limit=100").json()["entries"]), "Lea's points")

    said = author.call("POST", f"/api/ideas/{idea_id}/comments", json={"text": "It took a week to build, thanks!"})
    assert said.status_code == 201, said.text

    page, rater = signed_in("Rui")
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Top contributors").click()
    expect(page.get_by_role("heading", level=1, name="Top contributors")).to_be_focused()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Lea", exact=True))
    expect(row).to_contain_text("Contributor")  # 90 points: the level beside the name
    expect(row).to_contain_text("90")
    accessible(page, "leaderboard")
    screenshot(page, "leaderboard")
    page.get_by_label("Period").select_option("all")
    expect(page).to_have_url(re.compile(r"/leaderboard\?period=all"))
    expect(page.get_by_role("table")).to_contain_text("all time")

    row.get_by_role("link", name="Lea", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Lea")).to_be_focused()
    expect(page.locator(".profile-level")).to_contain_text("90 points")
    accessible(page, "a member's profile")
    page.get_by_role("link", name="Share a savings goal with my family").click()
    expect(page.get_by_role("heading", level=1)).to_be_focused()

    ratings = page.get_by_role("region", name="Ratings")
    expect(ratings).to_contain_text("Not rated yet.")
    ratings.get_by_role("radio", name="4 stars").check()
    ratings.get_by_label("Your review (optional)").fill("Simple, and the whole family uses it.")
    ratings.get_by_role("button", name="Rate it").click()
    expect(ratings.get_by_role("status")).to_contain_text("your rating is saved")
    expect(ratings).to_contain_text("4 out of 5 (1 rating)")
    expect(ratings.get_by_role("list", name="Ratings by number of stars")).to_contain_text("4 stars")
    expect(ratings).to_contain_text("Simple, and the whole family uses it.")
    expect(ratings.get_by_role("button", name="Update my rating")).to_be_visible()
    accessible(page, "a launched idea's ratings")
    screenshot(page, "ratings")

    # In the comments, the author's name with her level beside it; the team marks her comment helpful.
    comment = page.get_by_role("article", name="Comment").filter(has_text="It took a week to build")
    expect(comment.get_by_role("link", name="Lea", exact=True)).to_be_visible()
    expect(comment).to_contain_text("Contributor")
    expect(comment.get_by_role("button", name="Mark as helpful")).to_have_count(0)  # members do not mark
    staff, _ = signed_in("Tia", roles=("product_team",))
    staff.goto(f"/ideas/{idea_id}")
    staff_comment = staff.get_by_role("article", name="Comment").filter(has_text="It took a week to build")
    mark = staff_comment.get_by_role("button", name="Mark as helpful")
    mark.click()
    expect(mark).to_have_attribute("aria-pressed", "true")
    expect(staff_comment).to_contain_text("Helpful")
    accessible(staff, "a comment marked helpful, for staff")
    # The product team sees every launch's ratings.
    staff.get_by_role("navigation", name="Main").get_by_role("link", name="Launch ratings").click()
    expect(staff.get_by_role("heading", level=1, name="Ratings of what we launched")).to_be_focused()
    launch = staff.get_by_role("row").filter(has=staff.get_by_role("link", name="Share a savings goal with my family"))
    expect(launch).to_contain_text("4 out of 5")
    accessible(staff, "the launches' ratings")
    expect(page.get_by_role("link", name="Launch ratings")).to_have_count(0)  # members do not see it
    page.reload()
    expect(comment).to_contain_text("Helpful")

    page.get_by_label("Language").select_option("fr")
    avis = page.get_by_role("region", name="Avis", exact=True)
    expect(avis).to_contain_text("4 sur 5 (1 avis)")
    expect(avis.get_by_role("button", name="Modifier ma note")).to_be_visible()
    page.goto("/leaderboard")
    expect(page.get_by_role("heading", level=1, name="Meilleurs contributeurs")).to_be_visible()
    accessible(page, "the leaderboard in French")
