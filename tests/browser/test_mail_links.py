"""The pages the lab's mails link to, opened from the real mails: confirming an address, choosing a new password,
joining an invite-only space."""
import pytest
from playwright.sync_api import expect

from .conftest import PASSWORD, eventually, sign_in_through_page

pytestmark = pytest.mark.browser


def test_a_member_confirms_their_address_from_the_mail(page, person, accessible, mail_link):
    who = person("Nia")
    page.goto(mail_link(who.email, "verify"))
    confirmed = page.get_by_role("status").filter(has_text="Your email address is confirmed. Thank you!")
    expect(confirmed).to_be_visible()
    accessible(page, "verify")
    assert who.sign_in().call("GET", "/api/accounts/me").json()["email_verified"] is True


def test_a_member_chooses_a_new_password_from_the_mail(page, person, accessible, mail_link):
    who = person("Oli")
    page.goto("/sign-in")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill(who.email)
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("status").filter(has_text="a link is on its way")).to_be_visible()

    page.goto(mail_link(who.email, "reset-password"))
    accessible(page, "new password")
    page.get_by_label("New password").fill("short")
    page.get_by_role("button", name="Save my new password").click()
    expect(page.locator("#field-password-error")).not_to_be_empty()  # the API's reason, under the field
    page.get_by_label("New password").fill("a brand new passphrase 7")
    page.get_by_role("button", name="Save my new password").click()
    expect(page.get_by_role("status").filter(has_text="Your password is changed")).to_be_visible()

    page.get_by_role("status").filter(has_text="Your password is changed").get_by_role("link", name="Sign in").click()
    page.get_by_label("Email").fill(who.email)
    page.get_by_label("Password").fill("a brand new passphrase 7")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_a_member_joins_an_invite_only_space_from_the_mail(page, person, grant_role, accessible, mail_link):
    admin = person("Uma")
    grant_role(admin, "admin")
    admin.sign_in()
    space = admin.call("POST", "/api/accounts/spaces", json={"name": "Private banking panel"})
    assert space.status_code == 201, space.text
    guest = person("Vic")
    invited = admin.call("POST", f"/api/accounts/spaces/{space.json()['id']}/invitations", json={"email": guest.email})
    assert invited.status_code == 202, invited.text

    link = mail_link(guest.email, "invitations")
    page.goto(link)
    expect(page.get_by_text("Sign in to do this.")).to_be_visible()  # first sign in, then back here
    page.get_by_role("main").get_by_role("link", name="Sign in").click()
    page.get_by_label("Email").fill(guest.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Accept the invitation")).to_be_visible()
    accessible(page, "invitation")
    page.get_by_role("button", name="Accept the invitation").click()
    expect(page.get_by_role("status").filter(has_text="You are in")).to_be_visible()
    # The page took a fresh access token at once: it carries the new space.
    spaces = page.evaluate("JSON.parse(localStorage.getItem('idealab.session')).user.spaces")
    assert space.json()["id"] in spaces


def test_a_member_stops_notification_emails_from_the_mail(page, person, grant_role, accessible, mail_link):
    author = person("Yan")
    page.goto(mail_link(author.email, "verify"))  # emails go only to confirmed addresses
    expect(page.get_by_role("status").filter(has_text="confirmed")).to_be_visible()
    author.sign_in()
    eventually(lambda: author.call("GET", f"/api/notifications/users/{author.user_id}/preferences")
               .json()["email_address_known"], "the notifications service to learn the confirmed address")
    idea = author.call("POST", "/api/ideas", json={"title": "Split a bill with friends in the app",
                                                   "description": "Send each their share.", "category": "payments"})
    assert idea.status_code == 201, idea.text
    staff = person("Zoe")
    grant_role(staff, "product_team")
    staff.sign_in()
    eventually(lambda: staff.call("POST", f"/api/roadmap/ideas/{idea.json()['id']}/status",
                                  json={"status": "under_review", "message": "We are looking at it."}).status_code
               == 200, "the roadmap to know the idea")

    page.goto(mail_link(author.email, "unsubscribe"))
    expect(page.get_by_role("status").filter(has_text="You will no longer get these emails.")).to_be_visible()
    accessible(page, "unsubscribe")
    sign_in_through_page(page, author)
    page.goto("/inbox")
    expect(page.get_by_label("Also send me these notifications by email")).not_to_be_checked()
    with page.expect_response(lambda r: r.request.method == "PUT" and "/preferences" in r.url) as saved:
        page.get_by_label("Also send me these notifications by email").check()
    assert saved.value.ok
    expect(page.locator(".preferences [role=alert]")).to_have_count(0)
    expect(page.get_by_label("Also send me these notifications by email")).to_be_checked()
    page.reload()  # the lab kept it
    expect(page.get_by_label("Also send me these notifications by email")).to_be_checked()


def test_email_notifications_need_a_confirmed_address_and_a_bad_unsubscribe_link_says_so(signed_in, accessible):
    page, _ = signed_in("Abe")
    page.goto("/inbox")
    preference = page.get_by_label("Also send me these notifications by email")
    expect(preference).not_to_be_checked()
    expect(page.get_by_text("Emails go only to a confirmed address")).to_be_visible()
    expect(preference).to_be_disabled()
    accessible(page, "inbox with preferences")

    page.goto("/unsubscribe#token=not-a-token-we-ever-sent")
    expect(page.get_by_role("alert")).to_contain_text("not valid")
