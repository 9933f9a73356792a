"""py-spy on the lab's processes while load runs: where each one spends its CPU, summarised by function."""
import subprocess
import sys
from collections import Counter
from pathlib import Path

from .lab import CACHE

PROFILES = CACHE / "bench" / "profiles"
PY_SPY = Path(sys.executable).with_name("py-spy")


def start(processes: dict[str, int], seconds: float) -> dict[str, tuple[subprocess.Popen, Path]]:
    """Records each process for `seconds` (100 samples/s, CPU-busy threads only) in the background."""
    PROFILES.mkdir(parents=True, exist_ok=True)
    running = {}
    for label, pid in processes.items():
        out = PROFILES / f"{label.replace('#', '-')}.txt"
        running[label] = (subprocess.Popen(
            [str(PY_SPY), "record", "--pid", str(pid), "--duration", str(int(seconds)), "--rate", "100",
             "--format", "raw", "--nonblocking", "--output", str(out)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), out)
    return running


def finish(running: dict[str, tuple[subprocess.Popen, Path]], top: int = 8) -> dict[str, dict]:
    """Per process: samples taken, and the functions with the most samples, on the CPU themselves (self) and
    anywhere on the stack (total), as shares of the samples."""
    summaries = {}
    for label, (process, out) in running.items():
        process.wait(timeout=120)
        if out.exists():
            summaries[label] = summarise(out.read_text(), top) | {"raw": str(out.relative_to(CACHE.parent))}
    return summaries


def summarise(raw: str, top: int) -> dict:
    own, anywhere, samples = Counter(), Counter(), 0
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = [_short(f) for f in stack.split(";")]
        samples += int(count)
        own[frames[-1]] += int(count)
        for frame in set(frames):
            anywhere[frame] += int(count)
    share = lambda counter: {f: round(n / samples, 3) for f, n in counter.most_common(top)}  # noqa: E731
    return {"samples": samples, "self": share(own), "total": share(anywhere)} if samples else {"samples": 0}


def _short(frame: str) -> str:
    """'cast_vote (votes/votes/handlers.py)' from py-spy's 'cast_vote (/work/main/services/votes/votes/handlers.py:14)':
    samples add up per function, whatever line they were on."""
    name, _, where = frame.partition(" (")
    path = where.rstrip(")")
    for marker in ("site-packages/", "/services/", "/libs/idealab/", "/lib/python3.11/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{name} ({path.split(':')[0]})"
