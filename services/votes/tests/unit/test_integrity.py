"""The rules of one account, one voice (votes.integrity)."""
from datetime import datetime, timedelta, timezone

from votes import integrity

AT = datetime(2026, 11, 30, 10, 3, tzinfo=timezone.utc)


def test_a_campaign_counts_unverified_ballots_as_it_says_and_by_default_only_without_a_budget():
    budget = {"amount": 100, "currency": "CAD"}
    assert integrity.campaign_lets_unverified_vote({"budget": None}) is True
    assert integrity.campaign_lets_unverified_vote({"budget": budget}) is False
    assert integrity.campaign_lets_unverified_vote({"budget": budget, "unverified_may_vote": True}) is True
    assert integrity.campaign_lets_unverified_vote({"budget": None, "unverified_may_vote": False}) is False
    assert integrity.campaign_lets_unverified_vote({"budget": budget, "unverified_may_vote": None}) is False


def test_an_account_is_new_for_its_first_days_only():
    rule = integrity.Burst(new_account=timedelta(days=2))
    assert integrity.is_new(AT - timedelta(days=1), AT, rule)
    assert not integrity.is_new(AT - timedelta(days=2), AT, rule)
    assert not integrity.is_new(None, AT, rule)  # not known to be new: never evidence


def test_a_burst_is_so_many_distinct_accounts_and_its_evidence_is_oldest_first():
    rule = integrity.Burst(accounts=3)
    votes = [{"voter_id": f"v{n}", "cast_at": AT - timedelta(seconds=n), "registered_at": AT, "voted": {}}
             for n in range(3)]
    assert [v["voter_id"] for v in integrity.burst(votes, rule)] == ["v2", "v1", "v0"]
    assert integrity.burst(votes[:2], rule) is None
    assert integrity.burst([*votes[:2], {**votes[0]}], rule) is None  # one account twice is one account


def test_ballots_vote_the_same_way_with_the_same_choices_in_any_order():
    same = integrity.ballot_subject("c", {"a": 1, "b": 2}), integrity.ballot_subject("c", {"b": 2, "a": 1})
    assert same[0] == same[1]
    assert integrity.ballot_subject("c", {"a": 1}) != integrity.ballot_subject("c", {"a": 2})


def test_one_flag_per_subject_and_window():
    rule = integrity.Burst(window=timedelta(minutes=10))
    assert integrity.flag_id("idea:x", AT, rule) == integrity.flag_id("idea:x", AT + timedelta(minutes=6), rule)
    assert integrity.flag_id("idea:x", AT, rule) != integrity.flag_id("idea:x", AT + timedelta(minutes=8), rule)
