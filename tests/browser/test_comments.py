"""Comments under an idea: a member comments and replies, a moderator hides a reply with a public reason, and
readers see the reason instead of the text."""
import pytest
from playwright.sync_api import expect

from .conftest import eventually, screenshot

pytestmark = pytest.mark.browser


def test_members_discuss_an_idea_and_a_moderator_hides_a_reply(signed_in, person, accessible):
    author = person("Bo").sign_in()
    idea = author.call("POST", "/api/ideas", json={"title": "Let me name my savings pots",
                                                   "description": "Holiday, car, rainy day.", "category": "savings"})
    assert idea.status_code == 201, idea.text
    path = f"/ideas/{idea.json()['id']}"

    page, _ = signed_in("Cy")
    page.goto(path)
    comments = page.get_by_role("region", name="Comments (0)")
    expect(comments.get_by_text("No comments yet.")).to_be_visible()
    page.get_by_role("button", name="Post my comment").click()
    expect(page.locator("#field-comment-error")).not_to_be_empty()  # the API refused an empty one, said under it
    page.get_by_label("Add a comment").fill("Yes please, and an emoji per pot.")
    page.get_by_role("button", name="Post my comment").click()
    thread = page.get_by_role("region", name="Comments (1)")
    first = thread.get_by_role("article").filter(has_text="Yes please")
    expect(first).to_contain_text("You")

    thread.get_by_role("button", name="Reply").click()
    page.get_by_label("Your reply").fill("Emoji would be off-topic here, really.")
    page.get_by_role("button", name="Post my reply").click()
    reply = page.locator(".replies").get_by_role("article").filter(has_text="off-topic")
    expect(reply).to_be_visible()
    expect(page.get_by_role("heading", name="Comments (2)")).to_be_visible()
    accessible(page, "idea with comments")
    screenshot(page, "comments")

    moderator_page, _ = signed_in("Di", roles=("moderator",))
    moderator_page.goto(path)
    shown = moderator_page.locator(".replies").get_by_role("article").filter(has_text="off-topic")
    shown.get_by_role("button", name="Hide this comment").click()
    shown.get_by_label("Reason, shown to everyone").fill("Rude to another member")
    shown.get_by_role("button", name="Hide", exact=True).click()
    expect(shown).to_contain_text("Hidden by a moderator: Rude to another member")
    expect(shown).to_contain_text("off-topic")  # moderators still read it
    expect(shown.get_by_role("button", name="Restore this comment")).to_be_visible()
    accessible(moderator_page, "idea, moderator")

    page.reload()
    hidden = page.locator(".replies").get_by_role("article")
    expect(hidden).to_contain_text("Hidden by a moderator: Rude to another member")
    expect(hidden).not_to_contain_text("off-topic")

    # The list's count is the ideas worker's, from the comment events: wait for it before looking.
    eventually(lambda: author.call("GET", f"/api{path}").json()["comment_count"] == 1,
               "the ideas worker to count the comments")
    page.goto("/?sort=most_discussed")
    card = page.locator("ol.cards > li").filter(has_text="Let me name my savings pots")
    expect(card).to_contain_text("1 comment")  # the hidden reply is not counted
