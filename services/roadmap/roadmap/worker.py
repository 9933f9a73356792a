"""python -m roadmap.worker: the outbox relay, and the consumer that sends ideas over the threshold to review."""
from idealab import events, worker
from idealab.mongo import WORKER_SOCKET_TIMEOUT_MS, connect

from . import config, handlers
from .store import RoadmapStore


def main() -> None:
    settings = config.load()
    store = RoadmapStore(connect(settings.mongodb_uri, settings.database, WORKER_SOCKET_TIMEOUT_MS))
    worker.run(settings, [store.items], [
        worker.Consumer("roadmap", [events.IDEAS_TOPIC, events.VOTES_TOPIC], handlers.handlers(store)),
    ], ensure_indexes=store.ensure_indexes)


if __name__ == "__main__":
    main()
