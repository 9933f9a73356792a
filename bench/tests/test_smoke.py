"""Every benchmark run from the committed code, as `make bench` runs it, for a few seconds on a tiny seed: they
start, finish, record, and their end states hold (tallies exact, every inbox entry written). The figures are not
judged. Results go to a temporary folder, never to bench/results; on the shared engine (an own one takes longer)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
SMALL_LAB = ("--workers", "1", "--threads", "2", "--users", "10")


@pytest.fixture
def run(servers, tmp_path):
    def benchmark(name: str, *options: str) -> dict:
        env = {**os.environ, "BENCH_RESULTS": str(tmp_path), "BENCH_DATABASE": "shared",
               "KAFKA_BOOTSTRAP_SERVERS": servers.kafka, "MONGODB_URI": servers.mongodb}
        done = subprocess.run([sys.executable, "-m", f"bench.{name}", *options], cwd=ROOT, env=env, timeout=300,
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
        [result] = json.loads((tmp_path / f"{name}.json").read_text())
        return result["figures"]
    return benchmark


def every_vote_answered(figures: dict) -> None:
    assert figures["planned"] == figures["sent"] == figures["answered"] == figures["accepted"] > 0
    assert figures["latency_from_due"]["samples"] == figures["planned"]
    assert figures["tallies_exact_after_s"] is not None


def bare_api_measured(figures: dict) -> None:
    assert figures["bare_api_per_s"] > 0  # wrk comes with nginx (deploy/servers.sh)


def test_vote_intake(run):
    figures = run("vote_intake", "--rates", "5", "--seconds", "2", "--burst-seconds", "2", "--ceiling-seconds", "1",
                  "--ideas", "5", "--voters", "50", *SMALL_LAB)
    bare_api_measured(figures)
    every_vote_answered(figures["steps"][0])
    every_vote_answered(figures["burst"])


def test_tally_freshness(run):
    figures = run("tally_freshness", "--rate", "5", "--seconds", "3", "--ideas", "5", "--voters", "50", "--probes",
                  "1", *SMALL_LAB)
    every_vote_answered(figures["background"])
    assert figures["votes_tally"]["samples"] == figures["idea_vote_count"]["samples"] > 0
    assert figures["probes_refused"] == []


def test_read_path(run):
    figures = run("read_path", "--rates", "5", "--seconds", "2", "--ceiling-seconds", "1", "--ideas", "20",
                  "--votes", "200", "--comments", "20", "--voters", "100", *SMALL_LAB)
    bare_api_measured(figures)
    [step] = figures["steps"]
    assert step["planned"] == step["accepted"] == sum(step[kind]["samples"] for kind in figures["one_at_a_time"])


def test_fan_out(run):
    figures = run("fan_out", "--subscribers", "200", "--timeout", "60", "--sample", "20")
    assert figures["inboxes_done"] and figures["inboxes_not_showing_it"] == 0 and not figures["non_follower_sees_it"]
    assert figures["emails_done"] and figures["recipients_mailed"] == figures["messages_received"] == 200
    assert figures["jobs_failed"] == figures["dead_lettered"] == 0


def test_baselines(run):
    figures = run("baselines", "--seconds", "0.5", "--java-records", "1000")
    assert all(f["failed"] == 0 for f in figures["kafka"].values() if isinstance(f, dict))
    assert all(f["ops_per_s"] > 0 for f in figures["database"]["shared"].values() if isinstance(f, dict))
    assert figures["gateway"]["c16"]["non_2xx_or_3xx"] == 0


def test_live_streams(run):
    figures = run("live_streams", "--streams", "50", "--clients", "2", "--messages", "2", "--idle", "0")
    assert figures["streams_open"] == 50 and figures["streams_closed_during_run"] == 0
    assert figures["messages_reaching_every_stream"] == figures["messages"] == 2
    assert figures["vote_to_every_stream"]["streams"] == 50
