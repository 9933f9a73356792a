"""Fixtures of the roadmap tests: the API app over the test's database and `consume`, which feeds its handlers
as the worker would (tokens, the store and sample events come from the root conftest)."""
import pytest

from idealab_testing import applier
from roadmap import handlers
from roadmap.app import create_app


@pytest.fixture
def app(service_settings, recorded_db):
    return create_app(service_settings("roadmap"), db=recorded_db)


@pytest.fixture
def stored(mongo_db):
    """stored(idea_id) → the raw item document, outbox included (None when there is none)."""
    return lambda idea_id: mongo_db["items"].find_one({"_id": idea_id})


@pytest.fixture
def consume(store):
    """consume(envelope): hands the event to its handler as the worker's consumer does."""
    return applier(handlers.event_handlers(store))
