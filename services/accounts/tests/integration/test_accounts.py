"""Sign-up, sign-in, email verification, password reset and sessions through the accounts API (Flask test client),
over a real database of its own, with the mails caught by a real SMTP server."""
import subprocess
import sys
from datetime import timedelta

import jwt
import pytest
from argon2 import PasswordHasher

from accounts import domain
from idealab_testing import assert_problem, wait_for

pytestmark = pytest.mark.integration

PROBLEM = "application/problem+json"
PASSWORD = "correct horse battery staple"  # what the conftest signs people up with


def claims_of(access_token: str) -> dict:
    return jwt.decode(access_token, options={"verify_signature": False})


def refresh(client, refresh_token: str):
    return client.post("/api/accounts/sessions/refresh", json={"refresh_token": refresh_token})


# --- sign-up -----------------------------------------------------------------------------------------------------

def test_signing_up_stores_an_argon2id_hash_under_the_normalised_email_and_announces_no_email(
        client, accounts):
    response = client.post("/api/accounts/users", json={
        "email": "  Ann.Lee@Example.COM ", "password": PASSWORD, "display_name": " Ann "})

    assert response.status_code == 201
    body = response.get_json()
    assert body == {"id": body["id"], "email": "ann.lee@example.com", "display_name": "Ann",
                    "email_verified": False}
    stored = accounts.store.users.find_one({"_id": body["id"]})
    assert stored["password_hash"].startswith("$argon2id$") and PASSWORD not in str(stored)
    assert stored["roles"] == ["member"]
    [event] = stored["outbox"]
    assert event["type"] == "user.registered"
    assert "ann.lee" not in str(event) and "argon2" not in str(event)


def test_an_email_taken_in_another_case_is_a_409_problem(client, sign_up, accounts):
    sign_up("ann@example.com")
    response = client.post("/api/accounts/users", json={
        "email": "ANN@example.com", "password": PASSWORD, "display_name": "Other Ann"})

    assert_problem(response, 409)
    assert accounts.store.users.count_documents({}) == 1


@pytest.mark.parametrize("password, says", [("short1!", "at least 10 characters"),
                                            ("Password123!", "most common"),
                                            ("qwertyuiop", "most common")])
def test_a_weak_password_is_a_422_problem_saying_why_and_nothing_is_stored(client, accounts, password, says):
    response = client.post("/api/accounts/users", json={
        "email": "ann@example.com", "password": password, "display_name": "Ann"})

    problem = assert_problem(response, 422)
    assert says in problem["errors"]["password"][0]
    assert accounts.store.users.count_documents({}) == 0


@pytest.mark.parametrize("body", [{"email": "not-an-email", "password": PASSWORD, "display_name": "Ann"},
                                  {"email": "ann@example.com", "password": PASSWORD},
                                  {"email": "ann@example.com", "password": PASSWORD, "display_name": "Ann",
                                   "roles": ["admin"]},
                                  ["ann@example.com"]])
def test_malformed_sign_ups_are_4xx_problems(client, accounts, body):
    response = client.post("/api/accounts/users", json=body)
    assert response.status_code in (400, 422) and response.mimetype == PROBLEM
    assert accounts.store.users.count_documents({}) == 0


# --- sign-in -----------------------------------------------------------------------------------------------------

def test_signing_in_gives_an_access_token_per_the_contract_and_a_refresh_token(client, sign_up, accounts):
    ann = sign_up("ann@example.com")

    response = client.post("/api/accounts/sessions", json={"email": "ANN@example.com ", "password": PASSWORD})

    assert response.status_code == 200
    tokens = response.get_json()
    assert (tokens["token_type"], tokens["expires_in"]) == ("Bearer", 900)
    header = jwt.get_unverified_header(tokens["access_token"])
    assert header["alg"] == "RS256" and header["kid"] in {k["kid"] for k in accounts.keys.jwks()["keys"]}
    claims = claims_of(tokens["access_token"])
    assert claims["exp"] - claims["iat"] == 900
    assert {k: claims[k] for k in ("iss", "aud", "sub", "roles", "spaces", "email_verified")} == {
        "iss": "idealab", "aud": "idealab", "sub": ann["id"], "roles": ["member"], "spaces": [],
        "email_verified": False}
    assert claims["jti"]


def test_a_wrong_password_and_an_unknown_email_get_the_same_401(client, sign_up):
    sign_up("ann@example.com")

    wrong = client.post("/api/accounts/sessions", json={"email": "ann@example.com", "password": "not it at all"})
    unknown = client.post("/api/accounts/sessions", json={"email": "bob@example.com", "password": PASSWORD})

    assert_problem(wrong, 401)
    assert_problem(unknown, 401)
    assert wrong.get_json()["detail"] == unknown.get_json()["detail"] == "wrong email or password"


def test_a_hash_made_with_older_parameters_is_replaced_at_the_next_sign_in(client, sign_up, accounts, sign_in):
    ann = sign_up("ann@example.com")
    weaker = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1)
    accounts.store.users.update_one({"_id": ann["id"]}, {"$set": {"password_hash": weaker.hash(PASSWORD)}})

    sign_in("ann@example.com")

    renewed = accounts.store.user(ann["id"])["password_hash"]
    assert not accounts.hasher.check_needs_rehash(renewed)
    accounts.hasher.verify(renewed, PASSWORD)


# --- email verification ------------------------------------------------------------------------------------------

def test_the_link_in_the_sign_up_mail_verifies_the_email_once(client, sign_up, mailbox, accounts, sign_in):
    ann = sign_up("ann@example.com")
    [mail] = mailbox.to("ann@example.com")
    assert mail["Subject"] == "Confirm your email for Idea Lab"
    token = mailbox.link("ann@example.com", "verify")
    assert accounts.store.links.find_one({"_id": token}) is None  # only its digest is stored

    assert client.post("/api/accounts/verifications", json={"token": token}).status_code == 204

    assert accounts.store.user(ann["id"])["email_verified"] is True
    assert claims_of(sign_in("ann@example.com")["access_token"])["email_verified"] is True
    assert_problem(client.post("/api/accounts/verifications", json={"token": token}), 400)
    stored = accounts.store.users.find_one({"_id": ann["id"]})
    assert stored["outbox"][-1]["type"] == "user.email_verified" and "email" not in stored["outbox"][-1]["data"]
    assert stored["contact_pending"] is True  # the address goes by the contacts topic (accounts.contacts)


def test_an_expired_verification_link_is_refused(client, sign_up, mailbox, accounts):
    ann = sign_up("ann@example.com")
    token = mailbox.link("ann@example.com", "verify")
    accounts.store.links.update_many({}, {"$set": {"expires_at": accounts.clock() - timedelta(seconds=1)}})

    assert_problem(client.post("/api/accounts/verifications", json={"token": token}), 400)
    assert accounts.store.user(ann["id"])["email_verified"] is False


def test_a_signed_in_member_asks_for_another_verification_mail_and_either_link_verifies_once(
        client, member, mailbox, accounts):
    ann = member()
    first = mailbox.link("ann@example.com", "verify")
    assert client.post("/api/accounts/me/verification-mail", headers=ann["headers"]).status_code == 202
    assert len(mailbox.to("ann@example.com")) == 2
    second = mailbox.link("ann@example.com", "verify")

    assert client.post("/api/accounts/verifications", json={"token": second}).status_code == 204
    assert client.post("/api/accounts/verifications", json={"token": first}).status_code == 204
    assert_problem(client.post("/api/accounts/me/verification-mail", headers=ann["headers"]), 409)
    types = [e["type"] for e in accounts.store.users.find_one({"_id": ann["id"]})["outbox"]]
    assert types == ["user.registered", "user.email_verified"]


def test_sign_up_succeeds_when_the_mail_server_is_down(client, app, accounts):
    accounts.mailer.port = 1  # nothing listens there

    response = client.post("/api/accounts/users", json={
        "email": "ann@example.com", "password": PASSWORD, "display_name": "Ann"})

    assert response.status_code == 201


# --- password reset ------------------------------------------------------------------------------------------------

def test_a_reset_request_is_202_whether_or_not_the_email_exists_and_only_a_known_one_gets_mail(
        client, sign_up, mailbox):
    sign_up("ann@example.com")

    known = client.post("/api/accounts/password-resets", json={"email": "Ann@example.com"})
    unknown = client.post("/api/accounts/password-resets", json={"email": "nobody@example.com"})

    assert (known.status_code, unknown.status_code) == (202, 202)
    assert known.get_data() == unknown.get_data()
    assert mailbox.link("ann@example.com", "reset-password")
    assert mailbox.to("nobody@example.com") == []


def test_resetting_the_password_through_the_mailed_link_ends_every_session(client, member, mailbox, sign_in,
                                                                          accounts):
    ann = member()
    other_device = sign_in("ann@example.com")
    client.post("/api/accounts/password-resets", json={"email": "ann@example.com"})
    token = mailbox.link("ann@example.com", "reset-password")
    new_password = "a brand new passphrase"

    response = client.post("/api/accounts/password-resets/confirm", json={"token": token, "password": new_password})

    assert response.status_code == 204
    assert_problem(client.post("/api/accounts/sessions", json={"email": "ann@example.com", "password": PASSWORD}),
                   401)
    assert sign_in("ann@example.com", new_password)["access_token"]
    assert_problem(refresh(client, ann["refresh_token"]), 401)
    assert_problem(refresh(client, other_device["refresh_token"]), 401)
    # Announced, so the access tokens of those sessions stop working at every service too.
    assert "user.password_reset" in [e["type"] for e in accounts.store.users.find_one({"_id": ann["id"]})["outbox"]]
    revoked = [e["data"]["session_id"] for s in accounts.store.sessions.find({"user_id": ann["id"]})
               for e in s.get("outbox", []) if e["type"] == "session.revoked"]
    assert sorted(revoked) == sorted(claims_of(t["access_token"])["sid"] for t in (ann, other_device))
    again = client.post("/api/accounts/password-resets/confirm", json={"token": token, "password": "yet another one"})
    assert_problem(again, 400)


def test_a_sign_in_with_the_old_password_while_a_reset_lands_opens_no_session(
        client, app, sign_up, mailbox, accounts, monkeypatch):
    ann = sign_up("ann@example.com")
    client.post("/api/accounts/password-resets", json={"email": "ann@example.com"})
    token = mailbox.link("ann@example.com", "reset-password")
    new_password = "a brand new passphrase"
    real = accounts.hasher

    class ResetWhileChecking:
        """The reset lands while the old password is being checked, and the old hash's parameters look outdated."""
        hash = real.hash

        reset = False

        def verify(self, stored_hash, password):
            if not self.reset:
                self.reset = True
                confirmed = client.post("/api/accounts/password-resets/confirm",
                                        json={"token": token, "password": new_password})
                assert confirmed.status_code == 204
            return real.verify(stored_hash, password)

        def check_needs_rehash(self, stored_hash):
            return True
    monkeypatch.setitem(app.extensions, "accounts.hasher", ResetWhileChecking())

    assert_problem(client.post("/api/accounts/sessions", json={"email": "ann@example.com", "password": PASSWORD}),
                   401)
    assert accounts.store.sessions.count_documents({"user_id": ann["id"], "revoked_at": None}) == 0
    accounts.store.set_password_hash(ann["id"], real.hash(PASSWORD), replacing="a hash no longer stored")
    real.verify(accounts.store.user(ann["id"])["password_hash"], new_password)  # not rehashed back to the old one


def test_a_refused_new_password_does_not_use_up_the_reset_link(client, sign_up, mailbox):
    sign_up("ann@example.com")
    client.post("/api/accounts/password-resets", json={"email": "ann@example.com"})
    token = mailbox.link("ann@example.com", "reset-password")

    weak = client.post("/api/accounts/password-resets/confirm", json={"token": token, "password": "password1"})
    assert_problem(weak, 422)
    good = client.post("/api/accounts/password-resets/confirm", json={"token": token, "password": "ocean lighthouse 7"})
    assert good.status_code == 204


def test_a_reset_link_expires_after_an_hour(client, sign_up, mailbox, accounts):
    sign_up("ann@example.com")
    client.post("/api/accounts/password-resets", json={"email": "ann@example.com"})
    token = mailbox.link("ann@example.com", "reset-password")
    link = accounts.store.links.find_one({"purpose": "reset"})
    assert link["expires_at"] - link["created_at"] == timedelta(hours=1)
    accounts.store.links.update_one({"_id": link["_id"]}, {"$set": {"expires_at": accounts.clock()}})

    response = client.post("/api/accounts/password-resets/confirm",
                           json={"token": token, "password": "ocean lighthouse 7"})
    assert_problem(response, 400)


def test_asking_for_a_new_reset_link_voids_the_older_one(client, sign_up, mailbox, sign_in):
    sign_up("ann@example.com")
    client.post("/api/accounts/password-resets", json={"email": "ann@example.com"})
    older = mailbox.link("ann@example.com", "reset-password")
    client.post("/api/accounts/password-resets", json={"email": "ann@example.com"})
    newer = wait_for(lambda: (link := mailbox.link("ann@example.com", "reset-password")) != older and link,
                     what="the second reset mail")

    assert_problem(client.post("/api/accounts/password-resets/confirm",
                               json={"token": older, "password": "set by whoever read the old mail"}), 400)
    assert client.post("/api/accounts/password-resets/confirm",
                       json={"token": newer, "password": "ocean lighthouse 7"}).status_code == 204
    assert sign_in("ann@example.com", "ocean lighthouse 7")


def test_using_a_reset_link_voids_any_other_one(client, sign_up, mailbox, accounts):
    ann = sign_up("ann@example.com")
    client.post("/api/accounts/password-resets", json={"email": "ann@example.com"})
    token = mailbox.link("ann@example.com", "reset-password")
    # Another link made at the very same moment (two requests at once): issuing one did not void the other.
    twin = accounts.store.links.find_one({"purpose": "reset"})
    accounts.store.add_link({**twin, "_id": domain.digest("the twin link")})

    assert client.post("/api/accounts/password-resets/confirm",
                       json={"token": token, "password": "ocean lighthouse 7"}).status_code == 204

    assert_problem(client.post("/api/accounts/password-resets/confirm",
                               json={"token": "the twin link", "password": "set with the twin link"}), 400)
    assert accounts.store.links.count_documents({"user_id": ann["id"], "purpose": "reset", "used_at": None}) == 0


def test_a_verification_link_does_not_reset_a_password(client, sign_up, mailbox):
    sign_up("ann@example.com")
    token = mailbox.link("ann@example.com", "verify")

    response = client.post("/api/accounts/password-resets/confirm",
                           json={"token": token, "password": "ocean lighthouse 7"})
    assert_problem(response, 400)


# --- refresh tokens and sessions ----------------------------------------------------------------------------------

def test_a_refresh_gives_a_new_pair_and_the_used_token_no_longer_works(client, member, accounts):
    ann = member()

    response = refresh(client, ann["refresh_token"])

    assert response.status_code == 200
    pair = response.get_json()
    assert pair["refresh_token"] != ann["refresh_token"] and pair["token_type"] == "Bearer"
    assert claims_of(pair["access_token"])["sub"] == ann["id"]
    assert accounts.store.refresh_tokens.find_one({"_id": pair["refresh_token"]}) is None  # only digests stored


def test_presenting_a_used_refresh_token_again_revokes_its_whole_family(client, member, sign_in, accounts):
    ann = member()
    other_device = sign_in("ann@example.com")
    newer = refresh(client, ann["refresh_token"]).get_json()

    reuse = refresh(client, ann["refresh_token"])

    assert "used before" in assert_problem(reuse, 401)["detail"]
    assert_problem(refresh(client, newer["refresh_token"]), 401)  # the thief's or the owner's: both end
    [announced] = accounts.store.sessions.find_one({"_id": claims_of(newer["access_token"])["sid"]})["outbox"]
    assert announced["type"] == "session.revoked" and announced["data"]["user_id"] == ann["id"]
    assert refresh(client, other_device["refresh_token"]).status_code == 200  # another sign-in is another family


def test_signing_out_ends_the_session_and_signing_out_again_is_harmless(client, member):
    ann = member()

    assert client.delete("/api/accounts/sessions", json={"refresh_token": ann["refresh_token"]}).status_code == 204
    assert_problem(refresh(client, ann["refresh_token"]), 401)
    assert client.delete("/api/accounts/sessions", json={"refresh_token": ann["refresh_token"]}).status_code == 204


def test_an_expired_refresh_token_is_a_401(client, member, accounts):
    ann = member()
    assert accounts.cfg.refresh_ttl_seconds == 30 * 24 * 3600
    accounts.store.refresh_tokens.update_many({}, {"$set": {"expires_at": accounts.clock()}})

    assert_problem(refresh(client, ann["refresh_token"]), 401)


@pytest.mark.parametrize("body", [{}, {"refresh_token": ""}, {"refresh_token": 7}, {"refresh_token": "x" * 500}])
def test_malformed_refresh_requests_are_422_problems(client, body):
    assert_problem(client.post("/api/accounts/sessions/refresh", json=body), 422)


def test_an_unknown_refresh_token_is_a_401(client):
    assert_problem(refresh(client, "never-issued"), 401)


def test_purge_expired_on_the_command_line_removes_only_what_can_no_longer_be_used(
        client, member, accounts, worker_env, sign_in):
    ann = member()
    live = sign_in("ann@example.com")
    past = accounts.clock() - timedelta(seconds=1)
    first_session = accounts.store.sessions_of(ann["id"])[0]["_id"]
    accounts.store.refresh_tokens.update_one({"session_id": first_session}, {"$set": {"expires_at": past}})
    accounts.store.links.update_many({}, {"$set": {"expires_at": past}})

    result = subprocess.run([sys.executable, "-m", "accounts.cli", "purge-expired"], env=worker_env("accounts"),
                            capture_output=True, text=True, timeout=60)

    assert result.returncode == 0, result.stderr
    assert "1 links, 1 refresh_tokens, 0 sign_in_attempts, 0 sessions, 0 counters removed" in result.stdout
    assert accounts.store.links.count_documents({}) == 0
    assert refresh(client, live["refresh_token"]).status_code == 200
