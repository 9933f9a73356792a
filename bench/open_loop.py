"""Open-loop load through locust (headless, in its own process): a schedule of requests at a constant arrival rate,
sent by bench/open_loop_locust.py, answered with the outcome and latency of every request planned."""
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from . import report

LOCUSTFILE = Path(__file__).with_name("open_loop_locust.py")
START_IN = 3.0  # seconds for locust to spawn its users before the first request is due
NO_ANSWER = ("timeout", "error", "open", "not_sent")


@dataclass(frozen=True)
class Step:
    rate: float
    seconds: float
    due: list[float]  # the schedule's offsets, seconds
    answers: list  # one per planned request: [i, outcome, due_ms, sent_ms]

    def figures(self, accepted_status: int) -> dict:
        """Every request counts: one that timed out, failed, was still open or never sent when the run ended is in
        the latencies (with the time it waited) and never among the accepted."""
        outcomes = Counter(a[1] for a in self.answers)
        accepted = [a for a in self.answers if a[1] == str(accepted_status)]
        # Over the schedule, or until the last accepted answer if that came later.
        span = max([self.seconds] + [self.due[a[0]] + a[2] / 1000 for a in accepted])
        return {
            "offered_per_s": self.rate, "planned": len(self.answers),
            "sent": len(self.answers) - outcomes["not_sent"],
            "answered": sum(n for outcome, n in outcomes.items() if outcome not in NO_ANSWER),
            "accepted": len(accepted), "timed_out": outcomes["timeout"], "open_at_end": outcomes["open"],
            "outcomes": dict(outcomes), "accepted_per_s": round(len(accepted) / span, 1),
            "latency_from_due": report.percentiles([a[2] for a in self.answers]),
            "latency_from_send": report.percentiles([a[3] for a in self.answers if a[3] is not None]),
        }


def constant_rate(rate: float, seconds: float) -> list[float]:
    """Due times (seconds from the start) of requests arriving evenly at `rate` per second."""
    return [i / rate for i in range(int(rate * seconds))]


def run(url: str, name: str, requests: list, tokens: list[str], rate: float, seconds: float, users: int,
        at_first_due=lambda: None) -> Step:
    """Sends `requests` ([offset_s, method, path, token_index]) to `url` with `users` concurrent locust users;
    calls `at_first_due` when the first request is due (after locust's start-up, which CPU figures leave out)."""
    with tempfile.TemporaryDirectory(prefix="bench-open-loop-") as work:
        plan, out, start = (Path(work) / f for f in ("plan.json", "answers.json", "start"))
        plan.write_text(json.dumps({"name": name, "requests": requests, "tokens": tokens, "start_in": START_IN}))
        locust = subprocess.Popen(
            [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--host", url,
             "-u", str(users), "-r", str(users), "--run-time", f"{int(START_IN + seconds + 30)}s", "--only-summary",
             "--loglevel", "WARNING", "--stop-timeout", "15"],
            env={**os.environ, "BENCH_PLAN": str(plan), "BENCH_OUT": str(out), "BENCH_START": str(start)},
            stdout=subprocess.DEVNULL)
        try:
            _wait_for_first_due(locust, start)
            at_first_due()
        finally:
            locust.wait()
        if not out.exists():
            raise RuntimeError(f"locust ended (exit {locust.returncode}) without its answers")
        answers = json.loads(out.read_text())
    return Step(rate, seconds, [r[0] for r in requests], answers)


def _wait_for_first_due(locust: subprocess.Popen, start: Path) -> None:
    while not start.exists() or not start.read_text():
        if locust.poll() is not None:
            raise RuntimeError(f"locust ended (exit {locust.returncode}) before its first request")
        time.sleep(0.05)
    time.sleep(max(0.0, float(start.read_text()) - time.monotonic()))
