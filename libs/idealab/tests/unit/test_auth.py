"""Tokens: what the verifier accepts from the accounts service's keys, and the forgeries and mistakes it turns into a
401; how it follows key rotation; the route decorators."""
import base64
import hashlib
import hmac
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from flask import Flask
from werkzeug.exceptions import ServiceUnavailable, Unauthorized

from idealab import auth
from idealab_testing import TokenSigner

SIGNER = TokenSigner()
STRANGER = TokenSigner()  # keys accounts never published


@pytest.fixture
def verifier(tmp_path):
    return auth.Verifier(auth.KeySet(SIGNER.jwks_url(tmp_path)), "idealab")


def base64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def claims(**changes) -> dict:
    now = int(time.time())
    return {"sub": "ann", "roles": ["member"], "iss": "idealab", "aud": auth.AUDIENCE, "iat": now,
            "exp": now + 60, **changes}


def signed(signer: TokenSigner = SIGNER, **changes) -> str:
    body = {k: v for k, v in claims(**changes).items() if v is not None}
    return jwt.encode(body, signer.private_key, algorithm="RS256", headers={"kid": signer.kid})


def test_a_token_from_accounts_is_verified_into_its_user_roles_and_spaces(verifier):
    principal = verifier.verify(SIGNER.token("pat", roles=("member", "product_team"), spaces=("panel-1",)))

    assert principal.user_id == "pat"
    assert principal.roles == {"member", "product_team"}
    assert principal.spaces == {"panel-1"}
    assert principal.has("product_team") and not principal.has("moderator")


def test_a_token_without_roles_or_spaces_has_none(verifier):
    principal = verifier.verify(signed(roles=None))
    assert principal.roles == frozenset() and principal.spaces == frozenset()


def test_a_token_signed_with_a_key_accounts_never_published_is_refused(verifier):
    with pytest.raises(Unauthorized, match="unknown key"):
        verifier.verify(STRANGER.token("ann"))


def test_a_token_forged_with_another_key_under_a_published_key_id_is_refused(verifier):
    forged = jwt.encode(claims(), STRANGER.private_key, algorithm="RS256", headers={"kid": SIGNER.kid})
    with pytest.raises(Unauthorized, match="Signature"):
        verifier.verify(forged)


def test_an_hs256_token_keyed_with_the_public_key_is_refused(verifier):
    # The classic confusion attack: HMAC keyed with the (public) key the verifier holds. PyJWT refuses to make one,
    # so it is put together by hand.
    public_pem = SIGNER.private_key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    header = base64url(json.dumps({"alg": "HS256", "typ": "JWT", "kid": SIGNER.kid}).encode())
    payload = base64url(json.dumps(claims(roles=["admin"])).encode())
    signature = base64url(hmac.new(public_pem, f"{header}.{payload}".encode(), hashlib.sha256).digest())
    forged = f"{header}.{payload}.{signature}"
    with pytest.raises(Unauthorized, match="only RS256"):
        verifier.verify(forged)


def test_an_expired_token_is_refused(verifier):
    with pytest.raises(Unauthorized, match="expired"):
        verifier.verify(signed(exp=int(time.time()) - 1))


@pytest.mark.parametrize("changes", [{"iss": "evil"}, {"iss": None}], ids=["other", "missing"])
def test_a_token_from_another_issuer_is_refused(verifier, changes):
    with pytest.raises(Unauthorized):
        verifier.verify(signed(**changes))


@pytest.mark.parametrize("changes", [{"aud": "billing"}, {"aud": None}], ids=["other", "missing"])
def test_a_token_for_another_audience_is_refused(verifier, changes):
    with pytest.raises(Unauthorized):
        verifier.verify(signed(**changes))


@pytest.mark.parametrize("missing", ["sub", "exp"])
def test_a_token_without_a_required_claim_is_refused(verifier, missing):
    with pytest.raises(Unauthorized):
        verifier.verify(signed(**{missing: None}))


def test_an_unsigned_alg_none_token_is_refused(verifier):
    token = jwt.encode(claims(roles=["member", "admin"]), None, algorithm="none", headers={"kid": SIGNER.kid})
    assert jwt.get_unverified_header(token)["alg"] == "none"
    with pytest.raises(Unauthorized, match="only RS256"):
        verifier.verify(token)


def test_a_token_whose_signature_was_cut_off_is_refused(verifier):
    header, payload, _signature = SIGNER.token("ann").split(".")
    with pytest.raises(Unauthorized):
        verifier.verify(f"{header}.{payload}.")


@pytest.mark.parametrize("token", ["", "not-a-token", "a.b.c"])
def test_garbage_instead_of_a_token_is_refused(verifier, token):
    with pytest.raises(Unauthorized):
        verifier.verify(token)


@pytest.mark.parametrize("claim", ["roles", "spaces"])
@pytest.mark.parametrize("value", ["product_team", [1, 2], [["member"]], {"member": True}, [None]],
                         ids=["a-string", "numbers", "nested-list", "object", "null"])
def test_roles_or_spaces_that_are_not_a_list_of_names_are_refused(verifier, claim, value):
    with pytest.raises(Unauthorized, match=claim):
        verifier.verify(signed(**{claim: value}))


def test_a_key_added_by_rotation_is_fetched_when_a_token_first_names_it(tmp_path):
    url = SIGNER.jwks_url(tmp_path)
    verifier = auth.Verifier(auth.KeySet(url, refetch_interval=0), "idealab")
    verifier.verify(SIGNER.token("ann"))
    rotated = TokenSigner()
    (tmp_path / "jwks.json").write_text(json.dumps({"keys": SIGNER.jwks["keys"] + rotated.jwks["keys"]}))

    assert verifier.verify(rotated.token("bob")).user_id == "bob"
    assert verifier.verify(SIGNER.token("ann")).user_id == "ann"


def test_unknown_key_ids_refetch_the_keys_at_most_once_per_interval(tmp_path):
    keys = auth.KeySet(SIGNER.jwks_url(tmp_path), refetch_interval=3600)
    verifier = auth.Verifier(keys, "idealab")
    verifier.verify(SIGNER.token("ann"))
    (tmp_path / "jwks.json").unlink()  # a refetch now would fail loudly

    for _ in range(3):
        with pytest.raises(Unauthorized, match="unknown key"):
            verifier.verify(STRANGER.token("mallory"))


def test_the_keys_are_read_again_once_they_are_older_than_max_age(tmp_path):
    keys = auth.KeySet(SIGNER.jwks_url(tmp_path), refetch_interval=3600, max_age=0)
    verifier = auth.Verifier(keys, "idealab")
    verifier.verify(SIGNER.token("ann"))
    (tmp_path / "jwks.json").write_text(json.dumps({"keys": []}))  # accounts retired the key

    with pytest.raises(Unauthorized, match="unknown key"):
        verifier.verify(SIGNER.token("ann"))


def test_known_keys_keep_working_while_the_keys_cannot_be_read_again(tmp_path):
    keys = auth.KeySet(SIGNER.jwks_url(tmp_path), max_age=0)
    verifier = auth.Verifier(keys, "idealab")
    verifier.verify(SIGNER.token("ann"))
    (tmp_path / "jwks.json").unlink()  # accounts is away

    assert verifier.verify(SIGNER.token("bob")).user_id == "bob"


def test_unreadable_keys_are_a_503_not_a_401(tmp_path):
    verifier = auth.Verifier(auth.KeySet(f"file://{tmp_path}/missing.json"), "idealab")
    with pytest.raises(ServiceUnavailable) as raised:
        verifier.verify(SIGNER.token("ann"))
    assert raised.value.retry_after


@pytest.mark.parametrize("roles, spaces, space, visible", [
    (("member",), (), None, True),
    (("member",), (), "panel-1", False),
    (("member",), ("panel-1",), "panel-1", True),
    (("member",), ("panel-1",), "panel-2", False),
    (("product_team",), (), "panel-2", True),
    (("moderator",), (), "panel-2", True),
    (("admin",), (), "panel-2", True),
])
def test_space_content_is_visible_to_its_members_and_staff_only(roles, spaces, space, visible):
    principal = auth.Principal("ann", frozenset(roles), frozenset(spaces))
    assert principal.can_see(space) is visible


def test_listings_show_anonymous_callers_no_space_members_theirs_and_staff_all():
    assert auth.visible_spaces(None) == []
    assert auth.visible_spaces(auth.Principal("ann", frozenset({"member"}), frozenset({"b", "a"}))) == ["a", "b"]
    assert auth.visible_spaces(auth.Principal("pat", frozenset({"product_team"}))) is None


@pytest.fixture
def client(verifier):
    app = Flask("auth-test")
    app.extensions["idealab.verifier"] = verifier

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
    assert client.get("/open", headers=bearer(STRANGER.token("ann"))).status_code == 401
    assert client.get("/open", headers={"Authorization": "Basic YW5uOnB3"}).status_code == 401


def test_a_route_that_requires_a_role_answers_403_to_a_member_without_it(client):
    assert client.get("/team", headers=bearer(SIGNER.token("ann"))).status_code == 403


def test_a_route_that_requires_a_role_lets_its_holder_through(client):
    response = client.get("/team", headers=bearer(SIGNER.token("pat", roles=("product_team",))))
    assert response.status_code == 200 and response.json == {"user": "pat"}


def test_a_route_about_one_person_lets_only_that_person_through(verifier):
    app = Flask("self-test")
    app.extensions["idealab.verifier"] = verifier

    @app.get("/people/<user_id>/secrets")
    @auth.require_self()
    def secrets(user_id):
        return {"user": user_id}

    client = app.test_client()
    assert client.get("/people/ann/secrets", headers=bearer(SIGNER.token("ann"))).json == {"user": "ann"}
    assert client.get("/people/ann/secrets", headers=bearer(SIGNER.token("bob", roles=("admin",)))).status_code == 403
    assert client.get("/people/ann/secrets").status_code == 401


def test_the_principal_carries_when_its_token_was_issued_and_its_session(verifier):
    principal = verifier.verify(signed(sid="session-1", iat=1_700_000_000))
    assert (principal.issued_at, principal.session_id) == (1_700_000_000, "session-1")
    with pytest.raises(Unauthorized):
        verifier.verify(signed(sid=["session-1"]))
