"""Fixtures shared by every test: the real servers (Kafka and MongoDB) and a fresh database per test."""
import pytest
from pymongo import MongoClient

from idealab.testing import Servers, unique


@pytest.fixture(scope="session")
def servers():
    found = Servers()
    try:
        found.start()
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    yield found
    found.stop()


@pytest.fixture
def mongo_db(servers):
    """A database of its own for one test, dropped afterwards."""
    client = MongoClient(servers.mongodb, serverSelectionTimeoutMS=5000, tz_aware=True)
    db = client[unique("test_")[:-1]]
    yield db
    client.drop_database(db.name)
    client.close()


@pytest.fixture
def namespace():
    """A prefix for topics and consumer groups, so a test sees only its own events."""
    return unique("t")
