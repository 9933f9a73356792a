"""What a fault test starts, stops and kills: private Kafka and database servers (never the shared ones, which other
tests and people use), and the services' processes (an API under gunicorn, a worker) as they are deployed."""
import importlib.util
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import requests
from kafka import KafkaAdminClient

from idealab_testing import free_port, wait_for

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("deploy_engine_private", ROOT / "deploy" / "engine" / "private.py")
_private = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_private)
PrivateEngine = _private.PrivateEngine
CACHE = Path(os.environ.get("IDEALAB_CACHE", ROOT / ".cache"))


def restartable_port(taken: tuple[int, ...] = ()) -> int:
    """A free port below the ephemeral range, for a server the test stops and starts again: while it is down, a port
    of that range may be taken as the source port of some outgoing connection (a client reconnecting to it, even)."""
    try:
        low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except OSError:
        low = 32768  # elsewhere the range starts there or higher
    for port in random.sample(sorted(set(range(20000, low)) - set(taken)), 500):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port between 20000 and {low}")


class Process:
    """One process of the system, with its output in a log file of its own; it can be killed and started again."""

    def __init__(self, name: str, argv: list[str], env: dict, log_dir: Path):
        self.name, self.argv, self.env = name, argv, env
        self.log_path = log_dir / f"{name}.log"
        self.popen: subprocess.Popen | None = None

    def start(self) -> "Process":
        with open(self.log_path, "ab") as log:
            self.popen = subprocess.Popen(self.argv, env={**os.environ, **self.env, "PYTHONUNBUFFERED": "1"},
                                          cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        return self

    @property
    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def kill(self) -> None:
        """SIGKILL to the process and its children (gunicorn's workers): no chance to finish anything."""
        if self.running:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(10)

    def stop(self, timeout: float = 30) -> int:
        """SIGTERM, as a supervisor stops it; returns the exit code."""
        if self.running:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        return self.popen.returncode if self.popen else 0

    def log_tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else ""


class Api(Process):
    """A service's API as deployed: gunicorn with the shared configuration, one worker, on a free port."""

    def __init__(self, service: str, env: dict, log_dir: Path, name: str | None = None):
        self.service, self.port = service, free_port()
        argv = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
                "-b", f"127.0.0.1:{self.port}", f"{service}.wsgi:app"]
        super().__init__(name or service, argv, {"GUNICORN_WORKERS": "1", **env}, log_dir)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/{self.service}"

    def wait_alive(self, timeout: float = 60) -> "Api":
        """Until it answers /healthz (which needs no database)."""
        def alive():
            assert self.running, f"{self.name} exited {self.popen.returncode}:\n{self.log_tail()}"
            try:
                return requests.get(f"{self.url}/healthz", timeout=2).status_code == 200
            except requests.RequestException:
                return False
        wait_for(alive, timeout=timeout, interval=0.2, what=f"{self.name} to answer")
        return self


class Worker(Process):
    def __init__(self, service: str, env: dict, log_dir: Path, name: str | None = None):
        super().__init__(name or f"{service}-worker", [sys.executable, "-m", f"{service}.worker"], env, log_dir)


class PrivateKafka:
    """A Kafka broker of the test's own (one KRaft node, the jars deploy/servers.sh fetched), on free ports with
    its own data directory, so the test may stop and kill it."""

    def __init__(self, workdir: Path):
        self.port = restartable_port()
        self.controller_port = restartable_port(taken=(self.port,))
        self.data, self.log_dir = workdir / "kafka-data", workdir
        self.props = workdir / "kafka.properties"
        shipped = (ROOT / "deploy" / "kafka" / "server.properties").read_text()
        self.props.write_text(shipped.replace("127.0.0.1:9092", f"127.0.0.1:{self.port}")
                              .replace("127.0.0.1:9093", f"127.0.0.1:{self.controller_port}")
                              + f"\nlog.dirs={self.data}\n")
        # C1 only: a JVM that starts in seconds rather than tens, for a broker that lives one test.
        self.java = ["java", "-Xms128m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                     f"-Dlog4j2.configurationFile={ROOT / 'deploy' / 'kafka' / 'log4j2.properties'}",
                     "-cp", str(CACHE / "kafka" / "libs" / "*")]
        self.process = Process("kafka", [*self.java, "kafka.Kafka", str(self.props)], {}, workdir)

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self, timeout: float = 90) -> "PrivateKafka":
        if not (self.data / "meta.properties").exists():
            cluster = subprocess.run([*self.java, "kafka.tools.StorageTool", "random-uuid"], capture_output=True,
                                     text=True, check=True).stdout.strip()
            subprocess.run([*self.java, "kafka.tools.StorageTool", "format", "--standalone", "-t", cluster,
                            "-c", str(self.props)], capture_output=True, check=True)
        self.process.start()
        wait_for(self._answers, timeout=timeout, interval=0.5, what="the private Kafka broker")
        return self

    def _answers(self) -> bool:
        assert self.process.running, f"private Kafka exited:\n{self.process.log_tail()}"
        try:
            admin = KafkaAdminClient(bootstrap_servers=self.bootstrap, request_timeout_ms=3000)
        except Exception:  # noqa: BLE001 - not listening yet
            return False
        try:
            admin.list_topics()
            return True
        except Exception:  # noqa: BLE001 - listening, not serving yet
            return False
        finally:
            admin.close()

    def stop(self) -> None:
        self.process.stop(timeout=60)

    def kill(self) -> None:
        self.process.kill()


def private_engine() -> PrivateEngine:
    """A document engine of the test's own (deploy/engine/private.py), on ports it may stop and start again on."""
    port = restartable_port()
    return PrivateEngine("fault", restartable_port(taken=(port,)), port)


class System:
    """The services' processes a test starts, over the test's namespace, each service with a database of its own;
    `env_for(service)` gives a service's environment. Every process is stopped when the test ends."""

    def __init__(self, env_for, log_dir: Path):
        self.env_for, self.log_dir = env_for, log_dir
        self.processes: list[Process] = []

    def api(self, service: str, name: str | None = None, **env) -> Api:
        api = Api(service, {**self.env_for(service), **env}, self.log_dir, name)
        self.processes.append(api.start())
        return api.wait_alive()

    def worker(self, service: str, name: str | None = None, **env) -> Worker:
        worker = Worker(service, {**self.env_for(service), **env}, self.log_dir, name)
        self.processes.append(worker.start())
        return worker

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.stop()


def set_up_by_staff(votes_api: Api, bearer, what: str, body: dict) -> str:
    """set_up_by_staff(votes_api, bearer, "contests", body) → the id of the campaign or contest the product team set
    up through the votes API."""
    created = requests.post(f"{votes_api.url}/{what}", headers=bearer("team-1", roles=("product_team",)),
                            timeout=10, json=body)
    assert created.status_code == 201, created.text
    return created.json()["id"]


def killed_at_the_close_and_once_it_is_written(worker: Worker, close: datetime, written, what: str) -> None:
    """The votes worker SIGKILLed at the instant its clock would close a campaign or a round (before it could) and
    started again; then killed again the moment the restarted worker has written the close (`written()`, `what`),
    before its relay could publish it, and started again."""
    time.sleep(max(0.0, (close - datetime.now(timezone.utc)).total_seconds()))
    worker.kill()
    worker.start()
    wait_for(written, timeout=60, interval=0.01, what=what)
    worker.kill()
    worker.start()


def first_answer_but(waiting: int, call, **wait) -> requests.Response:
    """The first answer of `call` whose status is not `waiting` (the one status that means "not yet"), whatever it
    is: a 500 ends the wait and is returned, for the caller to fail on, never sent again. (A Response is falsy for
    any 4xx or 5xx, so `status != waiting and response` used to retry a 500 until a 201 came.)"""
    def answered():
        response = call()
        return None if response.status_code == waiting else [response]
    return wait_for(answered, **wait)[0]


class Voting(threading.Thread):
    """Every voter votes for every idea through the votes API, one request after another; the `withdrawing` ones
    take their vote on the first idea back right after casting it. Unexpected answers are kept in `failures`.
    With `pauses` (numbers of requests), it stops after each until `resume()`: `paused` is set meanwhile, so a test
    can act in the middle of the voting whatever the box's speed."""

    def __init__(self, votes_url: str, ideas: list[str], bearer, voters: list[str], withdrawing=(), pauses=()):
        super().__init__(name="voting")
        self.votes_url, self.ideas, self.bearer = votes_url, ideas, bearer
        self.voters, self.withdrawing, self.pauses = voters, withdrawing, set(pauses)
        self.requests_made = 0
        self.failures: list[str] = []
        self.paused, self._resumed = threading.Event(), threading.Event()

    def run(self) -> None:
        try:
            for voter in self.voters:
                session = requests.Session()
                session.headers.update(self.bearer(voter))
                for n, idea_id in enumerate(self.ideas):
                    self._call(session.post, idea_id, 201)
                    if n == 0 and voter in self.withdrawing:
                        self._call(session.delete, idea_id, 204)
        except Exception as error:  # noqa: BLE001 - else the thread ends quietly and `failures` stays empty
            self.failures.append(f"the voting stopped after {self.requests_made} requests: {error!r}")

    def _call(self, method, idea_id: str, expected: int) -> None:
        # The votes service learns of an idea from idea.submitted: until then it answers 404. Its worker may be
        # waiting on a rebalance after a kill.
        response = first_answer_but(404, lambda: method(f"{self.votes_url}/ideas/{idea_id}", timeout=10),
                                    timeout=90, what="the votes service to know the idea")
        if response.status_code != expected:
            self.failures.append(f"{response.request.method} {idea_id}: {response.status_code} {response.text}")
        self.requests_made += 1
        if self.requests_made in self.pauses:
            self.paused.set()
            self._resumed.wait()
            self._resumed.clear()

    def resume(self) -> None:
        self.paused.clear()
        self._resumed.set()

    @property
    def total(self) -> int:
        return len(self.voters) * len(self.ideas) + len(self.withdrawing)

    def live_voters(self, n: int) -> set[str]:
        """Who votes for the n-th idea once it is done."""
        return set(self.voters) - set(self.withdrawing) if n == 0 else set(self.voters)


def _members(bootstrap_servers: str, group: str) -> list:
    admin = KafkaAdminClient(bootstrap_servers=bootstrap_servers)
    try:
        [found] = admin.describe_consumer_groups([group])
        return found.members
    finally:
        admin.close()


def assignments(bootstrap_servers: str, group: str) -> list[set[tuple[str, int]]]:
    """The (topic, partition) pairs each member of `group` holds now, one set per member."""
    return [{(topic, p) for topic, partitions in m.member_assignment.assignment for p in partitions}
            for m in _members(bootstrap_servers, group) if m.member_assignment]


def subscriptions(bootstrap_servers: str, group: str) -> set[str]:
    """The topics the members of `group` read."""
    return {t for m in _members(bootstrap_servers, group) if m.member_metadata for t in m.member_metadata.topics}