"""What every service's HTTP side answers alike, through a tiny app built by web.create_service_app."""
import tempfile

import pytest
from flask import Blueprint, Flask
from marshmallow import Schema, fields, validate
from pymongo.errors import AutoReconnect, ServerSelectionTimeoutError

from idealab import auth, web
from idealab.config import Settings
from idealab_testing import TokenSigner, assert_problem

SIGNER = TokenSigner()
JWKS_URL = SIGNER.jwks_url(tempfile.mkdtemp())


class FakeDb:
    """Stands in for a pymongo Database: only what the app factory and /readyz use."""

    def __init__(self, reachable: bool = True):
        self.reachable = reachable

    def __getitem__(self, collection):  # the access read model's: accounts changed nothing about anyone
        return NoChanges()

    def command(self, name: str):
        if not self.reachable:
            raise ServerSelectionTimeoutError("127.0.0.1:27017: connection refused")
        return {"ok": 1.0}


class NoChanges:
    def find(self, query):
        return []


class FakeStore:
    def __init__(self, db):
        self.db = db
        self.indexed = False

    def ensure_indexes(self):
        self.indexed = True


class Idea(Schema):
    title = fields.String(required=True, validate=validate.Length(min=3))
    votes = fields.Integer(load_default=0)


def blueprint() -> Blueprint:
    bp = Blueprint("things", __name__)

    @bp.post("/ideas")
    def post_idea():
        return web.load(Idea()), 201

    @bp.get("/store")
    def which_store():
        return {"indexed": web.store().indexed}

    @bp.get("/database-away")
    def database_away():
        raise AutoReconnect("connection reset by peer")

    @bp.get("/bug")
    def bug():
        raise RuntimeError("s3cr3t internal detail")

    @bp.get("/team")
    @auth.require("product_team")
    def team_only():
        return {}

    return bp


def make_app(db) -> Flask:
    settings = Settings(service="things", mongodb_uri="mongodb://unused", database="unused",
                        kafka_bootstrap_servers="unused", jwks_url=JWKS_URL)
    return web.create_service_app(settings, "/api/things", blueprint(), FakeStore, db=db)


@pytest.fixture
def client():
    return make_app(FakeDb()).test_client()


def test_the_app_builds_its_store_over_the_database_it_was_given_and_indexes_it():
    db = FakeDb()
    app = make_app(db)
    store = app.extensions["idealab.store"]
    assert store.db is db and store.indexed
    assert app.test_client().get("/api/things/store").json == {"indexed": True}


def test_a_valid_body_is_loaded_through_the_schema(client):
    response = client.post("/api/things/ideas", json={"title": "Dark mode"})
    assert response.status_code == 201
    assert response.json == {"title": "Dark mode", "votes": 0}


def test_invalid_input_is_a_422_problem_listing_the_wrong_fields(client):
    response = client.post("/api/things/ideas", json={"title": "ab", "votes": "many"})
    body = assert_problem(response, 422)
    assert set(body["errors"]) == {"title", "votes"} and body["type"] == "about:blank"


def test_an_unknown_field_is_refused_with_a_422_problem(client):
    response = client.post("/api/things/ideas", json={"title": "Dark mode", "$where": "1 == 1"})
    body = assert_problem(response, 422)
    assert "$where" in body["errors"]


@pytest.mark.parametrize("kwargs", [
    {"data": "title=Dark mode", "content_type": "application/x-www-form-urlencoded"},
    {"data": "{broken", "content_type": "application/json"},
    {"json": ["Dark mode"]},
    {},
], ids=["form", "broken-json", "array", "no-body"])
def test_a_body_that_is_not_a_json_object_is_a_400_problem(client, kwargs):
    body = assert_problem(client.post("/api/things/ideas", **kwargs), 400)
    assert "JSON object" in body["detail"]


@pytest.mark.parametrize(("path", "body"), [
    ("/api/things/ideas", {"title": "Dark\u0000mode"}),
    ("/api/things/ideas", {"title": "Dark mode", "tags": [{"\u0000": 1}]}),
    ("/api/things/ideas?sort=new%00", {"title": "Dark mode"}),
    ("/api/things/ideas%00", {"title": "Dark mode"}),
])
def test_text_holding_a_nul_character_is_a_400_problem(client, path, body):
    # PostgreSQL (FerretDB's PostgreSQL backend) fails any query holding U+0000: it must not reach the database.
    assert_problem(client.post(path, json=body), 400)


def test_an_unknown_route_is_a_404_problem(client):
    assert_problem(client.get("/api/things/nowhere"), 404)


def test_a_wrong_method_is_a_405_problem_that_says_which_methods_are_allowed(client):
    response = client.delete("/api/things/ideas")
    assert_problem(response, 405)
    assert "POST" in response.headers.get("Allow", "")


def test_a_database_outage_is_a_503_problem_with_retry_after(client):
    response = client.get("/api/things/database-away")
    assert_problem(response, 503)
    assert int(response.headers["Retry-After"]) > 0


def test_an_unexpected_error_is_a_500_problem_that_leaks_nothing(client):
    response = client.get("/api/things/bug")
    assert_problem(response, 500)
    text = response.get_data(as_text=True)
    assert "s3cr3t" not in text and "Traceback" not in text and "RuntimeError" not in text


def test_a_missing_token_is_a_401_problem_with_a_bearer_challenge(client):
    response = client.get("/api/things/team")
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_missing_role_is_a_403_problem(client):
    token = SIGNER.token("ann", roles=("member",))
    assert_problem(client.get("/api/things/team", headers={"Authorization": f"Bearer {token}"}), 403)


def test_the_request_id_the_caller_sent_is_echoed_and_named_in_problems(client):
    response = client.get("/api/things/nowhere", headers={"X-Request-Id": "req-123"})
    assert response.headers["X-Request-Id"] == "req-123"
    assert response.json["request_id"] == "req-123"


def test_a_request_without_an_id_gets_a_fresh_one_on_every_answer(client):
    first = client.get("/api/things/healthz").headers["X-Request-Id"]
    second = client.get("/api/things/bug").headers["X-Request-Id"]
    assert first and second and first != second


def test_healthz_answers_without_asking_the_database():
    response = make_app(FakeDb(reachable=False)).test_client().get("/api/things/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}


def test_readyz_answers_ready_when_the_database_does(client):
    response = client.get("/api/things/readyz")
    # Kafka is reported, not required: this app's settings name no broker, and it is ready all the same.
    assert response.status_code == 200 and response.json == {
        "status": "ready", "checks": {"database": "ok", "kafka": "failing"}}


def test_readyz_is_a_503_when_the_database_is_unreachable():
    response = make_app(FakeDb(reachable=False)).test_client().get("/api/things/readyz")
    assert_problem(response, 503)
    assert "Retry-After" in response.headers


def test_log_lines_are_json_carrying_the_request_id_and_the_correlation_id(capsys):
    import json
    client = make_app(FakeDb()).test_client()
    capsys.readouterr()
    client.get("/api/things/bug", headers={"X-Request-Id": "req-42", "X-Correlation-Id": "journey-7"})
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    [error] = [line for line in lines if line["message"] == "unhandled error"]
    assert (error["level"], error["service"], error["request_id"], error["correlation_id"]) == (
        "ERROR", "things", "req-42", "journey-7")
