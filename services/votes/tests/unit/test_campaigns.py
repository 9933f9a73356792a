"""The campaign rules of votes.campaigns, with no server: the window, who may vote, ballots, the split, the digest."""
from datetime import datetime, timedelta, timezone
from fractions import Fraction

import pytest
from hypothesis import given, strategies as st

from idealab.auth import Principal
from idealab_testing import as_consumed
from votes import campaigns
from votes.campaigns import Refused, split

OPENS = datetime(2026, 5, 1, 12, tzinfo=timezone.utc)
CLOSES = OPENS + timedelta(weeks=3)
ONE_US = timedelta(microseconds=1)


def campaign(rule="single", k=1, eligibility=None, budget=None) -> dict:
    return {"_id": "c1", "title": {"en": "Charities"}, "opens_at": OPENS, "closes_at": CLOSES,
            "options": [{"id": o, "name": o.title()} for o in ("food", "books", "trees")],
            "rule": {"kind": rule, "k": k}, "eligibility": eligibility or {"kind": "everyone"}, "budget": budget}


def member(roles=("member",), spaces=()) -> Principal:
    return Principal("ann", frozenset(roles), frozenset(spaces))


def test_a_campaign_is_open_from_its_opening_instant_included_to_its_closing_instant_excluded():
    assert campaigns.state(campaign(), OPENS - ONE_US) == "scheduled"
    assert campaigns.state(campaign(), OPENS) == "open"
    assert campaigns.state(campaign(), CLOSES - ONE_US) == "open"
    assert campaigns.state(campaign(), CLOSES) == "closed"


def test_a_ballot_outside_the_window_is_refused_saying_so():
    for at in (OPENS - ONE_US, CLOSES):
        with pytest.raises(Refused) as refused:
            campaigns.check_window(campaign(), at)
        assert refused.value.kind == "window"
    campaigns.check_window(campaign(), OPENS)


def test_eligibility_by_space_and_by_role():
    by_space = campaign(eligibility={"kind": "space", "space": "ing-canada"})
    by_role = campaign(eligibility={"kind": "role", "role": "employee"})
    campaigns.check_eligible(by_space, member(spaces=("ing-canada",)))
    campaigns.check_eligible(by_role, member(roles=("member", "employee")))
    for refused_campaign, voter in ((by_space, member(spaces=("other",))), (by_role, member())):
        with pytest.raises(Refused, match="only members") as refused:
            campaigns.check_eligible(refused_campaign, voter)
        assert refused.value.kind == "eligibility"


@pytest.mark.parametrize("rule,k,choices", [
    ("single", 1, {"food": 1, "books": 1}), ("single", 1, {"food": 2}), ("multiple", 2, {"food": 1, "books": 1,
                                                                                          "trees": 1}),
    ("multiple", 2, {"food": 2}), ("points", 5, {"food": 4, "books": 2}), ("points", 5, {"food": 0}),
    ("single", 1, {"ships": 1}), ("single", 1, {}),
])
def test_a_ballot_its_rule_refuses_is_malformed(rule, k, choices):
    with pytest.raises(Refused) as refused:
        campaigns.check_ballot(campaign(rule, k), choices)
    assert refused.value.kind == "ballot"


@pytest.mark.parametrize("rule,k,choices", [
    ("single", 1, {"food": 1}), ("multiple", 2, {"food": 1, "books": 1}), ("points", 5, {"food": 4, "books": 1}),
    ("points", 5, {"trees": 2}),
])
def test_a_ballot_within_its_rule_is_taken(rule, k, choices):
    campaigns.check_ballot(campaign(rule, k), choices)


def test_the_split_of_150000_cad_gives_every_cent_and_breaks_equal_remainders_by_votes_then_order():
    assert split(15_000_000, [1, 1, 1]) == [5_000_000, 5_000_000, 5_000_000]
    assert split(100, [1, 1, 1]) == [34, 33, 33]  # equal remainders and votes: the option listed first
    assert split(100, [1, 2, 0]) == [33, 67, 0]
    assert split(10, [0, 0]) == [0, 0]  # no vote: nothing split


@given(budget=st.integers(min_value=0, max_value=10**12),
       counts=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=12).filter(any))
def test_the_parts_add_up_to_the_budget_each_within_one_unit_of_its_exact_share(budget, counts):
    parts = split(budget, counts)
    assert sum(parts) == budget
    for part, count in zip(parts, counts):
        assert abs(part - Fraction(budget * count, sum(counts))) < 1


@given(st.lists(st.tuples(st.sampled_from(["food", "books", "trees"]), st.integers(1, 5)), min_size=1, max_size=60),
       st.randoms(use_true_random=False), st.integers(min_value=1, max_value=10**9))
def test_the_result_does_not_depend_on_the_order_of_the_ballots(choices, random, budget):
    ballots = [{"ballot_id": f"b{n}", "choices": {option: points}, "first_cast_at": OPENS + timedelta(minutes=n)}
               for n, (option, points) in enumerate(choices)]
    shuffled = ballots[:]
    random.shuffle(shuffled)
    spent = campaign("points", 5, budget={"amount": budget, "currency": "CAD"})

    assert campaigns.result(spent, shuffled, CLOSES) == campaigns.result(spent, ballots, CLOSES)


def test_the_digest_is_sha256_over_the_sorted_ballot_ids_and_choices_and_changes_with_any_choice():
    ballots = [{"ballot_id": "b2", "choices": {"food": 1}}, {"ballot_id": "b1", "choices": {"trees": 2, "books": 1}}]
    expected = __import__("hashlib").sha256(b'[["b1",{"books":1,"trees":2}],["b2",{"food":1}]]').hexdigest()

    assert campaigns.digest(ballots) == campaigns.digest(ballots[::-1]) == expected
    assert campaigns.digest([ballots[0], {"ballot_id": "b1", "choices": {"trees": 3}}]) != expected


def test_campaign_closed_carries_the_counts_the_split_and_its_rule_and_the_digest():
    spent = campaign(budget={"amount": 100, "currency": "CAD"})
    ballots = [{"ballot_id": f"b{n}", "choices": {o: 1}, "first_cast_at": OPENS}
               for n, o in enumerate(["food", "food", "books"])]
    outcome = campaigns.result(spent, ballots, CLOSES)

    event = as_consumed(campaigns.campaign_closed(spent, outcome))
    assert event.type == "campaign.closed" and event.subject == "c1"
    assert [(o["option_id"], o["count"], o["amount"]) for o in event.data["options"]] == [
        ("food", 2, 67), ("books", 1, 33), ("trees", 0, 0)]
    assert event.data["split_rule"] == campaigns.SPLIT_RULE and event.data["digest"] == outcome["digest"]
    assert outcome["turnout"] == [{"hour": OPENS, "ballots": 3}]
