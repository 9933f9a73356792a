"""python -m accounts.worker: the outbox relay of users and spaces (accounts consumes no other service's events)."""
from idealab import worker
from idealab.mongo import WORKER_SOCKET_TIMEOUT_MS, connect

from . import config
from .store import AccountStore


def main() -> None:
    cfg = config.load()
    store = AccountStore(connect(cfg.settings.mongodb_uri, cfg.settings.database, WORKER_SOCKET_TIMEOUT_MS))
    # Spaces first, so a space.created is usually out before its first member's event; consumers must not rely on it
    # (the two live in different documents, and no order holds between documents).
    worker.run(cfg.settings, [store.spaces, store.users, store.sessions], [], ensure_indexes=store.ensure_indexes)


if __name__ == "__main__":
    main()
