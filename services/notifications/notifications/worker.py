"""python -m notifications.worker: keeps subscriptions from ideas and votes, fans status changes out to inboxes."""
from idealab import events, worker
from idealab.mongo import connect

from . import config, handlers
from .store import NotificationStore


def main() -> None:
    settings = config.load()
    store = NotificationStore(connect(settings.mongodb_uri, settings.database))
    worker.run(settings, [], [
        worker.Consumer("notifications", [events.IDEAS_TOPIC, events.VOTES_TOPIC, events.ROADMAP_TOPIC,
                                          events.ACCOUNTS_TOPIC],
                        handlers.handlers(store)),
    ], ensure_indexes=store.ensure_indexes)


if __name__ == "__main__":
    main()
