"""Questions, the team's answer and private replies in the browser (issue 13): a member asks with the keyboard
only, an adviser answers in public (pinned as the team's answer) and privately, the member reads the private answer
in their private messages and writes back; another member sees the team's answer and "the team answered
privately", never the words; every screen axe-clean."""
import pytest
from playwright.sync_api import expect

from .conftest import screenshot

pytestmark = pytest.mark.browser

SECRET = "Your overdraft limit is 500 EUR"


def type_into(page, label: str, text: str) -> None:
    page.get_by_label(label, exact=True).focus()
    page.keyboard.type(text)


def test_a_member_asks_an_adviser_answers_in_public_and_privately_and_only_the_member_reads_the_private_answer(
        signed_in, accessible):
    page, _ = signed_in("Mona")
    page.goto("/questions")
    expect(page.get_by_role("heading", level=1)).to_have_text("Questions to the team")
    type_into(page, "Your question", "Can I raise my overdraft from the app?")
    type_into(page, "Details", "I travel a lot.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Can I raise my overdraft from the app?")
    question = page.url.rsplit("/", 1)[1]
    accessible(page, "question asked")

    team_page, _ = signed_in("Ada", roles=("adviser",))
    team_page.goto(f"/questions/{question}")
    type_into(team_page, "Answer in public for the bank", "Yes: Settings, then Overdraft.")
    team_page.get_by_role("button", name="Publish the answer").press("Enter")
    expect(team_page.get_by_test_id("team-answer")).to_contain_text("Yes: Settings, then Overdraft.")
    type_into(team_page, "Answer the author privately", SECRET)
    team_page.get_by_role("button", name="Send privately").press("Enter")
    expect(team_page.get_by_role("status").filter(has_text="Sent privately.")).to_be_visible()
    accessible(team_page, "question answered by the team")
    screenshot(team_page, "question-team")

    page.reload()
    expect(page.get_by_test_id("team-answer")).to_contain_text("Yes: Settings, then Overdraft.")
    expect(page.get_by_test_id("answered-privately")).to_have_text("The team answered privately.")
    expect(page.locator("body")).not_to_contain_text(SECRET)
    page.goto("/private")
    page.get_by_role("link", name="About your question").press("Enter")
    expect(page.get_by_test_id("private-message")).to_contain_text(SECRET)
    # The page's title takes the focus once the thread is shown (after a navigation): typing before that, the
    # keys went to the title and Tab reached the link back to the question.
    expect(page.get_by_role("heading", level=1)).to_be_focused()
    type_into(page, "Message", "Thank you!")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("private-message")).to_have_count(2)
    accessible(page, "private thread")
    screenshot(page, "private-thread")

    other, _ = signed_in("Bob")
    other.goto(f"/questions/{question}")
    expect(other.get_by_test_id("answered-privately")).to_be_visible()
    expect(other.locator("body")).not_to_contain_text(SECRET)
    other.goto("/private")
    expect(other.get_by_text("No private conversation.")).to_be_visible()
    accessible(other, "private messages, none")
