"""The checks behind readiness, and the health/metrics server a worker runs."""
import socket

import pytest
import requests
from pymongo.errors import ServerSelectionTimeoutError

from idealab import health


@pytest.fixture
def listening():
    """host:port of a socket accepting connections (as a broker would), and one of a closed port."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    closed_port = closed.getsockname()[1]
    closed.close()
    yield f"127.0.0.1:{server.getsockname()[1]}", f"127.0.0.1:{closed_port}"
    server.close()


def test_kafka_is_reachable_when_any_bootstrap_server_accepts_a_connection(listening):
    up, down = listening
    assert health.KafkaCheck(f"{down},{up}")()
    assert not health.KafkaCheck(down)()
    assert not health.KafkaCheck("not-an-address")()


def test_the_kafka_check_probes_at_most_once_per_interval(listening, monkeypatch):
    up, _ = listening
    check = health.KafkaCheck(up, every=60)
    assert check()
    monkeypatch.setattr(check, "_connects", lambda address: pytest.fail("probed again within the interval"))
    assert check()


def test_the_database_check_says_whether_the_server_answers_a_ping():
    class Db:
        def __init__(self, up):
            self.up = up

        def command(self, name):
            if not self.up:
                raise ServerSelectionTimeoutError("refused")
            return {"ok": 1}
    assert health.database_check(Db(True))() and not health.database_check(Db(False))()


@pytest.fixture
def serve():
    servers = []

    def start(alive=lambda: True, **checks):
        servers.append(health.serve(0, alive, checks))
        return f"http://127.0.0.1:{servers[-1].server_port}"
    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_a_worker_is_ready_when_every_check_passes(serve):
    url = serve(database=lambda: True, kafka=lambda: True)
    response = requests.get(f"{url}/readyz", timeout=5)
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": {"database": "ok", "kafka": "ok"}}


def test_a_worker_whose_broker_is_away_is_not_ready_and_says_why(serve):
    url = serve(database=lambda: True, kafka=lambda: False)
    response = requests.get(f"{url}/readyz", timeout=5)
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "kafka": "failing"}


def test_a_worker_with_a_dead_thread_is_neither_healthy_nor_ready(serve):
    url = serve(alive=lambda: False, database=lambda: True)
    assert requests.get(f"{url}/healthz", timeout=5).status_code == 503
    assert requests.get(f"{url}/readyz", timeout=5).status_code == 503
    assert requests.get(f"{serve()}/healthz", timeout=5).json() == {"status": "ok"}


def test_the_worker_server_answers_metrics_in_the_prometheus_format(serve):
    response = requests.get(f"{serve()}/metrics", timeout=5)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/plain")
    assert "# TYPE idealab_events_total counter" in response.text
    assert requests.get(f"{serve()}/other", timeout=5).status_code == 404
