"""A locustfile that sends a precomputed schedule open loop: request i is due at start + offset_i whatever happened
to the ones before it. Locust's own pacing (constant_throughput) is per user and closed loop: a slow answer delays
that user's next request, so queueing would hide itself (coordinated omission). Here every user takes the next due
request, sleeps until it is due and sends it; latency is measured from when the request was *due*, so time spent
waiting for a free user or connection counts too.

Run by bench/open_loop.py (not by hand): BENCH_PLAN names a JSON file {"requests": [[offset_s, method, path,
token_index], ...], "tokens": [...], "start_in": s}. When the run starts, the moment the first request is due
(time.monotonic(), the same clock in every process) goes to BENCH_START. When it ends, one row per planned request
goes to BENCH_OUT: [i, outcome, due_ms, sent_ms], due_ms from the due time and sent_ms from the actual send (None if
never sent), outcome the HTTP status, or "timeout" or "error" (no answer: the latency is the wait until the client
gave up), or "open" / "not_sent" for requests still waiting for their answer or for a free user when the run ended
(the latency up to that moment: a lower bound).
"""
import itertools
import json
import os
import time

import gevent
from locust import FastHttpUser, events, task
from locust.exception import StopUser

with open(os.environ["BENCH_PLAN"]) as plan_file:
    PLAN = json.load(plan_file)
REQUESTS = PLAN["requests"]
HEADERS = [{"Authorization": f"Bearer {t}"} if t else {} for t in PLAN["tokens"]]
_next = itertools.count()
_answers: dict[int, list] = {}
_sent: dict[int, float] = {}  # requests on their way: i -> when sent
_start = 0.0


@events.test_start.add_listener
def _begin(**_):
    global _start
    _start = time.monotonic() + PLAN["start_in"]
    with open(os.environ["BENCH_START"], "w") as out:
        out.write(repr(_start))


@events.test_stop.add_listener
def _save(**_):
    now = time.monotonic()
    rows = [_answers.get(i) or _unanswered(i, now) for i in range(len(REQUESTS))]
    with open(os.environ["BENCH_OUT"], "w") as out:
        json.dump(rows, out)


def _unanswered(i: int, now: float) -> list:
    due = _start + REQUESTS[i][0]
    if i in _sent:
        return [i, "open", _ms(now - due), _ms(now - _sent[i])]
    return [i, "not_sent", _ms(max(0.0, now - due)), None]


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def _outcome(answer) -> str:
    if answer.status_code:
        return str(answer.status_code)
    error = getattr(answer, "error", None)
    cause = getattr(error, "original", error)  # geventhttpclient wraps it: RetriesExceeded(original=timeout)
    return "timeout" if isinstance(cause, (TimeoutError, gevent.Timeout)) else "error"


class Scheduled(FastHttpUser):
    network_timeout = 10.0
    connection_timeout = 5.0

    @task
    def send_next(self):
        i = next(_next)
        if i >= len(REQUESTS):
            raise StopUser()
        offset, method, path, token = REQUESTS[i]
        due = _start + offset
        gevent.sleep(max(0.0, due - time.monotonic()))
        sent = _sent[i] = time.monotonic()
        with self.client.request(method, path, headers=HEADERS[token], name=method + " " + PLAN["name"],
                                 catch_response=True) as answer:
            done = time.monotonic()
            _answers[i] = [i, _outcome(answer), _ms(done - due), _ms(done - sent)]
            answer.success()  # outcomes are judged by the runner, not by locust
        del _sent[i]
        if len(_answers) == len(REQUESTS):
            self.environment.runner.quit()
