"""How often the accounts service checks a password (argon2, costly by design) or sends a mail, per account, per
client address and per mailbox: counted in its database, so the limits hold whatever is in front of it. Beyond:
429 problem+json with Retry-After."""
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from accounts import limits
from accounts.app import create_app
from idealab_testing import assert_problem

pytestmark = pytest.mark.integration

PASSWORD = "correct horse battery staple"  # what the conftest signs people up with


class CountingHasher:
    """The service's argon2 hasher, counting the passwords it checks or hashes."""

    def __init__(self, real):
        self.real = real
        self.runs = []

    def verify(self, *args):
        self.runs.append("verify")
        return self.real.verify(*args)

    def hash(self, *args):
        self.runs.append("hash")
        return self.real.hash(*args)

    def __getattr__(self, name):
        return getattr(self.real, name)


def count_argon2(monkeypatch, app) -> list:
    """The times `app` runs argon2 from now on."""
    hasher = CountingHasher(app.extensions["accounts.hasher"])
    monkeypatch.setitem(app.extensions, "accounts.hasher", hasher)
    return hasher.runs


@pytest.fixture
def argon2_runs(app, monkeypatch):
    return count_argon2(monkeypatch, app)


@pytest.fixture(autouse=True)
def mid_window(monkeypatch):
    """The limits' clock a minute into the next hour, and still: a test's attempts all fall in one window of every
    length (15 minutes, an hour) whenever it runs, and the counters expire after the test, not during it."""
    now = datetime.now(timezone.utc)
    frozen = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1, minutes=1)
    monkeypatch.setattr(limits, "now", lambda: frozen)


def assert_slowed_down(response, window_seconds: int = 15 * 60) -> dict:
    problem = assert_problem(response, 429)
    assert 1 <= int(response.headers["Retry-After"]) <= window_seconds
    return problem


def from_address(address: str, forwarded_for: str | None = None) -> dict:
    """Test client arguments for a request that reached the service from `address` (the gateway, when
    `forwarded_for` is given: nginx appends the address it saw to what the client sent)."""
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return {"environ_overrides": {"REMOTE_ADDR": address}, "headers": headers}


# --- password checks ---------------------------------------------------------------------------------------------

def test_deleting_my_account_checks_my_password_ten_times_then_answers_429_without_running_argon2(
        client, member, accounts, argon2_runs):
    ann = member()  # signing in was the first of the account's ten checks

    statuses = [client.delete("/api/accounts/me", headers=ann["headers"], json={"password": f"guess {i}"}).status_code
                for i in range(9)]
    argon2_runs.clear()
    refused = client.delete("/api/accounts/me", headers=ann["headers"], json={"password": PASSWORD})

    assert statuses == [401] * 9
    assert "too many password attempts" in assert_slowed_down(refused)["detail"]
    assert argon2_runs == []
    assert accounts.store.user(ann["id"])["deleted_at"] is None


def test_sign_in_attempts_on_one_account_are_limited_from_any_address(client, sign_up, argon2_runs):
    sign_up("ann@example.com")  # a password check of its own: sign-up hashes

    for attempt in range(10):
        wrong = client.post("/api/accounts/sessions", json={"email": "ann@example.com", "password": "not it"},
                            **from_address(f"10.0.0.{attempt}"))
        assert wrong.status_code == 401
    argon2_runs.clear()
    refused = client.post("/api/accounts/sessions", json={"email": "ANN@example.com", "password": PASSWORD},
                          **from_address("10.0.1.1"))

    assert_slowed_down(refused)
    assert argon2_runs == []
    other = client.post("/api/accounts/sessions", json={"email": "bob@example.com", "password": PASSWORD})
    assert_problem(other, 401)  # another address typed is another count


def test_sign_ins_to_an_unknown_address_are_limited_as_well(client):
    for _ in range(10):
        assert_problem(client.post("/api/accounts/sessions", json={"email": "nobody@example.com", "password": "x"}),
                       401)
    assert_slowed_down(client.post("/api/accounts/sessions", json={"email": "nobody@example.com", "password": "x"}))


def test_one_client_address_is_limited_across_accounts_and_routes_whatever_it_claims_to_come_from(
        accounts_config, mongo_db, sign_up, monkeypatch):
    sign_up("ann@example.com")  # from 127.0.0.1: another client
    # The same service, with a client's allowance small enough to reach in a test.
    app = create_app(replace(accounts_config, password_checks_per_client=3), db=mongo_db)
    client = app.test_client()
    argon2_runs = count_argon2(monkeypatch, app)
    for n in range(3):
        response = client.post("/api/accounts/sessions", json={"email": f"person{n}@example.com", "password": "x"},
                               **from_address("10.1.1.1", forwarded_for=f"203.0.113.{n}, 198.51.100.7"))
        assert response.status_code == 401
    argon2_runs.clear()

    # The gateway (10.1.1.1) saw 198.51.100.7 each time: what the client put before it is not believed.
    spoofed = client.post("/api/accounts/users", json={"email": "new@example.com", "password": PASSWORD,
                                                        "display_name": "New"},
                          **from_address("10.1.1.1", forwarded_for="203.0.113.99, 198.51.100.7"))

    assert_slowed_down(spoofed)
    assert argon2_runs == []
    elsewhere = client.post("/api/accounts/sessions", json={"email": "ann@example.com", "password": PASSWORD},
                            **from_address("10.1.1.1", forwarded_for="198.51.100.8"))
    assert elsewhere.status_code == 200


def test_a_reset_refused_for_too_many_checks_keeps_its_link_for_later(client, sign_up, mailbox, accounts):
    sign_up("ann@example.com")
    client.post("/api/accounts/password-resets", json={"email": "ann@example.com"})
    token = mailbox.link("ann@example.com", "reset-password")
    for _ in range(10):
        client.post("/api/accounts/sessions", json={"email": "ann@example.com", "password": "not it"},
                    **from_address("10.2.0.1"))

    refused = client.post("/api/accounts/password-resets/confirm",
                          json={"token": token, "password": "ocean lighthouse 7"}, **from_address("10.2.0.2"))

    assert_slowed_down(refused)
    assert accounts.store.links.find_one({"purpose": "reset"})["used_at"] is None


# --- mails -------------------------------------------------------------------------------------------------------

def test_verification_mails_are_limited_per_account_with_a_429(client, member, mailbox):
    ann = member()  # the sign-up mail is the first of five

    statuses = [client.post("/api/accounts/me/verification-mail", headers=ann["headers"]).status_code
                for _ in range(5)]

    assert statuses == [202] * 4 + [429]
    refused = client.post("/api/accounts/me/verification-mail", headers=ann["headers"])
    assert "too many mails" in assert_slowed_down(refused, window_seconds=3600)["detail"]
    assert len(mailbox.to("ann@example.com")) == 5


def test_reset_mails_stop_beyond_the_allowance_with_the_same_answer(client, sign_up, mailbox):
    sign_up("ann@example.com")

    answers = [client.post("/api/accounts/password-resets", json={"email": "ann@example.com"}) for _ in range(6)]

    assert {(a.status_code, a.get_data()) for a in answers} == {(202, b"")}  # tells nothing about the address
    mailbox.link("ann@example.com", "reset-password")
    resets = [m for m in mailbox.to("ann@example.com") if "Reset" in m["Subject"]]
    assert len(resets) == 4  # with the sign-up's mail: five to this mailbox


def test_invitations_to_one_address_are_limited_and_each_admin_has_an_allowance_of_their_own(
        client, admin, mailbox, accounts):
    root = admin()
    space = client.post("/api/accounts/spaces", headers=root["headers"], json={"name": "Panel"}).get_json()
    invite = lambda email: client.post(f"/api/accounts/spaces/{space['id']}/invitations",  # noqa: E731
                                       headers=root["headers"], json={"email": email})

    statuses = [invite("ann@example.com").status_code for _ in range(6)]

    assert statuses == [202] * 5 + [429]
    assert len(mailbox.to("ann@example.com")) == 5
    assert accounts.cfg.invitations_per_admin > accounts.cfg.mails_per_account  # a panel is invited at once
    assert [invite(f"guest{n}@example.com").status_code for n in range(6)] == [202] * 6
