"""Benchmark 2: tally freshness, the time from a vote's 201 to the read models showing it, under load.

    python -m bench.tally_freshness [--rate 1000] [--seconds 30] [--probes 2]

Background votes arrive open loop at --rate (Zipf over the ideas, as in bench.vote_intake). Meanwhile each probe
votes, one vote at a time, on an idea nobody else votes for, and after the 201 polls both read models until they
count that vote: the votes service's tally (GET /api/votes/ideas/<id>, the votes worker's) and the idea's vote count
(GET /api/ideas/<id>, the ideas worker's, one event later). On its own idea a probe's count is exact, so each sample
is the freshness of one known vote.
"""
import argparse
import threading
import time

import requests

from . import open_loop, report, workload
from .lab import DATABASE, Lab, running_lab

TARGET = {"p99_ms": 500}
POLL_SECONDS = 0.02
GIVE_UP_SECONDS = 60


def probe(lab: Lab, idea_id: str, tokens: list[str], stopping: threading.Event, samples: dict) -> None:
    session = requests.Session()
    for n, token in enumerate(tokens, start=1):
        if stopping.is_set():
            return
        answer = session.post(f"{lab.url}/api/votes/ideas/{idea_id}", headers={"Authorization": f"Bearer {token}"},
                              timeout=30)
        if answer.status_code != 201:
            samples["refused"].append(answer.status_code)
            return
        accepted = time.monotonic()
        for read_model, path, field in (("votes_tally", f"/api/votes/ideas/{idea_id}", "count"),
                                        ("idea_vote_count", f"/api/ideas/{idea_id}", "vote_count")):
            while (session.get(lab.url + path, timeout=30).json().get(field) or 0) < n:
                if time.monotonic() - accepted > GIVE_UP_SECONDS:
                    samples["gave_up"].append(read_model)
                    return
                time.sleep(POLL_SECONDS)
            samples[read_model].append((time.monotonic() - accepted) * 1000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=1000, help="background votes per second")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--ideas", type=int, default=200)
    parser.add_argument("--voters", type=int, default=6000)
    parser.add_argument("--probes", type=int, default=2)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--workers", default="2", help="GUNICORN_WORKERS of every API")
    parser.add_argument("--threads", default="4", help="GUNICORN_THREADS of every API")
    args = parser.parse_args()
    host = report.machine()
    config = vars(args) | {"target": TARGET, "database": DATABASE, "poll_ms": POLL_SECONDS * 1000}
    samples = {"votes_tally": [], "idea_vote_count": [], "refused": [], "gave_up": []}
    with running_lab(GUNICORN_WORKERS=args.workers, GUNICORN_THREADS=args.threads,
                     VOTE_THRESHOLD="1000000000") as lab:
        ideas = workload.submit_ideas(lab, args.ideas + args.probes)
        ideas, probed = ideas[:args.ideas], ideas[args.ideas:]
        votes = workload.Votes(ideas, args.voters)
        tokens = workload.voter_tokens(lab, args.voters)
        schedule = []
        for due in open_loop.constant_rate(args.rate, args.seconds):
            idea, voter = votes.pick()
            schedule.append([due, "POST", f"/api/votes/ideas/{ideas[idea]}", voter])
        probe_tokens = [lab.signer.token(f"bench-probe-{n}") for n in range(args.probes * 1000)]
        stopping = threading.Event()
        probes = [threading.Thread(target=probe, args=(lab, idea_id, probe_tokens[n::args.probes], stopping,
                                                        samples)) for n, idea_id in enumerate(probed)]
        meter = report.CpuMeter(lab.processes())
        meter.start()
        for p in probes:
            p.start()
        background = open_loop.run(lab.url, "vote", schedule, tokens, args.rate, args.seconds, args.users)
        stopping.set()
        for p in probes:
            p.join()
        cpu = meter.stop()
    load = background.figures(accepted_status=201)
    report.record("tally_freshness", config, {
        "background": {k: load[k] for k in ("offered_per_s", "accepted_per_s", "statuses", "latency_from_due")},
        "probe_votes": len(samples["votes_tally"]),
        "votes_tally": report.percentiles(samples["votes_tally"]),
        "idea_vote_count": report.percentiles(samples["idea_vote_count"]),
        "probes_refused": samples["refused"], "probes_gave_up": samples["gave_up"],
        "cpu_percent_of_one_core": cpu}, host)


if __name__ == "__main__":
    main()
