"""Benchmark 5: the ceilings of what the lab stands on, with no service around them, to print beside our figures.

    python -m bench.baselines [--only kafka,kafka-java,gateway,database] [--seconds 8]

- kafka: a kafka-python producer (acks=all, idempotent, as idealab.kafka.Publisher) sending vote-sized events, both
  fire-and-forget with one flush at the end and as the outbox relay does (batches of 200, flush after each), with
  the producer settings we use and with larger linger/batch and gzip. Only events the broker acknowledged count;
  failed sends are counted apart.
- kafka-java: Kafka's own ProducerPerformance tool (bench/install.sh fetches it), the broker's ceiling.
- gateway: nginx serving the web lab's static index.html, measured with wrk (closed loop: this is the ceiling).
- database: pymongo insert/update/find-by-id loops, from 1 and 4 threads, on the server the other benchmarks use
  (BENCH_DATABASE: a document engine of their own by default) and on the shared one (where every test run on the
  machine writes too).
- the bare API, for bench.vote_intake and bench.read_path to measure on their own lab (bare_api).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

from kafka import KafkaProducer
from pymongo import MongoClient

from idealab import kafka as bus
from idealab_testing import SampleEvents, unique

from . import report
from .lab import CACHE, DATABASE, KAFKA, ROOT, SHARED_MONGODB, database_server, forget, free_port

SAMPLE = json.dumps(SampleEvents.vote_cast(str(uuid.uuid4()), "voter-123456")).encode()
PRODUCER_SETTINGS = {
    "as_publisher": {"linger_ms": 5},
    "linger20_batch64k": {"linger_ms": 20, "batch_size": 65536},
    "linger20_batch64k_gzip": {"linger_ms": 20, "batch_size": 65536, "compression_type": "gzip"},
}


def kafka_python(seconds: float) -> dict:
    namespace = unique("benchbus")
    topic = namespace + "votes.events"
    bus.ensure_topics(KAFKA, [topic])
    figures = {"event_bytes": len(SAMPLE)}
    try:
        for name, settings in PRODUCER_SETTINGS.items():
            producer = KafkaProducer(bootstrap_servers=KAFKA, acks="all", enable_idempotence=True, **settings)
            figures[f"{name}_fire_and_forget"] = _produce(producer, topic, seconds, batch=None)
            figures[f"{name}_as_relay_batches_of_200"] = _produce(producer, topic, seconds, batch=200)
            producer.close()
    finally:
        forget(namespace)
    return figures


def _produce(producer: KafkaProducer, topic: str, seconds: float, batch: int | None) -> dict:
    """Events/s the broker acknowledged: an event whose send failed is counted apart, not in the rate."""
    futures, started = [], time.monotonic()
    while time.monotonic() - started < seconds:
        futures += [producer.send(topic, key=str(len(futures) + i).encode(), value=SAMPLE)
                    for i in range(batch or 1000)]
        if batch:
            producer.flush()  # as the relay: each batch acknowledged before the next
    producer.flush()
    elapsed = time.monotonic() - started
    failed = sum(f.failed() for f in futures)
    return {"events_per_s": round((len(futures) - failed) / elapsed), "failed": failed}


def kafka_java(records: int) -> dict:
    tools = CACHE / "bench" / "kafka-tools"
    if not tools.is_dir():
        return {"skipped": "run bench/install.sh first (fetches Kafka's perf tools)"}
    namespace = unique("benchbus")
    topic = namespace + "perf"
    bus.ensure_topics(KAFKA, [topic])
    try:
        out = subprocess.run(
            ["java", "-Xmx512m", "-cp", f"{tools}/*",
             "org.apache.kafka.tools.ProducerPerformance", "--topic", topic, "--num-records", str(records),
             "--record-size", str(len(SAMPLE)), "--throughput", "-1", "--producer-props", f"bootstrap.servers={KAFKA}",
             "acks=all", "enable.idempotence=true", "linger.ms=5"],
            capture_output=True, text=True, timeout=300, check=True).stdout
    finally:
        forget(namespace)
    summary = out.strip().splitlines()[-1]  # "N records sent, X records/sec (…), … ms avg latency, …"
    numbers = dict((k, float(v)) for v, k in re.findall(r"([\d.]+) (records/sec|ms avg latency|ms 99th)", summary))
    return {"records": records, "record_bytes": len(SAMPLE), "events_per_s": round(numbers["records/sec"]),
            "avg_latency_ms": numbers["ms avg latency"], "p99_latency_ms": numbers["ms 99th"], "summary": summary}


def gateway(seconds: float) -> dict:
    if not shutil.which("wrk"):
        return {"skipped": "run bench/install.sh first (installs wrk)"}
    port, namespace = free_port(), unique("benchgw")
    # A static file of the web lab's index size; the built web lab may not be there (the benchmarks need no build).
    site = Path(tempfile.mkdtemp(prefix="bench-site-"))
    site.chmod(0o755)  # nginx's workers run as nobody under root: a private folder answers 404s
    (site / "index.html").write_text((ROOT / "web" / "index.html").read_text())
    env = {**os.environ, "GATEWAY_PORT": str(port), "IDEALAB_NAMESPACE": namespace, "WEB_ROOT": str(site)}
    nginx = subprocess.Popen(["bash", str(ROOT / "deploy" / "gateway" / "run.sh")], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1)
        figures = {}
        for connections in (16, 64):
            figures[f"c{connections}"] = _wrk(f"http://127.0.0.1:{port}/index.html", 1, connections, seconds)
        return figures
    finally:
        nginx.terminate()
        nginx.wait()
        shutil.rmtree(CACHE / "gateway" / namespace, ignore_errors=True)
        shutil.rmtree(site, ignore_errors=True)


def bare_api(url: str, seconds: float) -> dict:
    """The ceiling of a lab's API through its gateway: `/api/votes/healthz` (no database, no Kafka) with wrk, closed
    loop, 2 threads and 32 connections, for the benchmarks to print their figures beside."""
    if not shutil.which("wrk"):
        return {"bare_api_per_s": None, "bare_api": {"skipped": "run bench/install.sh first (installs wrk)"}}
    found = _wrk(f"{url}/api/votes/healthz", 2, 32, seconds)
    return {"bare_api_per_s": found["requests_per_s"], "bare_api": found}


def _wrk(url: str, threads: int, connections: int, seconds: float) -> dict:
    out = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{max(1, round(seconds))}s",
                          "--latency", url], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    # wrk's rate counts every answer, errors too: they are reported beside it.
    failed = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:\s+(.+)", out)
    found = {"requests_per_s": round(rate), "non_2xx_or_3xx": int(failed.group(1)) if failed else 0,
             "socket_errors": errors.group(1).strip() if errors else None}
    for p in ("50", "99"):
        value, unit = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)", out, re.M).groups()
        found[f"p{p}_ms"] = round(float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit], 3)
    return found


def database(seconds: float) -> dict:
    """On the server the other benchmarks use (BENCH_DATABASE) and on the shared one the test runs use."""
    with database_server() as (uri, _):
        figures = {DATABASE: _database(uri, seconds)}
    if DATABASE != "shared":
        figures["shared"] = _database(SHARED_MONGODB, seconds)
    return figures


def _database(uri: str, seconds: float) -> dict:
    figures = {}
    with MongoClient(uri, tz_aware=True) as client:
        db = client[unique("benchdb")[:-1]]
        try:
            for threads in (1, 4):
                collection = db[f"votes_{threads}"]
                ids: list[str] = []
                figures[f"insert_one_{threads}_threads"] = _loop(seconds, threads, lambda: _insert(collection, ids))
                figures[f"update_one_by_id_{threads}_threads"] = _loop(
                    seconds, threads, lambda: collection.update_one({"_id": ids[len(ids) // 2]},
                                                                    {"$inc": {"version": 1}}))
                figures[f"find_one_by_id_{threads}_threads"] = _loop(
                    seconds, threads, lambda: collection.find_one({"_id": ids[len(ids) // 3]}))
            figures["documents_in_collection"] = len(ids)
        finally:
            client.drop_database(db.name)
    return figures


def _insert(collection, ids: list[str]) -> None:
    vote_id = uuid.uuid4().hex
    collection.insert_one({"_id": vote_id, "idea_id": "idea-1", "voter_id": vote_id, "live": True, "version": 1,
                           "cast_at": datetime.now(timezone.utc), "outbox": [json.loads(SAMPLE)]})
    ids.append(vote_id)


def _loop(seconds: float, threads: int, operation) -> dict:
    """Runs `operation` back to back from `threads` threads for `seconds`: operations/s and their latency."""
    latencies: list[float] = []
    stop_at = time.monotonic() + seconds

    def run():
        mine = []
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            operation()
            mine.append((time.perf_counter() - started) * 1000)
        latencies.extend(mine)
    workers = [threading.Thread(target=run) for _ in range(threads)]
    started = time.monotonic()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return {"ops_per_s": round(len(latencies) / (time.monotonic() - started)), **report.percentiles(latencies)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="kafka,kafka-java,gateway,database")
    parser.add_argument("--seconds", type=float, default=8, help="per measurement")
    parser.add_argument("--java-records", type=int, default=300_000)
    args = parser.parse_args()
    host = report.machine()
    chosen = args.only.split(",")
    runs = {"kafka": lambda: kafka_python(args.seconds), "kafka-java": lambda: kafka_java(args.java_records),
            "gateway": lambda: gateway(args.seconds), "database": lambda: database(args.seconds)}
    figures = {name: runs[name]() for name in chosen}
    report.record("baselines", {"only": chosen, "seconds": args.seconds, "java_records": args.java_records,
                                "kafka": KAFKA, "database": DATABASE,
                                "shared_mongodb": SHARED_MONGODB}, figures, host)


if __name__ == "__main__":
    main()
