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
RESULTS = ROOT / "bench" / "results"
TICKS = os.sysconf("SC_CLK_TCK")


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
    """Nearest-rank percentiles in milliseconds, plus the maximum; empty samples give None."""
    if not samples_ms:
        return {f"p{p}_ms": None for p in points} | {"max_ms": None}
    ordered = sorted(samples_ms)
    found = {f"p{p}_ms": round(ordered[min(len(ordered) - 1, max(0, -(-p * len(ordered) // 100) - 1))], 2)
             for p in points}
    return found | {"max_ms": round(ordered[-1], 2)}


class CpuMeter:
    """CPU seconds each watched process used between start() and stop(), as a share of one core: the process near
    100 % (or the sum near 200 % on two cores) is where a ceiling sits."""

    def __init__(self, processes: dict[str, int]):
        self.processes = processes  # label -> pid
        self.started: dict[str, int] = {}
        self.started_at = 0.0

    def start(self) -> None:
        self.started = {label: _cpu_ticks(pid) for label, pid in self.processes.items()}
        self.started_at = time.monotonic()

    def stop(self) -> dict[str, float]:
        wall = time.monotonic() - self.started_at
        used = {label: (_cpu_ticks(pid) - self.started[label]) / TICKS / wall * 100
                for label, pid in self.processes.items()}
        return {label: round(pct, 1) for label, pct in sorted(used.items(), key=lambda kv: -kv[1])}


def _cpu_ticks(pid: int) -> int:
    """utime + stime of one process (a process gone meanwhile counts as idle)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0
    return int(fields[11]) + int(fields[12])


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
    print(f"appended to {path.relative_to(ROOT)}")
    return result
