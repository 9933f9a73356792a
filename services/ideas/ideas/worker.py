"""python -m ideas.worker: the outbox relay, the consumer keeping vote counts and statuses up to date, and the
ranking of the idea lists."""
import threading

from idealab import events, worker
from idealab.kafka import TRANSIENT
from idealab.mongo import WORKER_SOCKET_TIMEOUT_MS, connect

from . import config, handlers
from .store import IdeaStore


def main() -> None:
    settings = config.load()
    store = IdeaStore(connect(settings.mongodb_uri, settings.database, WORKER_SOCKET_TIMEOUT_MS))
    worker.run(settings, [store.ideas, store.comments, store.follows, store.questions, store.answers,
                          store.threads], [
        worker.Consumer("ideas", [events.IDEAS_TOPIC, events.VOTES_TOPIC, events.ROADMAP_TOPIC,
                                  events.ACCOUNTS_TOPIC], handlers.handlers(store)),
    ], ensure_indexes=store.ensure_indexes, jobs={"ranking": ranking(store)})


def ranking(store: IdeaStore, every_seconds: float = 10):
    """Finds the lists' floors again every ten seconds: they drift as ideas come and tallies move, and a stale
    floor only makes a read slower. Every instance ranks (the same answer: no lease needed)."""
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
