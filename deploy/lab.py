"""Runs every Idea Lab process of the Procfile (APIs, workers, gateway) with honcho, and waits until the gateway
answers for every service. Used by `make up` / `make down` and by the end-to-end tests.

    python deploy/lab.py up      # start in the background, print the URL
    python deploy/lab.py down    # stop what `up` started
    python deploy/lab.py restarting COMMAND…   # the Procfile's workers: run COMMAND again whenever it crashes
"""
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("IDEALAB_CACHE", ROOT / ".cache"))
SERVICES = ("ideas", "votes", "roadmap", "notifications", "accounts")
DEFAULTS = {
    "GATEWAY_PORT": "8080", "IDEAS_PORT": "8001", "VOTES_PORT": "8002", "ROADMAP_PORT": "8003",
    "NOTIFICATIONS_PORT": "8004", "ACCOUNTS_PORT": "8005", "SMTP_PORT": "8025", "LIVE_PORT": "8090",
    "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9092", "MONGODB_URI": "mongodb://127.0.0.1:27017/",
    # As the Procfile's defaults.
    **{f"{s.upper()}_WORKER_METRICS_PORT": str(9101 + n) for n, s in enumerate(SERVICES)},
}


def free_ports() -> dict[str, str]:
    """A free loopback port for every Procfile process that listens (gateway, APIs, workers' health and metrics,
    mail, the live publisher), so a test or benchmark lab never meets `make up` or another lab."""
    services = [s.upper() for s in SERVICES]
    names = ["GATEWAY", "SMTP", "LIVE", *services, *(f"{s}_WORKER_METRICS" for s in services)]
    sockets = [socket.socket() for _ in names]
    try:
        for s in sockets:  # all held until every port is chosen, so no two names get the same one
            s.bind(("127.0.0.1", 0))
        return {f"{name}_PORT": str(s.getsockname()[1]) for name, s in zip(names, sockets)}
    finally:
        for s in sockets:
            s.close()


def environment(overrides: dict | None = None) -> dict:
    env = {**DEFAULTS, **os.environ, **(overrides or {})}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    env["PYTHONUNBUFFERED"] = "1"
    return env


def start(env: dict, log_path: Path) -> subprocess.Popen:
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        return subprocess.Popen([sys.executable, "-m", "honcho", "-f", str(ROOT / "Procfile"), "-d", str(ROOT),
                                 "start"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def gateway_url(env: dict) -> str:
    return f"http://127.0.0.1:{env['GATEWAY_PORT']}"


def wait_ready(env: dict, process: subprocess.Popen, timeout: float = 180) -> None:
    """Every service is ready through the gateway (its database answers), and every worker has joined its consumer
    groups, so that the first event after start-up is not also waiting for a group to form."""
    url = gateway_url(env)
    deadline = time.monotonic() + timeout
    pending = [*(f"{url}/api/{s}/readyz" for s in SERVICES),
               *(f"http://127.0.0.1:{env[f'{s.upper()}_WORKER_METRICS_PORT']}/readyz" for s in SERVICES)]
    while pending:
        if process.poll() is not None:
            raise RuntimeError(f"the lab stopped while starting (exit {process.returncode})")
        try:
            if requests.get(pending[0], timeout=2).status_code == 200:
                pending.pop(0)
                continue
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"not ready after {timeout}s: {', '.join(pending)}")
        time.sleep(0.3)


def stop(process: subprocess.Popen, timeout: float = 30) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def restarting(command: list[str], pause_seconds: float = 1) -> int:
    """Runs `command` again each time it exits with an error, until it ends cleanly or is stopped. Honcho stops the
    whole lab when one process exits, so a worker crashing on some input took every process down. Only workers are
    wrapped: they act on what members send (events, email jobs), while an API or a gateway that exits is a set-up
    problem `up` should report, not hide. Honcho stops a process by signalling its process group, this loop
    included: the command stops on its own and is not started again."""
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    code = 0
    while not stopping:
        code = subprocess.call(command)
        if code == 0:
            break
        print(f"{' '.join(command)} exited with {code}; starting it again", flush=True)
        time.sleep(pause_seconds)
    return code


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    pid_file, log_file = CACHE / "run" / "lab.pid", CACHE / "logs" / "lab.log"
    env = environment()
    if command == "up":
        process = start(env, log_file)
        pid_file.parent.mkdir(parents=True, exist_ok=True)
        pid_file.write_text(str(process.pid))
        try:
            wait_ready(env, process)
        except RuntimeError as exc:
            stop(process)
            sys.exit(f"{exc}; see {log_file}")
        print(f"Idea Lab is up: {gateway_url(env)}/  (logs: {log_file}; stop with `make down`)")
    elif command == "down":
        if pid_file.exists():
            pid = int(pid_file.read_text())
            try:
                os.killpg(pid, signal.SIGTERM)
                for _ in range(150):
                    time.sleep(0.2)
                    os.killpg(pid, 0)
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass  # gone
            pid_file.unlink()
    elif command == "restarting" and len(sys.argv) > 2:
        sys.exit(restarting(sys.argv[2:]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
