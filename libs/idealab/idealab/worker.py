"""The worker process every service runs the same way: its outbox relay and its consumer groups, each in a thread,
stopped cleanly by SIGTERM/SIGINT. One bad item never stops a loop: each deals with its own (the consumer loop
dead-letters an event its handler fails on for good, the email sender marks such a job failed). A loop that dies all
the same cannot go on: it takes the process down (exit 1) for its supervisor to restart it (compose's restart
policy; `deploy/lab.py restarting` in the Procfile).
With METRICS_PORT set, it answers /healthz, /readyz and /metrics on that port (see idealab.health)."""
import logging
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass

from prometheus_client import REGISTRY
from pymongo.collection import Collection

from . import access, events, health, logs, metrics
from .config import Settings, env
from .kafka import CONTACTS_TOPIC_CONFIGS, TRANSIENT, ConsumerLoop, Handler, Publisher, ensure_topics
from .mongo import WORKER_SOCKET_TIMEOUT_MS, connect
from .outbox import Lease, Relay, pending_events

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Consumer:
    group: str
    topics: list[str]
    handlers: dict[str, Handler]


def run(settings: Settings, outbox_collections: list[Collection], consumers: list[Consumer], *,
        ensure_indexes: Callable[[], None] | None = None,
        jobs: dict[str, Callable[[threading.Event], None]] | None = None) -> None:
    """Runs the relay, the consumers and the service's own background `jobs` (name → function of the stop event)
    until stopped."""
    logs.configure(settings.service)
    stopping = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopping.set())
    threads: list[threading.Thread] = []
    loops: list[ConsumerLoop] = []
    port = env("METRICS_PORT", "")
    if port:  # from the start: a worker waiting for its servers is alive, and not ready until its jobs run
        _serve_health(settings, int(port), outbox_collections, started=lambda: bool(threads),
                      joined=lambda: bool(threads) and all(loop.joined for loop in loops),
                      alive=lambda: not stopping.is_set() and all(t.is_alive() for t in threads))
    # Started while the database or Kafka is away, the worker waits for them rather than exiting at once (under
    # honcho, one process exiting stops them all), in short attempts so that a SIGTERM is obeyed within seconds.
    # Every service keeps who may still do what (bans, removals, closed sessions) in a group of its own.
    access_model = access.Access(connect(settings.mongodb_uri, settings.database, WORKER_SOCKET_TIMEOUT_MS))
    consumers = [*consumers, Consumer(f"{settings.service}.access", [events.ACCOUNTS_TOPIC],
                                      access.event_handlers(access_model))]
    topics = [settings.namespace + t for t in events.TOPICS]

    def indexes() -> None:
        access_model.ensure_indexes()
        if ensure_indexes:
            ensure_indexes()

    def create_topics() -> None:
        ensure_topics(settings.kafka_bootstrap_servers, topics, timeout_seconds=5)
        ensure_topics(settings.kafka_bootstrap_servers, [settings.namespace + events.CONTACTS_TOPIC], partitions=1,
                      timeout_seconds=5, configs=CONTACTS_TOPIC_CONFIGS)

    if not (_retrying("making the indexes", indexes, stopping) and _retrying(
            "creating the topics", create_topics, stopping)):
        sys.exit(0)
    publisher = Publisher(settings.kafka_bootstrap_servers, settings.namespace)

    jobs = dict(jobs or {})
    if outbox_collections:
        lease = Lease(outbox_collections[0].database["leases"], "outbox-relay")  # one relay among the instances
        jobs["relay"] = Relay(outbox_collections, publisher, lease=lease).run
    for c in consumers:
        loops.append(ConsumerLoop(settings.kafka_bootstrap_servers, c.group, c.topics, c.handlers, publisher,
                                  settings.namespace))
        jobs[c.group] = loops[-1].run
    failed = threading.Event()

    def guarded(name, job):
        try:
            job(stopping)
        except Exception:  # noqa: BLE001 - the loop itself is broken, not one item: restart the process
            log.exception("%s crashed", name)
            failed.set()
            stopping.set()

    for name, job in jobs.items():
        threads.append(threading.Thread(target=guarded, args=(name, job), name=name))
        threads[-1].start()
    log.info("%s worker running: %s", settings.service, ", ".join(jobs))
    while not stopping.wait(1):
        pass
    for t in threads:
        t.join(timeout=30)
    publisher.close()
    sys.exit(1 if failed.is_set() else 0)


def every(seconds: float, step: Callable[[], None]) -> Callable[[threading.Event], None]:
    """A background job (for `run`'s jobs) doing `step` every `seconds`; a round the database is away for is
    skipped, not retried: the next one comes soon enough."""
    def job(stopping: threading.Event) -> None:
        while not stopping.is_set():
            try:
                step()
            except TRANSIENT:
                pass
            stopping.wait(seconds)
    return job


def _retrying(what: str, step: Callable[[], None], stopping: threading.Event, retry_seconds: float = 2) -> bool:
    """Runs `step` until it gets past transient failures; False if the worker was stopped first."""
    while not stopping.is_set():
        try:
            step()
            return True
        except TRANSIENT as exc:
            log.warning("%s failed (%s); retrying", what, exc)
            stopping.wait(retry_seconds)
    return False


def _serve_health(settings: Settings, port: int, outbox_collections: list[Collection], alive, started,
                  joined) -> None:
    REGISTRY.register(metrics.OutboxBacklog(outbox_collections, pending_events))
    health.serve(port, alive, {
        "database": health.database_check(connect(settings.mongodb_uri, settings.database)),
        "kafka": health.KafkaCheck(settings.kafka_bootstrap_servers),
        "started": started,
        "joined": joined,  # every consumer group has given this worker its share once
    }, host=env("METRICS_HOST", "127.0.0.1"))
