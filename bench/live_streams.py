"""Benchmark 6: how many idle live streams the gateway holds, what one costs, and how fast a message reaches all.

    python -m bench.live_streams [--streams 5000] [--clients 4] [--messages 20] [--idle 10]

A whole lab runs (bench.lab). Streams are opened through the gateway as browsers' EventSources open them (on the
public "lab" channel that GET /api/notifications/live hands to anyone), by `--clients` processes of asyncio
connections, then left idle for `--idle` seconds. Figures:
- the ceiling, measured first in the same run: a message posted to the gateway's publisher until the one stream open
  gets it;
- the gateway's memory (nginx's RSS, master and worker) before and with every stream open, and per stream;
- each of `--messages` messages posted to the publisher (as the notifications worker posts them) until every stream
  has it, all counted: a stream missing one, or closed, is a failure;
- a vote through the gateway until its tally message reached every stream: the whole path (votes API, outbox relay,
  recount, the notifications.live consumer, nchan).
Clocks: CLOCK_MONOTONIC, the same for every process of the box. Target: 5,000 idle streams, each message to all of
them in under a second.
"""
import argparse
import asyncio
import json
import multiprocessing
import time
import urllib.request
from pathlib import Path

import requests

from . import report
from .lab import running_lab

TARGET = {"streams": 5000, "all_delivered_ms": 1000}
HEAD = b"GET /api/live?channels=lab HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n"


def rss_kib(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def client(port: int, streams: int, ready, done, results) -> None:
    """One process of streams: says when all are open, then records when each message (by `seq`) reached each."""
    received: dict[int, list[float]] = {}
    closed = 0

    async def stream(opened: asyncio.Event, counter: list[int]) -> None:
        nonlocal closed
        reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=2**16)
        writer.write(HEAD)
        await writer.drain()
        status = await reader.readline()
        assert b" 200 " in status, status
        while (await reader.readline()) not in (b"\r\n", b""):
            pass  # the headers
        counter[0] += 1
        if counter[0] == streams:
            opened.set()
        while line := await reader.readline():
            if line.startswith(b"data: "):
                message = json.loads(line[6:])
                key = message.get("seq", message.get("votes"))
                received.setdefault(key, []).append(time.monotonic())
        closed += 1

    async def main() -> None:
        opened, counter = asyncio.Event(), [0]
        tasks = [asyncio.create_task(stream(opened, counter)) for _ in range(streams)]
        await opened.wait()
        ready.put(streams)
        while not done.is_set():
            await asyncio.sleep(0.2)
        results.put({"received": {k: (len(v), max(v), min(v)) for k, v in received.items()}, "closed": closed,
                     "tasks_failed": sum(1 for t in tasks if t.done() and t.exception() is not None)})
        for t in tasks:
            t.cancel()

    asyncio.run(main())


def publish(publisher: str, message: dict) -> float:
    """Posts as the notifications worker does; returns the monotonic time it was sent (a stream may have the message
    before the publisher's answer is back)."""
    request = urllib.request.Request(f"{publisher}/pub?channel=lab", data=json.dumps(message).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    sent_at = time.monotonic()
    with urllib.request.urlopen(request, timeout=5):
        return sent_at


def open_streams(port: int, streams: int, clients: int):
    ready, results, done = multiprocessing.Queue(), multiprocessing.Queue(), multiprocessing.Event()
    shares = [streams // clients + (1 if n < streams % clients else 0) for n in range(clients)]
    processes = [multiprocessing.Process(target=client, args=(port, share, ready, done, results), daemon=True)
                 for share in shares if share]
    for p in processes:
        p.start()
    opened = sum(ready.get(timeout=300) for _ in processes)
    return processes, done, results, opened


def collect(processes, done, results) -> list[dict]:
    done.set()
    found = [results.get(timeout=60) for _ in processes]
    for p in processes:
        p.join(timeout=10)
    return found


def delivery(found: list[dict], key, sent_at: float, streams: int) -> dict:
    """When `key` reached the first and the last stream, in ms after `sent_at`, and how many streams got it."""
    parts = [f["received"].get(key) for f in found]
    got = sum(p[0] for p in parts if p)
    if not got:
        return {"streams": 0, "first_ms": None, "all_ms": None}
    return {"streams": got, "first_ms": round((min(p[2] for p in parts if p) - sent_at) * 1000, 1),
            "all_ms": round((max(p[1] for p in parts if p) - sent_at) * 1000, 1) if got == streams else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--streams", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--idle", type=float, default=10)
    args = parser.parse_args()
    host = report.machine()
    with running_lab(GUNICORN_WORKERS="1") as lab:
        port, publisher = int(lab.env["GATEWAY_PORT"]), f"http://127.0.0.1:{lab.env['LIVE_PORT']}"
        gateway = [pid for label, pid in lab.processes().items() if label.startswith("gateway")]

        # The ceiling: one stream, the same messages.
        processes, done, results, _ = open_streams(port, 1, 1)
        sent = {seq: publish(publisher, {"type": "bench", "seq": seq}) for seq in range(args.messages)}
        time.sleep(1)
        found = collect(processes, done, results)
        one_stream = report.percentiles([delivery(found, seq, at, 1)["all_ms"] or float("inf")
                                         for seq, at in sent.items()])

        before = rss_kib(gateway)
        processes, done, results, opened = open_streams(port, args.streams, args.clients)
        time.sleep(args.idle)
        held = rss_kib(gateway)
        sent = {}
        for seq in range(1000, 1000 + args.messages):
            sent[seq] = publish(publisher, {"type": "bench", "seq": seq})
            time.sleep(0.5)

        author = requests.Session()
        author.headers["Authorization"] = f"Bearer {lab.signer.token('bench-author', ['member'], [])}"
        idea = author.post(f"{lab.url}/api/ideas", timeout=30, json={
            "title": "Live tallies", "description": "Watched by many.", "category": "savings"}).json()["id"]
        while (answer := author.post(f"{lab.url}/api/votes/ideas/{idea}", timeout=30)).status_code == 404:
            time.sleep(0.2)  # the votes service learns of the idea from its event
        assert answer.status_code == 201, answer.text
        voted_at = time.monotonic()
        time.sleep(15)
        found = collect(processes, done, results)

    per_message = [delivery(found, seq, at, opened) for seq, at in sent.items()]
    complete = [d["all_ms"] for d in per_message if d["all_ms"] is not None]
    figures = {
        "target": TARGET,
        "ceiling_one_stream_ms": one_stream,
        "streams_open": opened,
        "streams_closed_during_run": sum(f["closed"] for f in found),
        "gateway_rss_kib": {"before": before, "with_streams": held},
        "gateway_bytes_per_stream": round((held - before) * 1024 / max(opened, 1)),
        "messages": len(per_message),
        "messages_reaching_every_stream": len(complete),
        "all_streams_ms": report.percentiles(complete),
        "first_stream_ms": report.percentiles([d["first_ms"] for d in per_message if d["first_ms"] is not None]),
        "vote_to_every_stream": delivery(found, 1, voted_at, opened),
    }
    figures["met"] = (opened >= TARGET["streams"] and len(complete) == len(per_message)
                      and figures["all_streams_ms"]["max_ms"] is not None
                      and figures["all_streams_ms"]["max_ms"] < TARGET["all_delivered_ms"])
    report.record("live_streams", vars(args), figures, host)


if __name__ == "__main__":
    main()
