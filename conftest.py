"""Fixtures shared by every test: the real servers (Kafka and MongoDB), a fresh database per test, and what every
service's API tests need (settings over that database, a test client of the service's `app`, bearer tokens)."""
import pytest
from pymongo import MongoClient

from idealab.auth import issue_token
from idealab.config import Settings
from idealab.testing import Servers, unique

TEST_SECRET = "idealab-tests-secret-0123456789abcdef0123456789"


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


@pytest.fixture
def service_settings(servers, mongo_db):
    """service_settings("votes") → a service's settings over this test's database."""
    return lambda service: Settings(service=service, mongodb_uri=servers.mongodb, database=mongo_db.name,
                                    kafka_bootstrap_servers=servers.kafka, jwt_secret=TEST_SECRET)


@pytest.fixture
def store(app):
    """The store the service's app uses: for its event handlers, and to look at what was stored."""
    return app.extensions["idealab.store"]


@pytest.fixture
def idea_id():
    return unique("idea-")[:-1]


@pytest.fixture
def client(app):
    """A test client of the `app` fixture each service's conftest builds."""
    app.config["TESTING"] = True
    return app.test_client()


@pytest.fixture
def bearer():
    """Authorization headers for a user: bearer("ann") or bearer("pat", roles=("product_team",))."""
    def headers(user_id: str, roles=("member",)) -> dict:
        return {"Authorization": f"Bearer {issue_token(TEST_SECRET, user_id, roles)}"}
    return headers
