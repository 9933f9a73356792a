"""Every service against its own OpenAPI document (generated from its marshmallow schemas): schemathesis sends
valid and invalid requests to every operation, signed in with every role. No answer may be a 5xx, every 4xx must
be problem+json, and every answer must match what the document says.

Operations are driven one by one through their hypothesis strategies rather than schemathesis' pytest plugin,
whose fixture-loaded schemas do not run under pytest 9. CONTRACT_EXAMPLES=500 digs deeper than the default.
Derandomized: every run sends the same requests, so a failure is found again by the next run (issue 16).
test_hostile_input.py adds depth, encoding and size; test_seeded_resources.py the bodies of real resources."""
import os
import tempfile

import pytest
import schemathesis
from flask import Blueprint, Flask
from hypothesis import HealthCheck, assume, given, settings
from hypothesis.errors import Unsatisfiable
from marshmallow import Schema, fields
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

from idealab import openapi, web
from idealab.config import Settings
from idealab_testing import TokenSigner

pytestmark = pytest.mark.integration

# Examples per operation and mode: enough to reach every validation branch of these small schemas while the suite
# stays well under a minute.
EXAMPLES = int(os.environ.get("CONTRACT_EXAMPLES", "25"))
# ignored_auth replays without our token; positive_data_acceptance wants a 2xx for every schema-valid request,
# which no schema can promise (a vote on an idea that does not exist is well-formed and a 404).
EXCLUDED = [ignored_auth, positive_data_acceptance]
MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
# Every role, so operations behind any of them are reached beyond their 403.
ROLES = ("member", "product_team", "moderator", "admin")


def check_answer(case, headers: dict) -> None:
    response = case.call(headers={**headers, **(case.headers or {})})
    case.validate_response(response, excluded_checks=EXCLUDED, headers=headers)
    if 400 <= response.status_code < 500:
        assert response.headers["content-type"][0].startswith("application/problem+json"), (
            f"a {response.status_code} that is not problem+json: {response.text}")


def contract_failures(app: Flask, service: str, headers: dict, mode: GenerationMode) -> list[str]:
    """What schemathesis found wrong in each operation of the service's document (empty: nothing)."""
    schema = schemathesis.openapi.from_wsgi(f"/api/{service}/openapi.json", app)
    failures, operations = [], 0
    # OpenAPI matches a concrete path before a templated one: GET /api/ideas/questions is that operation's, never
    # GET /api/ideas/{idea_id}'s with "questions" for an id.
    concrete = {o.ok().path for o in schema.get_all_operations() if "{" not in o.ok().path}
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
        def keeps_contract(case):
            assume(case.formatted_path == operation.path or case.formatted_path not in concrete)
            check_answer(case, headers)

        try:
            keeps_contract()
        except Unsatisfiable:
            assert mode is GenerationMode.NEGATIVE, f"{operation.path}: no valid request can be made"
            continue  # nothing this operation takes can be invalid (no body, no query, any string as path)
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - gather every operation's failures
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    assert operations >= 5, "the document lists too few operations: is it the service's?"
    return failures


@pytest.mark.parametrize("mode", MODES)
def test_every_operation_keeps_the_documented_contract(service_app, bearer, mode):
    name, app = service_app
    failures = contract_failures(app, name, bearer("contract-user", roles=ROLES), mode)
    assert not failures, "\n\n".join(failures)


# The check itself: a service with a crash and a plain-JSON error must fail it.

class Note(Schema):
    text = fields.String(required=True)


def broken_blueprint() -> Blueprint:
    bp = Blueprint("broken", __name__)

    @bp.post("/notes")
    @openapi.operation(body=Note, answer=Note, status=201)
    def add_note():
        web.load(Note())
        raise RuntimeError("a bug")  # every valid note: a 500

    @bp.get("/notes/<note_id>")
    @openapi.operation(answer=Note)
    def note(note_id):
        return {"error": "none here"}, 404  # a 4xx that is not problem+json

    return bp


class NoAccessChanges:
    def find(self, query):
        return []

    def create_index(self, *args, **kwargs):
        pass


class NoStore:
    def __init__(self, db):
        pass

    def ensure_indexes(self):
        pass


def test_the_contract_check_finds_a_server_error_and_an_error_that_is_not_a_problem():
    signer = TokenSigner()
    settings_ = Settings(service="broken", mongodb_uri="mongodb://unused", database="unused",
                         kafka_bootstrap_servers="unused", jwks_url=signer.jwks_url(tempfile.mkdtemp()))

    class Db:
        def command(self, name):
            return {"ok": 1}

        def __getitem__(self, name):  # the access read model (idealab.access): nobody banned, removed or revoked
            return NoAccessChanges()
    app = web.create_service_app(settings_, "/api/broken", broken_blueprint(), NoStore, db=Db())
    failures = contract_failures(app, "broken", {}, GenerationMode.POSITIVE)
    assert any(f.startswith("POST /api/broken/notes") and "500" in f for f in failures), failures
    assert any(f.startswith("GET /api/broken/notes/{note_id}") and "problem+json" in f for f in failures), failures
