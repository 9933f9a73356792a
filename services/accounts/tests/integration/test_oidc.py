"""Sign-in through OpenID Connect against a real provider (tests/oidc_provider, Authlib's server side) on a
loopback port: the browser's redirects are followed by hand with requests, the accounts API is the Flask test
client, and accounts itself talks to the provider over HTTP (discovery, code exchange, JWKS)."""
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import requests

from accounts.config import OidcProvider
from idealab.testing import assert_problem

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


def test_a_verified_email_from_the_provider_links_to_the_existing_account(client, corp, sign_up, accounts):
    ann = sign_up("Ann@Example.com")

    tokens = fragment(sign_in_with_corp(client))

    assert subject(tokens) == ann["id"]
    assert [i["subject"] for i in accounts.store.identities_of(ann["id"])] == ["ann-at-corp"]
    assert accounts.store.user(ann["id"])["email_verified"] is True
    assert accounts.store.users.find_one({"_id": ann["id"]})["outbox"][-1]["type"] == "user.email_verified"
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


def test_an_unverified_email_unknown_to_us_makes_an_unverified_account(client, corp, accounts, person):
    corp.person = person("bob-at-corp", "bob@example.com", email_verified=False)

    tokens = fragment(sign_in_with_corp(client))

    assert jwt.decode(tokens["access_token"], options={"verify_signature": False})["email_verified"] is False


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
