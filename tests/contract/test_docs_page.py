"""The API docs page (deploy/gateway/docs, served by the gateway at /api/docs/) in a real browser, reading every
service's real OpenAPI document: each service gets its section with every one of its operations."""
import os
import threading
from pathlib import Path

import pytest
from werkzeug.middleware.shared_data import SharedDataMiddleware
from werkzeug.serving import make_server

pytestmark = pytest.mark.integration

DOCS = Path(__file__).resolve().parents[2] / "deploy" / "gateway" / "docs"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def _not_found(environ, start_response):
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"not found"]


@pytest.fixture
def site(service_apps):
    """The docs page and every service's API under one origin, as behind the gateway; and the documents."""
    apps = service_apps
    routes = {f"/api/{name}": app for name, app in apps.items()}
    root = SharedDataMiddleware(_not_found, {"/api/docs": str(DOCS)})
    server = make_server("127.0.0.1", 0, _Prefixed(root, routes), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", {
        name: app.test_client().get(f"/api/{name}/openapi.json").json for name, app in apps.items()}
    server.shutdown()


class _Prefixed:
    """Sends /api/<service>/… to that service's app (with its full path, as the gateway does), the rest to `root`."""

    def __init__(self, root, routes):
        self.root, self.routes = root, routes

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        for prefix, app in self.routes.items():
            if path == prefix or path.startswith(prefix + "/"):
                return app(environ, start_response)
        if path == "/api/docs/":
            environ["PATH_INFO"] = "/api/docs/index.html"
        return self.root(environ, start_response)


def test_the_docs_page_shows_every_operation_of_every_service(site):
    playwright = pytest.importorskip("playwright.sync_api")
    url, documents = site
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        try:
            page = browser.new_page()
            page.goto(f"{url}/api/docs/")
            page.wait_for_selector("section h2")
            assert page.locator(".error").count() == 0, page.locator(".error").all_inner_texts()
            for name, spec in documents.items():
                section = page.locator(f"section#{name}")
                assert section.locator("h2").inner_text() == spec["info"]["title"]
                operations = sum(len(ops) for ops in spec["paths"].values())
                assert section.locator("details.operation").count() == operations, name
            # An operation opens to its body's fields and its answers.
            submit = page.locator("details#ideas\\.submit")
            submit.locator("summary").click()
            assert "title" in submit.inner_text() and "application/problem+json" in submit.inner_text()
        finally:
            browser.close()
