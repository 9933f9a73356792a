"""Fixtures of the notifications tests: the API app over the test's database and `consume`, which feeds its handlers
as the worker would (tokens, the store and sample events come from the root conftest)."""
import pytest

from idealab.testing import applier
from notifications import handlers
from notifications.app import create_app


@pytest.fixture
def app(service_settings, mongo_db):
    return create_app(service_settings("notifications"), db=mongo_db)


@pytest.fixture
def consume(store):
    """consume(envelope): hands the event to its handler as the worker's consumer does."""
    return applier(handlers.event_handlers(store))
