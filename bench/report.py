"""What every benchmark records: the machine it ran on, latency percentiles, CPU per process, and one result appended
to bench/results/<name>.json (a JSON list, newest last) and printed."""
import json
import os
import platform
import subprocess
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Smoke runs (bench/tests) write elsewhere, so they never add to the recorded figures.
RESULTS = Path(os.environ.get("BENCH_RESULTS", ROOT / "bench" / "results"))
TICKS = os.sysconf("SC_CLK_TCK")
FAMILIES = ("postgresql",)  # counted with their children (bench.lab.server_processes)


def machine() -> dict:
    """Taken at the start of a run: the load average says how much else was running (the box is shared)."""
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")),
                 platform.processor())
    mem_kib = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                       if line.startswith("MemTotal")))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True,
                           text=True)
    return {
        "cores": os.cpu_count(), "ram_gib": round(mem_kib / 2**20, 1), "cpu_model": model,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "git_commit": commit.stdout.strip() + ("+uncommitted" if dirty.stdout.strip() else ""),
        "python": platform.python_version(), "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def percentiles(samples_ms: list[float], points=(50, 95, 99)) -> dict:
    """Nearest-rank percentiles in milliseconds, the maximum, and how many samples they are of (a p99 of 20
    samples is their maximum); empty samples give None."""
    if not samples_ms:
        return {"samples": 0} | {f"p{p}_ms": None for p in points} | {"max_ms": None}
    ordered = sorted(samples_ms)
    found = {f"p{p}_ms": round(ordered[min(len(ordered) - 1, max(0, -(-p * len(ordered) // 100) - 1))], 2)
             for p in points}
    return {"samples": len(ordered)} | found | {"max_ms": round(ordered[-1], 2)}


class CpuMeter:
    """CPU seconds each watched process used between start() and stop(), as a share of one core: the process near
    100 % (or the sum near 200 % on two cores) is where a ceiling sits. A process gone or replaced meanwhile (a
    server restarted under the same pid file) is None: its share is unknown."""

    def __init__(self, processes: dict[str, int]):
        self.processes = processes  # label -> pid
        self.started: dict[str, tuple | None] = {}
        self.started_at = 0.0

    def start(self) -> None:
        self.started = {label: _cpu_ticks(pid, label in FAMILIES) for label, pid in self.processes.items()}
        self.started_at = time.monotonic()

    def stop(self) -> dict[str, float | None]:
        wall = time.monotonic() - self.started_at
        used, unknown = {}, {}
        for label, pid in self.processes.items():
            before, after = self.started[label], _cpu_ticks(pid, label in FAMILIES)
            if before and after and before[0] == after[0]:
                used[label] = round((after[1] - before[1]) / TICKS / wall * 100, 1)
            else:
                unknown[label] = None
        return dict(sorted(used.items(), key=lambda kv: -kv[1])) | unknown


def _cpu_ticks(pid: int, family: bool = False) -> tuple[int, int] | None:
    """(start time, utime + stime) of one process, None if it is gone. For a family (PostgreSQL: a process per
    connection) its children's too: those it reaped (cutime + cstime) and those alive."""
    fields = _stat(pid)
    if fields is None:
        return None
    ticks = int(fields[11]) + int(fields[12])
    if family:
        ticks += int(fields[13]) + int(fields[14]) + sum(
            int(child[11]) + int(child[12]) for child in map(_stat, _children(pid)) if child)
    return int(fields[19]), ticks


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name (state first)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None


def _children(pid: int) -> list[int]:
    return [int(stat.parent.name) for stat in Path("/proc").glob("[0-9]*/stat")
            if (fields := _stat(int(stat.parent.name))) and int(fields[1]) == pid]


def record(name: str, config: dict, figures: dict, host: dict) -> dict:
    """Appends one run to bench/results/<name>.json and prints it."""
    result = {"benchmark": name, "machine": host, "config": config, "figures": figures,
              "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    runs = json.loads(path.read_text()) if path.exists() else []
    runs.append(result)
    path.write_text(json.dumps(runs, indent=1) + "\n")
    print(json.dumps(result, indent=1))
    print(f"appended to {path}")
    return result
