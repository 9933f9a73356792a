"""Reconciling tallies: a recount of the stored votes beside each tally, and the correction of a wrong one."""
from votes.domain import Mark, Tally, recount, recounted


def vote(idea_id, live=True, counted_live=True, version=1, counted_version=1):
    return {"idea_id": idea_id, "live": live, "counted_live": counted_live, "version": version,
            "counted_version": counted_version}


def test_a_tally_equal_to_its_counted_votes_is_right_even_with_votes_on_the_way():
    votes = [vote("a"), vote("a"), vote("a", counted_live=False, counted_version=0)]
    [a] = recount([Tally("a", count=2, version=2)], votes)
    assert (a.tally, a.counted, a.live, a.uncounted, a.wrong) == (2, 2, 3, 1, False)


def test_a_tally_that_counted_a_vote_twice_is_wrong():
    [a] = recount([Tally("a", count=3, version=3)], [vote("a"), vote("a")])
    assert a.wrong and a.counted == 2


def test_ideas_with_votes_and_no_tally_and_tallies_with_no_votes_are_both_recounted():
    recounts = recount([Tally("b", count=1, version=1)], [vote("a")])
    assert [(r.idea_id, r.tally, r.counted, r.wrong) for r in recounts] == [("a", 0, 1, True), ("b", 1, 0, True)]


def test_a_count_half_done_is_not_judged():
    [a] = recount([Tally("a", count=1, version=1, pending=Mark("v", 1, True))], [vote("a", counted_live=False,
                                                                                          counted_version=0)])
    assert a.counting and not a.wrong


def test_a_recounted_tally_is_a_new_version_announced_and_crosses_the_threshold_once():
    after, announced = recounted(Tally("a", count=5, version=7), 3, threshold=3)
    assert (after.count, after.version, after.threshold_reached, after.pending) == (3, 8, True, None)
    assert [e["type"] for e in announced] == ["tally.changed", "idea.threshold_reached"]
    assert announced[0]["data"] == {"idea_id": "a", "count": 3, "version": 8}
    _, again = recounted(after, 4, threshold=3)
    assert [e["type"] for e in again] == ["tally.changed"]
