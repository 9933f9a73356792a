"""The accounts service's defences through the gateway, as an attacker would meet them (issue 9): password checks and
mails limited per account and per mailbox by the service itself, reset links that void each other, invitations
for the invited address only. The mails are read where the lab's mail sink prints them (its log)."""
import re
import subprocess
import sys

import pytest
import requests

from idealab_testing import assert_problem, mails_in_log, unique, wait_for

from .conftest import LAB_LOG

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery staple 42"


def mails_to(address: str) -> list:
    return mails_in_log(LAB_LOG, address)


def tokens_mailed(address: str, page: str, count: int) -> list[str]:
    """The tokens of the first `count` links to the web lab's `page` mailed to `address` (waits for them)."""
    def found():
        tokens = [m.group(1) for mail in mails_to(address)
                  if (m := re.search(rf"/{page}#token=([\w-]+)", mail.get_content()))]
        return tokens[:count] if len(tokens) >= count else None
    return wait_for(found, timeout=30, what=f"{count} mails to {address} linking to /{page}")


class Person:
    """Someone with an account made through the gateway."""

    def __init__(self, gateway: str, name: str, email: str | None = None):
        self.gateway = gateway
        self.email = email or f"{unique(name.lower())}@example.com"
        self.http = requests.Session()
        made = self.post("/api/accounts/users", json={"email": self.email, "password": PASSWORD, "display_name": name})
        assert made.status_code == 201, made.text

    def sign_in(self) -> "Person":
        tokens = self.post("/api/accounts/sessions", json={"email": self.email, "password": PASSWORD})
        assert tokens.status_code == 200, tokens.text
        self.http.headers["Authorization"] = f"Bearer {tokens.json()['access_token']}"
        return self

    def post(self, path: str, **kwargs) -> requests.Response:
        return self.http.post(self.gateway + path, timeout=10, **kwargs)

    def delete(self, path: str, **kwargs) -> requests.Response:
        return self.http.delete(self.gateway + path, timeout=10, **kwargs)


def assert_slowed_down(response: requests.Response) -> dict:
    problem = assert_problem(response, 429)
    assert int(response.headers["Retry-After"]) >= 1
    return problem


def test_guessing_the_password_to_delete_an_account_is_stopped_by_the_service(gateway):
    ann = Person(gateway, "Ann").sign_in()  # the account's first password check

    guesses = [ann.delete("/api/accounts/me", json={"password": f"guess number {n}"}).status_code for n in range(9)]
    refused = ann.delete("/api/accounts/me", json={"password": PASSWORD})

    assert guesses == [401] * 9
    assert "password attempts" in assert_slowed_down(refused)["detail"]


def test_verification_mails_stop_at_five_an_hour(gateway):
    ann = Person(gateway, "Ann").sign_in()  # the sign-up's mail is the first

    asked = [ann.post("/api/accounts/me/verification-mail").status_code for _ in range(5)]

    assert asked == [202] * 4 + [429]
    tokens_mailed(ann.email, "verify", 5)
    assert len(mails_to(ann.email)) == 5


def test_only_the_newest_reset_link_sets_a_password(gateway):
    ann = Person(gateway, "Ann")
    for _ in range(2):
        assert ann.post("/api/accounts/password-resets", json={"email": ann.email}).status_code == 202
    older, newer = tokens_mailed(ann.email, "reset-password", 2)

    stale = ann.post("/api/accounts/password-resets/confirm",
                     json={"token": older, "password": "set by whoever read the old mail"})
    fresh = ann.post("/api/accounts/password-resets/confirm", json={"token": newer, "password": "ocean lighthouse 7"})

    assert_problem(stale, 400)
    assert fresh.status_code == 204


def test_an_invitation_lets_in_only_the_invited_address(gateway, lab_env):
    root = Person(gateway, "Root")
    granted = subprocess.run([sys.executable, "-m", "accounts.cli", "grant-role", root.email, "admin"], env=lab_env,
                             capture_output=True, text=True, timeout=60)
    assert granted.returncode == 0, granted.stderr
    root.sign_in()
    space = root.post("/api/accounts/spaces", json={"name": "Savings panel"}).json()
    guest_email = f"{unique('guest')}@example.com"
    assert root.post(f"/api/accounts/spaces/{space['id']}/invitations", json={"email": guest_email}).status_code == 202
    [token] = tokens_mailed(guest_email, "invitations", 1)

    forwarded = Person(gateway, "Mallory").sign_in().post("/api/accounts/invitations/accept", json={"token": token})
    guest = Person(gateway, "Guest", email=guest_email).sign_in()
    accepted = guest.post("/api/accounts/invitations/accept", json={"token": token})

    assert_problem(forwarded, 403)
    assert accepted.status_code == 200 and accepted.json()["space_id"] == space["id"]


def test_an_address_beyond_ascii_signs_up_and_gets_its_verification_link(gateway):
    """smtplib wrote addresses in ASCII only: zoé@… made sign-up a 500. It is mailed with SMTPUTF8 now."""
    zoe = Person(gateway, "Zoé", email=f"{unique('zoé')}@example.com")
    assert tokens_mailed(zoe.email, "verify", 1)
