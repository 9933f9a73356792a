"""Helpers for the tests of every service (and the benchmarks), never shipped with the lab: finding the real servers, waiting for an eventual effect, and fakes."""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from email import message_from_bytes, message_from_string, policy
from email.message import EmailMessage
from pathlib import Path

import jwt
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from idealab.events import ACCOUNTS_TOPIC, CONTACTS_TOPIC, Event, new_event, parse


# What a check may raise while the effect it looks for is still on its way (a 502 or a 503 body, a document or a
# field not written yet, a service not listening yet): "not yet", not a failure.
NOT_YET = (OSError, KeyError, IndexError, TypeError, ValueError)


def wait_for(check, timeout: float = 60, interval: float = 0.1, what: str = "condition"):
    """Polls `check` until it returns something truthy (returned), or fails after `timeout` seconds. Eventual effects
    cross Kafka and the outbox relay, so on a loaded box the default allows a minute."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = check()
        except NOT_YET as exc:
            result = exc
        else:
            if result:
                return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}; last result: {result!r}")
        time.sleep(interval)


def assert_problem(response, status: int) -> dict:
    """Asserts `response` (a Flask test client's or a `requests` one) is a problem+json with `status`; returns it."""
    text = response.get_data(as_text=True) if hasattr(response, "get_data") else response.text
    assert response.status_code == status, text
    assert response.headers["Content-Type"].startswith("application/problem+json"), response.headers["Content-Type"]
    body = json.loads(text)
    assert body["status"] == status and body["title"], body
    return body


def free_port() -> int:
    """A loopback port nothing listens on now, so a test's processes never meet `make up` or another run."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gateway_of_its_own(script: Path, env: dict, health: str = "/api/ideas/healthz", what: str = "the gateway"):
    """A gateway (deploy/gateway/run.sh, `script`) in front of the services `env` names, on free ports of its own,
    until the block ends: its URL, once `health` answers 200 through it."""
    env = {**env, "GATEWAY_PORT": str(free_port()), "LIVE_PORT": str(free_port()), "IDEALAB_NAMESPACE": unique("gw")}
    process = subprocess.Popen(["bash", str(script)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               start_new_session=True)
    url = f"http://127.0.0.1:{env['GATEWAY_PORT']}"

    def answers():
        assert process.poll() is None, process.stderr.read().decode()
        try:
            return requests.get(f"{url}{health}", timeout=2).status_code == 200
        except requests.ConnectionError:
            return False
    try:
        wait_for(answers, what=what)  # the default minute: 15 s was too short on a loaded box
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:10]}_"


def _docker_answers() -> bool:
    if not shutil.which("docker"):
        return False
    return subprocess.run(["docker", "info"], capture_output=True, timeout=20).returncode == 0


class Servers:
    """Kafka and MongoDB addresses: from KAFKA_BOOTSTRAP_SERVERS and MONGODB_URI, else testcontainers when a
    Docker engine answers, else a failure that says how to start them."""

    def __init__(self):
        self.kafka = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
        self.mongodb = os.environ.get("MONGODB_URI")
        self._containers = []

    def start(self) -> "Servers":
        if self.kafka and self.mongodb:
            return self
        if not _docker_answers():
            raise RuntimeError(
                "No Kafka / MongoDB server: set KAFKA_BOOTSTRAP_SERVERS and MONGODB_URI, or run `make test` "
                "(it starts both with deploy/servers.sh), or start a Docker engine for testcontainers.")
        if not self.mongodb:
            from testcontainers.mongodb import MongoDbContainer
            mongo = MongoDbContainer("mongo:8.0").start()
            self._containers.append(mongo)
            self.mongodb = mongo.get_connection_url()
        if not self.kafka:
            self.kafka = self._start_kafka_container()
        os.environ["KAFKA_BOOTSTRAP_SERVERS"], os.environ["MONGODB_URI"] = self.kafka, self.mongodb
        return self

    def _start_kafka_container(self) -> str:
        # The official apache/kafka image, run as a generic container: testcontainers' KafkaContainer expects
        # Confluent's image. Its default configuration is a single KRaft node; we only pin the advertised port.
        from testcontainers.core.container import DockerContainer
        from testcontainers.core.waiting_utils import wait_for_logs
        port = 29092
        kafka = (DockerContainer("apache/kafka:4.1.0")
                 .with_bind_ports(9092, port)
                 .with_env("KAFKA_NODE_ID", "1")
                 .with_env("KAFKA_PROCESS_ROLES", "broker,controller")
                 .with_env("KAFKA_LISTENERS", "PLAINTEXT://:9092,CONTROLLER://:9093")
                 .with_env("KAFKA_ADVERTISED_LISTENERS", f"PLAINTEXT://127.0.0.1:{port}")
                 .with_env("KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER")
                 .with_env("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@localhost:9093")
                 .with_env("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT")
                 .with_env("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                 .with_env("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                 .with_env("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                 .start())
        wait_for_logs(kafka, "Kafka Server started", timeout=120)
        self._containers.append(kafka)
        return f"127.0.0.1:{port}"

    def stop(self) -> None:
        for container in reversed(self._containers):
            container.stop()


class TokenSigner:
    """Signs access tokens as the accounts service does, with a key made on the spot: tests and benchmarks point a
    service's JWKS_URL at `jwks_url(dir)` and sign tokens for any user, role and space."""

    def __init__(self, issuer: str = "idealab", ttl_seconds: int = 900):
        self.issuer = issuer
        self.ttl_seconds = ttl_seconds
        self.kid = uuid.uuid4().hex[:12]
        self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.private_key.public_key()))
        self.jwks = {"keys": [{**public, "kid": self.kid, "use": "sig", "alg": "RS256"}]}

    def token(self, user_id: str, roles=("member",), spaces=(), **claims) -> str:
        now = int(time.time())
        body = {"sub": user_id, "roles": list(roles), "spaces": list(spaces), "iss": self.issuer,
                "aud": "idealab", "iat": now, "exp": now + self.ttl_seconds, "jti": uuid.uuid4().hex, **claims}
        return jwt.encode(body, self.private_key, algorithm="RS256", headers={"kid": self.kid})

    def jwks_url(self, directory) -> str:
        path = os.path.join(os.fspath(directory), "jwks.json")
        with open(path, "w") as out:
            json.dump(self.jwks, out)
        return "file://" + os.path.abspath(path)


class Mailbox:
    """An SMTP server's handler (aiosmtpd) keeping every message it is given: the root conftest's `mailbox`."""

    def __init__(self):
        self.messages: list[EmailMessage] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        with self._lock:
            return [m for m in self.messages if m["To"] == address]

    def link(self, address: str, page: str) -> str:
        """The token of the newest mail to `address` linking to the web lab's `page` (`…/<page>#token=…`)."""
        def found():
            for message in reversed(self.to(address)):
                text = message.get_body(("plain",)).get_content()  # beside an HTML part, in notifications' mails
                match = re.search(rf"/{re.escape(page)}#token=([\w-]+)", text)
                if match:
                    return match.group(1)
            return None
        return wait_for(found, timeout=5, what=f"a mail to {address} linking to /{page}")


class Clock:
    """A clock a test sets (`clock.at = …`) for code that asks for the time by calling it."""

    def __init__(self, at: datetime):
        self.at = at

    def __call__(self) -> datetime:
        return self.at


class FakePublisher:
    """Stands in for idealab.kafka.Publisher in unit tests: keeps what was published."""

    def __init__(self, fail: bool = False):
        self.published: list[dict] = []
        self.fail = fail

    def publish(self, batch: list[dict]) -> None:
        if self.fail:
            from kafka.errors import KafkaTimeoutError
            raise KafkaTimeoutError("fake broker is down")
        self.published.extend(batch)


def as_consumed(envelope: dict) -> Event:
    """An envelope as a consumer receives it (serialised and parsed), for handler tests."""
    return parse(json.dumps(envelope).encode())


def applier(handlers: dict):
    """apply(envelope): hands an envelope to its handler as a worker's consumer would (serialised and parsed)."""
    return lambda envelope: handlers[envelope["type"]](as_consumed(envelope))


class Inspector:
    """Reads a topic from its beginning and asks for a group's committed offsets, like an operator would."""

    def __init__(self, bootstrap_servers: str):
        self.bootstrap_servers = bootstrap_servers

    def _consumer(self, **config) -> KafkaConsumer:
        return KafkaConsumer(bootstrap_servers=self.bootstrap_servers, enable_auto_commit=False, **config)

    def records(self, topic: str, count: int, timeout: float = 10) -> list:
        """The first `count` records of `topic` (every partition), waiting for them to arrive."""
        consumer = self._consumer(group_id=None)
        try:
            partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic)]
            consumer.assign(partitions)
            consumer.seek_to_beginning(*partitions)
            found = []

            def enough():
                for batch in consumer.poll(timeout_ms=100).values():
                    found.extend(batch)
                return len(found) >= count
            wait_for(enough, timeout=timeout, what=f"{count} records on {topic}")
            return found
        finally:
            consumer.close()

    def size(self, topic: str) -> int:
        """How many records `topic` holds in all its partitions."""
        consumer = self._consumer(group_id=None)
        try:
            partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic)]
            return sum(consumer.end_offsets(partitions).values())
        finally:
            consumer.close()

    def committed(self, group: str, topic: str) -> int:
        """The sum of `group`'s committed offsets on `topic`: how many of its records the group is done with."""
        consumer = self._consumer(group_id=group)
        try:
            offsets = [consumer.committed(TopicPartition(topic, p)) for p in consumer.partitions_for_topic(topic)]
            return sum(o or 0 for o in offsets)
        finally:
            consumer.close()

    def events(self, topic: str) -> list[dict]:
        """Every event `topic` holds now (all partitions, read up to their end offsets), parsed as JSON."""
        consumer = self._consumer(group_id=None)
        try:
            partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic)]
            consumer.assign(partitions)
            consumer.seek_to_beginning(*partitions)
            end = consumer.end_offsets(partitions)
            found = []

            def read_to_end():
                found.extend(r.value for batch in consumer.poll(timeout_ms=100).values() for r in batch)
                return all(consumer.position(p) >= end[p] for p in partitions)
            wait_for(read_to_end, what=f"{topic} read to its end")
            return [json.loads(v) for v in found]
        finally:
            consumer.close()


@contextmanager
def running_worker(module: str, env: dict):
    """`python -m <module>` (a service's worker) running with `env` added to ours; on leaving, SIGTERM, and the
    worker must stop cleanly (exit 0) within 30 s."""
    process = subprocess.Popen([sys.executable, "-m", module], env={**os.environ, **env},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
        assert process.returncode == 0, f"{module} exited {process.returncode}:\n{output.decode()[-3000:]}"


def _now() -> datetime:
    return datetime.now(timezone.utc)


class SampleEvents:
    """Valid envelopes as the services publish them, for feeding handlers and workers."""

    @staticmethod
    def submitted(idea_id: str, author_id: str = "author-1", title: str = "Dark mode for the mobile app",
                  submitted_at: datetime | None = None, space: str | None = None) -> dict:
        return new_event("idea.submitted", {
            "idea_id": idea_id, "title": title, "description": "Easier on the eyes at night.", "category": "app",
            "author_id": author_id, "submitted_at": submitted_at or _now(), "space": space},
            source="/ideas", subject=idea_id)

    @staticmethod
    def comment_posted(idea_id: str, author_id: str, comment_id: str = "comment-1") -> dict:
        return new_event("comment.posted", {"comment_id": comment_id, "idea_id": idea_id, "author_id": author_id,
                                            "reply_to": None, "posted_at": _now()}, source="/ideas",
                         subject=idea_id)

    @staticmethod
    def vote_cast(idea_id: str, voter_id: str, version: int = 1) -> dict:
        return new_event("vote.cast", {"idea_id": idea_id, "voter_id": voter_id, "vote_version": version,
                                       "cast_at": _now()}, source="/votes", subject=idea_id)

    @staticmethod
    def vote_withdrawn(idea_id: str, voter_id: str, version: int = 2) -> dict:
        return new_event("vote.withdrawn", {"idea_id": idea_id, "voter_id": voter_id, "vote_version": version,
                                            "withdrawn_at": _now()}, source="/votes", subject=idea_id)

    @staticmethod
    def threshold_reached(idea_id: str, count: int = 10, threshold: int = 10) -> dict:
        return new_event("idea.threshold_reached", {"idea_id": idea_id, "count": count, "threshold": threshold},
                         source="/votes", subject=idea_id)

    @staticmethod
    def status_changed(idea_id: str, to_status: str = "planned", from_status: str = "under_review",
                       message: str = "Coming to the app in March.", changed_at: datetime | None = None) -> dict:
        return new_event("idea.status_changed", {
            "idea_id": idea_id, "from_status": from_status, "to_status": to_status, "message": message,
            "by": "team-1", "changed_at": changed_at or _now()}, source="/roadmap", subject=idea_id)

    @staticmethod
    def email_verified(user_id: str, verified_at: datetime | None = None) -> dict:
        return new_event("user.email_verified", {"user_id": user_id, "verified_at": verified_at or _now()},
                         source="/accounts", subject=user_id)

    @staticmethod
    def contact(user_id: str, email: str, changed_at: datetime | None = None) -> dict:
        """Not an event: the record of the contacts topic (events.CONTACTS_TOPIC) accounts publishes for a member
        whose address is verified, keyed by `user_id`."""
        return {"user_id": user_id, "email": email, "changed_at": (changed_at or _now()).isoformat()}

    @staticmethod
    def user_deleted(user_id: str) -> dict:
        return new_event("user.deleted", {"user_id": user_id, "deleted_at": _now()}, source="/accounts",
                         subject=user_id)


def announce_verified(bootstrap_servers: str, namespace: str, user_ids: list[str]) -> None:
    """What accounts publishes when members prove their address, for labs whose tokens the tests sign: each one's
    `user.email_verified` and their contact record (address `<user id>@example.com`) on the contacts topic."""
    producer = KafkaProducer(bootstrap_servers=bootstrap_servers)
    try:
        for user_id in user_ids:
            event = SampleEvents.email_verified(user_id)
            producer.send(namespace + ACCOUNTS_TOPIC, key=user_id.encode(), value=json.dumps(event).encode()).get(10)
            producer.send(namespace + CONTACTS_TOPIC, key=user_id.encode(),
                          value=json.dumps(SampleEvents.contact(user_id, f"{user_id}@example.com")).encode()).get(10)
    finally:
        producer.close()


def round_and_final(opens: datetime, closes: datetime, judging: float, final_judging: float) -> dict:
    """A contest's schedule as the votes API takes it, short enough for a test to watch the worker's clock decide it:
    one round from `opens` to `closes`, then the final, closing a second after it; each judged until so many seconds
    after the round's close. Prizes of 500 and 1,500 (in cents)."""
    return {"rounds": [{"opens_at": opens.isoformat(), "closes_at": closes.isoformat(),
                        "judging_ends_at": (closes + timedelta(seconds=judging)).isoformat(), "prize": 50_000}],
            "final": {"closes_at": (closes + timedelta(seconds=1)).isoformat(),
                      "judging_ends_at": (closes + timedelta(seconds=final_judging)).isoformat(), "prize": 150_000}}


def mails_in_log(log: Path, address: str) -> list[EmailMessage]:
    """The mails a lab sent to `address`, oldest first, as its mail sink (aiosmtpd under honcho, `mail.1`) printed
    them in the lab's log."""
    found, lines = [], None
    for line in log.read_text(errors="replace").splitlines():
        name, _, text = line.partition(" | ")
        if name.split()[-1:] != ["mail.1"]:
            continue
        if "MESSAGE FOLLOWS" in text:
            lines = []
        elif "END MESSAGE" in text and lines is not None:
            if lines[:1] and lines[0].startswith("mail options:"):  # the sink's note of SMTPUTF8, and a blank line
                lines = lines[2:]
            message = message_from_string("\n".join(lines), policy=policy.default)
            if message["To"] == address:
                found.append(message)
            lines = None
        elif lines is not None:
            lines.append(text)
    return found


class WebhookReceiver:
    """The bank's system receiving webhooks, on a free loopback port: answers each request with the next of
    `statuses` (then 200), verifies its signature with each secret it holds (`verified_by`, through the Standard
    Webhooks library) and processes a webhook-id once (`processed`); `requests` is everything it was sent."""

    def __init__(self, secrets: list[str] | None = None, statuses=(), port: int | None = None):
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        self.secrets, self.statuses = list(secrets or []), list(statuses)
        self.requests: list[dict] = []
        self.processed: dict[str, dict] = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                receiver._received(dict(self.headers.items()), body)
                self.send_response(receiver.requests[-1]["status"])
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port or free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _received(self, headers: dict, body: str) -> None:
        from standardwebhooks import Webhook, WebhookVerificationError
        verified_by = []
        for secret in self.secrets:
            try:
                Webhook(secret).verify(body, headers)
                verified_by.append(secret)
            except WebhookVerificationError:
                pass
        status = self.statuses.pop(0) if self.statuses else 200
        self.requests.append({"id": headers.get("webhook-id"), "body": json.loads(body), "status": status,
                              "verified_by": verified_by,
                              "signatures": headers.get("webhook-signature", "").split(" ")})
        if status == 200 and verified_by:
            self.processed.setdefault(headers["webhook-id"], json.loads(body))

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
