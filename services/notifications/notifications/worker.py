"""python -m notifications.worker: keeps subscriptions from ideas and votes and a record of each status change (which
the inboxes show when read), walks each change's subscribers into email jobs, and sends them."""
import threading

from idealab import events, worker
from idealab.kafka import TRANSIENT
from idealab.mail import Mailer
from idealab.mongo import WORKER_SOCKET_TIMEOUT_MS, connect
from idealab.outbox import Lease

from . import config, handlers
from .store import NotificationStore


def main() -> None:
    settings = config.load()
    mail = config.load_mail()
    store = NotificationStore(connect(settings.mongodb_uri, settings.database, WORKER_SOCKET_TIMEOUT_MS))
    worker.run(settings, [], [
        worker.Consumer("notifications", [events.IDEAS_TOPIC, events.VOTES_TOPIC, events.ROADMAP_TOPIC,
                                          events.ACCOUNTS_TOPIC],
                        handlers.handlers(store)),
    ], ensure_indexes=store.ensure_indexes, jobs={
        "email": sending(store, Mailer(mail.smtp_host, mail.smtp_port, mail.sender), mail.public_url,
                         Lease(store.deliveries.database["leases"], "email-sender")),
    })


def sending(store: NotificationStore, mailer: Mailer, public_url: str, lease: Lease):
    """The email sender: one instance among the workers holds the lease, walks the changes' subscribers into email
    jobs and sends them (claimed per batch, so no mail goes out twice even when the lease passes mid-batch)."""
    def run(stopping: threading.Event) -> None:
        while not stopping.is_set():
            try:
                if not lease.held():
                    stopping.wait(lease.ttl_seconds / 3)
                elif handlers.queue_emails(store) + handlers.send_due_emails(store, mailer, public_url) == 0:
                    stopping.wait(1)
            except TRANSIENT:
                stopping.wait(2)  # the database is away: try again
        lease.release()
    return run


if __name__ == "__main__":
    main()
