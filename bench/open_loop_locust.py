"""A locustfile that sends a precomputed schedule open loop: request i is due at start + offset_i whatever happened
to the ones before it. Locust's own pacing (constant_throughput) is per user and closed loop: a slow answer delays
that user's next request, so queueing would hide itself (coordinated omission). Here every user takes the next due
request, sleeps until it is due and sends it; latency is measured from when the request was *due*, so time spent
waiting for a free user or connection counts too.

Run by bench/open_loop.py (not by hand): BENCH_PLAN names a JSON file {"requests": [[offset_s, method, path,
token_index], ...], "tokens": [...], "start_in": s}; the answers go to BENCH_OUT as [[i, status, due_ms, sent_ms]],
due_ms from the due time and sent_ms from the actual send.
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
_answers: list[list] = []
_start = 0.0


@events.test_start.add_listener
def _begin(**_):
    global _start
    _start = time.monotonic() + PLAN["start_in"]


@events.test_stop.add_listener
def _save(**_):
    with open(os.environ["BENCH_OUT"], "w") as out:
        json.dump(_answers, out)


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
        sent = time.monotonic()
        with self.client.request(method, path, headers=HEADERS[token], name=method + " " + PLAN["name"],
                                 catch_response=True) as answer:
            done = time.monotonic()
            status = answer.status_code or 0
            answer.success()  # statuses are judged by the runner, not by locust
        _answers.append([i, status, round((done - due) * 1000, 3), round((done - sent) * 1000, 3)])
        if len(_answers) == len(REQUESTS):
            self.environment.runner.quit()
