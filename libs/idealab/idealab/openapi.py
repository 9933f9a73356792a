"""A service's OpenAPI 3.1 description, generated from what its code already says, so it cannot drift from it:

- every route of the Flask URL map is an operation (path parameters from the rule);
- the request body is the marshmallow schema the view hands to `web.load(...)`, the query the schema that loads
  `request.args`, the answer the schema it dumps, with the status it returns;
- `auth.require(...)` makes the bearer token required (its roles named), `auth.current_principal()` alone optional;
- errors are problem+json: the ones the view can give by its shape (400, 401, 403, 404, 422), any other client
  error, and 503 with Retry-After when the database is away.

The view's source is read once (its syntax tree, never run). A view whose answer no schema describes (a mapping built
in place) is documented as a JSON object; `describe` adds what the source cannot say.
"""
import ast
import inspect
import re
import textwrap

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
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


def describe(**operation):
    """View decorator: OpenAPI operation fields the source cannot say (merged over the generated ones)."""
    def decorator(view):
        view.openapi = operation
        return view
    return decorator


def operation(*, body: type[Schema] | None = None, query: type[Schema] | None = None,
              answer: type[Schema] | Schema | dict | None = None, status: int = 200, **fields):
    """View decorator: the route's contract, declared where the route is: the JSON `body` schema, the `query`
    schema, the `answer` (a schema class, a `Schema(many=True)` instance, a JSON schema, or None for no body) and its
    `status`; `fields` are further OpenAPI operation fields merged over the generated ones."""
    def decorator(view):
        view.contract = {"body": body, "query": query, "answer": answer, "status": status, "fields": fields}
        return view
    return decorator


def spec_for(app: Flask, title: str | None = None, version: str = "1") -> dict:
    """The OpenAPI 3.1 document of every route `app` serves (static files aside)."""
    spec = APISpec(title=title or f"Idea Lab {app.name} API", version=version, openapi_version=OPENAPI_VERSION,
                   plugins=[MarshmallowPlugin()])
    spec.components.schema("Problem", PROBLEM_SCHEMA)
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                                               "description": "an access token from the accounts service"})
    paths: dict[str, dict] = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        methods = [m for m in METHODS if m.upper() in (rule.methods or ())]
        for method in methods:
            operation_id = rule.endpoint if len(methods) == 1 else f"{rule.endpoint}.{method}"
            paths.setdefault(_path(rule.rule), {})[method] = _operation(rule, view, operation_id)
    for path, operations in sorted(paths.items()):
        spec.path(path=path, operations=operations)
    return spec.to_dict()


def _path(rule: str) -> str:
    return _PARAMETER.sub(lambda m: "{" + m["name"] + "}", rule)


def _operation(rule, view, operation_id: str) -> dict:
    facts = _Facts.of(view)
    blueprint = rule.endpoint.rpartition(".")[0] or "service"
    operation = {
        "operationId": operation_id,
        "tags": [blueprint],
        "summary": facts.summary,
        "description": facts.description,
        "parameters": [{"in": "path", "name": m["name"], "required": True,
                        "schema": _CONVERTER_TYPES.get(m["converter"], {"type": "string"})}
                       for m in _PARAMETER.finditer(rule.rule)],
        "responses": {str(facts.status): facts.answer},
    }
    if facts.query is not None:
        operation["parameters"].append({"in": "query", "schema": facts.query})
    if facts.body is not None:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": facts.body}}}
    if facts.roles is not None:
        operation["security"] = [{"bearer": []}]
        if facts.roles:
            needs = f"Needs a bearer token with the role {' or '.join(facts.roles)}."
            operation["description"] = f"{operation['description']} {needs}".strip()
            operation["x-roles"] = list(facts.roles)
    elif facts.optional_auth:
        operation["security"] = [{}, {"bearer": []}]
    else:
        operation["security"] = []
    if not operation["description"]:
        del operation["description"]
    codes = []
    if facts.body is not None:
        codes += ["400", "422"]
    elif facts.query is not None:
        codes.append("422")
    if facts.roles is not None or facts.optional_auth:
        codes.append("401")
    if facts.roles is not None:
        codes.append("403")
    if any(p["in"] == "path" for p in operation["parameters"]):
        codes.append("404")
    for code in sorted(codes) + ["4XX", "503"]:
        operation["responses"][code] = _problem(code)
    for key, value in getattr(inspect.unwrap(view), "openapi", {}).items():
        # Described responses replace the generated ones of the same status and keep the others (the errors).
        operation[key] = {**operation[key], **value} if isinstance(value, dict) and key in operation else value
    return operation


def _problem(code: str) -> dict:
    response = {"description": ERRORS[code], "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
    if code == "503":
        response["headers"] = {"Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}}
    return response


class _Facts:
    """What a view's source says about its request and answer."""

    def __init__(self, view):
        self.view = view
        # The docstring's first sentence is the summary, the rest the description.
        doc = " ".join((inspect.getdoc(view) or view.__name__.replace("_", " ")).split())
        summary, _, self.description = doc.partition(". ")
        self.summary = summary.rstrip(".")
        self.body = self.query = None
        self.roles: tuple[str, ...] | None = None
        self.optional_auth = False
        self.status = 200
        self.answer: dict = {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}}

    @classmethod
    def of(cls, view) -> "_Facts":
        wrapped = inspect.unwrap(view)
        facts = cls(wrapped)
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(wrapped)))
        except (OSError, TypeError):  # no source to read (built at run time): the generic description stays
            return facts
        function = tree.body[0]
        if contract := getattr(wrapped, "contract", None):
            facts._declare(contract)
            for decorator in getattr(function, "decorator_list", []):
                if isinstance(decorator, ast.Call) and _name(decorator.func) == "require":
                    facts.roles = tuple(a.value for a in decorator.args if isinstance(a, ast.Constant))
            facts.optional_auth = "current_principal" in ast.unparse(function)
            return facts
        for decorator in getattr(function, "decorator_list", []):
            if isinstance(decorator, ast.Call) and _name(decorator.func) == "require":
                facts.roles = tuple(a.value for a in decorator.args if isinstance(a, ast.Constant))
        for node in ast.walk(function):
            if isinstance(node, ast.Call):
                facts._read_call(node)
            elif isinstance(node, ast.Return) and node.value is not None:
                facts._read_return(node.value)
        return facts

    def _declare(self, contract: dict) -> None:
        self.body, self.query, self.status = contract["body"], contract["query"], contract["status"]
        answer = contract["answer"]
        if answer is None:
            self.answer = {"description": "No Content"}
            return
        if isinstance(answer, Schema):
            answer = {"type": "array", "items": type(answer)} if answer.many else type(answer)
        self.answer = {"description": "OK" if self.status == 200 else "Created" if self.status == 201 else "Answer",
                       "content": {"application/json": {"schema": answer}}}
        self.view.openapi = {**contract["fields"], **getattr(self.view, "openapi", {})}

    def _read_call(self, call: ast.Call) -> None:
        name = _name(call.func)
        if name == "current_principal":
            self.optional_auth = True
        elif name == "load" and call.args:
            if isinstance(call.func, ast.Attribute) and (schema := self._schema(call.func.value)):
                # SomeSchema().load(request.args) or (request.args.to_dict()): the query
                source = call.args[0]
                if isinstance(source, ast.Call) and isinstance(source.func, ast.Attribute):
                    source = source.func.value
                if _name(source) == "args":
                    self.query = schema
            elif schema := self._schema(call.args[0]):
                self.body = schema  # web.load(SomeSchema()): the JSON body

    def _read_return(self, value: ast.expr) -> None:
        status = 200
        if isinstance(value, ast.Tuple) and len(value.elts) >= 2:
            if isinstance(value.elts[1], ast.Constant) and isinstance(value.elts[1].value, int):
                status = value.elts[1].value
            value = value.elts[0]
        self.status = status
        if status == 204 or (isinstance(value, ast.Constant) and value.value == ""):
            self.answer = {"description": "No Content"}
            return
        schema = self._answer_schema(value)
        if schema is not None:
            self.answer = {"description": "OK" if status == 200 else "Created" if status == 201 else "Answer",
                           "content": {"application/json": {"schema": schema}}}

    def _answer_schema(self, value: ast.expr):
        """SomeSchema().dump(x) → the schema; {"key": SomeSchema(many=True).dump(…)} → an object of those."""
        if isinstance(value, ast.Call) and _name(value.func) == "dump" and isinstance(value.func, ast.Attribute):
            schema = self._schema(value.func.value)
            if schema is not None:
                many = any(k.arg == "many" and isinstance(k.value, ast.Constant) and k.value.value
                           for k in value.func.value.keywords)
                return {"type": "array", "items": schema} if many else schema
        if isinstance(value, ast.Dict):
            properties = {k.value: self._answer_schema(v) or {}
                          for k, v in zip(value.keys, value.values) if isinstance(k, ast.Constant)}
            return {"type": "object", "properties": properties}
        return None

    def _schema(self, node: ast.expr):
        """The marshmallow schema a constructor call such as `schemas.Idea()` makes (the class), if it is one."""
        if not isinstance(node, ast.Call):
            return None
        found = _resolve(node.func, self.view.__globals__)
        return found if isinstance(found, type) and issubclass(found, Schema) else None


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return None


def _resolve(node: ast.expr, namespace: dict):
    if isinstance(node, ast.Name):
        return namespace.get(node.id)
    if isinstance(node, ast.Attribute):
        owner = _resolve(node.value, namespace)
        return getattr(owner, node.attr, None) if owner is not None else None
    return None
