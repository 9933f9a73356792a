"""Each service's OpenAPI document describes every route its app serves: a new route cannot go undocumented."""
import re

import pytest

from idealab.openapi import METHODS, path_of

pytestmark = pytest.mark.integration


def test_every_route_and_method_of_the_url_map_is_an_operation(service_app):
    name, app = service_app
    spec = app.test_client().get(f"/api/{name}/openapi.json").json
    assert spec["openapi"] == "3.1.0"
    routes = {(path_of(rule.rule), method.lower())
              for rule in app.url_map.iter_rules() if rule.endpoint != "static"
              for method in rule.methods if method.lower() in METHODS}
    documented = {(path, method) for path, operations in spec["paths"].items() for method in operations}
    assert routes == documented
    assert {f"/api/{name}/openapi.json", f"/api/{name}/metrics", f"/api/{name}/readyz"} <= set(spec["paths"])


def test_every_operation_says_its_errors_are_problems_and_how_it_is_secured(service_app):
    name, app = service_app
    spec = app.test_client().get(f"/api/{name}/openapi.json").json
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            assert "security" in operation, (method, path)
            for code in ("4XX", "503"):
                assert "application/problem+json" in operation["responses"][code]["content"], (method, path, code)
            if operation["security"] and operation["security"] != [{}, {"bearer": []}]:
                assert "401" in operation["responses"] and "403" in operation["responses"], (method, path)


def test_an_operation_documented_without_sign_in_reads_no_token(service_app):
    """A route that reads the caller answers an invalid token with 401: one that does must declare it
    (`optional_sign_in=True`, or `auth.require`), else its document says it takes no token. Sent with ids that do
    not exist and an empty body, so nothing is made."""
    name, app = service_app
    spec = app.test_client().get(f"/api/{name}/openapi.json").json
    client = app.test_client()
    for path, operations in spec["paths"].items():
        url = re.sub(r"{\w+}", "0", path)
        for method, operation in operations.items():
            if operation["security"] == []:
                answer = client.open(url, method=method.upper(), json={},
                                     headers={"Authorization": "Bearer not-a-token"})
                assert answer.status_code != 401, f"{method.upper()} {path} reads the caller: declare it"
