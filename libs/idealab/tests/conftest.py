"""Fixtures of the shared library's tests: well-formed events to publish, store and consume."""
import uuid
from datetime import datetime, timezone

import pytest

from idealab import events


@pytest.fixture
def submitted():
    """submitted("idea-1"): a valid `idea.submitted` envelope about that idea (a fresh id each call)."""
    def make(idea_id: str | None = None, **changes) -> dict:
        idea_id = idea_id or uuid.uuid4().hex
        data = {"idea_id": idea_id, "title": "Dark mode", "description": "Easier on the eyes at night",
                "category": "ui", "author_id": "ann", "submitted_at": datetime.now(timezone.utc), **changes}
        return events.new_event("idea.submitted", data, source="/ideas", subject=idea_id)
    return make
