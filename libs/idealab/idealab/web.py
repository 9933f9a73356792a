"""What every service's HTTP side does alike: app factory base, RFC 9457 problem+json errors, request and
correlation ids, request-body loading through marshmallow, /healthz, /readyz, /metrics and /openapi.json."""
import logging
import uuid

from flask import Blueprint, Flask, Response, current_app, g, jsonify, request
from marshmallow import Schema, ValidationError
from pymongo.database import Database
from pymongo.errors import ConnectionFailure
from werkzeug.exceptions import BadRequest, HTTPException

from . import access, auth, brand, health, logs, metrics, openapi
from .config import Settings
from .mongo import connect

log = logging.getLogger(__name__)

PROBLEM = "application/problem+json"


def problem(status: int, title: str, detail: str | None = None, **extra) -> Response:
    body = {"type": "about:blank", "title": title, "status": status, **extra}
    if detail:
        body["detail"] = detail
    if "request_id" in g:
        body["request_id"] = g.request_id
    response = jsonify(body)
    response.status_code = status
    response.content_type = PROBLEM
    return response


def load(schema: Schema) -> dict:
    """The request's JSON body loaded through `schema`; unknown fields (such as `$`-prefixed keys) are refused."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object (Content-Type: application/json)")
    return schema.load(body)


def create_service_app(settings: Settings, url_prefix: str, blueprint: Blueprint, make_store,
                       db: Database | None = None) -> Flask:
    """A service's API app: its store over its own database, its routes under `url_prefix`, and what all share."""
    logs.configure(settings.service)
    brand.current()  # the bank's brand file: a malformed one, or unreadable colours, stop the start, saying what
    db = db if db is not None else connect(settings.mongodb_uri, settings.database)
    app = Flask(settings.service)
    app.json.sort_keys = False
    # A path with `//` is not one of ours: 404, not werkzeug's 308 to the merged path, whose absolute Location is
    # built from the Host the gateway passes (no port, no public scheme) and so points elsewhere.
    app.url_map.merge_slashes = False
    _install_request_ids(app)
    _refuse_unstorable_text(app)
    _install_error_handlers(app)
    metrics.instrument(app, settings.service)
    service_store = make_store(db)
    _ensure_indexes(app, service_store)
    app.extensions["idealab.db"] = db
    app.extensions["idealab.kafka_check"] = health.KafkaCheck(settings.kafka_bootstrap_servers)
    app.extensions["idealab.verifier"] = auth.Verifier(auth.KeySet(settings.jwks_url), settings.jwt_issuer)
    app.extensions["idealab.store"] = service_store
    app.extensions["idealab.access"] = access.Access(db)
    app.register_blueprint(_health_blueprint(), url_prefix=url_prefix)
    app.register_blueprint(blueprint, url_prefix=url_prefix)
    return app


def store():
    """The store of the service handling the current request."""
    return current_app.extensions["idealab.store"]


def _ensure_indexes(app: Flask, service_store) -> None:
    """Makes the store's indexes at start or, when the database is away then, before the first request that finds
    it back: an API starts (answering 503 until then) whether or not its database is up."""
    try:
        service_store.ensure_indexes()
        return
    except ConnectionFailure as exc:
        log.warning("database unreachable at start; indexes are made once it answers: %s", exc)
    indexed = False

    @app.before_request
    def ensure_indexes_once():
        nonlocal indexed
        if not indexed and request.blueprint != "health":
            service_store.ensure_indexes()  # ConnectionFailure → 503 via the error handler
            indexed = True


def _install_request_ids(app: Flask) -> None:
    @app.before_request
    def bind_ids():
        g.request_id = request.headers.get("X-Request-Id") or uuid.uuid4().hex
        g.log_tokens = (logs.request_id.set(g.request_id),
                        logs.correlation_id.set(request.headers.get("X-Correlation-Id") or g.request_id))

    @app.after_request
    def echo_id(response):
        response.headers["X-Request-Id"] = g.get("request_id", "")
        return response

    @app.teardown_request
    def unbind_ids(_exc):
        tokens = g.pop("log_tokens", None)
        if tokens:
            logs.request_id.reset(tokens[0])
            logs.correlation_id.reset(tokens[1])


# Product bodies are a few levels deep; anything deeper is refused before any code walks it (Python's json parser
# raises RecursionError near 1,000 levels, and so would every recursive walk of a body short of that).
MAX_JSON_DEPTH = 32


def _text_fault(value) -> str | None:
    """Why `value` (a parsed JSON body, a path, query arguments) cannot be taken, or None. Walked with a stack of its
    own, not recursion, so depth is measured, never hit."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return f"the JSON body is nested more than {MAX_JSON_DEPTH} levels deep"
        if isinstance(item, str):
            if "\x00" in item:
                return "text may not contain the NUL character (U+0000)"
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return "text must be valid Unicode: a lone surrogate (\\ud800-\\udfff) is not a character"
        elif isinstance(item, dict):
            stack.extend((part, depth + 1) for pair in item.items() for part in pair)
        elif isinstance(item, list):
            stack.extend((part, depth + 1) for part in item)
    return None


def _json_body():
    """The request's JSON body (None when it is not JSON), parsed once for the whole request: Flask keeps it for
    `load`. Nesting deep enough to exhaust the parser's recursion is a 400, not a 500."""
    try:
        return request.get_json(silent=True)
    except RecursionError:
        raise BadRequest(f"the JSON body is nested more than {MAX_JSON_DEPTH} levels deep") from None


def _refuse_unstorable_text(app: Flask) -> None:
    """Every route's input is checked here once, before any route sees it: a body nested too deep; text no database can
    store or compare — U+0000, which PostgreSQL (FerretDB's backend) cannot hold, and lone surrogates, which are not
    Unicode and which neither BSON nor the logs can encode. A new route cannot forget it."""
    @app.before_request
    def refuse_unstorable():
        fault = (_text_fault(request.path) or _text_fault(request.args.to_dict(flat=False))
                 or _text_fault(_json_body()))
        if fault:
            return problem(400, "Bad Request", fault)


def _install_error_handlers(app: Flask) -> None:
    @app.errorhandler(ValidationError)
    def invalid(exc: ValidationError):
        errors = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
        return problem(422, "Invalid input", "some fields are missing or wrong; see errors", errors=errors)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        response = problem(exc.code or 500, exc.name, exc.description)
        # The headers the status needs travel with the exception (Allow on a 405, Retry-After on a 429 or 503).
        for name, value in exc.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        if exc.code == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="idealab"'
        return response

    @app.errorhandler(ConnectionFailure)
    def database_away(exc: ConnectionFailure):
        log.warning("database unreachable: %s", exc)
        response = problem(503, "Service Unavailable", "the database is unreachable; try again shortly")
        response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unhandled error")
        return problem(500, "Internal Server Error", "an unexpected error; it has been logged")


def _health_blueprint() -> Blueprint:
    bp = Blueprint("health", __name__)

    @bp.get("/healthz")
    @openapi.operation(answer={"type": "object", "properties": {"status": {"type": "string"}}})
    def healthz():
        return {"status": "ok"}

    @bp.get("/readyz")
    @openapi.operation(answer={"type": "object", "properties": {"status": {"type": "string"},
                                                                "checks": {"type": "object"}}})
    def readyz():
        """Ready when the database answers (else 503). Kafka is reported but does not decide: writes wait in the
        outbox while it is away, so taking the API out of service would lose what the outbox is there to keep."""
        current_app.extensions["idealab.db"].command("ping")  # ConnectionFailure → 503 via the handler
        kafka = "ok" if current_app.extensions["idealab.kafka_check"]() else "failing"
        return {"status": "ready", "checks": {"database": "ok", "kafka": kafka}}

    @bp.get("/metrics")
    @openapi.operation(answer=None, tags=["operations"], responses={"200": {
        "description": "Prometheus text format", "content": {"text/plain": {"schema": {"type": "string"}}}}})
    def prometheus_metrics():
        """Prometheus metrics (for the scraper on the private network; the gateway does not serve it)."""
        return metrics.exposition()

    @bp.get("/openapi.json")
    @openapi.operation(answer={"type": "object"})
    def openapi_document():
        """This OpenAPI document."""
        if "idealab.openapi" not in current_app.extensions:
            current_app.extensions["idealab.openapi"] = openapi.spec_for(current_app)
        return current_app.extensions["idealab.openapi"]

    return bp
