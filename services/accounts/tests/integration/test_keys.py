"""Signing keys: the published JWKS, rotation without downtime, and tokens from accounts accepted by another service
that reads the JWKS over HTTP, as deployed."""
import dataclasses
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import jwt
import pytest
from werkzeug.serving import make_server

from accounts.app import create_app
from accounts.handlers.keys import Keys
from ideas.app import create_app as create_ideas_app

pytestmark = pytest.mark.integration


def kid_of(token: str) -> str:
    return jwt.get_unverified_header(token)["kid"]


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_the_jwks_publishes_public_keys_only_and_may_be_cached_briefly(client):
    response = client.get("/api/accounts/.well-known/jwks.json")

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=60"
    [key] = response.get_json()["keys"]
    assert (key["kty"], key["alg"], key["use"]) == ("RSA", "RS256", "sig")
    assert {"n", "e", "kid"} <= set(key) and not {"d", "p", "q", "dp", "dq", "qi"} & set(key)
    assert len(jwt.PyJWK(key).key.public_numbers().n.to_bytes(256, "big")) == 256  # 2048 bits


def test_a_rotated_key_is_published_at_once_but_signs_only_after_the_publication_delay(
        client, accounts, accounts_config, member):
    ann = member()
    old_kid = kid_of(ann["access_token"])
    ahead = Keys(accounts.store, dataclasses.replace(accounts_config, key_publish_ahead_seconds=3600))

    new_kid = ahead.rotate()

    published = [k["kid"] for k in client.get("/api/accounts/.well-known/jwks.json").get_json()["keys"]]
    assert published == [old_kid, new_kid]
    assert accounts.store.signing_keys.find_one({"_id": new_kid})["state"] == "next"
    assert kid_of(member("bob@example.com", "Bob")["access_token"]) == old_kid


def test_after_a_rotation_old_tokens_keep_working_until_they_expire_and_then_the_old_key_is_retired(
        client, accounts, member):
    ann = member()
    old_kid = kid_of(ann["access_token"])

    new_kid = accounts.keys.rotate()  # the tests publish 0 s ahead: it signs at once

    bob = member("bob@example.com", "Bob")
    assert kid_of(bob["access_token"]) == new_kid
    assert client.get("/api/accounts/me", headers=bearer(ann["access_token"])).status_code == 200
    assert accounts.store.signing_keys.find_one({"_id": old_kid})["state"] == "retiring"

    later = Keys(accounts.store, accounts.cfg, clock=lambda: accounts.clock() + timedelta(minutes=15, seconds=1))
    assert [k["kid"] for k in later.jwks()["keys"]] == [new_kid]
    assert accounts.store.signing_keys.find_one({"_id": old_kid})["state"] == "retired"
    assert client.get("/api/accounts/me", headers=bearer(ann["access_token"])).status_code == 401
    assert client.get("/api/accounts/me", headers=bearer(bob["access_token"])).status_code == 200


def test_rotate_keys_on_the_command_line_adds_a_published_key_that_does_not_sign_yet(
        client, accounts, worker_env, member):
    first = kid_of(member()["access_token"])

    result = subprocess.run([sys.executable, "-m", "accounts.cli", "rotate-keys"],
                            env=worker_env("accounts", KEY_PUBLISH_AHEAD_SECONDS="600"),
                            capture_output=True, text=True, timeout=60)

    assert result.returncode == 0, result.stderr
    keys = list(accounts.store.signing_keys.find().sort("created_at", 1))
    assert [k["state"] for k in keys] == ["active", "next"]
    assert keys[1]["signs_from"] - keys[1]["created_at"] == timedelta(seconds=600)
    assert len(client.get("/api/accounts/.well-known/jwks.json").get_json()["keys"]) == 2
    assert kid_of(member("bob@example.com", "Bob")["access_token"]) == first


@pytest.fixture
def served_accounts(app):
    """The accounts app over real HTTP on a free port, as other services reach it."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


def test_a_token_from_accounts_is_accepted_by_another_service_reading_the_jwks_over_http(
        served_accounts, service_settings, mongo_db, member, signer):
    settings = dataclasses.replace(service_settings("ideas"),
                                   jwks_url=f"{served_accounts}/api/accounts/.well-known/jwks.json")
    ideas = create_ideas_app(settings, db=mongo_db).test_client()
    ann = member()

    response = ideas.post("/api/ideas", headers=bearer(ann["access_token"]), json={
        "title": "Freeze my card from the app", "description": "One tap.", "category": "cards"})

    assert response.status_code == 201, response.get_json()
    assert response.get_json()["author_id"] == ann["id"]
    forged = signer.token(ann["id"])  # right claims, a key accounts never published
    refused = ideas.post("/api/ideas", headers=bearer(forged), json={
        "title": "Freeze my card from the app", "description": "One tap.", "category": "cards"})
    assert refused.status_code == 401


def test_api_processes_starting_together_make_one_first_key(accounts_config, mongo_db):
    with ThreadPoolExecutor(4) as pool:
        apps = list(pool.map(lambda _: create_app(accounts_config, db=mongo_db), range(4)))

    assert mongo_db["signing_keys"].count_documents({}) == 1
    assert {len(a.extensions["accounts.keys"].jwks()["keys"]) for a in apps} == {1}
