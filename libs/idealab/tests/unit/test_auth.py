"""Tokens: what verify_token accepts, and the forgeries and mistakes it turns into a 401."""
import time

import jwt
import pytest
from flask import Flask
from werkzeug.exceptions import Unauthorized

from idealab import auth

SECRET = "unit-test-secret-0123456789abcdef0123456789"
OTHER_SECRET = "someone-elses-secret-0123456789abcdef012345"


def claims(**changes) -> dict:
    now = int(time.time())
    return {"sub": "ann", "roles": ["member"], "iss": auth.ISSUER, "aud": auth.AUDIENCE, "iat": now,
            "exp": now + 60, **changes}


def signed(secret: str = SECRET, **changes) -> str:
    return jwt.encode({k: v for k, v in claims(**changes).items() if v is not None}, secret, algorithm="HS256")


def test_a_token_issued_with_the_secret_is_verified_into_its_user_and_roles():
    token = auth.issue_token(SECRET, "pat", roles=("member", "product_team"))

    principal = auth.verify_token(SECRET, token)

    assert principal.user_id == "pat"
    assert principal.roles == {"member", "product_team"}
    assert principal.has("product_team") and not principal.has("moderator")


def test_a_token_without_roles_has_none():
    principal = auth.verify_token(SECRET, signed(roles=None))
    assert principal.user_id == "ann" and principal.roles == frozenset()


def test_a_token_signed_with_another_secret_is_refused():
    with pytest.raises(Unauthorized, match="invalid token"):
        auth.verify_token(SECRET, auth.issue_token(OTHER_SECRET, "ann"))


def test_an_expired_token_is_refused():
    token = auth.issue_token(SECRET, "ann", ttl_seconds=-1)
    with pytest.raises(Unauthorized, match="expired"):
        auth.verify_token(SECRET, token)


@pytest.mark.parametrize("changes", [{"iss": "evil"}, {"iss": None}], ids=["other", "missing"])
def test_a_token_from_another_issuer_is_refused(changes):
    with pytest.raises(Unauthorized):
        auth.verify_token(SECRET, signed(**changes))


@pytest.mark.parametrize("changes", [{"aud": "billing"}, {"aud": None}], ids=["other", "missing"])
def test_a_token_for_another_audience_is_refused(changes):
    with pytest.raises(Unauthorized):
        auth.verify_token(SECRET, signed(**changes))


@pytest.mark.parametrize("missing", ["sub", "exp"])
def test_a_token_without_a_required_claim_is_refused(missing):
    with pytest.raises(Unauthorized):
        auth.verify_token(SECRET, signed(**{missing: None}))


def test_an_unsigned_alg_none_token_is_refused():
    token = jwt.encode(claims(roles=["member", "product_team"]), None, algorithm="none")
    assert jwt.get_unverified_header(token)["alg"] == "none"
    with pytest.raises(Unauthorized):
        auth.verify_token(SECRET, token)


def test_a_token_whose_signature_was_cut_off_is_refused():
    header, payload, _signature = auth.issue_token(SECRET, "ann").split(".")
    with pytest.raises(Unauthorized):
        auth.verify_token(SECRET, f"{header}.{payload}.")


@pytest.mark.parametrize("token", ["", "not-a-token", "a.b.c"])
def test_garbage_instead_of_a_token_is_refused(token):
    with pytest.raises(Unauthorized):
        auth.verify_token(SECRET, token)


@pytest.mark.parametrize("roles", ["product_team", [1, 2], [["member"]], {"member": True}, [None]],
                         ids=["a-string", "numbers", "nested-list", "object", "null"])
def test_roles_that_are_not_a_list_of_names_are_refused(roles):
    with pytest.raises(Unauthorized, match="roles"):
        auth.verify_token(SECRET, signed(roles=roles))


@pytest.fixture
def client():
    app = Flask("auth-test")
    app.config["JWT_SECRET"] = SECRET

    @app.get("/open")
    def open_to_all():
        principal = auth.current_principal()
        return {"user": principal.user_id if principal else None}

    @app.get("/members")
    @auth.require()
    def members_only():
        return {"user": auth.current_principal().user_id}

    @app.get("/team")
    @auth.require("product_team")
    def team_only():
        return {"user": auth.current_principal().user_id}

    return app.test_client()


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_a_request_without_a_token_is_anonymous_where_that_is_allowed(client):
    assert client.get("/open").json == {"user": None}


def test_a_route_that_requires_a_token_answers_401_without_one(client):
    assert client.get("/members").status_code == 401


def test_a_request_with_an_invalid_token_is_a_401_even_where_anonymous_is_allowed(client):
    assert client.get("/open", headers=bearer(auth.issue_token(OTHER_SECRET, "ann"))).status_code == 401
    assert client.get("/open", headers={"Authorization": "Basic YW5uOnB3"}).status_code == 401


def test_a_route_that_requires_a_role_answers_403_to_a_member_without_it(client):
    assert client.get("/team", headers=bearer(auth.issue_token(SECRET, "ann"))).status_code == 403


def test_a_route_that_requires_a_role_lets_its_holder_through(client):
    token = auth.issue_token(SECRET, "pat", roles=("product_team",))
    response = client.get("/team", headers=bearer(token))
    assert response.status_code == 200 and response.json == {"user": "pat"}
