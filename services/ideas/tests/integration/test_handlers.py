"""The ideas read model kept from consumed events: vote counts and statuses, whatever the order or the replays."""
from datetime import datetime, timedelta, timezone

import pytest

from idealab.events import new_event
from idealab_testing import as_consumed
from ideas import domain, handlers

pytestmark = pytest.mark.integration

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def idea_id(store):
    idea, event = domain.submit({"title": "Block a lost card", "description": "One tap.", "category": "cards"},
                                "ann", T0)
    store.add(idea, event)
    return idea["_id"]


def tally_changed(idea_id: str, count: int, version: int):
    return as_consumed(new_event("tally.changed", {"idea_id": idea_id, "count": count, "version": version},
                                 source="/votes", subject=idea_id))


def status_changed(idea_id: str, before: str, after: str, at: datetime):
    return as_consumed(new_event("idea.status_changed", {"idea_id": idea_id, "from_status": before, "to_status": after,
                                                         "message": f"now {after}", "by": "pat", "changed_at": at},
                                 source="/roadmap", subject=idea_id))


def shown(store, idea_id: str) -> dict:
    return store.get(idea_id)


def test_a_tally_change_sets_the_vote_count(store, idea_id):
    handlers.on_tally_changed(store, tally_changed(idea_id, count=3, version=3))

    assert shown(store, idea_id)["vote_count"] == 3


def test_only_a_newer_tally_replaces_the_vote_count(store, idea_id):
    handlers.on_tally_changed(store, tally_changed(idea_id, count=4, version=5))
    handlers.on_tally_changed(store, tally_changed(idea_id, count=2, version=3))  # late, older copy
    handlers.on_tally_changed(store, tally_changed(idea_id, count=9, version=5))  # same version: a replay

    assert (shown(store, idea_id)["vote_count"], shown(store, idea_id)["tally_version"]) == (4, 5)

    handlers.on_tally_changed(store, tally_changed(idea_id, count=3, version=6))

    assert shown(store, idea_id)["vote_count"] == 3


def test_replaying_every_tally_change_in_any_order_ends_with_the_newest(store, idea_id):
    changes = [tally_changed(idea_id, count, version) for version, count in enumerate([1, 2, 1, 2, 3], start=1)]
    for event in [*changes, *reversed(changes), *changes]:
        handlers.on_tally_changed(store, event)

    assert shown(store, idea_id)["vote_count"] == 3


def test_a_tally_for_an_unknown_idea_creates_nothing(store):
    handlers.on_tally_changed(store, tally_changed("no-such-idea", count=1, version=1))

    assert store.ideas.count_documents({}) == 0


def test_a_status_change_sets_the_status(store, idea_id):
    handlers.on_status_changed(store, status_changed(idea_id, "open", "under_review", T0 + timedelta(days=1)))

    assert shown(store, idea_id)["status"] == "under_review"


def test_an_older_status_change_arriving_late_does_not_replace_a_newer_one(store, idea_id):
    review = status_changed(idea_id, "open", "under_review", T0 + timedelta(days=1))
    planned = status_changed(idea_id, "under_review", "planned", T0 + timedelta(days=2))

    handlers.on_status_changed(store, planned)
    handlers.on_status_changed(store, review)

    assert shown(store, idea_id)["status"] == "planned"


def test_replaying_the_status_history_keeps_the_newest_status(store, idea_id):
    history = [status_changed(idea_id, a, b, T0 + timedelta(days=n))
               for n, (a, b) in enumerate([("open", "under_review"), ("under_review", "planned"),
                                           ("planned", "in_progress")], start=1)]
    for event in [*history, *history, history[0]]:
        handlers.on_status_changed(store, event)

    assert shown(store, idea_id)["status"] == "in_progress"


def test_the_handlers_cover_the_events_the_ideas_service_consumes(store):
    assert set(handlers.event_handlers(store)) == {"tally.changed", "idea.status_changed", "user.deleted",
                                                   "idea.submitted", "comment.posted", "comment.hidden",
                                                   "comment.restored",
                                                   # the response-time promise (ideas.promise_handlers)
                                                   "question.asked", "answer.posted", "private_message.sent",
                                                   # contests, the members' directory (mentions), flags
                                                   "contest.scheduled", "user.registered", "user.role_changed",
                                                   "user.banned", "space.member_added", "space.member_removed"}


def test_a_space_s_first_idea_has_its_list_ranked_from_then_on_however_often_replayed(store, event):
    for _ in range(2):
        handlers.on_idea_submitted(store, as_consumed(event.submitted("i-1", space="panel-1")))
    store.ideas.insert_many([{"_id": f"i-{n}", "space": "panel-1", "hidden": None, "vote_count": n,
                              "comment_count": 0, "submitted_at": T0 + timedelta(minutes=n)} for n in range(150)])
    store.rank()

    ranking = store.rankings.find_one({"_id": "panel-1"})
    fiftieth = {"vote_count": 50, "submitted_at": T0 + timedelta(minutes=50)}  # the 100th most voted
    assert ranking["most_voted"] == [{"depth": 100, "key": fiftieth}]
    assert store.rankings.count_documents({}) == 2  # and every space's, for staff
