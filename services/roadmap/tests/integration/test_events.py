"""The roadmap learns of ideas from idea.submitted and sends them to review on idea.threshold_reached, once."""
import json
from datetime import datetime, timezone

import pytest

from idealab_testing import as_consumed
from roadmap import domain, handlers

pytestmark = pytest.mark.integration

SUBMITTED_AT = datetime(2025, 1, 2, 9, 0, tzinfo=timezone.utc)


def in_milliseconds(moment: datetime) -> datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def pending_events(document: dict) -> list:
    """The item's outbox as a consumer will read it once the relay has published it."""
    return [as_consumed(json.loads(json.dumps(e))) for e in document.get("outbox", [])]


def test_a_submitted_idea_appears_on_the_roadmap_as_open_with_its_title(consume, event, stored, idea_id):
    consume(event.submitted(idea_id, title="Dark mode", submitted_at=SUBMITTED_AT))

    item = stored(idea_id)
    assert (item["status"], item["title"]) == ("open", "Dark mode")
    assert item["history"] == []
    assert item["updated_at"] == SUBMITTED_AT
    assert pending_events(item) == []  # nothing has moved yet, so nothing to announce


def test_a_replayed_submission_leaves_the_item_as_it_was(consume, event, stored, idea_id):
    submitted = event.submitted(idea_id, title="Dark mode", submitted_at=SUBMITTED_AT)
    consume(submitted)
    first = stored(idea_id)
    consume(submitted)
    assert stored(idea_id) == first


def test_an_idea_over_the_threshold_goes_to_review_with_one_announced_change(consume, event, stored, idea_id):
    consume(event.submitted(idea_id))
    reached = event.threshold_reached(idea_id, count=12)
    consume(reached)

    item = stored(idea_id)
    assert item["status"] == "under_review"
    [entry] = item["history"]
    assert (entry["from"], entry["to"], entry["by"]) == ("open", "under_review", domain.SYSTEM)
    assert "12 votes" in entry["message"]
    reached_at = as_consumed(reached).time
    assert entry["at"] == item["updated_at"] == in_milliseconds(reached_at)  # what MongoDB keeps of a time
    [announced] = pending_events(item)
    assert announced.type == "idea.status_changed" and announced.subject == idea_id
    assert announced.data == {"idea_id": idea_id, "from_status": "open", "to_status": "under_review",
                              "message": entry["message"], "by": domain.SYSTEM, "changed_at": reached_at}


def test_a_replayed_threshold_event_neither_adds_history_nor_announces_again(consume, event, stored, idea_id):
    consume(event.submitted(idea_id))
    reached = event.threshold_reached(idea_id)
    consume(reached)
    first = stored(idea_id)

    consume(reached)
    consume(event.threshold_reached(idea_id, count=11))  # a second crossing, after a withdrawal and a new vote

    item = stored(idea_id)
    assert item == first
    assert len(item["history"]) == 1
    assert len(pending_events(item)) == 1


def test_a_threshold_event_read_before_the_submission_still_sends_the_idea_to_review(consume, event, stored,
                                                                                      idea_id):
    consume(event.threshold_reached(idea_id))
    early = stored(idea_id)
    assert early["status"] == "under_review"
    assert early.get("title") is None

    consume(event.threshold_reached(idea_id))  # replayed before the submission arrives
    consume(event.submitted(idea_id, title="Dark mode"))

    item = stored(idea_id)
    assert (item["status"], item["title"]) == ("under_review", "Dark mode")
    assert [(h["from"], h["to"]) for h in item["history"]] == [("open", "under_review")]
    assert len(pending_events(item)) == 1


def test_a_threshold_event_leaves_an_idea_the_team_has_already_planned_where_it_is(consume, event, store, stored,
                                                                                 idea_id):
    consume(event.submitted(idea_id))
    handlers.change_status(store, idea_id, "planned", "Already on our list.", "team-1")

    consume(event.threshold_reached(idea_id))

    item = stored(idea_id)
    assert item["status"] == "planned"
    assert [(h["from"], h["to"]) for h in item["history"]] == [("open", "planned")]
    assert [e.data["to_status"] for e in pending_events(item)] == ["planned"]
