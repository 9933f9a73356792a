"""Open-loop load through locust (headless, in its own process): a schedule of requests at a constant arrival rate,
sent by bench/open_loop_locust.py, answered with the status and latency of every request."""
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from . import report

LOCUSTFILE = Path(__file__).with_name("open_loop_locust.py")
START_IN = 3.0  # seconds for locust to spawn its users before the first request is due


@dataclass(frozen=True)
class Step:
    rate: float
    seconds: float
    answers: list  # [i, status, due_ms, sent_ms]
    wall_seconds: float

    def figures(self, accepted_status: int) -> dict:
        accepted = [a for a in self.answers if a[1] == accepted_status]
        statuses: dict[str, int] = {}
        for a in self.answers:
            statuses[str(a[1])] = statuses.get(str(a[1]), 0) + 1
        # Accepted per second over the step's schedule, plus however long the last answers took after it.
        span = self.seconds + max((a[2] for a in self.answers), default=0) / 1000
        return {
            "offered_per_s": self.rate, "sent": len(self.answers), "statuses": statuses,
            "accepted_per_s": round(len(accepted) / span, 1),
            "latency_from_due": report.percentiles([a[2] for a in accepted]),
            "latency_from_send": report.percentiles([a[3] for a in accepted]),
        }


def constant_rate(rate: float, seconds: float) -> list[float]:
    """Due times (seconds from the start) of requests arriving evenly at `rate` per second."""
    return [i / rate for i in range(int(rate * seconds))]


def run(url: str, name: str, requests: list, tokens: list[str], rate: float, seconds: float, users: int) -> Step:
    """Sends `requests` ([offset_s, method, path, token_index]) to `url` with `users` concurrent locust users."""
    with tempfile.TemporaryDirectory(prefix="bench-open-loop-") as work:
        plan, out = Path(work) / "plan.json", Path(work) / "answers.json"
        plan.write_text(json.dumps({"name": name, "requests": requests, "tokens": tokens, "start_in": START_IN}))
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--host", url,
             "-u", str(users), "-r", str(users), "--run-time", f"{int(START_IN + seconds + 30)}s", "--only-summary",
             "--loglevel", "WARNING", "--stop-timeout", "15"],
            env={**os.environ, "BENCH_PLAN": str(plan), "BENCH_OUT": str(out)}, check=False,
            stdout=subprocess.DEVNULL)
        answers = json.loads(out.read_text()) if out.exists() else []
    return Step(rate, seconds, answers, time.monotonic() - started)
