"""Sharing an idea in the browser (issue 12): the share action opens the browser's own share sheet where there is
one, and offers plain links to the common networks and email, which carry the idea's public address and title and
load nothing from those networks; the page stays axe-clean."""
import re

import pytest
from playwright.sync_api import expect

from .conftest import screenshot

pytestmark = pytest.mark.browser

# The browser's share sheet, standing in for the phone's: what the page hands it is what a person would share.
SHARE_SHEET = "window.shared = []; navigator.share = (data) => { window.shared.push(data); return Promise.resolve(); };"


def test_a_visitor_shares_an_idea_by_the_share_sheet_or_a_plain_link(new_context, person, gateway, accessible):
    author = person("Sam").sign_in()
    made = author.call("POST", "/api/ideas", json={"title": "Round up my card payments & save the change",
                                                   "description": "Into a savings pot.", "category": "savings"})
    assert made.status_code == 201, made.text
    path = f"/ideas/{made.json()['id']}"
    context = new_context()
    context.add_init_script(SHARE_SHEET)
    page = context.new_page()
    page.goto(path)
    share = page.get_by_role("region", name="Share")
    address = re.escape(f"{gateway}{path}".replace(":", "%3A").replace("/", "%2F"))
    expect(share.get_by_role("link", name="Share on X")).to_have_attribute(
        "href", re.compile(rf"^https://twitter\.com/intent/tweet\?url={address}&text=Round%20up%20my%20card"))
    expect(share.get_by_role("link", name="Share on LinkedIn")).to_have_attribute("target", "_blank")
    expect(share.get_by_role("link", name="By email")).to_have_attribute(
        "href", re.compile(rf"^mailto:\?subject=Round%20up.*&body=I%20found%20this%20on%20Idea%20Lab%3A%20{address}$"))
    accessible(page, "idea with its share action")
    screenshot(page, "idea-share")

    share.get_by_role("button", name="Share…").click()
    assert page.evaluate("window.shared") == [{"title": "Round up my card payments & save the change",
                                               "url": f"{gateway}{path}"}]


def test_without_a_share_sheet_the_plain_links_are_the_share_action(page, person):
    author = person("Sol").sign_in()
    idea = author.call("POST", "/api/ideas", json={"title": "Travel notice in one tap", "description": "Abroad.",
                                                   "category": "cards"}).json()
    page.goto(f"/ideas/{idea['id']}")
    share = page.get_by_role("region", name="Share")
    expect(share.get_by_role("link", name="Share on Facebook")).to_be_visible()
    has_sheet = page.evaluate("typeof navigator.share === 'function'")
    expect(share.get_by_role("button", name="Share…")).to_have_count(1 if has_sheet else 0)
