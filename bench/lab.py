"""The whole lab for a benchmark, as the end-to-end tests run it: every Procfile process on free ports, in a
namespace of its own on the shared Kafka, on a document engine of its own (or the shared one), with tokens signed by
a key made on the spot. Its topics and databases are dropped afterwards."""
import importlib.util
import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kafka import KafkaAdminClient
from pymongo import MongoClient

from idealab_testing import TokenSigner, free_port, unique

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache"
_spec = importlib.util.spec_from_file_location("deploy_lab", ROOT / "deploy" / "lab.py")
deploy_lab = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(deploy_lab)
_spec = importlib.util.spec_from_file_location("deploy_engine_private", ROOT / "deploy" / "engine" / "private.py")
_private = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_private)
PrivateEngine = _private.PrivateEngine

KAFKA = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
SHARED_MONGODB = os.environ.get("MONGODB_URI", "mongodb://127.0.0.1:27017/")
SHARED_ENGINE = CACHE / "data" / "engine"  # deploy/servers.sh's
DATABASE = os.environ.get("BENCH_DATABASE", "own")


@dataclass
class Lab:
    env: dict
    signer: TokenSigner
    pid: int
    engine: Path  # the document engine's folder: its processes are watched

    @property
    def url(self) -> str:
        return deploy_lab.gateway_url(self.env)

    @property
    def namespace(self) -> str:
        return self.env["IDEALAB_NAMESPACE"]

    @property
    def mongodb(self) -> str:
        return self.env["MONGODB_URI"]

    def database(self, service: str) -> str:
        return f"{self.namespace}idealab_{service}"

    def processes(self) -> dict[str, int]:
        """label -> pid of every process of this lab, of Kafka and of the document engine."""
        return {**lab_processes(self.pid), **server_processes(self.engine)}


@contextmanager
def own_engine():
    """A document engine of the benchmark's own (deploy/engine/private.py) on free ports: test runs on the shared
    one would skew the figures, and its data goes with it. Yields (uri, folder)."""
    engine = PrivateEngine("bench", free_port(), free_port())
    try:
        yield engine.start().uri, engine.folder
    finally:
        engine.remove()


@contextmanager
def database_server():
    """(uri, engine folder) of the database server BENCH_DATABASE names: `own` (default, an engine of the
    benchmark's own) or `shared` (MONGODB_URI, deploy/servers.sh's engine: quicker to start, shared with every
    test run on the machine)."""
    if DATABASE == "shared":
        yield SHARED_MONGODB, SHARED_ENGINE
    else:
        with own_engine() as found:
            yield found


@contextmanager
def running_lab(**overrides: str):
    """A lab with `overrides` in its environment (GUNICORN_WORKERS, VOTE_THRESHOLD…) on the database server
    BENCH_DATABASE names; stopped and forgotten after."""
    ports = deploy_lab.free_ports()
    # Tokens for a whole run are signed up front: an hour keeps them valid however long it takes.
    signer = TokenSigner(ttl_seconds=3600)
    keys = Path(tempfile.mkdtemp(prefix="bench-keys-"))
    with database_server() as (mongodb, engine):
        env = deploy_lab.environment({
            "IDEALAB_NAMESPACE": unique("bench"), "JWKS_URL": signer.jwks_url(keys),
            "KAFKA_BOOTSTRAP_SERVERS": KAFKA, "MONGODB_URI": mongodb, **ports, **overrides})
        log = CACHE / "logs" / "bench-lab.log"
        process = deploy_lab.start(env, log)
        try:
            try:
                deploy_lab.wait_ready(env, process)
            except RuntimeError as exc:
                raise SystemExit(f"{exc}; see {log}") from exc
            yield Lab(env, signer, process.pid, engine)
        finally:
            deploy_lab.stop(process)
            forget(env["IDEALAB_NAMESPACE"], mongodb)
            shutil.rmtree(keys, ignore_errors=True)


def forget(namespace: str, mongodb: str | None = SHARED_MONGODB) -> None:
    """Drops a namespace's topics and its databases on `mongodb`, so the long-lived servers do not fill up with
    benchmark data."""
    admin = KafkaAdminClient(bootstrap_servers=KAFKA)
    try:
        doomed = [t for t in admin.list_topics() if t.startswith(namespace)]
        if doomed:
            admin.delete_topics(doomed)
    finally:
        admin.close()
    if mongodb is None:
        return
    with MongoClient(mongodb) as client:
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


def server_processes(engine: Path = SHARED_ENGINE) -> dict[str, int]:
    """Kafka's pid and the document engine's: FerretDB, and PostgreSQL's first process (report.CpuMeter counts its
    children, one per connection, with it)."""
    pid_files = {"kafka": CACHE / "run" / "kafka.pid", "ferretdb": engine / "ferretdb.pid",
                 "postgresql": engine / "postgresql" / "postmaster.pid"}
    return {name: int(path.read_text().split()[0]) for name, path in pid_files.items() if path.exists()}


def _cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except FileNotFoundError:
        return []


def _label(argv: list[str]) -> str | None:
    if not argv or Path(argv[0]).name in ("sh", "bash") or "restarting" in argv:
        return None  # honcho's shell around each process, deploy/lab.py's around each worker
    joined = " ".join(argv)
    if "gunicorn" in joined:
        app = next((a for a in argv if a.endswith(".wsgi:app")), "?")
        return app.split(".")[0] + "-api"
    if "-m" in argv and argv.index("-m") + 1 < len(argv) and argv[argv.index("-m") + 1].endswith(".worker"):
        return argv[argv.index("-m") + 1].split(".")[0] + "-worker"
    if argv and argv[0].startswith("nginx"):
        return "gateway"
    return None
