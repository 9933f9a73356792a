"""The benchmarks' own arithmetic: percentiles, schedules, what a step counts, exact tallies, the vote mix, seeding
counts, profile summaries. No server needed: `python -m pytest bench/tests/test_helpers.py`."""
from collections import Counter

from bench import open_loop, profile, report, seed, workload


def test_percentiles_are_nearest_rank():
    found = report.percentiles([float(n) for n in range(100, 0, -1)])
    assert found == {"samples": 100, "p50_ms": 50.0, "p95_ms": 95.0, "p99_ms": 99.0, "max_ms": 100.0}


def test_percentiles_of_nothing_are_none():
    assert report.percentiles([]) == {"samples": 0, "p50_ms": None, "p95_ms": None, "p99_ms": None, "max_ms": None}


def test_constant_rate_spaces_requests_evenly():
    due = open_loop.constant_rate(4, 2.5)
    assert due == [0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0, 2.25]


def test_step_counts_every_request_planned_and_accepts_only_the_accepted_status():
    answers = [[0, "201", 30.0, 10.0], [1, "201", 50.0, 20.0], [2, "429", 5.0, 5.0], [3, "timeout", 10030.0, 10000.0],
               [4, "open", 12000.0, 11000.0], [5, "not_sent", 9000.0, None]]
    step = open_loop.Step(rate=2, seconds=3, due=[0, 0.5, 1, 1.5, 2, 2.5], answers=answers)
    figures = step.figures(accepted_status=201)
    assert (figures["planned"], figures["sent"], figures["answered"], figures["accepted"]) == (6, 5, 3, 2)
    assert (figures["timed_out"], figures["open_at_end"]) == (1, 1)
    assert figures["outcomes"] == {"201": 2, "429": 1, "timeout": 1, "open": 1, "not_sent": 1}
    assert figures["accepted_per_s"] == round(2 / 3, 1)  # a timeout is no acceptance
    # The timeout and the requests left open or unsent count in the latency, with what they waited.
    assert figures["latency_from_due"] == {"samples": 6, "p50_ms": 50.0, "p95_ms": 12000.0, "p99_ms": 12000.0,
                                               "max_ms": 12000.0}
    assert figures["latency_from_send"]["samples"] == 5
    assert figures["latency_from_send"]["max_ms"] == 11000.0


def test_accepted_per_second_runs_until_the_last_accepted_answer():
    step = open_loop.Step(rate=2, seconds=1, due=[0, 0.5], answers=[[0, "201", 100.0, 100.0], [1, "201", 1500.0, 9]])
    assert step.figures(accepted_status=201)["accepted_per_s"] == 1.0  # 2 votes, the last answered at 2.0 s


def test_tallies_are_exact_at_the_accepted_votes_give_or_take_those_of_unknown_fate():
    ledger = workload.Ledger(["a", "b", "c"])
    schedule = [[0, "POST", f"/api/votes/ideas/{idea}", 0] for idea in ("a", "a", "b", "b", "b")]
    ledger.add(schedule, [[0, "201"], [1, "409"], [2, "201"], [3, "timeout"], [4, "502"]])
    assert ledger.exact("a", 1) and not ledger.exact("a", 2) and not ledger.exact("a", 0)
    assert [ledger.exact("b", n) for n in range(5)] == [False, True, True, True, False]
    assert ledger.exact("c", 0) and not ledger.exact("c", None)


def test_votes_are_never_cast_twice_by_one_voter_for_one_idea():
    votes = workload.Votes([f"idea-{n}" for n in range(5)], voters=30)
    picks = [votes.pick() for _ in range(120)]  # 30 voters x 4 ideas: the hot ideas run out of new voters
    assert len(set(picks)) == len(picks)


def test_votes_go_mostly_to_the_hot_ideas_and_voters_take_turns():
    votes = workload.Votes([f"idea-{n}" for n in range(50)], voters=1000)
    picks = [votes.pick() for _ in range(1000)]
    by_idea = Counter(idea for idea, _ in picks)
    assert by_idea.most_common(1)[0][0] == 0
    assert by_idea[0] > 5 * by_idea[25]
    assert sorted(voter for _, voter in picks) == list(range(1000))  # a voter's next vote is 1,000 votes later


def test_seeded_vote_counts_add_up_and_fall_with_rank():
    counts = seed.vote_counts(2600, 370_000)
    assert sum(counts) == 370_000
    assert counts[0] > counts[10] > counts[1000] > 0


def test_profile_summary_adds_samples_per_function():
    main, handlers = "/work/main/services/votes/votes/worker.py", "/work/main/services/votes/votes/handlers.py"
    raw = (f"main ({main}:12);cast_vote ({handlers}:14) 3\n"
           f"main ({main}:12);cast_vote ({handlers}:20) 1\n"
           f"main ({main}:13) 4\n")
    summary = profile.summarise(raw, top=5)
    assert summary["samples"] == 8
    assert summary["self"] == {"cast_vote (votes/votes/handlers.py)": 0.5, "main (votes/votes/worker.py)": 0.5}
    assert summary["total"]["main (votes/votes/worker.py)"] == 1.0
