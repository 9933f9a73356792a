"""Fixtures of the roadmap tests: the API app over a fresh database, bearer tokens, and events as other services
publish them (fed straight to the handlers, as the worker's consumer would)."""
from datetime import datetime, timezone

import pytest

from idealab.events import new_event
from idealab.testing import applier
from roadmap import handlers
from roadmap.app import create_app


@pytest.fixture
def app(service_settings, mongo_db):
    return create_app(service_settings("roadmap"), db=mongo_db)


@pytest.fixture
def stored(mongo_db):
    """stored(idea_id) → the raw item document, outbox included (None when there is none)."""
    return lambda idea_id: mongo_db["items"].find_one({"_id": idea_id})


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
    return applier(handlers.handlers(store))
