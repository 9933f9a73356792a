"""A service's OpenAPI 3.1 description, from what each route declares where it is, so it cannot drift from it:

- every route of the Flask URL map is an operation (path parameters from the rule), and each must declare its
  contract with `@operation(...)`: its JSON body schema, query schema, answer and status (`spec_for` refuses a
  route that does not, so a new one cannot go undocumented);
- `auth.require(...)` and `auth.require_self()` mark the view with the roles they ask for: the bearer token is
  required (its roles named); `operation(optional_sign_in=True)` says a token is read when there is one;
- errors are problem+json: the ones the route can give by its contract (400, 401, 403, 404, 422), any other client
  error, and 503 with Retry-After when the database is away.
"""
import copy
import inspect
import re
from http import HTTPStatus

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_cls
from flask import Flask
from marshmallow import Schema

OPENAPI_VERSION = "3.1.0"
PROBLEM = "application/problem+json"
METHODS = ("get", "post", "put", "patch", "delete")
_PARAMETER = re.compile(r"<(?:(?P<converter>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")
_CONVERTER_TYPES = {"int": {"type": "integer"}, "float": {"type": "number"}, "uuid": {"type": "string",
                                                                                       "format": "uuid"}}

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "An RFC 9457 problem: what went wrong, for people (title, detail) and programs (status, errors)",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "request_id": {"type": "string", "description": "the id to quote when reporting it (also X-Request-Id)"},
        "errors": {"type": "object", "description": "what is wrong with each field of invalid input (422)"},
    },
}
ERRORS = {
    "400": "the body is not a JSON object",
    "401": "no valid bearer token where one is needed, or an invalid one",
    "403": "the token's user may not do this",
    "404": "nothing there",
    "422": "invalid input; `errors` says what is wrong with each field",
    "4XX": "another client error",
    "503": "the database is unreachable; retry after the time in Retry-After",
}


class Undeclared(LookupError):
    """A route without `@operation(...)`: its contract is unknown, so no document is published."""


def operation(*, body: type[Schema] | None = None, query: type[Schema] | None = None,
              answer: type[Schema] | Schema | dict | None, status: int = 200, optional_sign_in: bool = False,
              **fields):
    """View decorator: the route's contract, declared where the route is: the JSON `body` schema, the `query`
    schema, the `answer` (a schema class, a `Schema(many=True)` instance, a JSON schema that may name schema classes,
    or None for no body) and its `status`; `optional_sign_in` when the answer depends on a caller who may be
    anonymous. `fields` are further OpenAPI operation fields, merged over the generated ones (a response given in
    `responses` replaces the generated one of its status and keeps the others)."""
    def decorator(view):
        view.contract = {"body": body, "query": query, "answer": answer, "status": status,
                         "optional_sign_in": optional_sign_in, "fields": fields}
        return view
    return decorator


def spec_for(app: Flask, title: str | None = None, version: str = "1") -> dict:
    """The OpenAPI 3.1 document of every route `app` serves (static files aside)."""
    spec = APISpec(title=title or f"Idea Lab {app.name} API", version=version, openapi_version=OPENAPI_VERSION,
                   plugins=[MarshmallowPlugin(schema_name_resolver=_schema_name)])
    spec.components.schema("Problem", PROBLEM_SCHEMA)
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                                               "description": "an access token from the accounts service"})
    paths: dict[str, dict] = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        if not hasattr(view, "contract"):
            raise Undeclared(f"{rule.rule} ({rule.endpoint}) declares no contract: put @openapi.operation(...) "
                             f"above its view")
        methods = [m for m in METHODS if m.upper() in (rule.methods or ())]
        for method in methods:
            operation_id = rule.endpoint if len(methods) == 1 else f"{rule.endpoint}.{method}"
            paths.setdefault(path_of(rule.rule), {})[method] = _operation(rule, view, operation_id)
    for path, operations in sorted(paths.items()):
        spec.path(path=path, operations=operations)
    return spec.to_dict()


def _schema_name(schema) -> str | None:
    """A schema's component name, so two shapes of one schema never share one: its class's, with the fields a nested
    use leaves out (`Item(exclude=("history",))` is ItemWithoutHistory); a nested use that keeps `only` some fields
    has no name and is written out where it is used."""
    if getattr(schema, "only", None):
        return None
    left_out = sorted(getattr(schema, "exclude", None) or ())
    without = "Without" + "And".join(f.title().replace("_", "") for f in left_out) if left_out else ""
    return resolve_schema_cls(schema).__name__ + without


def path_of(rule: str) -> str:
    """The OpenAPI path of a Flask rule: `/ideas/<int:n>` is `/ideas/{n}`."""
    return _PARAMETER.sub(lambda m: "{" + m["name"] + "}", rule)


def _operation(rule, view, operation_id: str) -> dict:
    contract = view.contract
    roles = getattr(view, "roles", None)  # set by auth.require and auth.require_self
    body, query, status = contract["body"], contract["query"], contract["status"]
    # The docstring's first sentence is the summary, the rest the description.
    doc = " ".join((inspect.getdoc(view) or view.__name__.replace("_", " ")).split())
    summary, _, description = doc.partition(". ")
    operation = {
        "operationId": operation_id,
        "tags": [rule.endpoint.rpartition(".")[0] or "service"],
        "summary": summary.rstrip("."),
        "description": description,
        "parameters": [{"in": "path", "name": m["name"], "required": True,
                        "schema": _CONVERTER_TYPES.get(m["converter"], {"type": "string"})}
                       for m in _PARAMETER.finditer(rule.rule)],
        "responses": {str(status): _answer(contract["answer"], status)},
    }
    if query is not None:
        operation["parameters"].append({"in": "query", "schema": query})
    if body is not None:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    if roles is not None:
        operation["security"] = [{"bearer": []}]
        if roles:
            needs = f"Needs a bearer token with the role {' or '.join(roles)}."
            operation["description"] = f"{operation['description']} {needs}".strip()
            operation["x-roles"] = list(roles)
    else:
        operation["security"] = [{}, {"bearer": []}] if contract["optional_sign_in"] else []
    if not operation["description"]:
        del operation["description"]
    codes = ["400", "422"] if body is not None else ["422"] if query is not None else []
    if roles is not None or contract["optional_sign_in"]:
        codes.append("401")
    if roles is not None:
        codes.append("403")
    if operation["parameters"] and operation["parameters"][0]["in"] == "path":
        codes.append("404")
    for code in sorted(codes) + ["4XX", "503"]:
        operation["responses"][code] = _problem(code)
    for key, value in copy.deepcopy(contract["fields"]).items():  # apispec resolves the schemas in place
        operation[key] = {**operation[key], **value} if isinstance(value, dict) and key in operation else value
    return operation


def _answer(answer, status: int) -> dict:
    response = {"description": HTTPStatus(status).phrase}
    if isinstance(answer, dict):
        answer = copy.deepcopy(answer)  # apispec puts its references in place of the schema classes it names
    if answer is not None:
        response["content"] = {"application/json": {"schema": answer}}
    return response


def _problem(code: str) -> dict:
    response = {"description": ERRORS[code], "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
    if code == "503":
        response["headers"] = {"Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}}
    return response
