"""Depth, encoding and size, thrown at every operation of every service's OpenAPI document (so a new route gets them
too), over seeded resources so that by-id routes are reached beyond their 404: no answer is a 5xx, every 4xx is
problem+json, and what the shared request parsing refuses (idealab.web) it refuses on every route alike. Booleans in
request bodies are JSON booleans only. The failures of issue 11 are the cases here."""
import pytest

from .seeded import Lab

pytestmark = pytest.mark.integration

SURROGATE = "\ud800"  # sent as the JSON escape \ud800: valid JSON, not valid Unicode
# Through a URL: UTF-8 that is no character (an encoded surrogate, a stray byte), NUL, and a character outside the BMP.
PATH_TEXT = ["%ED%A0%80", "%FF", "%00", "%F0%9F%92%A1"]
BIG = 1_000_000  # characters: what the gateway lets through (1 MB bodies); the services must stand it alone too


def nested(depth: int) -> str:
    return '{"a": ' + "[" * depth + "]" * depth + "}"


@pytest.fixture
def lab(service_apps, signer):
    lab = Lab(service_apps, signer)
    return lab, lab.seed()


def operations(lab: Lab):
    """(service, method, path template, operation document, document) of every operation of every service."""
    for service, app in lab.apps.items():
        document = app.test_client().get(f"/api/{service}/openapi.json").json
        for path, methods in document["paths"].items():
            for method, operation in methods.items():
                yield service, method, path, operation, document


def resolve(schema: dict, document: dict) -> dict:
    while "$ref" in schema:
        _, *parts = schema["$ref"].split("/")  # "#/components/schemas/Name"
        schema = document
        for part in parts:
            schema = schema[part]
    return schema


def body_properties(operation: dict, document: dict) -> dict:
    """The JSON body's properties (name → schema) an operation documents; empty when it takes none."""
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return {}
    return {name: resolve(prop, document)
            for name, prop in resolve(content["application/json"]["schema"], document).get("properties", {}).items()}


def url(path: str, params: dict, replace: str | None = None) -> str:
    """`path` with its parameters filled from the seeded ones (or all set to `replace`)."""
    for name in [part[1:-1] for part in path.split("/") if part.startswith("{")]:
        path = path.replace(f"{{{name}}}", replace if replace is not None else params.get(name, "x"))
    return path


def request(app, method: str, path: str, headers: dict, **kwargs):
    return app.test_client().open(path, method=method.upper(), headers=headers, **kwargs)


def failure(what: str, response) -> str | None:
    """Why `response` breaks the contract (a 5xx, a 4xx that is not problem+json), or None."""
    status = response.status_code
    if status >= 500 or (status >= 400 and not response.content_type.startswith("application/problem+json")):
        return f"{what}: {status} {response.content_type} {response.get_data(as_text=True)[:300]}"
    return None


def refused(what: str, response, status: int, words: str) -> str | None:
    """Why `response` is not the `status` problem naming `words`, or None."""
    if response.status_code != status or words not in response.get_data(as_text=True):
        return f"{what}: {response.status_code} {response.get_data(as_text=True)[:300]} (wanted {status}, {words!r})"
    return None


def test_every_operation_refuses_json_nested_too_deep_or_holding_a_lone_surrogate_or_nul(lab):
    lab, seeded = lab
    failures, count = [], 0
    bodies = [(nested(1000), "nested"), (nested(40), "nested"),
              ('{"text": "a\\ud800b", "title": "x"}', "surrogate"), ('{"\\udfff": 1}', "surrogate"),
              ('{"text": ["\\ud800"]}', "surrogate"), ('{"text": "a\\u0000b"}', "NUL")]
    for service, method, path, _operation, _document in operations(lab):
        for body, words in bodies:
            response = request(lab.apps[service], method, url(path, seeded.params), seeded.headers, data=body,
                               content_type="application/json")
            failures.append(refused(f"{method.upper()} {path} {body[:30]}", response, 400, words))
            count += 1
    assert count > 200, "too few operations: are the documents read?"
    assert not [f for f in failures if f], "\n".join(f for f in failures if f)


def test_every_operation_stands_odd_text_in_its_path_and_query(lab):
    lab, seeded = lab
    failures = []
    for service, method, path, operation, _document in operations(lab):
        app = lab.apps[service]
        queries = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
        for text in PATH_TEXT:
            if "{" in path:
                response = request(app, method, url(path, seeded.params, replace=text), seeded.headers)
                failures.append(failure(f"{method.upper()} {url(path, {}, replace=text)}", response))
            for name in queries:
                response = request(app, method, url(path, seeded.params), seeded.headers,
                                   query_string=f"{name}={text}")
                failures.append(failure(f"{method.upper()} {path}?{name}={text}", response))
    assert not [f for f in failures if f], "\n".join(f for f in failures if f)


def test_every_operation_stands_a_megabyte_in_each_of_its_fields_and_parameters(lab):
    lab, seeded = lab
    failures = []
    big = "x" * BIG
    for service, method, path, operation, document in operations(lab):
        app = lab.apps[service]
        properties = body_properties(operation, document)
        if properties:
            body = {name: big for name in properties}
            response = request(app, method, url(path, seeded.params), seeded.headers, json=body)
            failures.append(failure(f"{method.upper()} {path} with {BIG:,} characters in each field", response))
        if "{" in path:
            response = request(app, method, url(path, seeded.params, replace="x" * 10_000), seeded.headers)
            failures.append(failure(f"{method.upper()} {path} with 10,000 characters in each parameter", response))
        for parameter in [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]:
            response = request(app, method, url(path, seeded.params), seeded.headers,
                               query_string={parameter: "x" * 100_000})
            failures.append(failure(f"{method.upper()} {path}?{parameter}=<100,000 characters>", response))
    assert not [f for f in failures if f], "\n".join(f for f in failures if f)


def test_every_boolean_of_a_request_body_takes_json_true_or_false_only(lab):
    """marshmallow's Boolean takes 1, 0, "yes", "off"…, and even truthy={True} takes 1 and 0: {"email": 0} turned
    someone's email off. Each boolean field must refuse them, naming the field."""
    lab, seeded = lab
    failures, booleans = [], []
    for service, method, path, operation, document in operations(lab):
        for name, schema in body_properties(operation, document).items():
            if schema.get("type") not in ("boolean", ["boolean", "null"]):
                continue
            booleans.append(f"{method.upper()} {path} {name}")
            for value in (0, 1, "true", "false", "yes", 0.0):
                response = request(lab.apps[service], method, url(path, seeded.params), seeded.headers,
                                   json={name: value})
                body = response.get_json(silent=True) or {}
                if response.status_code != 422 or name not in body.get("errors", {}):
                    failures.append(f"{method.upper()} {path} {{{name!r}: {value!r}}}: {response.status_code} "
                                    f"{response.get_data(as_text=True)[:200]}")
    assert "PUT /api/notifications/users/{user_id}/preferences email" in booleans, booleans
    assert not failures, "\n".join(failures)
