"""The whole lab for a benchmark, as the end-to-end tests run it: every Procfile process on free ports, in a
namespace of its own on the shared Kafka and database servers, with tokens signed by a key made on the spot. Its
topics and databases are dropped afterwards."""
import importlib.util
import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kafka import KafkaAdminClient
from pymongo import MongoClient

from idealab.testing import TokenSigner, free_port, unique

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache"
_spec = importlib.util.spec_from_file_location("deploy_lab", ROOT / "deploy" / "lab.py")
deploy_lab = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(deploy_lab)

KAFKA = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
SHARED_MONGODB = os.environ.get("MONGODB_URI", "mongodb://127.0.0.1:27017/")
# The FerretDB binary deploy/servers.sh builds (with -postgresql-url since it can run on PostgreSQL); another
# build may be named here.
FERRETDB = Path(os.environ.get("BENCH_FERRETDB", CACHE / "bin" / "ferretdb"))
POSTGRESQL = max(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name),
                 default=Path("/usr/lib/postgresql/15/bin"))  # Debian's newest installed
DATABASE = os.environ.get("BENCH_DATABASE", "postgresql")  # as deploy/servers.sh stores by default


@dataclass
class Lab:
    env: dict
    signer: TokenSigner
    pid: int
    database_pid: int | None  # the benchmark's own database server, when it has one

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
        """label -> pid of every process of this lab, of Kafka and of the database server."""
        servers = server_processes()
        if self.database_pid:
            servers["ferretdb"] = self.database_pid
        return {**lab_processes(self.pid), **servers}


@contextmanager
def own_ferretdb(postgresql_url: str | None = None):
    """A FerretDB of the benchmark's own (same binary as deploy/servers.sh, on a free port): its proxy lets one
    write at a time through, so on the shared server every other test run on this machine would queue with the
    benchmark's writes and skew its figures. On SQLite in a temporary folder, or on `postgresql_url`.
    Yields (uri, pid)."""
    port, data = free_port(), Path(tempfile.mkdtemp(prefix="bench-ferretdb-", dir=CACHE))
    backend = ["-postgresql-url", postgresql_url] if postgresql_url else ["-sqlite-dir", str(data)]
    server = subprocess.Popen([str(FERRETDB), "-listen", f"127.0.0.1:{port}", *backend],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        uri = f"mongodb://127.0.0.1:{port}/"
        with MongoClient(uri, serverSelectionTimeoutMS=15000) as client:
            client.admin.command("ping")
        yield uri, server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(data, ignore_errors=True)


@contextmanager
def own_postgresql():
    """A PostgreSQL cluster of the benchmark's own (Debian's postgresql package), in a temporary folder on a free
    port, with a `ferretdb` database; yields its URL. PostgreSQL refuses to run as root: then as `postgres`."""
    data = Path(tempfile.mkdtemp(prefix="bench-postgresql-"))
    as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_owner:
        shutil.chown(data, "postgres")
    port = str(free_port())
    run = lambda *argv: subprocess.run([*as_owner, *argv], check=True, capture_output=True)  # noqa: E731
    run(str(POSTGRESQL / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres")
    run(str(POSTGRESQL / "pg_ctl"), "-D", str(data), "-w", "-l", str(data / "server.log"), "-o",
        f"-p {port} -k {data} -c listen_addresses=127.0.0.1", "start")
    try:
        run(str(POSTGRESQL / "createdb"), "-h", "127.0.0.1", "-p", port, "-U", "postgres", "ferretdb")
        yield f"postgres://postgres@127.0.0.1:{port}/ferretdb"
    finally:
        run(str(POSTGRESQL / "pg_ctl"), "-D", str(data), "-m", "fast", "stop")
        shutil.rmtree(data, ignore_errors=True)


@contextmanager
def database_server():
    """(uri, pid or None) of the database server BENCH_DATABASE names: `postgresql` (default, FerretDB of its own on a
    PostgreSQL of its own), `own` (FerretDB on SQLite of the benchmark's own) or `shared` (MONGODB_URI)."""
    if DATABASE == "shared":
        yield SHARED_MONGODB, None
    elif DATABASE == "postgresql":
        with own_postgresql() as url, own_ferretdb(url) as found:
            yield found
    else:
        with own_ferretdb() as found:
            yield found


@contextmanager
def running_lab(**overrides: str):
    """A lab with `overrides` in its environment (GUNICORN_WORKERS, VOTE_THRESHOLD…) on the database server
    BENCH_DATABASE names; stopped and forgotten after."""
    ports = deploy_lab.free_ports()
    # Tokens for a whole run are signed up front: an hour keeps them valid however long it takes.
    signer = TokenSigner(ttl_seconds=3600)
    keys = Path(tempfile.mkdtemp(prefix="bench-keys-"))
    with database_server() as (mongodb, database_pid):
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
            yield Lab(env, signer, process.pid, database_pid)
        finally:
            deploy_lab.stop(process)
            # A server of the benchmark's own goes away with its data; only the shared one needs cleaning.
            forget(env["IDEALAB_NAMESPACE"], mongodb if database_pid is None else None)
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
