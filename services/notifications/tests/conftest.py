"""Fixtures of the notifications tests: the API app over the test's database and `consume`, which feeds its handlers
as the worker would (tokens, the store and sample events come from the root conftest)."""
import pytest

from idealab.mail import Mailer
from idealab_testing import applier
from notifications import contacts, handlers
from notifications.app import create_app


@pytest.fixture
def app(service_settings, recorded_db):
    return create_app(service_settings("notifications"), db=recorded_db)


@pytest.fixture
def consume(store):
    """consume(envelope): hands the event to its handler as the worker's consumer does; a record of the contacts
    topic (event.contact(user, address)) to the contacts reader."""
    apply = applier(handlers.event_handlers(store))

    def run(envelope: dict) -> None:
        if "specversion" in envelope:
            apply(envelope)
        else:
            contacts.on_contact(store, envelope["user_id"], envelope)
    return run


@pytest.fixture
def send_emails(store, mailbox):
    """send_emails(): what the worker's sender does: every change's subscribers walked into email jobs, then the due
    ones sent to the test's mailbox, with links to http://lab.example."""
    def send() -> None:
        while handlers.queue_emails(store):
            pass
        handlers.send_due_emails(store, Mailer("127.0.0.1", mailbox.port, "lab@example.com"), "http://lab.example")
    return send
