"""Prometheus metrics of every process, defined once so names and labels are the same in every service.

An API runs as several gunicorn processes; a scrape reaching one of them must still count them all, so APIs count
in prometheus_client's multiprocess mode (files in PROMETHEUS_MULTIPROC_DIR, made fresh per service start by
deploy/gunicorn.conf.py) and /metrics adds up every process's files. Without that variable (tests, a single
process) the default registry is served. Workers are one process each and serve the default registry on their own
port (idealab.health.serve).
"""
import os
import time

from flask import Flask, Response, g, request
from prometheus_client import (CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, Gauge,
                               generate_latest, multiprocess)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

REQUESTS = Counter("idealab_http_requests", "HTTP requests answered, by route (the URL rule, not the raw path)",
                   ["service", "route", "method", "status"])
LATENCY = Histogram("idealab_http_request_duration_seconds", "Time to answer an HTTP request, by route",
                    ["service", "route", "method"],
                    buckets=(.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10))
EVENTS = Counter("idealab_events", "Events a consumer group read, by type and outcome: handled; skipped (a type the "
                 "group does not handle); retried (a transient failure); dead_lettered", ["group", "type", "outcome"])
DEAD_LETTERS = Counter("idealab_dead_letters", "Records a consumer group sent to its dead-letter topic",
                       ["group", "topic"])
CONSUMER_LAG = Gauge("idealab_consumer_lag", "Records of a partition the group has not read yet (high-water mark "
                     "minus position), as of the group's last poll", ["group", "topic", "partition"])
OUTBOX_PUBLISHED = Counter("idealab_outbox_published", "Events the outbox relay published, by collection",
                           ["collection"])
OUTBOX_FAILURES = Counter("idealab_outbox_relay_failures", "Relay rounds that failed and will be retried (Kafka or "
                          "the database away)")

UNMATCHED = "<unmatched>"  # the route label of requests no URL rule matched (404s): raw paths would be unbounded


def instrument(app: Flask, service: str) -> None:
    """Counts and times every request of `app` by URL rule, method and status."""
    @app.before_request
    def start_timer():
        g.metrics_started = time.perf_counter()

    @app.after_request
    def observe(response):
        started = g.pop("metrics_started", None)
        route = request.url_rule.rule if request.url_rule else UNMATCHED
        REQUESTS.labels(service, route, request.method, str(response.status_code)).inc()
        if started is not None:
            LATENCY.labels(service, route, request.method).observe(time.perf_counter() - started)
        return response


def exposition() -> Response:
    """The metrics in Prometheus' text format: every gunicorn process's in multiprocess mode, else this one's."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)


class OutboxBacklog(Collector):
    """Events waiting in each outbox collection, counted when scraped (not on every relay round, which would add a
    query to the relay's hot loop). A collection the database does not answer for is left out of that scrape."""

    def __init__(self, collections, count_pending):
        self.collections = collections
        self.count_pending = count_pending

    def collect(self):
        family = GaugeMetricFamily("idealab_outbox_backlog", "Events in the outbox not published yet, by collection",
                                   labels=["collection"])
        for collection in self.collections:
            try:
                family.add_metric([collection.name], self.count_pending(collection))
            except Exception:  # noqa: BLE001 - a missing sample says "unknown"; the scrape itself must answer
                continue
        yield family
