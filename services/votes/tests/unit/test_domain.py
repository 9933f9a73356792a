"""The counting rules of votes.domain, with no server."""
from datetime import datetime, timezone

import pytest

from idealab.testing import as_consumed
from votes import domain
from votes.domain import Mark, Tally, already_counted, count_vote

IDEA = "idea-1"
THRESHOLD = 3


def types(announced: list[dict]) -> list[str]:
    return [e["type"] for e in announced]


def cast(voter: str, version: int = 1) -> Mark:
    return Mark(voter, version, live=True)


def withdrawn(voter: str, version: int = 2) -> Mark:
    return Mark(voter, version, live=False)


def test_counting_a_new_vote_adds_one_and_remembers_it_as_pending():
    after, _ = count_vote(Tally(IDEA), counted_live=False, mark=cast("ann"), threshold=THRESHOLD)

    assert (after.count, after.version) == (1, 1)
    assert after.pending == cast("ann")


def test_counting_a_withdrawal_of_a_counted_vote_removes_one():
    before = Tally(IDEA, count=2, version=5)

    after, _ = count_vote(before, counted_live=True, mark=withdrawn("ann"), threshold=THRESHOLD)

    assert (after.count, after.version) == (1, 6)


def test_counting_a_withdrawal_of_a_vote_never_counted_live_leaves_the_count_alone():
    # The cast was superseded before it was counted (the withdrawal is the newer version): nothing to remove.
    before = Tally(IDEA, count=2, version=5)

    after, _ = count_vote(before, counted_live=False, mark=withdrawn("ann"), threshold=THRESHOLD)

    assert after.count == 2


def test_counting_a_cast_of_a_vote_already_counted_live_leaves_the_count_alone():
    before = Tally(IDEA, count=2, version=5)

    after, _ = count_vote(before, counted_live=True, mark=cast("ann", version=3), threshold=THRESHOLD)

    assert after.count == 2


def test_every_count_announces_a_valid_tally_changed_with_the_new_count_and_version():
    tally = Tally(IDEA)
    for voter, mark, counted_live in [("ann", cast("ann"), False), ("bob", cast("bob"), False),
                                      ("ann", withdrawn("ann"), True)]:
        tally, announced = count_vote(tally, counted_live, mark, threshold=10)

        assert types(announced) == ["tally.changed"]
        event = as_consumed(announced[0])
        assert event.subject == IDEA
        assert event.data == {"idea_id": IDEA, "count": tally.count, "version": tally.version}
    assert (tally.count, tally.version) == (1, 3)


def test_reaching_the_threshold_is_announced_with_the_count_and_the_threshold():
    before = Tally(IDEA, count=THRESHOLD - 1, version=7)

    after, announced = count_vote(before, counted_live=False, mark=cast("cat"), threshold=THRESHOLD)

    assert after.threshold_reached
    assert types(announced) == ["tally.changed", "idea.threshold_reached"]
    reached = as_consumed(announced[1])
    assert reached.subject == IDEA
    assert reached.data == {"idea_id": IDEA, "count": THRESHOLD, "threshold": THRESHOLD}


def test_the_threshold_is_announced_once_in_an_ideas_life_even_when_votes_are_withdrawn_and_cast_again():
    voters = ["ann", "bob", "cat", "dan"]
    versions = dict.fromkeys(voters, 0)
    live = dict.fromkeys(voters, False)
    tally, reached = Tally(IDEA), []

    def count(voter, now_live):
        nonlocal tally
        versions[voter] += 1
        tally, announced = count_vote(tally, live[voter], Mark(voter, versions[voter], now_live), THRESHOLD)
        live[voter] = now_live
        reached.extend(e for e in announced if e["type"] == "idea.threshold_reached")

    for voter in voters:
        count(voter, True)  # 4 votes: the threshold of 3 is crossed at the third
    for voter in voters:
        count(voter, False)  # back to 0
    for voter in voters:
        count(voter, True)  # crossed again
    count("ann", False)
    count("ann", True)  # and again

    assert tally.count == 4
    assert tally.threshold_reached
    assert len(reached) == 1
    assert reached[0]["data"]["count"] == THRESHOLD


def test_a_tally_below_the_threshold_announces_no_threshold_event():
    _, announced = count_vote(Tally(IDEA), counted_live=False, mark=cast("ann"), threshold=THRESHOLD)

    assert "idea.threshold_reached" not in types(announced)


def test_a_threshold_of_one_is_reached_by_the_first_vote():
    after, announced = count_vote(Tally(IDEA), counted_live=False, mark=cast("ann"), threshold=1)

    assert after.threshold_reached
    assert types(announced) == ["tally.changed", "idea.threshold_reached"]


@pytest.mark.parametrize("counted, event, expected", [
    (0, 1, False),  # never counted: the first cast counts
    (1, 2, False),  # the withdrawal after a counted cast counts
    (1, 3, False),  # a newer version counts even if one in between was never seen
    (2, 2, True),   # the same event again (relay published twice, or a replay)
    (3, 2, True),   # an older event arriving late
])
def test_an_event_counts_only_when_its_vote_version_is_newer_than_what_was_counted(counted, event, expected):
    assert already_counted(counted, event) is expected


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
