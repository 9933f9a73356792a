"""Fixtures of the votes tests: an API app over the test's own database, its client, its store, and tokens."""
import pytest

from idealab.auth import issue_token
from idealab.config import Settings
from votes.app import create_app
from votes.config import SERVICE, VotesConfig

SECRET = "votes-test-secret-0123456789abcdef0123456789"
THRESHOLD = 3


@pytest.fixture
def app(servers, mongo_db):
    settings = Settings(service=SERVICE, mongodb_uri=servers.mongodb, database=mongo_db.name,
                        kafka_bootstrap_servers=servers.kafka, jwt_secret=SECRET)
    app = create_app(VotesConfig(settings, THRESHOLD), db=mongo_db)
    app.config["TESTING"] = True
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def store(app):
    """The store the app uses, for the event handlers and for looking at what was stored."""
    return app.extensions["idealab.store"]


@pytest.fixture
def threshold(app):
    """Votes an idea needs before it goes to review, as the app is configured."""
    return app.config["VOTE_THRESHOLD"]


@pytest.fixture
def bearer():
    """Authorization headers for a user: bearer("ann") or bearer("pat", roles=("product_team",))."""
    def headers(user_id: str, roles=("member",)) -> dict:
        return {"Authorization": f"Bearer {issue_token(SECRET, user_id, roles)}"}
    return headers
