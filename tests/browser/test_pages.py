"""Every page: no serious or critical axe-core violation, at desktop and phone widths (screenshots of both), and the
pages mail links lead to."""
import json

import pytest
from playwright.sync_api import expect

from .conftest import screenshot

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def an_idea(person):
    author = person("Eve").sign_in()
    made = author.call("POST", "/api/ideas", json={"title": "Show the exchange rate before I pay abroad",
                                                   "description": "Before, not after, the payment.",
                                                   "category": "payments"})
    assert made.status_code == 201, made.text
    return made.json()["id"]


ANONYMOUS = {
    "ideas": ("/", "Ideas"),
    "roadmap": ("/roadmap", "Roadmap"),
    "sign-in": ("/sign-in", "Sign in"),
    "sign-up": ("/sign-up", "Create your account"),
    "reset-password": ("/reset-password", "Reset your password"),
    "not-found": ("/no/such/page", "Page not found"),
}


@pytest.mark.parametrize("name", ANONYMOUS)
def test_public_pages_are_accessible_on_desktop_and_phone(name, page, accessible):
    path, heading = ANONYMOUS[name]
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    accessible(page, name)
    screenshot(page, name)
    page.set_viewport_size(PHONE)
    accessible(page, f"{name} at 360 px")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"
    screenshot(page, f"{name}-phone")


def test_member_pages_are_accessible_on_desktop_and_phone(signed_in, accessible, an_idea):
    page, _ = signed_in("Finn")
    for name, path, heading in (("submit", "/submit", "Share an idea"), ("inbox-empty", "/inbox", "Inbox"),
                                ("account", "/account", "My account"), ("idea-member", f"/ideas/{an_idea}", None)):
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(path)
        if heading:
            expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        page.wait_for_load_state("networkidle")
        accessible(page, name)
        screenshot(page, name)
        page.set_viewport_size(PHONE)
        accessible(page, f"{name} at 360 px")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], f"{name}: no sideways scroll"
        screenshot(page, f"{name}-phone")


def test_a_member_downloads_their_data(signed_in):
    page, who = signed_in("Gus")
    page.goto("/account")
    expect(page.get_by_text(who.email)).to_be_visible()
    page.get_by_role("button", name="Download my data").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Your file is ready").click()
    data = json.loads(download.value.path().read_text())
    assert set(data) == {"accounts", "ideas", "votes", "roadmap", "notifications"}  # every service's part
    assert who.email in json.dumps(data["accounts"])


def test_a_member_deletes_their_account(signed_in, accessible):
    page, who = signed_in("Hal")
    page.goto("/account")
    accessible(page, "account")
    page.get_by_label("Your password, to confirm").fill("not the password at all")
    page.get_by_role("button", name="Delete my account for good").click()
    expect(page.get_by_role("alert")).to_be_visible()  # refused, with the API's reason
    page.get_by_label("Your password, to confirm").fill("correct horse battery staple 42")
    page.get_by_role("button", name="Delete my account for good").click()
    expect(page.get_by_role("status").filter(has_text="Your account is deleted.")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    signed_in_again = who.http.post(f"{who.gateway}/api/accounts/sessions", timeout=10,
                                    json={"email": who.email, "password": "correct horse battery staple 42"})
    assert signed_in_again.status_code == 401


def test_mail_link_pages_say_when_a_link_is_bad(page, accessible):
    page.goto("/verify#token=not-a-real-token")
    expect(page.get_by_role("alert").first).to_contain_text("invalid or has expired")
    accessible(page, "verify, bad link")
    page.goto("/reset-password#token=not-a-real-token")
    page.get_by_label("New password").fill("a brand new passphrase 7")
    page.get_by_role("button", name="Save my new password").click()
    expect(page.get_by_role("alert")).to_be_visible()
    page.goto("/invitations")
    expect(page.get_by_role("alert")).to_contain_text("incomplete")
    accessible(page, "invitation, no token")


def test_a_failure_shows_the_request_id_to_quote(page):
    page.goto("/ideas/no-such-idea-at-all")
    expect(page.get_by_role("heading", level=1)).to_have_text("This idea does not exist.")
    page.goto("/?sort=most_voted")
    page.route("**/api/ideas?*", lambda route: route.fulfill(
        status=503, content_type="application/problem+json", headers={"X-Request-Id": "req-from-the-gateway"},
        body='{"type":"about:blank","title":"Service Unavailable","status":503,"detail":"try again shortly"}'))
    page.reload()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("try again shortly")
    expect(alert).to_contain_text("req-from-the-gateway")


def test_the_ideas_list_shows_more_a_page_at_a_time(page, person):
    for name in ("Lea", "Max"):  # two authors: each stays under the gateway's write burst
        author = person(name).sign_in()
        for n in range(11):
            made = author.call("POST", "/api/ideas", json={"title": f"{name}'s idea number {n}",
                                                           "description": "Paging.", "category": "other"})
            assert made.status_code == 201, made.text
    page.goto("/")
    cards = page.locator("ol.cards > li")
    expect(cards).to_have_count(20)
    page.get_by_role("button", name="Show more ideas").click()
    expect(cards.nth(20)).to_be_visible()
    titles = cards.locator("h2").all_inner_texts()
    assert len(titles) == len(set(titles)) > 20
