"""Initiatives in the browser (issue 15): the product team drafts one over three ideas on its form, announces it and
launches it with the keyboard (finding the draft again on the roadmap); a member finds it first on the roadmap, on its page with its ideas and history, and
in "you asked, we did"; every screen axe-clean."""
import pytest
from playwright.sync_api import expect

from .conftest import eventually, screenshot

pytestmark = pytest.mark.browser

TITLE = "Block a lost card from the phone"


def test_the_team_drafts_announces_and_launches_an_initiative_and_members_see_it_answer_their_ideas(
        signed_in, person, accessible):
    author = person("Ada").sign_in()
    ideas = []
    for n in range(3):
        made = author.call("POST", "/api/ideas", json={"title": f"Freeze my card, way {n}",
                                                       "description": "From the app.", "category": "cards"})
        assert made.status_code == 201, made.text
        ideas.append(made.json()["id"])
    for idea_id in ideas:
        eventually(lambda: author.call("GET", f"/api/roadmap/ideas/{idea_id}").status_code == 200,
                   "the roadmap to know the idea")

    page, _ = signed_in("Tess", roles=("product_team",))
    page.goto("/roadmap")
    page.get_by_role("link", name="Draft an initiative").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Draft an initiative")
    page.get_by_label("Title in English").fill(TITLE)
    page.get_by_label("Title in French").fill("Bloquer sa carte depuis le téléphone")
    page.get_by_label("Ideas it answers").fill("\n".join(f"/ideas/{i}" for i in ideas))
    page.get_by_label("Owner team").fill("Cards")
    page.get_by_label("Target quarter (optional)").fill("2026-Q3")
    accessible(page, "initiative form")
    screenshot(page, "initiative-new")
    page.get_by_label("Target quarter (optional)").press("Enter")  # submits the form from the keyboard

    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("(draft: staff only until announced)")).to_be_visible()
    page.get_by_role("link", name="Roadmap").click()  # where the team finds its drafts again
    page.get_by_role("region", name="Drafts to announce").get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    message = page.get_by_label("Public message")
    message.fill("You asked: we are building it.")
    message.press("Tab")
    expect(page.get_by_role("button", name="Announce it")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Move this initiative")).to_be_visible()
    page.get_by_label("Status").select_option("launched")
    page.get_by_label("Public message").fill("Live in the app today.")
    page.get_by_role("button", name="Move it").press("Enter")
    expect(page.get_by_role("listitem").filter(has_text="Live in the app today.")).to_be_visible()
    accessible(page, "initiative page for staff")
    screenshot(page, "initiative-launched")

    member, _ = signed_in("Mona")
    member.goto("/roadmap")
    initiatives = member.get_by_role("region", name="Initiatives")
    expect(initiatives.get_by_role("link", name=TITLE)).to_be_visible()
    expect(initiatives).to_contain_text("Freeze my card, way 2")
    expect(member.get_by_role("link", name="All open ideas, most voted first")).to_be_visible()
    accessible(member, "roadmap with initiatives")
    screenshot(member, "roadmap-initiatives")

    member.get_by_role("link", name="You asked, we did").click()
    expect(member.get_by_role("heading", level=1)).to_have_text("You asked, we did")
    expect(member.get_by_role("link", name=TITLE)).to_be_visible()
    accessible(member, "you asked, we did")
    member.get_by_role("link", name=TITLE).click()
    expect(member.get_by_role("heading", name="History")).to_be_visible()
    for n in range(3):
        expect(member.get_by_role("link", name=f"Freeze my card, way {n}")).to_be_visible()
    expect(member.get_by_role("heading", name="Move this initiative")).to_have_count(0)
    accessible(member, "initiative page")
    screenshot(member, "initiative")
