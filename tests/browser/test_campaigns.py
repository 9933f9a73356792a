"""Campaigns in the browser (issue 12): the product team sets one up on the form, a member casts and changes a ballot
with the keyboard only, and once the worker closed it everyone reads the results as a table; every screen axe-clean."""
from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect

from .conftest import screenshot

pytestmark = pytest.mark.browser


def test_the_team_sets_up_a_campaign_and_a_member_votes_by_keyboard_and_reads_the_split(team_at_the_new_form,
                                                                                          signed_in, accessible,
                                                                                          mail_link):
    team = team_at_the_new_form("campaign")
    opens = datetime.now(timezone.utc) + timedelta(seconds=2)
    made = team.sign_in().call("POST", "/api/votes/campaigns", json={
        "title": {"en": "Where should 150,000 CAD go?", "fr": "Où iront 150 000 CAD ?"},
        "description": {"en": "Six charities, one choice each."},
        "options": [{"id": f"charity-{n}", "name": f"Charity {n}"} for n in range(1, 7)],
        "opens_at": opens.isoformat(), "closes_at": (opens + timedelta(seconds=20)).isoformat(),
        "rule": {"kind": "single"}, "budget": {"amount": 15_000_000, "currency": "CAD"}})
    assert made.status_code == 201, made.text
    campaign = made.json()["id"]

    page, mona = signed_in("Mona")
    # A campaign with a budget counts verified accounts only (issue 11): Mona confirms her address first.
    page.goto(mail_link(mona.email, "verify"))
    expect(page.get_by_text("Your email address is confirmed.")).to_be_visible()
    page.goto(f"/campaigns/{campaign}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Where should 150,000 CAD go?")
    for _ in range(20):  # opens in two seconds
        if page.get_by_role("radio").count():
            break
        page.wait_for_timeout(500)
        page.reload()
    radio = page.get_by_role("radio", name="Charity 2")
    radio.focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    while page.evaluate("document.activeElement.type") != "submit":
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Your ballot is saved.")).to_be_visible()
    page.get_by_role("radio", name="Charity 3").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Change my ballot").press("Enter")
    expect(page.get_by_role("status").filter(has_text="Your ballot is saved.")).to_be_visible()
    accessible(page, "campaign open")
    screenshot(page, "campaign-open")

    table = page.get_by_role("table")
    for _ in range(60):  # the worker closes it 20 s after it opened
        page.reload()
        if page.get_by_role("heading", name="Final results").count():
            break
        page.wait_for_timeout(1000)
    expect(page.get_by_role("heading", name="Final results")).to_be_visible()
    expect(table.get_by_role("row", name="Charity 3")).to_contain_text("100%")
    expect(table.get_by_role("row", name="Charity 3")).to_contain_text("150,000.00")
    expect(page.get_by_role("button", name="Export ballots (CSV)")).to_be_visible()
    accessible(page, "campaign results")
    screenshot(page, "campaign-results")
