"""The local runner's restart of crashed workers (deploy/lab.py restarting, as the Procfile runs every worker): under
honcho, one process exiting stops the whole lab. No server needed."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESTARTING = [sys.executable, str(ROOT / "deploy" / "lab.py"), "restarting"]


def test_a_worker_that_crashes_is_started_again_until_it_ends_cleanly(tmp_path):
    runs = tmp_path / "runs"
    crashes_twice = (f"import pathlib, sys; runs = pathlib.Path({str(runs)!r}); "
                     "runs.write_text(runs.read_text() + 'x' if runs.exists() else 'x'); "
                     "sys.exit(0 if runs.read_text() == 'xxx' else 1)")

    ended = subprocess.run([*RESTARTING, sys.executable, "-c", crashes_twice], capture_output=True, text=True,
                           timeout=60)

    assert ended.returncode == 0, ended.stderr
    assert runs.read_text() == "xxx" and ended.stdout.count("exited with 1; starting it again") == 2


def test_a_worker_stopped_with_its_process_group_as_honcho_does_is_not_started_again(tmp_path):
    started = tmp_path / "started"
    runner = subprocess.Popen(
        [*RESTARTING, sys.executable, "-c", f"import pathlib, time; pathlib.Path({str(started)!r}).touch(); "
                                            "time.sleep(60)"], start_new_session=True)
    deadline = time.monotonic() + 30
    while not started.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert started.exists()

    os.killpg(runner.pid, signal.SIGTERM)

    runner.wait(timeout=10)  # the sleeping command died of the signal (exit -15): not a crash to restart
