"""What operators see of running processes: a worker's health, readiness and metrics on its port, and an API's
metrics adding up every gunicorn process. Real processes against the real servers."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from kafka import KafkaProducer
from prometheus_client.parser import text_string_to_metric_families

from idealab import events
from idealab_testing import free_port, running_worker, wait_for
from votes.app import create_app as votes_app
from votes.config import VotesConfig

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[4]


def samples(url: str) -> list:
    """Every sample of a Prometheus text exposition at `url`."""
    text = requests.get(url, timeout=30).text
    return [s for family in text_string_to_metric_families(text) for s in family.samples]


def value(found: list, name: str, **labels) -> float | None:
    matching = [s.value for s in found if s.name == name and labels.items() <= s.labels.items()]
    return sum(matching) if matching else None


def test_a_worker_reports_its_health_readiness_and_what_it_did(worker_env, publish, event, servers, namespace,
                                                              idea_id, service_settings, mongo_db, bearer):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with running_worker("votes.worker", worker_env("votes", METRICS_PORT=str(port))):
        ready = wait_for(lambda: _get(f"{url}/readyz"), timeout=60, what="the worker's /readyz")
        assert ready.status_code == 200, ready.text
        assert ready.json() == {"status": "ready", "checks": {"database": "ok", "kafka": "ok", "started": "ok",
                                                                 "joined": "ok"}}
        assert requests.get(f"{url}/healthz", timeout=30).json() == {"status": "ok"}

        publish(event.submitted(idea_id))
        votes = votes_app(VotesConfig(service_settings("votes"), threshold=3), db=mongo_db).test_client()
        wait_for(lambda: votes.post(f"/api/votes/ideas/{idea_id}", headers=bearer("ann")).status_code == 201,
                 what="a vote cast once the worker knows the idea")
        poison = KafkaProducer(bootstrap_servers=servers.kafka)
        poison.send(namespace + events.VOTES_TOPIC, key=idea_id.encode(), value=b"{not json").get(timeout=10)
        poison.close()

        group = namespace + "votes"
        handled = dict(group=group, type="vote.cast", outcome="handled")
        found = wait_for(lambda: (s := samples(f"{url}/metrics"))
                         and value(s, "idealab_events_total", **handled) == 1
                         and value(s, "idealab_dead_letters_total", group=group) == 1
                         and value(s, "idealab_outbox_published_total", collection="votes") and s,
                         timeout=90, what="the vote published and handled, and the poison dead-lettered")
        assert value(found, "idealab_events_total", group=group, type="<malformed>", outcome="dead_lettered") == 1
        lags = [s for s in found if s.name == "idealab_consumer_lag" and s.labels["group"] == group]
        assert {s.labels["topic"] for s in lags} <= {namespace + events.IDEAS_TOPIC, namespace + events.VOTES_TOPIC}
        assert lags and all(s.value >= 0 for s in lags)
        wait_for(lambda: value(samples(f"{url}/metrics"), "idealab_consumer_lag", group=group) == 0,
                 what="no lag once everything is read")
        wait_for(lambda: value(samples(f"{url}/metrics"), "idealab_outbox_backlog", collection="votes") == 0,
                 what="an empty outbox backlog")


def _get(url: str):
    try:
        response = requests.get(url, timeout=30)
    except requests.ConnectionError:
        return None
    return response if response.status_code == 200 else None


def test_an_api_under_gunicorn_counts_the_requests_of_all_its_processes(servers, mongo_db, jwks_url):
    port = free_port()
    env = {**os.environ, "MONGODB_URI": servers.mongodb, "KAFKA_BOOTSTRAP_SERVERS": servers.kafka,
           "JWKS_URL": jwks_url, "VOTES_DATABASE": mongo_db.name, "GUNICORN_WORKERS": "3", "GUNICORN_THREADS": "1"}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    gunicorn = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
                                 "-b", f"127.0.0.1:{port}", "votes.wsgi:app"], env=env, cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/api/votes"
    try:
        wait_for(lambda: _get(f"{url}/healthz"), timeout=60, what="gunicorn serving votes")
        for i in range(30):  # a new connection each: gunicorn's processes take them in turn
            response = requests.get(f"{url}/ideas/idea-{i}", headers={"Connection": "close"}, timeout=30)
            assert response.status_code == 404  # no such idea: counted all the same
        route = dict(service="votes", route="/api/votes/ideas/<idea_id>", method="GET")
        for _ in range(6):
            # Whichever process answers the scrape, it counts every process's requests.
            found = samples(f"{url}/metrics")
            assert value(found, "idealab_http_requests_total", status="404", **route) == 30
            assert value(found, "idealab_http_request_duration_seconds_count", **route) == 30
    finally:
        gunicorn.terminate()
        output, _ = gunicorn.communicate(timeout=30)
    assert gunicorn.returncode == 0, output.decode()[-3000:]


def test_a_worker_waiting_for_its_database_is_alive_but_not_ready(worker_env):
    port, nobody = free_port(), free_port()
    url = f"http://127.0.0.1:{port}"
    with running_worker("votes.worker", worker_env("votes", METRICS_PORT=str(port),
                                                   MONGODB_URI=f"mongodb://127.0.0.1:{nobody}/")):
        wait_for(lambda: _answers(f"{url}/healthz"), timeout=30, what="the worker's health port")
        assert requests.get(f"{url}/healthz", timeout=30).status_code == 200
        ready = requests.get(f"{url}/readyz", timeout=30)
        assert ready.status_code == 503
        assert ready.json()["checks"] == {"database": "failing", "kafka": "ok", "started": "failing",
                                              "joined": "failing"}


def _answers(url: str) -> bool:
    try:
        requests.get(url, timeout=30)
        return True
    except requests.ConnectionError:
        return False
