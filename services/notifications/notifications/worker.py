"""python -m notifications.worker: keeps subscriptions from ideas and votes and a record of each status change (which
the inboxes show when read), walks each change's subscribers into email jobs, and sends them; delivers webhooks;
publishes the live pages' messages."""
from idealab import events, worker
from idealab.access import Access
from idealab.mail import Mailer
from idealab.mongo import WORKER_SOCKET_TIMEOUT_MS, connect
from idealab.outbox import Lease, leased

from . import config, contacts, handlers, live, webhook_handlers
from . import digests
from .store import NotificationStore


def main() -> None:
    settings = config.load()
    mail, hooks, lab = config.load_mail(), config.load_webhooks(), config.load_lab()
    store = NotificationStore(connect(settings.mongodb_uri, settings.database, WORKER_SOCKET_TIMEOUT_MS))
    mailer, leases = Mailer(mail.smtp_host, mail.smtp_port, mail.sender), store.deliveries.database["leases"]
    worker.run(settings, [], [
        worker.Consumer("notifications", [events.IDEAS_TOPIC, events.VOTES_TOPIC, events.ROADMAP_TOPIC,
                                          events.ACCOUNTS_TOPIC],
                        handlers.event_handlers(store)),
        # Live pages: its own group, so a stream hears of a vote without waiting for the inboxes' work.
        worker.Consumer("notifications.live", [events.IDEAS_TOPIC, events.VOTES_TOPIC, events.ROADMAP_TOPIC,
                                               events.ACCOUNTS_TOPIC],
                        live.event_handlers(store, live.Publisher(config.live_publish_url()),
                                            Access(store.live_channels.database))),
    ], ensure_indexes=store.ensure_indexes, jobs={
        # The addresses to mail, from the contacts topic (no event carries one).
        "contacts": contacts.reader(settings, store),
        # One instance each among the workers, the lease holder: no walk runs twice at once, no mail goes out twice.
        "email-walk": leased(lambda: handlers.queue_emails(store), Lease(leases, "email-walk"), "email walk"),
        "email": leased(lambda: handlers.send_due_emails(store, mailer, mail.public_url, lab=lab),
                        Lease(leases, "email-sender"), "email sender"),
        # Each member's daily digest at their morning: looked for every half minute when none is due.
        "digests": leased(lambda: digests.send_digests(store, mailer, lab), Lease(leases, "email-digests"),
                          "email digests", max_idle_seconds=30),
        "webhooks": leased(lambda: webhook_handlers.deliver_due(store.webhooks, store, hooks),
                           Lease(leases, "webhook-sender"), "webhook sender"),
    })


if __name__ == "__main__":
    main()
