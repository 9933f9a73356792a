"""Contest rules with no I/O: the shortlist (ties at its boundary all go in), the winner (the tie rule), ranks."""
from datetime import datetime, timedelta, timezone

from votes import contests
from votes.contests import Entry

T0 = datetime(2026, 6, 1, tzinfo=timezone.utc)


def entries(*votes: int) -> list[Entry]:
    """Entries e0, e1, ... with these votes, submitted in that order a minute apart."""
    return contests.ranked([Entry(f"e{n}", v, T0 + timedelta(minutes=n)) for n, v in enumerate(votes)])


def test_every_entry_tied_with_the_last_place_of_the_shortlist_goes_in():
    ranked = entries(9, 7, 5, 5, 5, 2)
    assert contests.shortlist(ranked, 3) == ["e0", "e1", "e2", "e3", "e4"]
    assert contests.shortlist(ranked, 2) == ["e0", "e1"]  # no tie at the boundary: exactly N


def test_entries_without_a_vote_are_never_shortlisted_even_when_the_shortlist_has_room():
    assert contests.shortlist(entries(4, 0, 0), 3) == ["e0"]
    assert contests.shortlist(entries(0, 0), 3) == []


def test_equal_votes_share_a_rank_and_keep_their_submission_order():
    ranked = entries(3, 5, 3, 1)
    assert [e.entry_id for e in ranked] == ["e1", "e0", "e2", "e3"]
    assert contests.ranks(ranked) == [1, 2, 2, 4]


def sheet(**scores):
    return {"scores": {entry: dict(zip(("saving", "clarity"), marks)) for entry, marks in scores.items()}}


def test_the_best_jury_score_wins_whatever_the_votes():
    shortlisted = entries(9, 3)
    winner, scores = contests.winner(shortlisted, ["saving", "clarity"], [sheet(e0=(2, 2), e1=(6, 5)),
                                                                          sheet(e0=(3, 3), e1=(4, 4))])
    assert winner == "e1" and scores == {"e0": 10, "e1": 19}


def test_a_tie_on_the_jury_score_goes_to_the_higher_first_criterion_then_the_votes_then_the_earlier_entry():
    shortlisted = entries(2, 5, 5)  # e1 and e2 have 5 votes, e1 submitted first
    by_first_criterion = [sheet(e0=(7, 3), e1=(5, 5), e2=(4, 6))]
    assert contests.winner(shortlisted, ["saving", "clarity"], by_first_criterion)[0] == "e0"
    by_votes = [sheet(e0=(5, 5), e1=(5, 5), e2=(5, 5))]
    assert contests.winner(shortlisted, ["saving", "clarity"], by_votes)[0] == "e1"
    equal_votes = entries(5, 5)
    assert contests.winner(equal_votes, ["saving", "clarity"], [sheet(e0=(1, 1), e1=(1, 1))])[0] == "e0"


def test_without_any_scoresheet_the_most_voted_wins_and_an_empty_shortlist_has_no_winner():
    assert contests.winner(entries(2, 8), ["saving"], []) == ("e1", {"e0": 0, "e1": 0})
    assert contests.winner([], ["saving"], []) == (None, {})


def test_the_next_instant_due_is_the_earliest_close_or_end_of_judging_not_yet_done():
    first = {"closes_at": T0, "judging_ends_at": T0 + timedelta(days=2)}
    second = {"closes_at": T0 + timedelta(days=7), "judging_ends_at": T0 + timedelta(days=9)}
    assert contests.next_due([first, second]) == T0
    assert contests.next_due([{**first, "ranking": []}, second]) == T0 + timedelta(days=2)
    assert contests.next_due([{**first, "ranking": [], "winner": None}, {**second, "ranking": [], "winner": "x"}]) \
        is None
