"""A document engine of one's own: PostgreSQL with DocumentDB under FerretDB v2, run by cluster.sh beside this file
from what deploy/servers.sh built, on the ports given. For the benchmarks (bench/lab.py), whose figures test runs on
the shared engine would skew, and the fault tests (tests/faults), which stop and kill it.

Its folder is made under .cache/: PostgreSQL runs as the `postgres` user, who cannot enter a private temporary
folder (mkdtemp's or pytest's under /tmp)."""
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from pymongo import MongoClient

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("IDEALAB_CACHE", ROOT / ".cache"))
CLUSTER = Path(__file__).with_name("cluster.sh")
FERRETDB = CACHE / "bin" / "ferretdb"  # built by deploy/servers.sh


class PrivateEngine:
    def __init__(self, name: str, postgresql_port: int, port: int):
        self.postgresql_port, self.port = postgresql_port, port
        self.folder = Path(tempfile.mkdtemp(prefix=f"{name}-engine-", dir=CACHE))
        self.folder.chmod(0o755)

    @property
    def uri(self) -> str:
        return f"mongodb://127.0.0.1:{self.port}/"

    def start(self, timeout: float = 60) -> "PrivateEngine":
        """Starts it (again, after a stop or a kill, on the same data) and returns once it answers."""
        self._cluster("start", self.postgresql_port, self.port)
        with MongoClient(self.uri, serverSelectionTimeoutMS=int(timeout * 1000)) as client:
            client.admin.command("ping")
        return self

    def stop(self) -> None:
        self._cluster("stop")

    def kill(self) -> None:
        """As a crash would: FerretDB SIGKILLed, PostgreSQL stopped without a checkpoint."""
        self._cluster("kill")

    def remove(self) -> None:
        self._cluster("kill")
        shutil.rmtree(self.folder, ignore_errors=True)

    def _cluster(self, command: str, *ports: int) -> None:
        subprocess.run(["bash", str(CLUSTER), command, str(self.folder), *map(str, ports)],
                       env={**os.environ, "FERRETDB_BIN": str(FERRETDB)}, check=True, capture_output=True)
