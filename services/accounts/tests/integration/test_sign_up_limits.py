"""One account, one voice at sign-up (issue 11): sign-ups are limited per client address and per email domain
(429 saying which), and addresses at refused throwaway-address domains are a 422 saying which."""
from dataclasses import replace

import pytest

from accounts.app import create_app
from idealab_testing import assert_problem

from .test_limits import from_address

pytestmark = pytest.mark.integration

PASSWORD = "correct horse battery staple"


def sign_up(client, email, address="198.51.100.1"):
    return client.post("/api/accounts/users", json={"email": email, "password": PASSWORD, "display_name": "New"},
                       **from_address(address))


def test_sign_ups_from_one_client_address_are_limited_and_other_addresses_are_not(accounts_config, mongo_db):
    client = create_app(replace(accounts_config, sign_ups_per_client=3), db=mongo_db).test_client()
    assert [sign_up(client, f"p{n}@bank-customers.example").status_code for n in range(3)] == [201] * 3

    refused = sign_up(client, "p3@bank-customers.example")

    problem = assert_problem(refused, 429)
    assert "from this address" in problem["detail"] and int(refused.headers["Retry-After"]) >= 1
    assert sign_up(client, "p4@bank-customers.example", address="198.51.100.2").status_code == 201
    assert client.post("/api/accounts/sessions", json={"email": "p3@bank-customers.example", "password": PASSWORD},
                       **from_address("198.51.100.2")).status_code == 401  # no account was made


def test_sign_ups_at_one_email_domain_are_limited_from_any_address(accounts_config, mongo_db):
    client = create_app(replace(accounts_config, sign_ups_per_email_domain=2), db=mongo_db).test_client()
    for n in range(2):
        assert sign_up(client, f"bot{n}@farm.example", address=f"203.0.113.{n}").status_code == 201

    problem = assert_problem(sign_up(client, "bot9@FARM.example", address="203.0.113.9"), 429)

    assert "at farm.example" in problem["detail"]
    assert sign_up(client, "someone@elsewhere.example", address="203.0.113.10").status_code == 201


def test_an_address_at_a_refused_domain_or_its_subdomains_is_a_422_saying_which(accounts_config, mongo_db):
    cfg = replace(accounts_config, refused_email_domains=frozenset({"throwaway.example"}))
    client = create_app(cfg, db=mongo_db).test_client()
    for email in ("x@throwaway.example", "x@mail.Throwaway.example"):
        problem = assert_problem(sign_up(client, email), 422)
        assert "throwaway.example" in str(problem)
    assert sign_up(client, "x@notthrowaway.example").status_code == 201
