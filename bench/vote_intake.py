"""Benchmark 1: vote intake through the gateway at increasing offered loads, open loop, then a burst.

    python -m bench.vote_intake [--rates 50,100,200,400] [--seconds 15] [--workers 2 --threads 4] [--profile]

First the ceiling of the same lab: its bare API (`/api/votes/healthz` through the gateway, wrk), as
`bare_api_per_s`. Then each step sends votes at a constant arrival rate for `--seconds` (distinct voters, ideas
drawn by a Zipf law), and waits until every idea's tally is exact (so steps do not pile up). Per step: every vote
planned, sent, answered, accepted and timed out, accepted votes/s, p50/p95/p99 latency over every vote sent (a
timeout counts with the time waited) from when it was due and from when it was sent, CPU per process while votes
arrive, and how long the tallies took to be exact. Steps stop after the first one that is saturated (accepted below
90 % of offered, or p99 over 2 s). Last, the burst: --burst-seconds at the highest intake the steps accepted, and
how long after it until every tally is exact. --profile records every lab Python process with py-spy during the
last step run.
"""
import argparse

from . import open_loop, profile, report, workload
from .baselines import bare_api
from .lab import DATABASE, Lab, running_lab

TARGET = {"votes_per_s": 1000, "p99_ms": 100, "share_of_bare_api": 0.5, "tallies_exact_after_burst_s": 2}
SATURATED_P99_MS = 2000
EXACT_WITHIN_S = 120


def step(lab: Lab, votes: workload.Votes, ledger: workload.Ledger, tokens: list[str], rate: float, seconds: float,
         users: int, profiled: bool = False) -> dict:
    schedule = votes.schedule(rate, seconds)
    meter, recording = report.CpuMeter(lab.processes()), {}

    def load_begins():
        meter.start()
        if profiled:
            recording.update(profile.start({label: pid for label, pid in lab.processes().items()
                                            if label.split("#")[0].endswith(("-api", "-worker"))}, seconds))
    ran = open_loop.run(lab.url, "vote", schedule, tokens, rate, seconds, users, load_begins)
    figures = ran.figures(accepted_status=201) | {"cpu_percent_of_one_core": meter.stop()}
    if recording:
        figures["py_spy"] = profile.finish(recording)
    ledger.add(schedule, ran.answers)
    figures["tallies_exact_after_s"] = ledger.wait_exact(lab, EXACT_WITHIN_S)
    return figures


def saturated(figures: dict, rate: float) -> bool:
    return figures["accepted_per_s"] < 0.9 * rate or (figures["latency_from_due"]["p99_ms"] or 0) > SATURATED_P99_MS


def steps(lab: Lab, votes, ledger, tokens, args) -> list[dict]:
    rates = [float(r) for r in args.rates.split(",")]
    done = []
    for n, rate in enumerate(rates):
        last = n == len(rates) - 1
        figures = step(lab, votes, ledger, tokens, rate, args.seconds, args.users, args.profile and last)
        done.append(figures)
        print(f"{rate:>6.0f}/s offered: {figures['accepted_per_s']}/s accepted ({figures['accepted']} of "
              f"{figures['planned']}, {figures['timed_out']} timed out), p99 {figures['latency_from_due']['p99_ms']} "
              f"ms, tallies exact {figures['tallies_exact_after_s']} s later; CPU "
              f"{dict(list(figures['cpu_percent_of_one_core'].items())[:4])}", flush=True)
        if saturated(figures, rate) and not last:
            if args.profile:  # the saturated step is the one worth profiling: run it again, recorded
                done.append(step(lab, votes, ledger, tokens, rate, args.seconds, args.users, True)
                            | {"profiled_rerun": True})
            break
    return done


def burst(lab: Lab, votes, ledger, tokens, rate: float, args) -> dict:
    """--burst-seconds at `rate`, then how long until every tally is exact."""
    schedule = votes.schedule(rate, args.burst_seconds)
    ran = open_loop.run(lab.url, "vote", schedule, tokens, rate, args.burst_seconds, args.users)
    ledger.add(schedule, ran.answers)
    figures = ran.figures(accepted_status=201)
    figures["tallies_exact_after_s"] = ledger.wait_exact(lab, EXACT_WITHIN_S)
    print(f"burst of {args.burst_seconds:.0f} s at {rate:.0f}/s: {figures['accepted']} accepted, tallies exact "
          f"{figures['tallies_exact_after_s']} s after it", flush=True)
    return figures


def measure(lab: Lab, args) -> dict:
    figures = bare_api(lab.url, args.ceiling_seconds)
    print(f"bare API: {figures['bare_api_per_s']} req/s", flush=True)
    ideas = workload.submit_ideas(lab, args.ideas)
    votes, ledger = workload.Votes(ideas, args.voters), workload.Ledger(ideas)
    tokens = workload.voter_tokens(lab, args.voters)
    figures |= {"hottest_idea_share": votes.hottest_share(), "steps": steps(lab, votes, ledger, tokens, args)}
    within = [s for s in figures["steps"] if (s["latency_from_due"]["p99_ms"] or 1e9) < TARGET["p99_ms"]]
    figures["best_accepted_per_s_with_p99_in_target"] = max((s["accepted_per_s"] for s in within), default=None)
    highest = max(s["accepted_per_s"] for s in figures["steps"])
    if args.burst_seconds and highest:
        figures["burst"] = burst(lab, votes, ledger, tokens, highest, args)
    return figures


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rates", default="50,100,200,400,800")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--burst-seconds", type=float, default=20, help="0: no burst")
    parser.add_argument("--ceiling-seconds", type=float, default=10, help="the bare API's, with wrk")
    parser.add_argument("--ideas", type=int, default=200)
    parser.add_argument("--voters", type=int, default=6000)
    parser.add_argument("--users", type=int, default=200, help="locust users: at most this many votes in flight")
    parser.add_argument("--workers", default="2", help="GUNICORN_WORKERS of every API")
    parser.add_argument("--threads", default="16", help="GUNICORN_THREADS of every API")
    parser.add_argument("--threshold", default="10", help="VOTE_THRESHOLD")
    parser.add_argument("--profile", action="store_true", help="py-spy every lab Python process in the last step")
    return parser.parse_args()


def main() -> None:
    args = options()
    host = report.machine()
    config = vars(args) | {"target": TARGET, "database": DATABASE, "zipf_exponent": workload.ZIPF_EXPONENT}
    with running_lab(GUNICORN_WORKERS=args.workers, GUNICORN_THREADS=args.threads,
                     VOTE_THRESHOLD=args.threshold) as lab:
        figures = measure(lab, args)
    report.record("vote_intake", config, figures, host)


if __name__ == "__main__":
    main()
