"""python -m ideas.worker: the outbox relay and the consumer keeping vote counts and statuses up to date."""
from idealab import events, worker
from idealab.mongo import WORKER_SOCKET_TIMEOUT_MS, connect

from . import config, handlers
from .store import IdeaStore


def main() -> None:
    settings = config.load()
    store = IdeaStore(connect(settings.mongodb_uri, settings.database, WORKER_SOCKET_TIMEOUT_MS))
    worker.run(settings, [store.ideas, store.comments], [
        worker.Consumer("ideas", [events.IDEAS_TOPIC, events.VOTES_TOPIC, events.ROADMAP_TOPIC,
                                  events.ACCOUNTS_TOPIC], handlers.handlers(store)),
    ], ensure_indexes=store.ensure_indexes)


if __name__ == "__main__":
    main()
