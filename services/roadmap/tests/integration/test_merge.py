"""A duplicate merged into its original (idea.merged) is marked `duplicate` on the roadmap, once."""
from datetime import datetime, timezone

import pytest

from idealab.events import new_event

pytestmark = pytest.mark.integration


def test_a_merged_idea_is_marked_duplicate_pointing_to_its_original_once(consume, event, stored, idea_id):
    consume(event.submitted(idea_id))
    merged = new_event("idea.merged", {"idea_id": idea_id, "into": "original-1", "by": "pat",
                                       "merged_at": datetime.now(timezone.utc)}, source="/ideas", subject=idea_id)
    consume(merged)
    consume(merged)  # delivered again: nothing more

    item = stored(idea_id)
    assert item["status"] == "duplicate"
    assert [(h["from"], h["to"], h["by"]) for h in item["history"]] == [("open", "duplicate", "pat")]
    assert "/ideas/original-1" in item["history"][0]["message"]
    assert [e["type"] for e in item["outbox"]] == ["idea.status_changed"]
