"""python -m accounts.worker: the outbox relay of users and spaces, and the contacts topic's publisher (accounts
consumes no other service's events)."""
from idealab import kafka, worker
from idealab.mongo import WORKER_SOCKET_TIMEOUT_MS, connect
from idealab.outbox import Lease, leased

from . import config
from .contacts import ContactsPublisher
from .store import AccountStore


def main() -> None:
    cfg = config.load()
    store = AccountStore(connect(cfg.settings.mongodb_uri, cfg.settings.database, WORKER_SOCKET_TIMEOUT_MS))
    # Spaces first, so a space.created is usually out before its first member's event; consumers must not rely on it
    # (the two live in different documents, and no order holds between documents).
    worker.run(cfg.settings, [store.spaces, store.users, store.sessions], [], ensure_indexes=store.ensure_indexes,
               jobs={"contacts": leased(contacts_step(store, cfg), Lease(store.users.database["leases"], "contacts"),
                                        "contacts publisher", idle_seconds=0.5)})


def contacts_step(store: AccountStore, cfg: config.AccountsConfig):
    """One round of the contacts publisher, its Kafka producer made at the first round (in the worker's thread,
    retried while Kafka is away)."""
    made: list[ContactsPublisher] = []

    def step() -> int:
        if not made:
            made.append(ContactsPublisher(store, kafka.Publisher(cfg.settings.kafka_bootstrap_servers),
                                          cfg.settings.namespace))
        return made[0].step()
    return step


if __name__ == "__main__":
    main()
