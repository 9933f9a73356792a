"""python -m roadmap.worker: the outbox relay, the consumer that sends ideas over the threshold to review, keeps
their vote counts and moves an initiative's ideas, and the ranking of the board's columns."""
import threading

from idealab import events, worker
from idealab.kafka import TRANSIENT
from idealab.mongo import WORKER_SOCKET_TIMEOUT_MS, connect

from . import config, handlers
from .store import RoadmapStore


def main() -> None:
    settings = config.load()
    store = RoadmapStore(connect(settings.mongodb_uri, settings.database, WORKER_SOCKET_TIMEOUT_MS))
    worker.run(settings, [store.items, store.initiatives], [
        # Its own topic too: an initiative's event moves the ideas a stopped API left behind.
        worker.Consumer("roadmap", [events.IDEAS_TOPIC, events.VOTES_TOPIC, events.ROADMAP_TOPIC],
                        handlers.handlers(store)),
    ], ensure_indexes=store.ensure_indexes, jobs={"ranking": ranking(store)})


def ranking(store: RoadmapStore, every_seconds: float = 10):
    """Finds the columns' floors again every ten seconds (a stale floor only makes a read slower); every instance
    ranks, to the same answer."""
    def run(stopping: threading.Event) -> None:
        while not stopping.is_set():
            try:
                store.rank()
            except TRANSIENT:
                pass  # the database is away: next round
            stopping.wait(every_seconds)
    return run


if __name__ == "__main__":
    main()
