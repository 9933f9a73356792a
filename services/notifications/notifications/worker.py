"""python -m notifications.worker: keeps subscriptions from ideas and votes and a record of each status change (which
the inboxes show when read), walks each change's subscribers into email jobs, and sends them."""
import threading
from collections.abc import Callable

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
    mailer, leases = Mailer(mail.smtp_host, mail.smtp_port, mail.sender), store.deliveries.database["leases"]
    worker.run(settings, [], [
        worker.Consumer("notifications", [events.IDEAS_TOPIC, events.VOTES_TOPIC, events.ROADMAP_TOPIC,
                                          events.ACCOUNTS_TOPIC],
                        handlers.handlers(store)),
    ], ensure_indexes=store.ensure_indexes, jobs={
        "email-walk": leased(Lease(leases, "email-walk"), lambda: handlers.queue_emails(store)),
        "email": leased(Lease(leases, "email-sender"),
                        lambda: handlers.send_due_emails(store, mailer, mail.public_url)),
    })


def leased(lease: Lease, work: Callable[[], int]):
    """A job of one instance among the workers, the lease holder (so no mail goes out twice, and no walk is done
    twice at once): `work` again and again, resting a second when it found nothing to do."""
    def run(stopping: threading.Event) -> None:
        while not stopping.is_set():
            try:
                if not lease.held():
                    stopping.wait(lease.ttl_seconds / 3)
                elif work() == 0:
                    stopping.wait(1)
            except TRANSIENT:
                stopping.wait(2)  # the database is away: try again
        lease.release()
    return run


if __name__ == "__main__":
    main()
