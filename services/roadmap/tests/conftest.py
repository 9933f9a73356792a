"""Fixtures of the roadmap tests: the API app over a fresh database, bearer tokens, and events as other services
publish them (fed straight to the handlers, as the worker's consumer would)."""
from datetime import datetime, timezone

import pytest

from idealab.auth import issue_token
from idealab.config import Settings
from idealab.events import new_event
from idealab.testing import as_consumed, unique
from roadmap import handlers
from roadmap.app import create_app
from roadmap.store import RoadmapStore

JWT_SECRET = "roadmap-tests-secret-long-enough-for-hs256"


@pytest.fixture
def app(servers, mongo_db):
    settings = Settings(service="roadmap", mongodb_uri=servers.mongodb, database=mongo_db.name,
                        kafka_bootstrap_servers=servers.kafka, jwt_secret=JWT_SECRET)
    app = create_app(settings, db=mongo_db)
    app.config["TESTING"] = True
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def bearer():
    """bearer(user_id, *roles) → the Authorization header of a signed-in user (a member unless roles are given)."""
    def make(user_id: str, *roles: str) -> dict:
        return {"Authorization": f"Bearer {issue_token(JWT_SECRET, user_id, roles or ('member',))}"}
    return make


@pytest.fixture
def store(mongo_db):
    found = RoadmapStore(mongo_db)
    found.ensure_indexes()
    return found


@pytest.fixture
def stored(mongo_db):
    """stored(idea_id) → the raw item document, outbox included (None when there is none)."""
    return lambda idea_id: mongo_db["items"].find_one({"_id": idea_id})


@pytest.fixture
def idea_id():
    return unique("idea-")[:-1]


class Events:
    """Envelopes as the ideas and votes services publish them."""

    @staticmethod
    def submitted(idea_id: str, title: str = "Dark mode for the mobile app", author_id: str = "author-1",
                  submitted_at: datetime | None = None) -> dict:
        return new_event("idea.submitted", {
            "idea_id": idea_id, "title": title, "description": "Easier on the eyes at night.", "category": "app",
            "author_id": author_id, "submitted_at": submitted_at or datetime.now(timezone.utc)},
            source="/ideas", subject=idea_id)

    @staticmethod
    def threshold_reached(idea_id: str, count: int = 10, threshold: int = 10) -> dict:
        return new_event("idea.threshold_reached", {"idea_id": idea_id, "count": count, "threshold": threshold},
                         source="/votes", subject=idea_id)


@pytest.fixture
def event():
    return Events()


@pytest.fixture
def consume(store):
    """consume(envelope): hands the event to its handler as the worker's consumer does."""
    by_type = handlers.handlers(store)

    def apply(envelope: dict) -> None:
        by_type[envelope["type"]](as_consumed(envelope))
    return apply
