"""python -m roadmap.worker: the outbox relay, the consumer that sends ideas over the threshold to review, keeps
their vote counts and moves an initiative's ideas, and the ranking of the board's columns."""
from idealab import events, worker
from idealab.mongo import WORKER_SOCKET_TIMEOUT_MS, connect

from . import config, handlers
from .store import RoadmapStore


# The columns' floors drift as ideas move, and a stale floor only makes a read slower: found again every ten
# seconds, by every instance (the same answer: no lease needed).
RANKING_SECONDS = 10


def main() -> None:
    settings = config.load()
    store = RoadmapStore(connect(settings.mongodb_uri, settings.database, WORKER_SOCKET_TIMEOUT_MS))
    worker.run(settings, [store.items, store.initiatives], [
        # Its own topic too: an initiative's event moves the ideas a stopped API left behind; accounts' for the
        # erasure of a deleted member's ratings.
        worker.Consumer("roadmap", [events.IDEAS_TOPIC, events.VOTES_TOPIC, events.ROADMAP_TOPIC,
                                    events.ACCOUNTS_TOPIC],
                        handlers.event_handlers(store)),
    ], ensure_indexes=store.ensure_indexes, jobs={"ranking": worker.every(RANKING_SECONDS, store.rank)})


if __name__ == "__main__":
    main()
