"""Finding and following ideas in the browser (issue 14): a search by an accent-less, stemmed word finds an idea,
the trending order is offered, similar ideas show while a title is typed, follow/unfollow toggles, and staff merge a
duplicate whose page then points to its original. Keyboard first, axe-clean."""
import random
import re
import string

import pytest
from playwright.sync_api import expect

from .conftest import eventually, screenshot

pytestmark = pytest.mark.browser


def made_up() -> str:
    return "".join(random.choices(string.ascii_lowercase, k=9))


def test_search_similar_ideas_follow_and_merge(signed_in, person, accessible, gateway):
    word = made_up()
    author = person("Ines").sign_in()
    original = author.call("POST", "/api/ideas", json={
        "title": f"Épargne automatique {word}", "description": "Arrondir chaque paiement vers un livret.",
        "category": "savings", "tags": ["epargne", word]})
    assert original.status_code == 201, original.text
    original_id = original.json()["id"]
    duplicate = author.call("POST", "/api/ideas", json={
        "title": f"Round-ups into savings {word}", "description": "The same idea, shared again.",
        "category": "savings"})
    duplicate_id = duplicate.json()["id"]

    page, _ = signed_in("Mia")
    # Search by keyboard: an accent-less plural finds "Épargne".
    page.goto("/")
    search = page.get_by_role("searchbox", name="Search ideas")
    search.focus()
    page.keyboard.type(f"epargnes {word}")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"\?q=epargnes"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ideas matching")
    card = page.locator(".card", has_text=f"Épargne automatique {word}")
    expect(card).to_be_visible()
    expect(card.get_by_role("list", name="Tags").get_by_role("link", name=f"#{word}")).to_be_visible()
    expect(page.get_by_label("Sort by")).to_have_value("relevance")
    accessible(page, "search results")
    screenshot(page, "search")

    # The trending order is offered, and kept with the words; a tag link filters by tag.
    page.get_by_label("Sort by").select_option("trending")
    expect(page).to_have_url(re.compile(r"sort=trending"))
    expect(card).to_be_visible()
    card.get_by_role("link", name=f"#{word}").click()
    expect(page).to_have_url(re.compile(rf"\?tag={word}$"))
    expect(page.locator(".card")).to_have_count(1)
    page.goto("/?sort=trending")
    expect(page.get_by_label("Sort by")).to_have_value("trending")
    accessible(page, "ideas by trending")

    # Similar ideas show while a title is typed.
    page.get_by_role("link", name="Share an idea").click()
    expect(page.get_by_role("heading", level=1)).to_be_focused()  # the new page's title takes the focus first
    page.get_by_label("Title").focus()
    page.keyboard.type(f"Epargne {word}", delay=20)
    similar = page.get_by_role("region", name="Similar ideas already shared")
    expect(similar.get_by_role("link", name=re.compile(f"Épargne automatique {word}"))).to_be_visible()
    page.get_by_label("Tags (optional)").fill("savings, bad!")
    expect(page.locator("#field-tags-error")).to_contain_text("bad!")
    accessible(page, "submit with similar ideas")
    screenshot(page, "submit-similar")

    # Follow and unfollow an idea (not voted on), by keyboard.
    page.goto(f"/ideas/{original_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Épargne automatique {word}")
    follow = page.get_by_role("button", name="Follow this idea")
    follow.focus()
    page.keyboard.press("Enter")
    unfollow = page.get_by_role("button", name="Stop following")
    expect(unfollow).to_be_focused()  # the same button, renamed: the focus stays on it
    expect(page.locator("#follow-state")).to_contain_text("You follow this idea")
    page.reload()  # the server kept it
    expect(unfollow).to_be_visible()
    accessible(page, "idea followed")
    unfollow.click()
    expect(page.get_by_role("button", name="Follow this idea")).to_be_visible()
    expect(page.locator("#follow-state")).to_contain_text("You do not follow this idea")

    # Staff merge the duplicate into the original, pasting its address; the duplicate points there.
    staff_page, _ = signed_in("Sam", roles=("moderator",))
    staff_page.goto(f"/ideas/{duplicate_id}")
    expect(staff_page.get_by_role("heading", name="Merge into another idea (staff)")).to_be_visible()
    staff_page.get_by_label("The original idea").fill(f"{gateway}/ideas/{original_id}")
    staff_page.get_by_role("button", name="Merge this duplicate").click()
    note = staff_page.get_by_test_id("merged-into")
    expect(note).to_contain_text("This idea was merged into:")
    link = note.get_by_role("link", name=f"Épargne automatique {word}")
    expect(link).to_have_attribute("href", f"/ideas/{original_id}")
    expect(staff_page.get_by_role("heading", name="Merge into another idea (staff)")).to_have_count(0)
    accessible(staff_page, "merged duplicate, staff")
    screenshot(staff_page, "idea-merged")
    # A member sees it too, and follows the link.
    page.goto(f"/ideas/{duplicate_id}")
    page.get_by_test_id("merged-into").get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/ideas/{original_id}$"))
    eventually(lambda: author.call("GET", f"/api/roadmap/ideas/{duplicate_id}").json().get("status") == "duplicate",
               "the roadmap to mark the duplicate")
