"""Fixtures of the notifications tests: the API app over a fresh database, bearer tokens, and events as other
services publish them (fed straight to the handlers, as the worker's consumer would)."""
from datetime import datetime, timezone

import pytest

from idealab.events import new_event
from idealab.testing import applier
from notifications import handlers
from notifications.app import create_app


@pytest.fixture
def app(service_settings, mongo_db):
    return create_app(service_settings("notifications"), db=mongo_db)


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Events:
    """Envelopes as the ideas, votes and roadmap services publish them."""

    @staticmethod
    def submitted(idea_id: str, author_id: str, title: str = "Dark mode for the mobile app") -> dict:
        return new_event("idea.submitted", {
            "idea_id": idea_id, "title": title, "description": "Easier on the eyes at night.", "category": "app",
            "author_id": author_id, "submitted_at": _now()}, source="/ideas", subject=idea_id)

    @staticmethod
    def vote_cast(idea_id: str, voter_id: str, version: int = 1) -> dict:
        return new_event("vote.cast", {"idea_id": idea_id, "voter_id": voter_id, "vote_version": version,
                                       "cast_at": _now()}, source="/votes", subject=idea_id)

    @staticmethod
    def vote_withdrawn(idea_id: str, voter_id: str, version: int = 2) -> dict:
        return new_event("vote.withdrawn", {"idea_id": idea_id, "voter_id": voter_id, "vote_version": version,
                                            "withdrawn_at": _now()}, source="/votes", subject=idea_id)

    @staticmethod
    def status_changed(idea_id: str, to_status: str = "planned", from_status: str = "under_review",
                       message: str = "Coming to the app in March.", changed_at: datetime | None = None) -> dict:
        return new_event("idea.status_changed", {
            "idea_id": idea_id, "from_status": from_status, "to_status": to_status, "message": message,
            "by": "team-1", "changed_at": changed_at or _now()}, source="/roadmap", subject=idea_id)


@pytest.fixture
def event():
    return Events()


@pytest.fixture
def consume(store):
    """consume(envelope): hands the event to its handler as the worker's consumer does."""
    return applier(handlers.handlers(store))
