"""A duplicate merged into its original (idea.merged): the original's tally is the distinct voters of both."""
from datetime import datetime, timezone

import pytest

from idealab.events import new_event
from idealab_testing import as_consumed
from votes import handlers

pytestmark = pytest.mark.integration


def merged(duplicate: str, original: str):
    return as_consumed(new_event("idea.merged", {"idea_id": duplicate, "into": original, "by": "staff",
                                                 "merged_at": datetime.now(timezone.utc)},
                                 source="/ideas", subject=duplicate))


def test_a_merge_counts_each_voter_of_the_duplicate_and_the_original_once(client, bearer, store, event, threshold):
    for idea in ("original", "duplicate"):
        handlers.on_idea_submitted(store, as_consumed(event.submitted(idea)))
    for voter, idea in (("ann", "original"), ("bob", "original"), ("ann", "duplicate"), ("cat", "duplicate"),
                        ("dan", "duplicate"), ("dan", "original")):
        assert client.post(f"/api/votes/ideas/{idea}", headers=bearer(voter)).status_code == 201
    assert client.delete("/api/votes/ideas/duplicate", headers=bearer("dan")).status_code == 204
    assert client.delete("/api/votes/ideas/original", headers=bearer("dan")).status_code == 204  # stays withdrawn
    handle = handlers.event_handlers(store, threshold)
    for _ in range(2):  # delivered twice: the same count
        handle["idea.merged"](merged("duplicate", "original"))
        assert store.tally("original").count == 3  # ann, bob and cat
    assert client.get("/api/votes/ideas/original", headers=bearer("cat")).json["my_vote"] is True
    assert client.post("/api/votes/ideas/original", headers=bearer("cat")).status_code == 409
