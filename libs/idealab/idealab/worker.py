"""The worker process every service runs the same way: its outbox relay and its consumer groups, each in a thread,
stopped cleanly by SIGTERM/SIGINT. A thread that dies takes the process down so the supervisor restarts it."""
import logging
import signal
import sys
import threading
from dataclasses import dataclass

from pymongo.collection import Collection

from . import events, logs
from .config import Settings
from .kafka import ConsumerLoop, Handler, Publisher, ensure_topics
from .outbox import Relay

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Consumer:
    group: str
    topics: list[str]
    handlers: dict[str, Handler]


def run(settings: Settings, outbox_collections: list[Collection], consumers: list[Consumer]) -> None:
    logs.configure(settings.service)
    ensure_topics(settings.kafka_bootstrap_servers, [settings.namespace + t for t in events.TOPICS])
    publisher = Publisher(settings.kafka_bootstrap_servers, settings.namespace)
    stopping = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopping.set())

    jobs = {"relay": Relay(outbox_collections, publisher).run} if outbox_collections else {}
    for c in consumers:
        loop = ConsumerLoop(settings.kafka_bootstrap_servers, c.group, c.topics, c.handlers, publisher,
                            settings.namespace)
        jobs[c.group] = loop.run
    failed = threading.Event()

    def guarded(name, job):
        try:
            job(stopping)
        except Exception:  # noqa: BLE001 - log it, then stop the whole worker
            log.exception("%s crashed", name)
            failed.set()
            stopping.set()

    threads = [threading.Thread(target=guarded, args=item, name=item[0]) for item in jobs.items()]
    for t in threads:
        t.start()
    log.info("%s worker running: %s", settings.service, ", ".join(jobs))
    while not stopping.wait(1):
        pass
    for t in threads:
        t.join(timeout=30)
    publisher.close()
    sys.exit(1 if failed.is_set() else 0)
