"""The roadmap's rules: which status moves are allowed, and what a move stores and announces."""
import itertools
from datetime import datetime, timezone

import pytest

from idealab_testing import as_consumed
from roadmap import domain
from roadmap.domain import MoveNotAllowed, check_move

TRACK = ["open", "under_review", "planned", "in_progress", "launched"]
CLOSED = ["launched", "declined", "duplicate"]
STILL_OPEN = ["open", "under_review", "planned", "in_progress"]
EVERY_STATUS = [*TRACK, "declined", "duplicate"]
FORWARD = [(a, b) for a, b in itertools.combinations(TRACK, 2)]
BACKWARD = [(b, a) for a, b in itertools.combinations(TRACK, 2)]


@pytest.mark.parametrize(("current", "target"), FORWARD)
def test_an_idea_may_move_forward_along_the_track_even_skipping_steps(current, target):
    check_move(current, target)  # raises when refused


@pytest.mark.parametrize("current", STILL_OPEN)
def test_an_idea_may_be_declined_from_any_state_that_is_not_closed(current):
    check_move(current, "declined")


@pytest.mark.parametrize(("current", "target"), BACKWARD)
def test_an_idea_cannot_go_back_along_the_track(current, target):
    with pytest.raises(MoveNotAllowed, match="go back|already"):
        check_move(current, target)


@pytest.mark.parametrize("status", EVERY_STATUS)
def test_an_idea_cannot_move_to_the_status_it_already_has(status):
    with pytest.raises(MoveNotAllowed, match=f"already {status}"):
        check_move(status, status)


@pytest.mark.parametrize(("current", "target"),
                         [(c, t) for c in CLOSED for t in EVERY_STATUS if t != c])
def test_a_launched_declined_or_duplicate_idea_never_moves_again(current, target):
    with pytest.raises(MoveNotAllowed, match=f"already {current}"):
        check_move(current, target)


CHANGED_AT = datetime(2025, 3, 4, 10, 30, tzinfo=timezone.utc)


def planned_move() -> domain.Move:
    return domain.move("idea-1", "under_review", "planned", "Coming to the app in March.", "team-7", CHANGED_AT)


def test_a_move_records_who_moved_the_idea_when_from_where_to_where_and_why():
    made = planned_move()
    assert made.target == "planned"
    assert made.entry == {"from": "under_review", "to": "planned", "message": "Coming to the app in March.",
                          "by": "team-7", "at": CHANGED_AT}


def test_a_move_announces_a_valid_status_changed_event_about_the_idea():
    envelope = planned_move().event
    assert (envelope["type"], envelope["subject"], envelope["source"]) == ("idea.status_changed", "idea-1", "/roadmap")
    assert envelope["data"] == {"idea_id": "idea-1", "from": "under_review", "to": "planned",
                                "message": "Coming to the app in March.", "by": "team-7",
                                "changed_at": CHANGED_AT.isoformat()}
    consumed = as_consumed(envelope)  # what a consumer reads back: the envelope and data pass the catalogue schema
    assert consumed.data["from_status"] == "under_review" and consumed.data["to_status"] == "planned"
    assert consumed.data["changed_at"] == CHANGED_AT


def test_every_move_announces_an_event_of_its_own():
    assert planned_move().event["id"] != planned_move().event["id"]


def test_the_review_message_says_how_many_votes_the_idea_reached():
    assert "42 votes" in domain.review_message(42)
