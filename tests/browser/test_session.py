"""The session in the browser: an expired access token is refreshed (the refresh token rotates) without the member
noticing; signing out revokes the refresh token."""
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SESSION = "JSON.parse(localStorage.getItem('idealab.session'))"


def test_a_refused_access_token_is_refreshed_once_and_the_page_carries_on(signed_in):
    page, who = signed_in("Wes")
    before = page.evaluate(SESSION)
    # As if the access token had expired: the next request is refused, the page refreshes and asks again.
    page.evaluate(f"""() => {{ const s = {SESSION}; s.accessToken = s.accessToken.slice(0, -8) + 'AAAAAAAA';
                         localStorage.setItem('idealab.session', JSON.stringify(s)); }}""")
    refreshes = []
    page.on("request", lambda r: r.url.endswith("/api/accounts/sessions/refresh") and refreshes.append(r))
    page.goto("/account")
    expect(page.get_by_text(who.email)).to_be_visible()

    after = page.evaluate(SESSION)
    assert len(refreshes) == 1
    assert after["refreshToken"] != before["refreshToken"]  # rotated
    spent = who.http.post(f"{who.gateway}/api/accounts/sessions/refresh", timeout=10,
                          json={"refresh_token": before["refreshToken"]})
    assert spent.status_code == 401


def test_signing_out_revokes_the_refresh_token(signed_in):
    page, who = signed_in("Xan")
    refresh_token = page.evaluate(SESSION)["refreshToken"]
    with page.expect_response(lambda r: r.request.method == "DELETE" and r.url.endswith("/api/accounts/sessions")):
        page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    assert page.evaluate("localStorage.getItem('idealab.session')") is None
    revoked = who.http.post(f"{who.gateway}/api/accounts/sessions/refresh", timeout=10,
                            json={"refresh_token": refresh_token})
    assert revoked.status_code == 401
