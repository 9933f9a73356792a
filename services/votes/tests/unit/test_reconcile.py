"""Reconciling tallies: each idea's tally beside its live votes."""
from votes.domain import Tally, recount


def test_a_tally_equal_to_its_live_votes_is_right():
    [a] = recount([Tally("a", count=2, version=2)], {"a": 2})
    assert (a.tally, a.live, a.wrong) == (2, 2, False)


def test_a_tally_that_counted_a_vote_twice_is_wrong():
    [a] = recount([Tally("a", count=3, version=3)], {"a": 2})
    assert a.wrong


def test_ideas_with_live_votes_and_no_tally_and_tallies_with_no_live_votes_are_both_recounted():
    recounts = recount([Tally("b", count=1, version=1), Tally("c", count=0, version=2)], {"a": 1})
    assert [(r.idea_id, r.tally, r.live, r.wrong) for r in recounts] == [
        ("a", 0, 1, True), ("b", 1, 0, True), ("c", 0, 0, False)]
