"""The counting rules of votes.domain, with no server."""
from datetime import datetime, timezone

from idealab_testing import as_consumed
from votes import domain
from votes.domain import Tally, recounted

IDEA = "idea-1"
THRESHOLD = 3


def types(announced: list[dict]) -> list[str]:
    return [e["type"] for e in announced]


def test_a_recount_that_changes_the_count_is_a_new_version_announced_by_tally_changed():
    after, announced = recounted(Tally(IDEA, count=2, version=5), 1, THRESHOLD)

    assert after == Tally(IDEA, count=1, version=6)
    assert types(announced) == ["tally.changed"]
    event = as_consumed(announced[0])
    assert event.subject == IDEA
    assert event.data == {"idea_id": IDEA, "count": 1, "version": 6}


def test_a_recount_that_finds_the_same_count_changes_and_announces_nothing():
    # A vote event delivered twice, late or replayed: the votes as stored are what was counted already.
    before = Tally(IDEA, count=2, version=5)

    assert recounted(before, 2, THRESHOLD) == (before, [])


def test_a_first_recount_finding_no_live_vote_writes_no_tally():
    # A vote cast and withdrawn within one batch of events.
    assert recounted(Tally(IDEA), 0, THRESHOLD) == (Tally(IDEA), [])


def test_reaching_the_threshold_is_announced_with_the_count_and_the_threshold():
    after, announced = recounted(Tally(IDEA, count=THRESHOLD - 1, version=7), THRESHOLD + 1, THRESHOLD)

    assert after.threshold_reached
    assert types(announced) == ["tally.changed", "idea.threshold_reached"]
    reached = as_consumed(announced[1])
    assert reached.subject == IDEA
    assert reached.data == {"idea_id": IDEA, "count": THRESHOLD + 1, "threshold": THRESHOLD}


def test_the_threshold_is_announced_once_in_an_ideas_life_even_when_votes_are_withdrawn_and_cast_again():
    tally, reached = Tally(IDEA), []
    for count in [1, 2, 3, 4, 2, 0, 3, 4, 3, 4]:
        tally, announced = recounted(tally, count, THRESHOLD)
        reached.extend(e for e in announced if e["type"] == "idea.threshold_reached")

    assert (tally.count, tally.version, tally.threshold_reached) == (4, 10, True)
    assert [e["data"]["count"] for e in reached] == [THRESHOLD]


def test_a_threshold_lowered_below_a_count_is_reached_at_the_next_recount():
    after, announced = recounted(Tally(IDEA, count=5, version=5), 5, threshold=4)

    assert (after.count, after.version, after.threshold_reached) == (5, 6, True)
    assert types(announced) == ["tally.changed", "idea.threshold_reached"]


def test_a_tally_below_the_threshold_announces_no_threshold_event():
    _, announced = recounted(Tally(IDEA), 1, THRESHOLD)

    assert types(announced) == ["tally.changed"]


def test_vote_events_are_valid_envelopes_keyed_by_the_idea():
    now = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)

    cast_event = as_consumed(domain.vote_cast(IDEA, "ann", 1, now))
    withdrawn_event = as_consumed(domain.vote_withdrawn(IDEA, "ann", 2, now))

    assert (cast_event.type, cast_event.subject) == ("vote.cast", IDEA)
    assert cast_event.data == {"idea_id": IDEA, "voter_id": "ann", "vote_version": 1, "cast_at": now}
    assert (withdrawn_event.type, withdrawn_event.subject) == ("vote.withdrawn", IDEA)
    assert withdrawn_event.data == {"idea_id": IDEA, "voter_id": "ann", "vote_version": 2, "withdrawn_at": now}


def test_a_vote_is_identified_by_its_idea_and_its_voter():
    assert domain.vote_id(IDEA, "ann") == domain.vote_id(IDEA, "ann")
    assert domain.vote_id(IDEA, "ann") != domain.vote_id(IDEA, "bob")
    assert domain.vote_id(IDEA, "ann") != domain.vote_id("idea-2", "ann")
