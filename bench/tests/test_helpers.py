"""The benchmarks' own arithmetic: percentiles, schedules, the vote mix, seeding counts, profile summaries. No
server needed: `python -m pytest bench/tests`."""
from collections import Counter

from bench import open_loop, profile, report, seed, workload


def test_percentiles_are_nearest_rank():
    found = report.percentiles([float(n) for n in range(100, 0, -1)])
    assert found == {"p50_ms": 50.0, "p95_ms": 95.0, "p99_ms": 99.0, "max_ms": 100.0}


def test_percentiles_of_nothing_are_none():
    assert report.percentiles([]) == {"p50_ms": None, "p95_ms": None, "p99_ms": None, "max_ms": None}


def test_constant_rate_spaces_requests_evenly():
    due = open_loop.constant_rate(4, 2.5)
    assert due == [0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0, 2.25]


def test_step_counts_only_accepted_answers_and_measures_from_due():
    answers = [[0, 201, 30.0, 10.0], [1, 201, 50.0, 20.0], [2, 429, 5.0, 5.0], [3, 0, 10000.0, 10000.0]]
    figures = open_loop.Step(rate=2, seconds=2, answers=answers, wall_seconds=12).figures(accepted_status=201)
    assert figures["statuses"] == {"201": 2, "429": 1, "0": 1}
    assert figures["accepted_per_s"] == round(2 / 12, 1)  # the schedule plus the slowest answer
    assert figures["latency_from_due"]["max_ms"] == 50.0
    assert figures["latency_from_send"]["max_ms"] == 20.0


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
