"""Benchmark 3: fan-out of one status change to an idea's 100,000 subscribers, until every inbox entry is written.

    python -m bench.fan_out [--subscribers 100000] [--timeout 600]

Only the notifications worker runs (the fan-out is all its own), on the database server BENCH_DATABASE names (a
document engine of the benchmark's own by default) and the shared Kafka. The subscribers are seeded straight into the
notifications database in the shape its store writes (NotificationStore.set_vote: `{_id: "<idea>:<user>", idea_id,
user_id, reasons: ["voter"], vote_version: 1}`, and each a verified address with email on, as
NotificationStore.set_contact keeps it): through vote events they would take the worker hours at this database's
write speed (bench.vote_intake), and that is not what this benchmark measures. Then one idea.status_changed goes on
the roadmap topic, as the roadmap service publishes it; the clock runs from its acknowledgement until the end state
is there: one inbox entry and one email job per subscriber (the worker's committing the event is not enough: it
commits a dead-lettered event too). A commit with fewer is a failure, and so is the timeout. The worker's email
sender mails to a local SMTP sink meanwhile, as in `make up`.
"""
import argparse
import os
import secrets
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone

from pymongo import MongoClient
from tqdm import tqdm

from idealab import events
from idealab.cli import dead_letters
from idealab.kafka import Publisher
from idealab.testing import Inspector, SampleEvents, unique
from notifications.store import NotificationStore

from . import report
from .lab import CACHE, DATABASE, KAFKA, database_server, forget, free_port, server_processes

TARGET = {"seconds": 10}
WORKER_LOG = CACHE / "logs" / "bench-fan-out-worker.log"
SEED_CHUNK = 5000


def seed(store: NotificationStore, idea_id: str, subscribers: int) -> float:
    started, now = time.monotonic(), datetime.now(timezone.utc)
    store.ensure_indexes()
    store.remember_idea(idea_id, "Block a lost card from the phone")
    with tqdm(total=subscribers, desc="subscribers", unit="sub") as progress:
        for first in range(0, subscribers, SEED_CHUNK):
            users = [f"member-{n}" for n in range(first, min(subscribers, first + SEED_CHUNK))]
            store.subscriptions.insert_many([{"_id": f"{idea_id}:{user}", "idea_id": idea_id, "user_id": user,
                                              "reasons": ["voter"], "vote_version": 1} for user in users])
            store.contacts.insert_many([{"_id": user, "email": f"{user}@bank.example", "verified_at": now,
                                         "email_enabled": True, "unsubscribe_token": secrets.token_urlsafe(24)}
                                        for user in users])
            progress.update(len(users))
    return round(time.monotonic() - started, 1)


def reached(db, idea_id: str) -> tuple[int, int]:
    """Inbox entries and email jobs (queued or sent) of the status change."""
    return (db["inbox"].count_documents({"idea_id": idea_id}),
            db["deliveries"].count_documents({"idea_id": idea_id}))


def wait_consuming(worker: subprocess.Popen, inspector: Inspector, group: str, topic: str) -> None:
    """Until the worker has committed a first event of its own (its group joined)."""
    deadline = time.monotonic() + 120
    while inspector.committed(group, topic) < 1:
        if worker.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the notifications worker is not consuming; see {WORKER_LOG}")
        time.sleep(0.2)


def fan_out(db, inspector: Inspector, group: str, topic: str, idea_id: str, subscribers: int,
            timeout: float) -> dict:
    """Samples the end state every half second until it is complete, the worker committed the event with less (a
    dead letter, or subscribers skipped), or `timeout`."""
    started, progress = time.monotonic(), []
    while time.monotonic() - started < timeout:
        time.sleep(0.5)
        committed = inspector.committed(group, topic) >= 1
        entries, jobs = reached(db, idea_id)  # read after the commit check: final if committed
        progress.append([round(time.monotonic() - started, 1), entries, jobs])
        if entries == jobs == subscribers or committed:
            break
    elapsed = time.monotonic() - started
    done = entries == jobs == subscribers
    return {"done": done, "seconds": round(elapsed, 1) if done else None, "committed": committed,
            "inbox_entries_written": entries, "email_jobs_queued_or_sent": jobs,
            "entries_per_s": round(entries / elapsed), "progress_s_entries_jobs": progress[::10]}


def _retries() -> int:
    """How often the worker's consumer loop met a transient failure (a database timeout, say) and retried."""
    return sum("will retry" in line for line in WORKER_LOG.read_text(errors="replace").splitlines())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--timeout", type=float, default=600, help="give up after this many seconds")
    args = parser.parse_args()
    host = report.machine()
    namespace, idea_id = unique("benchfan"), unique("idea-")[:-1]
    group, topic = namespace + "notifications", namespace + events.ROADMAP_TOPIC
    inspector = Inspector(KAFKA)
    figures = {}
    with database_server() as (mongodb, engine), MongoClient(mongodb, tz_aware=True) as client:
        db = client[namespace + "idealab_notifications"]
        store = NotificationStore(db)
        figures["seed_seconds"] = seed(store, idea_id, args.subscribers)
        smtp_port = free_port()
        env = {**os.environ, "MONGODB_URI": mongodb, "KAFKA_BOOTSTRAP_SERVERS": KAFKA, "IDEALAB_NAMESPACE": namespace,
               "SMTP_PORT": str(smtp_port)}
        sink = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{smtp_port}"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        WORKER_LOG.parent.mkdir(parents=True, exist_ok=True)
        with open(WORKER_LOG, "wb") as log:  # this run's only, so its retries are counted
            worker = subprocess.Popen([sys.executable, "-m", "notifications.worker"], env=env, stdout=log,
                                      stderr=subprocess.STDOUT)
        publisher = Publisher(KAFKA, namespace)
        try:
            publisher.publish([SampleEvents.submitted(unique("warm-up-")[:-1])])
            wait_consuming(worker, inspector, group, namespace + events.IDEAS_TOPIC)
            meter = report.CpuMeter({"notifications-worker": worker.pid, **server_processes(engine)})
            meter.start()
            publisher.publish([SampleEvents.status_changed(idea_id)])
            figures |= fan_out(db, inspector, group, topic, idea_id, args.subscribers, args.timeout)
            figures |= {"cpu_percent_of_one_core": meter.stop(), "subscribers": args.subscribers,
                        "dead_lettered": len(dead_letters(KAFKA, group)),
                        "transient_failures_retried": _retries()}
        finally:
            publisher.close()
            sink.terminate()
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(30)
            except subprocess.TimeoutExpired:
                worker.kill()
            forget(namespace, mongodb)
    print(f"fan-out to {args.subscribers} subscribers: {figures['seconds']} s "
          f"({figures['inbox_entries_written']} inbox entries, {figures['email_jobs_queued_or_sent']} email jobs)")
    report.record("fan_out", vars(args) | {"target": TARGET, "database": DATABASE,
                                                "seed": "straight into the notifications database"},
                  figures, host)


if __name__ == "__main__":
    main()
