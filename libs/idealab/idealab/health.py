"""Whether a process can do its work: checks of the database and Kafka that stay cheap enough for frequent probes,
and the small HTTP server through which a worker answers /healthz, /readyz and /metrics."""
import json
import logging
import socket
import threading
import time
from collections.abc import Callable
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import make_wsgi_app
from pymongo.database import Database
from pymongo.errors import PyMongoError

log = logging.getLogger(__name__)

Check = Callable[[], bool]


def database_check(db: Database) -> Check:
    def reachable() -> bool:
        try:
            db.command("ping")
            return True
        except PyMongoError:
            return False
    return reachable


class KafkaCheck:
    """Whether a bootstrap server accepts connections. Probed at most every `every` seconds, with a short timeout,
    so a probe stays fast even when the broker is away; a connection, not a full request, keeps it cheap."""

    def __init__(self, bootstrap_servers: str, every: float = 5.0, timeout: float = 0.5):
        self.addresses = [a.strip() for a in bootstrap_servers.split(",") if a.strip()]
        self.every = every
        self.timeout = timeout
        self._lock = threading.Lock()
        self._checked_at = float("-inf")
        self._reachable = False

    def __call__(self) -> bool:
        with self._lock:
            if time.monotonic() - self._checked_at >= self.every:
                self._reachable = any(self._connects(a) for a in self.addresses)
                self._checked_at = time.monotonic()
            return self._reachable

    def _connects(self, address: str) -> bool:
        host, _, port = address.rpartition(":")
        try:
            socket.create_connection((host.strip("[]"), int(port)), timeout=self.timeout).close()
            return True
        except (OSError, ValueError):  # ValueError: not host:port, so nothing to reach
            return False


def report(checks: dict[str, Check]) -> tuple[bool, dict]:
    """(all pass, {"database": "ok", "kafka": "failing"…})."""
    results = {name: check() for name, check in checks.items()}
    return all(results.values()), {name: "ok" if ok else "failing" for name, ok in results.items()}


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):  # probes and scrapes every few seconds would flood the log
        pass


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


def serve(port: int, alive: Check, checks: dict[str, Check], host: str = "127.0.0.1") -> WSGIServer:
    """Serves, in a daemon thread: /healthz (200 while `alive`), /readyz (200 when every check passes, else 503)
    and /metrics (the process's default registry). Port 0 picks a free port (see server.server_port)."""
    metrics_app = make_wsgi_app()

    def app(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/metrics":
            return metrics_app(environ, start_response)
        if path == "/healthz":
            ok = alive()
            body = {"status": "ok" if ok else "failing"}
        elif path == "/readyz":
            ok, results = report(checks)
            ok = ok and alive()
            body = {"status": "ready" if ok else "not ready", "checks": results}
        else:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found: try /healthz, /readyz or /metrics\n"]
        start_response("200 OK" if ok else "503 Service Unavailable", [("Content-Type", "application/json")])
        return [json.dumps(body).encode()]

    server = make_server(host, port, app, server_class=_ThreadingServer, handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, name="health", daemon=True).start()
    log.info("health and metrics on http://%s:%d/", host, server.server_port)
    return server
