"""Sign-in through OpenID Connect against a real provider (tests/oidc_provider, Authlib's server side) on a
loopback port: the browser's redirects are followed by hand with requests, the accounts API is the Flask test
client, and accounts itself talks to the provider over HTTP (discovery, code exchange, JWKS)."""
from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import requests

from accounts import domain
from accounts.app import create_app
from accounts.config import OidcProvider
from idealab_testing import assert_problem

pytestmark = pytest.mark.integration

PASSWORD = "correct horse battery staple"  # what the conftest signs people up with


@pytest.fixture
def oidc_providers(provider):
    return (OidcProvider("corp", "Corp SSO", provider.issuer, provider.client_id, provider.client_secret),)


@pytest.fixture
def corp(provider, app, person):
    """The provider, knowing the accounts service's callback, with Ann at the browser."""
    oidc = app.extensions["accounts.oidc"]
    provider.redirect_uri = oidc.redirect_uri(oidc.providers()[0])
    provider.person = person("ann-at-corp", "ann@example.com")
    return provider


def to_provider(client, return_to: str = "/ideas?sort=new") -> requests.Response:
    """The browser opens our start link and follows it to the provider, which answers with a redirect to us."""
    start = client.get("/api/accounts/oidc/corp/start", query_string={"return_to": return_to})
    assert start.status_code == 302, start.get_json()
    return requests.get(start.headers["Location"], allow_redirects=False, timeout=10)


def back_to_us(client, provider_answer: requests.Response):
    callback = urlsplit(provider_answer.headers["Location"])
    return client.get(f"{callback.path}?{callback.query}")


def sign_in_with_corp(client, return_to: str = "/ideas?sort=new"):
    return back_to_us(client, to_provider(client, return_to))


def subject(tokens: dict) -> str:
    return jwt.decode(tokens["access_token"], options={"verify_signature": False})["sub"]


def fragment(response) -> dict:
    location = urlsplit(response.headers["Location"])
    return {k: v[0] for k, v in parse_qs(location.fragment).items()}


def assert_refused(response, error: str) -> str:
    """The browser is sent back where it started, with the error in the fragment (no tokens)."""
    assert response.status_code == 302, response.get_data(as_text=True)
    location = urlsplit(response.headers["Location"])
    assert location.path == "/ideas" and not location.netloc
    told = fragment(response)
    assert told["error"] == error and "access_token" not in told
    return told["error_description"]


def test_the_providers_are_listed_for_the_sign_in_buttons(client, corp):
    assert client.get("/api/accounts/providers").get_json() == [{"name": "corp", "display_name": "Corp SSO"}]


def test_the_start_link_asks_the_provider_for_a_code_with_pkce_state_and_nonce(client, corp, accounts):
    start = client.get("/api/accounts/oidc/corp/start?return_to=/ideas")

    assert start.status_code == 302
    location = urlsplit(start.headers["Location"])
    query = {k: v[0] for k, v in parse_qs(location.query).items()}
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{corp.issuer}/authorize"
    assert (query["response_type"], query["code_challenge_method"], query["client_id"]) == ("code", "S256", "idealab")
    assert query["redirect_uri"] == corp.redirect_uri and "openid" in query["scope"].split()
    assert query["state"] and query["nonce"] and query["code_challenge"]
    attempt = accounts.store.sign_in_attempts.find_one()
    assert attempt["_id"] != query["state"]  # kept by its digest, like every one-time secret
    assert attempt["return_to"] == "/ideas" and attempt["nonce"] == query["nonce"]


def test_a_new_person_signs_in_with_the_provider_and_lands_where_they_started_with_tokens(client, corp, accounts):
    response = sign_in_with_corp(client)

    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert (location.scheme, location.netloc, location.path, location.query) == ("", "", "/ideas", "sort=new")
    tokens = fragment(response)
    assert (tokens["token_type"], tokens["expires_in"]) == ("Bearer", "900")
    me = client.get("/api/accounts/me", headers={"Authorization": f"Bearer {tokens['access_token']}"}).get_json()
    assert (me["email"], me["display_name"], me["email_verified"]) == ("ann@example.com", "Ann Lee", True)
    assert jwt.decode(tokens["access_token"], options={"verify_signature": False})["email_verified"] is True
    user = accounts.store.users.find_one({"_id": me["id"]})
    assert user["password_hash"] is None
    assert user["outbox"][0]["data"]["signed_up_with"] == "corp"
    assert [e["type"] for e in user["outbox"]] == ["user.registered", "user.email_verified"]
    assert [(i["provider"], i["subject"]) for i in accounts.store.identities_of(me["id"])] == [("corp", "ann-at-corp")]
    refreshed = client.post("/api/accounts/sessions/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 200


def test_signing_in_again_with_the_provider_finds_the_same_account(client, corp, accounts):
    first = fragment(sign_in_with_corp(client))
    again = fragment(sign_in_with_corp(client))

    assert subject(first) == subject(again)
    assert accounts.store.users.count_documents({}) == 1


def test_a_verified_email_from_the_provider_links_to_the_account_whose_address_we_verified(
        client, corp, sign_up, accounts, mailbox):
    ann = sign_up("Ann@Example.com")
    client.post("/api/accounts/verifications", json={"token": mailbox.link("ann@example.com", "verify")})

    tokens = fragment(sign_in_with_corp(client))

    assert subject(tokens) == ann["id"]
    assert [i["subject"] for i in accounts.store.identities_of(ann["id"])] == ["ann-at-corp"]
    assert accounts.store.user(ann["id"])["email_verified"] is True
    # The password still works too.
    signed_in = client.post("/api/accounts/sessions", json={"email": "ann@example.com", "password": PASSWORD})
    assert signed_in.status_code == 200


def test_an_unverified_email_from_the_provider_is_not_linked_to_the_existing_account(
        client, corp, sign_up, accounts, person):
    ann = sign_up("ann@example.com")
    corp.person = person("mallory-at-corp", "ann@example.com", email_verified=False)

    response = sign_in_with_corp(client)

    assert "has not verified" in assert_refused(response, "email_not_verified")
    assert accounts.store.identities_of(ann["id"]) == []
    assert accounts.store.users.count_documents({}) == 1


def test_an_unverified_email_from_the_provider_makes_no_account_and_its_owner_signs_up_with_it(
        client, corp, accounts, person, sign_up):
    corp.person = person("mallory-at-corp", "bob@example.com", email_verified=False)

    response = sign_in_with_corp(client)

    assert_refused(response, "email_not_verified")
    assert accounts.store.users.count_documents({}) == 0 and accounts.store.identities.count_documents({}) == 0
    bob = sign_up("bob@example.com")  # not a 409: the address was not taken
    assert accounts.store.identities_of(bob["id"]) == []


# --- pre-hijacking: an account made with someone else's address --------------------------------------------------

def test_the_owner_signing_in_with_the_provider_takes_back_an_account_someone_made_with_their_address(
        client, corp, sign_up, sign_in, accounts):
    made = sign_up("ann@example.com", password="mallory's own password")  # by Mallory, with Ann's address
    mallory = sign_in("ann@example.com", "mallory's own password")

    ann = fragment(sign_in_with_corp(client))  # Ann, whose provider vouches for the address

    assert subject(ann) == made["id"]
    stored = accounts.store.user(made["id"])
    assert stored["password_hash"] is None and stored["email_verified"] is True
    assert_problem(client.post("/api/accounts/sessions", json={"email": "ann@example.com",
                                                               "password": "mallory's own password"}), 401)
    assert_problem(client.post("/api/accounts/sessions/refresh", json={"refresh_token": mallory["refresh_token"]}),
                   401)
    assert client.post("/api/accounts/sessions/refresh", json={"refresh_token": ann["refresh_token"]}).status_code \
        == 200
    assert [i["subject"] for i in accounts.store.identities_of(made["id"])] == ["ann-at-corp"]
    outbox = accounts.store.users.find_one({"_id": made["id"]})["outbox"]
    assert [e["type"] for e in outbox] == ["user.registered", "user.email_verified"]


def test_identities_linked_to_an_account_nobody_proved_the_address_of_go_when_its_owner_takes_it_back(
        client, corp, sign_up, accounts, person):
    made = sign_up("ann@example.com")
    accounts.store.link_identity("other", "mallory-elsewhere", made["id"], accounts.clock())

    fragment(sign_in_with_corp(client))

    assert [i["provider"] for i in accounts.store.identities_of(made["id"])] == ["corp"]


# --- the sign-in is bound to the browser that started it (login CSRF) ---------------------------------------------

def test_the_start_binds_the_sign_in_to_the_browser_with_a_short_lived_http_only_lax_cookie(client, corp, accounts):
    start = client.get("/api/accounts/oidc/corp/start")

    cookie = start.headers["Set-Cookie"]
    assert cookie.startswith("idealab-sign-in=")
    assert {"HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=600"} <= {p.strip() for p in cookie.split(";")}
    assert "Secure" not in cookie  # the lab is served over plain HTTP here
    value = cookie.split(";")[0].partition("=")[2]
    assert accounts.store.sign_in_attempts.find_one()["browser"] == domain.digest(value)  # its digest only
    again = client.get("/api/accounts/oidc/corp/start")
    assert again.headers["Set-Cookie"].split(";")[0] == cookie.split(";")[0]  # one per browser: two tabs both finish


def test_over_https_the_binding_cookie_is_secure_and_for_this_host_only(accounts_config, mongo_db, corp):
    app = create_app(replace(accounts_config, public_url="https://lab.example"), db=mongo_db)

    cookie = app.test_client().get("/api/accounts/oidc/corp/start").headers["Set-Cookie"]

    assert cookie.startswith("__Host-idealab-sign-in=")
    assert {"Secure", "HttpOnly", "SameSite=Lax", "Path=/"} <= {p.strip() for p in cookie.split(";")}


def test_a_sign_in_finished_in_another_browser_signs_nobody_in(app, client, corp, accounts, person):
    # Mallory starts a sign-in with her own account at the provider and sends Ann the callback URL.
    corp.person = person("mallory-at-corp", "mallory@example.com")
    mallory_browser = app.test_client()
    answer = to_provider(mallory_browser)

    in_anns_browser = back_to_us(client, answer)

    assert "another browser" in assert_problem(in_anns_browser, 400)["detail"]
    assert "Location" not in in_anns_browser.headers
    assert accounts.store.users.count_documents({}) == 0


def test_a_forged_binding_cookie_does_not_finish_someone_elses_sign_in(app, client, corp, accounts):
    answer = to_provider(app.test_client())
    client.set_cookie("idealab-sign-in", "a value of the attacker's choosing")

    assert_problem(back_to_us(client, answer), 400)


# --- the identities linked to my account ----------------------------------------------------------------------

def test_i_see_the_providers_linked_to_my_account_and_remove_one_which_ends_its_sessions(
        client, corp, sign_up, sign_in, accounts, mailbox):
    ann = sign_up("ann@example.com")
    client.post("/api/accounts/verifications", json={"token": mailbox.link("ann@example.com", "verify")})
    by_provider = fragment(sign_in_with_corp(client))
    by_password = sign_in("ann@example.com")
    headers = {"Authorization": f"Bearer {by_password['access_token']}"}

    listed = client.get("/api/accounts/me/identities", headers=headers)

    assert listed.status_code == 200
    [corp_identity] = listed.get_json()
    assert (corp_identity["provider"], corp_identity["display_name"]) == ("corp", "Corp SSO")
    assert corp_identity["linked_at"]
    assert client.delete("/api/accounts/me/identities/corp", headers=headers).status_code == 204
    assert client.get("/api/accounts/me/identities", headers=headers).get_json() == []
    assert_problem(client.post("/api/accounts/sessions/refresh",
                               json={"refresh_token": by_provider["refresh_token"]}), 401)
    assert client.post("/api/accounts/sessions/refresh",
                       json={"refresh_token": by_password["refresh_token"]}).status_code == 200
    assert_problem(client.delete("/api/accounts/me/identities/corp", headers=headers), 404)
    # Signing in with the provider again is a new link, made only because we verified the address.
    assert subject(fragment(sign_in_with_corp(client))) == ann["id"]


def test_the_password_reset_mail_names_the_providers_linked_to_the_account(client, corp, accounts, mailbox):
    fragment(sign_in_with_corp(client))

    client.post("/api/accounts/password-resets", json={"email": "ann@example.com"})

    mailbox.link("ann@example.com", "reset-password")
    [mail] = [m for m in mailbox.to("ann@example.com") if "Reset" in m["Subject"]]
    text = mail.get_content().replace("\r\n", "\n")
    assert "can also be signed in to with:\n- Corp SSO, linked on " in text
    assert "remove it on your account page" in text and "http://lab.example/account" in text


def test_an_unknown_state_is_refused(client, corp, accounts):
    answer = to_provider(client)
    callback = urlsplit(answer.headers["Location"])
    code = parse_qs(callback.query)["code"][0]

    response = client.get(callback.path, query_string={"code": code, "state": "made-up"})

    assert_problem(response, 400)
    assert accounts.store.users.count_documents({}) == 0


def test_a_state_serves_once_so_a_replayed_callback_is_refused(client, corp, accounts):
    answer = to_provider(client)
    assert back_to_us(client, answer).status_code == 302

    assert_problem(back_to_us(client, answer), 400)


def test_an_expired_sign_in_attempt_is_refused(client, corp, accounts):
    answer = to_provider(client)
    accounts.store.sign_in_attempts.update_many({}, {"$set": {"expires_at": accounts.clock()}})

    assert_refused(back_to_us(client, answer), "expired")
    assert accounts.store.users.count_documents({}) == 0


def test_an_id_token_with_another_nonce_is_refused(client, corp, accounts):
    corp.wrong_nonce = True

    response = sign_in_with_corp(client)

    assert "nonce" in assert_refused(response, "invalid_id_token")
    assert accounts.store.users.count_documents({}) == 0


def test_a_person_who_refuses_at_the_provider_is_not_signed_in(client, corp, accounts):
    corp.person = None

    response = sign_in_with_corp(client)

    assert_refused(response, "access_denied")
    assert accounts.store.users.count_documents({}) == 0


@pytest.mark.parametrize("return_to", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_return_to_must_stay_on_this_site(client, corp, return_to, accounts):
    response = client.get("/api/accounts/oidc/corp/start", query_string={"return_to": return_to})

    assert_problem(response, 400)
    assert accounts.store.sign_in_attempts.count_documents({}) == 0


def test_a_provider_that_stopped_answering_is_told_as_a_failed_sign_in(client, corp, accounts):
    answer = to_provider(client)
    corp.stop()  # the provider goes away between its redirect and our code exchange

    assert_refused(back_to_us(client, answer), "temporarily_unavailable")
    assert accounts.store.users.count_documents({}) == 0


def test_an_unknown_provider_is_a_404(client, corp):
    assert_problem(client.get("/api/accounts/oidc/nope/start"), 404)
    assert_problem(client.get("/api/accounts/oidc/nope/callback?state=x&code=y"), 404)


def test_a_banned_account_cannot_sign_in_with_the_provider(client, corp, sign_up, accounts):
    ann = sign_up("ann@example.com")
    accounts.store.users.update_one({"_id": ann["id"]}, {"$set": {"banned": {"reason": "spam"}}})

    assert_refused(sign_in_with_corp(client), "account_banned")
