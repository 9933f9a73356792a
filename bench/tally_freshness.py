"""Benchmark 2: tally freshness, the time from a vote's 201 to the read models showing it, under load.

    python -m bench.tally_freshness [--rate 500] [--seconds 30] [--probes 2]

Background votes arrive open loop at --rate (Zipf over the ideas, as in bench.vote_intake). Meanwhile each probe
votes, one vote at a time, on an idea nobody else votes for, and after the 201 polls both read models until they
count that vote, signed in as the voter: the votes service's tally (GET /api/votes/ideas/<id>, the votes worker's) and the idea's vote count
(GET /api/ideas/<id>, the ideas worker's, one event later). On its own idea a probe's count is exact, so each sample
is the freshness of one known vote; a probe that gives up after 60 s keeps its sample (the time it waited, counted
under `gave_up`). After the load, how long until every background idea's tally is exact (the accepted votes).
"""
import argparse
import threading
import time
from collections import Counter

import requests

from . import open_loop, report, workload
from .lab import DATABASE, Lab, running_lab

TARGET = {"p99_ms": 1000, "at": "half the maximum intake (bench.vote_intake)"}
POLL_SECONDS = 0.02
GIVE_UP_SECONDS = 60
EXACT_WITHIN_S = 120
READ_MODELS = (("votes_tally", "/api/votes/ideas/{}", "count"), ("idea_vote_count", "/api/ideas/{}", "vote_count"))


def probe(lab: Lab, idea_id: str, tokens: list[str], stopping: threading.Event, samples: dict) -> None:
    """One vote at a time on `idea_id`, each timed until both read models count it. A read model still behind after
    GIVE_UP_SECONDS gives a sample of the time waited, flagged as given up, and ends the probe."""
    session = requests.Session()
    for n, token in enumerate(tokens, start=1):
        if stopping.is_set():
            return
        try:
            status = session.post(f"{lab.url}/api/votes/ideas/{idea_id}", timeout=30,
                                  headers={"Authorization": f"Bearer {token}"}).status_code
        except requests.RequestException as exc:
            status = type(exc).__name__
        if status != 201:
            samples["refused"].append(status)
            return
        accepted, gave_up = time.monotonic(), False
        # Read as the voter who just voted: signed in, past the gateway's one-second cache of anonymous reads (an
        # anonymous reader sees the change up to that much later, by design: deploy/README.md).
        session.headers["Authorization"] = f"Bearer {token}"
        for read_model, path, field in READ_MODELS:
            while not gave_up and _count(session, lab.url + path.format(idea_id), field) < n:
                time.sleep(POLL_SECONDS)
                gave_up = time.monotonic() - accepted > GIVE_UP_SECONDS
            samples[read_model].append((time.monotonic() - accepted) * 1000)
            if gave_up:
                samples["gave_up"][read_model] += 1
        if gave_up:
            return


def _count(session: requests.Session, url: str, field: str) -> int:
    try:
        return session.get(url, timeout=30).json().get(field) or 0
    except (requests.RequestException, ValueError):
        return 0  # not answered (a loaded gateway's 502 is no JSON): not counted yet


def measure(lab: Lab, args) -> dict:
    ideas = workload.submit_ideas(lab, args.ideas + args.probes)
    ideas, probed = ideas[:args.ideas], ideas[args.ideas:]
    votes, ledger = workload.Votes(ideas, args.voters), workload.Ledger(ideas)
    tokens = workload.voter_tokens(lab, args.voters)
    schedule = votes.schedule(args.rate, args.seconds)
    probe_tokens = [lab.signer.token(f"bench-probe-{n}") for n in range(args.probes * 1000)]
    samples = {"votes_tally": [], "idea_vote_count": [], "refused": [], "gave_up": Counter()}
    stopping = threading.Event()
    probes = [threading.Thread(target=probe, args=(lab, idea_id, probe_tokens[n::args.probes], stopping, samples))
              for n, idea_id in enumerate(probed)]
    meter = report.CpuMeter(lab.processes())

    def load_begins():
        meter.start()
        for p in probes:
            p.start()
    background = open_loop.run(lab.url, "vote", schedule, tokens, args.rate, args.seconds, args.users, load_begins)
    stopping.set()
    for p in probes:
        p.join()
    cpu = meter.stop()
    ledger.add(schedule, background.answers)
    return {
        "background": background.figures(accepted_status=201)
        | {"tallies_exact_after_s": ledger.wait_exact(lab, EXACT_WITHIN_S)},
        **{read_model: report.percentiles(samples[read_model]) | {"gave_up": samples["gave_up"][read_model]}
           for read_model, *_ in READ_MODELS},
        "probes_refused": samples["refused"], "cpu_percent_of_one_core": cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=500, help="background votes per second")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--ideas", type=int, default=200)
    parser.add_argument("--voters", type=int, default=6000)
    parser.add_argument("--probes", type=int, default=2)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--workers", default="2", help="GUNICORN_WORKERS of every API")
    parser.add_argument("--threads", default="16", help="GUNICORN_THREADS of every API")
    args = parser.parse_args()
    host = report.machine()
    config = vars(args) | {"target": TARGET, "database": DATABASE, "poll_ms": POLL_SECONDS * 1000,
                           "give_up_s": GIVE_UP_SECONDS}
    with running_lab(GUNICORN_WORKERS=args.workers, GUNICORN_THREADS=args.threads,
                     VOTE_THRESHOLD="1000000000") as lab:
        figures = measure(lab, args)
    report.record("tally_freshness", config, figures, host)


if __name__ == "__main__":
    main()
