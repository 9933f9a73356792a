"""Flags, the moderation queue and mentions in the browser (issue 13): a member reports an idea with the keyboard,
choosing one of the listed reasons; once three members did, readers see it hidden pending review; a moderator
upholds it from the queue and readers then read the reason in their language; a comment's @mention is shown as one.
Every screen axe-clean."""
import pytest
from playwright.sync_api import expect

from .conftest import screenshot

pytestmark = pytest.mark.browser

IDEA = {"title": "Close branches on Saturdays", "description": "Nobody goes there anyway.", "category": "branches"}


def test_members_report_an_idea_a_moderator_upholds_it_from_the_queue_and_readers_see_why(
        signed_in, person, accessible):
    author = person("Ann").sign_in()
    idea = author.call("POST", "/api/ideas", json=IDEA).json()
    comment = author.call("POST", f"/api/ideas/{idea['id']}/comments",
                          json={"text": "What do you think, @Bea? And @Cal?"})
    assert comment.status_code == 201, comment.text

    page, _ = signed_in("Bea")
    page.goto(f"/ideas/{idea['id']}")
    expect(page.get_by_role("heading", level=1)).to_have_text(IDEA["title"])
    expect(page.locator(".mention").first).to_have_text("@Bea")
    page.get_by_role("button", name="Report this idea").press("Enter")
    reason = page.get_by_label("Why should a moderator look at it?")
    expect(reason).to_contain_text("Off-topic")
    expect(reason).not_to_contain_text("criticism")
    reason.select_option("off_topic")
    accessible(page, "the report form")
    page.get_by_role("button", name="Send my report").press("Enter")
    expect(page.get_by_role("status").filter(has_text="the moderators will review it")).to_be_visible()
    for name in ("Cal", "Dee"):
        flagged = person(name).sign_in().call("POST", f"/api/ideas/{idea['id']}/flags", json={"reason": "spam"})
        assert flagged.status_code == 201, flagged.text

    page.reload()
    expect(page.get_by_test_id("pending-review")).to_have_text(
        "Hidden while a moderator reviews members' reports about it.")
    accessible(page, "an idea hidden pending review")
    screenshot(page, "pending-review")

    moderator, _ = signed_in("Mo", roles=("moderator",))
    moderator.goto("/moderation")
    expect(moderator.get_by_role("heading", level=1)).to_have_text("Moderation queue")
    card = moderator.locator(".card").filter(has_text=IDEA["title"])
    expect(card).to_contain_text("Hidden pending review")
    expect(card).to_contain_text("3 reports")
    card.get_by_label("Reason shown to everyone if upheld").select_option("off_topic")
    card.get_by_label("Note (optional").fill("About branches, not this lab")
    accessible(moderator, "the moderation queue")
    screenshot(moderator, "moderation-queue")
    card.get_by_role("button", name="Uphold and hide").press("Enter")
    expect(moderator.get_by_text("Nothing waits for review.")).to_be_visible()
    accessible(moderator, "the moderation queue, empty")

    page.reload()
    expect(page.locator(".hidden-note")).to_have_text("Hidden by a moderator: Off-topic (About branches, not this lab)")
    expect(page.get_by_role("button", name="Report this idea")).to_have_count(0)
    page.get_by_role("combobox", name="Language").select_option("fr")
    expect(page.locator(".hidden-note")).to_contain_text("Hors sujet (About branches, not this lab)")
    accessible(page, "an idea hidden after review, in French")

    member_page, _ = signed_in("Eve")
    member_page.goto("/moderation")
    expect(member_page.get_by_text("Only moderators see the moderation queue.")).to_be_visible()


def test_a_moderator_hides_a_question_for_a_listed_reason_and_restores_it(signed_in, person, accessible):
    asker = person("Gus").sign_in()
    question = asker.call("POST", "/api/ideas/questions",
                          json={"title": "Call me on 06 12 34 56 78", "body": "About my loan."}).json()
    moderator, _ = signed_in("Moe", roles=("moderator",))
    moderator.goto(f"/questions/{question['id']}")
    expect(moderator.get_by_role("heading", level=1)).to_have_text("Call me on 06 12 34 56 78")
    moderator.get_by_role("button", name="Hide this question").press("Enter")
    form = moderator.get_by_role("form", name="Hide this question")
    form.get_by_label("Reason shown to everyone if upheld").select_option("personal_data")
    form.get_by_label("Note (optional").fill("A phone number")
    accessible(moderator, "hiding a question")
    form.get_by_role("button", name="Hide this question").press("Enter")
    expect(moderator.locator(".hidden-note")).to_have_text("Hidden by a moderator: Personal data (A phone number)")

    moderator.get_by_role("button", name="Restore this question").press("Enter")
    restore = moderator.get_by_role("form", name="Restore this question")
    restore.get_by_label("Reason, shown to everyone").fill("The number is the bank's switchboard")
    restore.get_by_role("button", name="Restore this question").press("Enter")
    expect(moderator.locator(".hidden-note")).to_have_count(0)
    accessible(moderator, "a question restored")
