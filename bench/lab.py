"""The whole lab for a benchmark, as the end-to-end tests run it: every Procfile process on free ports, in a
namespace of its own on the shared Kafka and database servers, with tokens signed by a key made on the spot. Its
topics and databases are dropped afterwards."""
import importlib.util
import os
import socket
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kafka import KafkaAdminClient
from pymongo import MongoClient

from idealab.testing import TokenSigner, unique

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache"
_spec = importlib.util.spec_from_file_location("deploy_lab", ROOT / "deploy" / "lab.py")
deploy_lab = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(deploy_lab)

KAFKA = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
MONGODB = os.environ.get("MONGODB_URI", "mongodb://127.0.0.1:27017/")


def free_port() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return str(s.getsockname()[1])


@dataclass
class Lab:
    env: dict
    signer: TokenSigner
    pid: int

    @property
    def url(self) -> str:
        return deploy_lab.gateway_url(self.env)

    @property
    def namespace(self) -> str:
        return self.env["IDEALAB_NAMESPACE"]

    def database(self, service: str) -> str:
        return f"{self.namespace}idealab_{service}"

    def processes(self) -> dict[str, int]:
        """label -> pid of every process of this lab, and of the shared Kafka and database servers."""
        return {**lab_processes(self.pid), **server_processes()}


@contextmanager
def running_lab(**overrides: str):
    """A lab with `overrides` in its environment (GUNICORN_WORKERS, VOTE_THRESHOLD…); stopped and forgotten after."""
    ports = {f"{name}_PORT": free_port() for name in ("GATEWAY", "IDEAS", "VOTES", "ROADMAP", "NOTIFICATIONS")}
    # Tokens for a whole run are signed up front: an hour keeps them valid however long it takes.
    signer = TokenSigner(ttl_seconds=3600)
    keys = Path(tempfile.mkdtemp(prefix="bench-keys-"))
    env = deploy_lab.environment({
        "IDEALAB_NAMESPACE": unique("bench"), "JWKS_URL": signer.jwks_url(keys),
        "KAFKA_BOOTSTRAP_SERVERS": KAFKA, "MONGODB_URI": MONGODB, **ports, **overrides})
    log = CACHE / "logs" / "bench-lab.log"
    process = deploy_lab.start(env, log)
    try:
        try:
            deploy_lab.wait_ready(env, process)
        except RuntimeError as exc:
            raise SystemExit(f"{exc}; see {log}") from exc
        yield Lab(env, signer, process.pid)
    finally:
        deploy_lab.stop(process)
        forget(env["IDEALAB_NAMESPACE"])


def forget(namespace: str) -> None:
    """Drops a namespace's topics and databases, so the long-lived servers do not fill up with benchmark data."""
    admin = KafkaAdminClient(bootstrap_servers=KAFKA)
    try:
        doomed = [t for t in admin.list_topics() if t.startswith(namespace)]
        if doomed:
            admin.delete_topics(doomed)
    finally:
        admin.close()
    with MongoClient(MONGODB) as client:
        for name in client.list_database_names():
            if name.startswith(namespace):
                client.drop_database(name)


def lab_processes(root_pid: int) -> dict[str, int]:
    """Every descendant of the lab's honcho process that runs our code or nginx, labelled by what it is."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            pid, ppid = int(stat.parent.name), int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
        children.setdefault(ppid, []).append(pid)
    found, todo = {}, list(children.get(root_pid, []))
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        label = _label(_cmdline(pid))
        if label:
            found[f"{label}#{pid}"] = pid
    return found


def server_processes() -> dict[str, int]:
    found = {}
    for name in ("kafka", "ferretdb"):
        pid_file = CACHE / "run" / f"{name}.pid"
        if pid_file.exists():
            found[name] = int(pid_file.read_text())
    return found


def _cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except FileNotFoundError:
        return []


def _label(argv: list[str]) -> str | None:
    if not argv or Path(argv[0]).name in ("sh", "bash"):
        return None  # honcho's shell around each process
    joined = " ".join(argv)
    if "gunicorn" in joined:
        app = next((a for a in argv if a.endswith(".wsgi:app")), "?")
        return app.split(".")[0] + "-api"
    if "-m" in argv and argv.index("-m") + 1 < len(argv) and argv[argv.index("-m") + 1].endswith(".worker"):
        return argv[argv.index("-m") + 1].split(".")[0] + "-worker"
    if argv and argv[0].startswith("nginx"):
        return "gateway"
    return None
