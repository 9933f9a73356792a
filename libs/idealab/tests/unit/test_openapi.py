"""The OpenAPI document generated from a tiny service: what each route declares, and the roles it requires."""
import tempfile

import pytest
from flask import Blueprint, request
from marshmallow import Schema, fields, validate

from idealab import auth, openapi, web
from idealab.config import Settings
from idealab_testing import TokenSigner

JWKS_URL = TokenSigner().jwks_url(tempfile.mkdtemp())


class Submission(Schema):
    title = fields.String(required=True, validate=validate.Length(min=5))


class ListQuery(Schema):
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class Thing(Schema):
    id = fields.String(attribute="_id")
    title = fields.String(allow_none=True)


def blueprint() -> Blueprint:
    bp = Blueprint("things", __name__)

    @bp.post("")
    @auth.require("member", "product_team")
    @openapi.operation(body=Submission, answer=Thing, status=201)
    def submit():
        fields_ = web.load(Submission())
        return Thing().dump(fields_), 201

    @bp.get("")
    @openapi.operation(query=ListQuery, answer={"type": "object", "properties": {
        "things": {"type": "array", "items": Thing}, "limit": {"type": "integer"}}})
    def list_things():
        query = ListQuery().load(request.args)
        return {"things": Thing(many=True).dump([]), "limit": query["limit"]}

    @bp.get("/<thing_id>")
    @openapi.operation(answer=Thing, optional_sign_in=True)
    def one(thing_id):
        """One thing, with my opinion of it when signed in."""
        auth.current_principal()
        return Thing().dump({"_id": thing_id})

    @bp.route("/<int:thing_id>/mark", methods=["PUT", "DELETE"])
    @auth.require()
    @openapi.operation(answer=None, status=204)
    def mark(thing_id):
        return "", 204

    return bp


class FakeDb:
    def command(self, name):
        return {"ok": 1}

    def __getitem__(self, collection):  # the access read model's, never read without a token
        return None


class FakeStore:
    def __init__(self, db):
        pass

    def ensure_indexes(self):
        pass


def service(bp: Blueprint):
    settings = Settings(service="things", mongodb_uri="mongodb://unused", database="unused",
                        kafka_bootstrap_servers="unused", jwks_url=JWKS_URL)
    return web.create_service_app(settings, "/api/things", bp, FakeStore, db=FakeDb())


@pytest.fixture(scope="module")
def app():
    return service(blueprint())


@pytest.fixture(scope="module")
def spec(app):
    return app.test_client().get("/api/things/openapi.json").json


def resolve(spec, schema):
    return spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]] if "$ref" in schema else schema


def test_it_is_openapi_3_1_with_every_route_and_method_of_the_url_map(app, spec):
    assert spec["openapi"] == "3.1.0"
    documented = {(path, method) for path, operations in spec["paths"].items() for method in operations}
    assert documented == {
        ("/api/things", "post"), ("/api/things", "get"), ("/api/things/{thing_id}", "get"),
        ("/api/things/{thing_id}/mark", "put"), ("/api/things/{thing_id}/mark", "delete"),
        ("/api/things/healthz", "get"), ("/api/things/readyz", "get"), ("/api/things/metrics", "get"),
        ("/api/things/openapi.json", "get")}


def test_the_request_body_is_the_declared_schema_and_its_errors_are_problems(spec):
    post = spec["paths"]["/api/things"]["post"]
    body = resolve(spec, post["requestBody"]["content"]["application/json"]["schema"])
    assert body["required"] == ["title"] and body["properties"]["title"]["minLength"] == 5
    assert body["additionalProperties"] is False
    for code in ("400", "401", "403", "422", "4XX", "503"):
        assert post["responses"][code]["content"]["application/problem+json"]["schema"] == {
            "$ref": "#/components/schemas/Problem"}
    assert "Retry-After" in post["responses"]["503"]["headers"]


def test_the_answer_is_the_declared_schema_with_its_status(spec):
    post = spec["paths"]["/api/things"]["post"]
    created = resolve(spec, post["responses"]["201"]["content"]["application/json"]["schema"])
    assert set(created["properties"]) == {"id", "title"}
    assert created["properties"]["title"]["type"] == ["string", "null"]
    listing = spec["paths"]["/api/things"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert listing["properties"]["things"]["type"] == "array"
    assert listing["properties"]["things"]["items"] == {"$ref": "#/components/schemas/Thing"}
    assert "content" not in spec["paths"]["/api/things/{thing_id}/mark"]["delete"]["responses"]["204"]


def test_the_query_is_the_declared_query_schema(spec):
    get = spec["paths"]["/api/things"]["get"]
    [limit] = get["parameters"]
    assert (limit["in"], limit["name"], limit["schema"]["maximum"]) == ("query", "limit", 100)
    assert "422" in get["responses"] and "400" not in get["responses"]


def test_security_follows_auth_require_and_the_declared_optional_sign_in(spec):
    paths = spec["paths"]
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert paths["/api/things"]["post"]["security"] == [{"bearer": []}]
    assert paths["/api/things"]["post"]["x-roles"] == ["member", "product_team"]
    assert paths["/api/things/{thing_id}/mark"]["put"]["security"] == [{"bearer": []}]
    assert paths["/api/things/{thing_id}"]["get"]["security"] == [{}, {"bearer": []}]  # optional
    assert paths["/api/things"]["get"]["security"] == []
    assert "401" not in paths["/api/things"]["get"]["responses"]


def test_path_parameters_take_their_converter_type_and_views_their_docstring(spec):
    mark = spec["paths"]["/api/things/{thing_id}/mark"]
    assert mark["put"]["parameters"][0]["schema"] == {"type": "integer"}
    assert mark["put"]["operationId"] != mark["delete"]["operationId"]
    one = spec["paths"]["/api/things/{thing_id}"]["get"]
    assert one["summary"] == "One thing, with my opinion of it when signed in"
    assert "404" in one["responses"] and "description" not in one
    readyz = spec["paths"]["/api/things/readyz"]["get"]
    assert readyz["summary"] == "Ready when the database answers (else 503)"
    assert readyz["description"].startswith("Kafka is reported but does not decide")


def test_declared_fields_override_the_generated_ones(spec):
    ok = spec["paths"]["/api/things/metrics"]["get"]["responses"]["200"]
    assert list(ok["content"]) == ["text/plain"]


def test_a_route_without_a_declared_contract_has_no_document():
    bp = Blueprint("things", __name__)

    @bp.get("/undeclared")
    def undeclared():
        return {}

    with pytest.raises(openapi.Undeclared, match="/api/things/undeclared"):
        openapi.spec_for(service(bp))


def test_the_roles_of_require_self_and_of_a_spread_tuple_are_documented():
    staff = ("moderator", "admin")
    bp = Blueprint("things", __name__)

    @bp.get("/<user_id>/box")
    @auth.require_self()
    @openapi.operation(answer=Thing)
    def box(user_id):
        return {}

    @bp.post("/hidden")
    @auth.require(*staff)
    @openapi.operation(answer=None, status=204)
    def hide():
        return "", 204

    paths = openapi.spec_for(service(bp))["paths"]
    box_get = paths["/api/things/{user_id}/box"]["get"]
    assert box_get["security"] == [{"bearer": []}] and {"401", "403"} <= set(box_get["responses"])
    assert paths["/api/things/hidden"]["post"]["x-roles"] == ["moderator", "admin"]


class Shelf(Schema):
    whole = fields.Nested(Thing)
    titles = fields.List(fields.Nested(Thing(exclude=("id",))))
    ids = fields.List(fields.Nested(Thing, only=("id",)))


def test_a_schema_left_short_by_a_nested_use_has_a_name_of_its_own():
    bp = Blueprint("things", __name__)

    @bp.get("/shelf")
    @openapi.operation(answer=Shelf)
    def shelf():
        return {}

    components = openapi.spec_for(service(bp))["components"]["schemas"]
    assert set(components["ThingWithoutId"]["properties"]) == {"title"}
    assert set(components["Thing"]["properties"]) == {"id", "title"}
    assert set(components["Shelf"]["properties"]["ids"]["items"]["properties"]) == {"id"}
