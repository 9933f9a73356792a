"""What the metrics count: requests by route (not raw path), method and status; the relay's published events."""
import tempfile

import pytest
from flask import Blueprint
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from idealab import metrics, outbox, web
from idealab.config import Settings
from idealab_testing import FakePublisher, TokenSigner

JWKS_URL = TokenSigner().jwks_url(tempfile.mkdtemp())


class FakeDb:
    def command(self, name):
        return {"ok": 1.0}

    def __getitem__(self, collection):  # the access read model's, never read without a token
        return None


class FakeStore:
    def __init__(self, db):
        pass

    def ensure_indexes(self):
        pass


def app(service: str):
    bp = Blueprint("things", __name__)

    @bp.get("/ideas/<idea_id>")
    def idea(idea_id):
        return {"id": idea_id}

    @bp.post("/ideas/<idea_id>/fail")
    def fail(idea_id):
        raise RuntimeError("bug")

    settings = Settings(service=service, mongodb_uri="mongodb://unused", database="unused",
                        kafka_bootstrap_servers="unused", jwks_url=JWKS_URL)
    return web.create_service_app(settings, f"/api/{service}", bp, FakeStore, db=FakeDb())


def requests(service: str, route: str, method: str, status: str) -> float:
    return REGISTRY.get_sample_value("idealab_http_requests_total", {
        "service": service, "route": route, "method": method, "status": status}) or 0


def timed(service: str, route: str, method: str) -> float:
    return REGISTRY.get_sample_value("idealab_http_request_duration_seconds_count", {
        "service": service, "route": route, "method": method}) or 0


@pytest.fixture
def service(request):
    """A service name of the test's own, so counts of other tests in this process do not mix in."""
    return "svc_" + request.node.name[-40:]


def test_requests_are_counted_and_timed_by_url_rule_method_and_status(service):
    client = app(service).test_client()
    for idea_id in ("a", "b", "c"):
        client.get(f"/api/{service}/ideas/{idea_id}")
    client.post(f"/api/{service}/ideas/a/fail")
    rule = f"/api/{service}/ideas/<idea_id>"
    assert requests(service, rule, "GET", "200") == 3
    assert timed(service, rule, "GET") == 3
    assert requests(service, rule + "/fail", "POST", "500") == 1
    assert requests(service, f"/api/{service}/ideas/a", "GET", "200") == 0  # never the raw path


def test_requests_no_route_matches_share_one_label_whatever_their_path(service):
    client = app(service).test_client()
    client.get(f"/api/{service}/nowhere")
    client.get(f"/api/{service}/else/where")
    assert requests(service, metrics.UNMATCHED, "GET", "404") == 2


def test_the_metrics_route_answers_the_prometheus_text_format_with_the_counts(service):
    client = app(service).test_client()
    client.get(f"/api/{service}/ideas/x")
    response = client.get(f"/api/{service}/metrics")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    families = {f.name: f for f in text_string_to_metric_families(response.get_data(as_text=True))}
    [sample] = [s for s in families["idealab_http_requests"].samples
                if s.labels.get("service") == service and s.name.endswith("_total")]
    assert sample.labels["route"] == f"/api/{service}/ideas/<idea_id>" and sample.value == 1


def test_in_multiprocess_mode_the_metrics_route_reads_the_processes_files(service, tmp_path, monkeypatch):
    # The files gunicorn's processes write; this process wrote none, so only what is in the directory shows.
    from prometheus_client import CollectorRegistry, Counter, values
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    monkeypatch.setattr(values, "ValueClass", values.MultiProcessValue(lambda: 4242))
    Counter("idealab_probe", "written as another process would", registry=CollectorRegistry()).inc(7)
    text = app(service).test_client().get(f"/api/{service}/metrics").get_data(as_text=True)
    assert "idealab_probe_total 7.0" in text
    assert f'service="{service}"' not in text  # this process's own registry is not what is served


def test_the_relay_counts_what_it_published_by_collection():
    class Things:
        name = "things_for_metrics"

        def __init__(self):
            self.docs = {1: {"_id": 1, outbox.FIELD: [{"id": "e1"}, {"id": "e2"}]}}

        def find(self, query, projection):
            pending = [d for d in self.docs.values() if d[outbox.FIELD]]
            return type("Cursor", (list,), {"limit": lambda self, n: self[:n]})(pending)

        def update_many(self, query, update):
            if "$pull" not in update:
                return  # the relay settling emptied outboxes: nothing to count
            published = update["$pull"][outbox.FIELD]["id"]["$in"]
            for doc_id in query["_id"]["$in"]:
                self.docs[doc_id][outbox.FIELD] = [e for e in self.docs[doc_id][outbox.FIELD]
                                                   if e["id"] not in published]

    before = REGISTRY.get_sample_value("idealab_outbox_published_total", {"collection": Things.name}) or 0
    outbox.Relay([Things()], FakePublisher()).run_once()
    assert REGISTRY.get_sample_value("idealab_outbox_published_total", {"collection": Things.name}) == before + 2


def test_the_outbox_backlog_is_counted_at_scrape_and_a_collection_that_fails_is_left_out():
    class Named:
        def __init__(self, name):
            self.name = name

    def count(collection):
        if collection.name == "away":
            raise ConnectionError("database away")
        return 5

    [family] = metrics.OutboxBacklog([Named("ideas"), Named("away")], count).collect()
    assert [(s.labels, s.value) for s in family.samples] == [({"collection": "ideas"}, 5)]
