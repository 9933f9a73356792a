"""Benchmark 3: one status change to an idea's 100,000 followers: until every inbox shows it, and until every
follower's email is in the SMTP sink.

    python -m bench.fan_out [--subscribers 100000] [--timeout 600] [--sample 200]

Only the notifications worker runs (the fan-out is all its own), on the database server BENCH_DATABASE names (a
document engine of the benchmark's own by default) and the shared Kafka. The followers are seeded straight into the
notifications database in the shape its store writes (`{_id: "<idea>:<user>", idea_id, user_id, reasons: ["voter"],
since}` with `since` before the change, and each a verified address with email on, as NotificationStore.set_contact
keeps it): through vote events they would take far longer than what is measured. Then one idea.status_changed goes
on the roadmap topic, as the roadmap service publishes it, and the clock runs from its acknowledgement:
- inboxes (fan-out on read: nothing is written per follower): until the inbox of every sampled follower, read as the
  inbox API reads it, shows the change; a member who follows nothing must not see it;
- emails: until the SMTP sink (aiosmtpd in this process, counting per recipient) holds one message per follower and
  the worker has recorded every job sent. More than one message to anyone, a failed job or the timeout is a failure.
"""
import argparse
import os
import random
import secrets
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime, timezone

from aiosmtpd.controller import Controller
from pymongo import MongoClient
from tqdm import tqdm

from idealab import events
from idealab.cli import dead_letters
from idealab.kafka import Publisher
from idealab_testing import Inspector, SampleEvents, unique
from notifications import handlers
from notifications.store import NotificationStore

from . import report
from .lab import CACHE, DATABASE, KAFKA, database_server, forget, free_port, server_processes

TARGET = {"inboxes_seconds": 10, "emails_seconds": 300}
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
                                              "reasons": ["voter"], "since": now} for user in users])
            store.contacts.insert_many([{"_id": user, "email": f"{user}@bank.example", "verified_at": now,
                                         "email_enabled": True, "unsubscribe_token": secrets.token_urlsafe(24)}
                                        for user in users])
            progress.update(len(users))
    return round(time.monotonic() - started, 1)


class Sink:
    """An SMTP server counting the messages each recipient gets."""

    def __init__(self):
        self.received = Counter()

    async def handle_DATA(self, server, session, envelope):
        self.received.update(envelope.rcpt_tos)
        return "250 OK"


def shows_change(store: NotificationStore, user_id: str, idea_id: str) -> bool:
    return any(e["idea_id"] == idea_id for e in handlers.read_inbox(store, user_id, 50)["entries"])


def inboxes(store: NotificationStore, idea_id: str, sample: list[str], timeout: float) -> dict:
    """Seconds until every sampled follower's inbox shows the change (one read each, until each has)."""
    started, waiting = time.monotonic(), list(sample)
    while waiting and time.monotonic() - started < timeout:
        waiting = [user for user in waiting if not shows_change(store, user, idea_id)]
        if waiting:
            time.sleep(0.1)
    seconds = time.monotonic() - started
    return {"inboxes_done": not waiting, "inboxes_seconds": round(seconds, 2) if not waiting else None,
            "inboxes_sampled": len(sample), "inboxes_not_showing_it": len(waiting),
            "non_follower_sees_it": shows_change(store, "member-who-follows-nothing", idea_id)}


def emails(db, sink: Sink, subscribers: int, started: float, timeout: float) -> dict:
    """Seconds (from the change's publication) until the sink holds one message per follower and every job is
    recorded sent; samples every half second."""
    progress = []
    while time.monotonic() - started < timeout:
        sent = db["deliveries"].count_documents({"state": "sent"})
        progress.append([round(time.monotonic() - started, 1), len(sink.received), sent])
        if len(sink.received) >= subscribers and sent >= subscribers:
            break
        time.sleep(0.5)
    seconds = time.monotonic() - started
    done = len(sink.received) == sent == subscribers and max(sink.received.values(), default=0) == 1
    return {"emails_done": done, "emails_seconds": round(seconds, 1) if done else None,
            "recipients_mailed": len(sink.received), "messages_received": sum(sink.received.values()),
            "jobs_sent": sent, "jobs_failed": db["deliveries"].count_documents({"state": "failed"}),
            "emails_per_s": round(len(sink.received) / seconds), "progress_s_mailed_sent": progress[::10]}


def wait_consuming(worker: subprocess.Popen, inspector: Inspector, group: str, topic: str) -> None:
    """Until the worker has committed a first event of its own (its group joined)."""
    deadline = time.monotonic() + 120
    while inspector.committed(group, topic) < 1:
        if worker.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the notifications worker is not consuming; see {WORKER_LOG}")
        time.sleep(0.2)


def _retries() -> int:
    """How often the worker's consumer loop met a transient failure (a database timeout, say) and retried."""
    return sum("will retry" in line for line in WORKER_LOG.read_text(errors="replace").splitlines())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--timeout", type=float, default=600, help="give up after this many seconds")
    parser.add_argument("--sample", type=int, default=200, help="followers whose inboxes are read")
    args = parser.parse_args()
    host = report.machine()
    namespace, idea_id = unique("benchfan"), unique("idea-")[:-1]
    group = namespace + "notifications"
    inspector = Inspector(KAFKA)
    figures = {}
    with database_server() as (mongodb, engine), MongoClient(mongodb, tz_aware=True) as client:
        db = client[namespace + "idealab_notifications"]
        store = NotificationStore(db)
        figures["seed_seconds"] = seed(store, idea_id, args.subscribers)
        sink = Sink()
        smtp = Controller(sink, hostname="127.0.0.1", port=free_port())
        smtp.start()
        env = {**os.environ, "MONGODB_URI": mongodb, "KAFKA_BOOTSTRAP_SERVERS": KAFKA, "IDEALAB_NAMESPACE": namespace,
               "SMTP_PORT": str(smtp.port)}
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
            started = time.monotonic()
            sample = random.Random(3).sample(range(args.subscribers), min(args.sample, args.subscribers))
            figures |= inboxes(store, idea_id, [f"member-{n}" for n in sample], args.timeout)
            figures |= emails(db, sink, args.subscribers, started, args.timeout)
            figures |= {"cpu_percent_of_one_core": meter.stop(), "subscribers": args.subscribers,
                        "dead_lettered": len(dead_letters(KAFKA, group)),
                        "transient_failures_retried": _retries()}
        finally:
            publisher.close()
            smtp.stop()
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(30)
            except subprocess.TimeoutExpired:
                worker.kill()
            forget(namespace, mongodb)
    print(f"status change to {args.subscribers} followers: every sampled inbox shows it after "
          f"{figures['inboxes_seconds']} s; {figures['recipients_mailed']} mailed, every email after "
          f"{figures['emails_seconds']} s ({figures['emails_per_s']}/s)")
    report.record("fan_out", vars(args) | {"target": TARGET, "database": DATABASE,
                                                "seed": "straight into the notifications database"},
                  figures, host)


if __name__ == "__main__":
    main()
