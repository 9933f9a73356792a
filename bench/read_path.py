"""Benchmark 4: the read path at a big bank's scale: the top-ideas list and idea pages, open loop, at increasing
request rates up to 500/s.

    python -m bench.read_path [--rates 10,25,50,100,250,500] [--seconds 10] [--ideas 2600 --votes 370000]

The lab is seeded by bench.seed (2,600 ideas, 370,000 votes, 5,000 comments), then anonymous readers ask, in
equal shares: the top ideas (GET /api/ideas?sort=most_voted&limit=20), and the three requests of an idea page: the
idea (GET /api/ideas/<id>), its tally (GET /api/votes/ideas/<id>) and its comments (…/comments); ideas are
picked by a Zipf law over their rank by votes. First the ceiling of the same lab: its bare API
(`/api/votes/healthz` through the gateway, wrk), as `bare_api_per_s`; then each kind alone, one request at a time
(the service time with no queue); then per step: requests planned, sent, answered (200) and timed out, answers/s,
and p50/p95/p99 over every request sent (a timeout counts with the time waited), overall and per kind, and CPU per
process while requests arrive. Steps stop after the first saturated one (answers below 90 % of offered, or p99 over
2 s).
"""
import argparse
import random
import time

import requests
from pymongo import MongoClient

from . import open_loop, report, seed
from .baselines import bare_api
from .lab import DATABASE, running_lab
from .workload import ZIPF_EXPONENT

TARGET = {"requests_per_s": 500, "p99_ms": 50}
KINDS = {"top_ideas": "/api/ideas?sort=most_voted&limit=20", "idea": "/api/ideas/{}",
         "tally": "/api/votes/ideas/{}", "comments": "/api/ideas/{}/comments"}


def schedule(rate: float, seconds: float, ideas_by_votes: list[str], rng: random.Random) -> tuple[list, list]:
    weights = [1 / rank ** ZIPF_EXPONENT for rank in range(1, len(ideas_by_votes) + 1)]
    requests, kinds = [], []
    for due in open_loop.constant_rate(rate, seconds):
        kind = rng.choice(list(KINDS))
        idea = rng.choices(ideas_by_votes, weights)[0]
        requests.append([due, "GET", KINDS[kind].format(idea), 0])
        kinds.append(kind)
    return requests, kinds


def one_at_a_time(url: str, ideas_by_votes: list[str], rounds: int = 5) -> dict:
    """Each kind of request alone, one after the other, on the seeded lab: the service time with no queue."""
    session = requests.Session()
    found = {}
    for kind, path in KINDS.items():
        took = []
        for idea in ideas_by_votes[:rounds]:
            started = time.perf_counter()
            session.get(url + path.format(idea), timeout=60).raise_for_status()
            took.append((time.perf_counter() - started) * 1000)
        found[kind] = report.percentiles(took, points=(50,))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rates", default="10,25,50,100,250,500")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--ideas", type=int, default=2600)
    parser.add_argument("--votes", type=int, default=370_000)
    parser.add_argument("--comments", type=int, default=5000)
    parser.add_argument("--voters", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--ceiling-seconds", type=float, default=10, help="the bare API's, with wrk")
    parser.add_argument("--workers", default="2", help="GUNICORN_WORKERS of every API")
    parser.add_argument("--threads", default="16", help="GUNICORN_THREADS of every API")
    args = parser.parse_args()
    host = report.machine()
    config = vars(args) | {"target": TARGET, "database": DATABASE, "mix": KINDS}
    rng = random.Random(4)
    steps = []
    with running_lab(GUNICORN_WORKERS=args.workers, GUNICORN_THREADS=args.threads) as lab:
        ceiling = bare_api(lab.url, args.ceiling_seconds)
        print(f"bare API: {ceiling['bare_api_per_s']} req/s", flush=True)
        started = time.monotonic()
        with MongoClient(lab.mongodb, tz_aware=True) as client:
            seeded = seed.seed(client, lab.namespace, args.ideas, args.votes, args.comments, args.voters)
        config["seed_seconds"] = round(time.monotonic() - started)
        config["hottest_idea_votes"] = seeded["hottest_idea_votes"]
        unloaded = one_at_a_time(lab.url, seeded["idea_ids_by_votes"])
        print(f"one request at a time: {unloaded}", flush=True)
        for rate in (float(r) for r in args.rates.split(",")):
            requests, kinds = schedule(rate, args.seconds, seeded["idea_ids_by_votes"], rng)
            meter = report.CpuMeter(lab.processes())
            ran = open_loop.run(lab.url, "read", requests, [""], rate, args.seconds, args.users, meter.start)
            figures = ran.figures(accepted_status=200) | {"cpu_percent_of_one_core": meter.stop()}
            for kind in KINDS:
                figures[kind] = report.percentiles([a[2] for a in ran.answers if kinds[a[0]] == kind])
            steps.append(figures)
            print(f"{rate:>6.0f}/s offered: {figures['accepted_per_s']}/s answered ({figures['accepted']} of "
                  f"{figures['planned']}, {figures['timed_out']} timed out), p99 "
                  f"{figures['latency_from_due']['p99_ms']} ms (top ideas {figures['top_ideas']['p99_ms']}, idea "
                  f"{figures['idea']['p99_ms']}, tally {figures['tally']['p99_ms']}, comments "
                  f"{figures['comments']['p99_ms']}); CPU "
                  f"{dict(list(figures['cpu_percent_of_one_core'].items())[:4])}", flush=True)
            if figures["accepted_per_s"] < 0.9 * rate or (figures["latency_from_due"]["p99_ms"] or 0) > 2000:
                break
    within = [s for s in steps if (s["latency_from_due"]["p99_ms"] or 1e9) < TARGET["p99_ms"]]
    report.record("read_path", config, ceiling | {
        "one_at_a_time": unloaded, "steps": steps,
        "best_answered_per_s_with_p99_in_target": max((s["accepted_per_s"] for s in within), default=None)}, host)


if __name__ == "__main__":
    main()
