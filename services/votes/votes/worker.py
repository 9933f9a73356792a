"""python -m votes.worker: the outbox relay, the votable-ideas read model and the exact tallies."""
from idealab import events, worker
from idealab.mongo import WORKER_SOCKET_TIMEOUT_MS, connect

from . import config, handlers
from .store import VoteStore


def main() -> None:
    cfg = config.load()
    store = VoteStore(connect(cfg.settings.mongodb_uri, cfg.settings.database, WORKER_SOCKET_TIMEOUT_MS))
    worker.run(cfg.settings, [store.votes, store.tallies], [
        worker.Consumer("votes", [events.IDEAS_TOPIC, events.VOTES_TOPIC], handlers.handlers(store, cfg.threshold)),
    ], ensure_indexes=store.ensure_indexes)


if __name__ == "__main__":
    main()
