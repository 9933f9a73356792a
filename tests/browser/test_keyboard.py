"""Keyboard only: a member signs in and shares an idea without the mouse, and always sees where the focus is."""
import re

import pytest
import requests
from playwright.sync_api import expect

from .conftest import PASSWORD, eventually

pytestmark = pytest.mark.browser


def tab_to(page, selector: str, limit: int = 40, key: str = "Tab") -> None:
    """Presses Tab (or `key`) until `selector` has the focus, which must show (an outline of its own)."""
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate("s => document.activeElement?.matches(s)", selector):
            outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
            assert outline != "none", f"the focus on {selector} does not show"
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


def test_a_member_signs_in_and_shares_an_idea_with_the_keyboard_only(page, person, gateway):
    who = person("Ida")
    page.goto("/")
    tab_to(page, "a.skip")  # the first stop skips the header
    tab_to(page, "a[href='/sign-in']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_be_focused()  # a new page announces itself

    tab_to(page, "#field-email")
    page.keyboard.type(who.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    # Back from the list's title to the header: forward, every idea of the list (as many as other tests made) first.
    expect(page.get_by_role("heading", level=1)).to_be_focused()
    tab_to(page, "a.share", key="Shift+Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/submit$"))
    tab_to(page, "#field-title")
    page.keyboard.type("Notify me before a direct debit leaves")
    page.keyboard.press("Tab")
    page.keyboard.type("A day ahead, with the amount.")
    tab_to(page, "#field-category")
    page.keyboard.press("ArrowDown")  # the first category
    expect(page.locator("#field-category")).to_have_value("cards")
    tab_to(page, "form button[type=submit]")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/ideas/[^/]+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Notify me before a direct debit leaves")
    # The vote button shows once the votes service has learnt of the new idea (an event away, which can take longer
    # than the page keeps retrying): wait for the service itself, then load the page again.
    idea_id = page.url.rsplit("/", 1)[1]
    eventually(lambda: requests.get(f"{gateway}/api/votes/ideas/{idea_id}", timeout=10).status_code == 200,
               "the votes service to know the idea")
    page.reload()
    expect(page.locator("button[aria-pressed]")).to_be_visible(timeout=30_000)
    tab_to(page, "button[aria-pressed]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Withdraw my vote")).to_be_visible()
