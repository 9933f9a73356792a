"""docker-compose.yml and the gateway's container entrypoint.

The compose checks read the file as Docker Compose itself resolves it: `docker compose config --format json` where the
Compose plugin is installed, else deploy/compose-check (compose-go, the library Compose loads files with, built by
deploy/servers.sh); they skip only when neither is there. No Docker engine is needed. The entrypoint and Procfile
checks need no Docker at all.
"""
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
SERVICES = ("ideas", "votes", "roadmap", "notifications", "accounts")
SERVERS = ("kafka", "mongo")


COMPOSE_CHECK = Path(os.environ.get("IDEALAB_CACHE", ROOT / ".cache")) / "bin" / "compose-check"


def run(command: list[str]) -> subprocess.CompletedProcess:
    # Variables the file interpolates are left out, so its own defaults are what the assertions see.
    env = {k: v for k, v in os.environ.items() if k not in ("VOTE_THRESHOLD",)}
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def compose_plugin_installed() -> bool:
    try:
        return run(["docker", "compose", "version"]).returncode == 0
    except FileNotFoundError:
        return False


@pytest.fixture(scope="module")
def compose_config():
    """Prints a compose file resolved as JSON, and fails on an invalid one."""
    if compose_plugin_installed():
        return lambda path: run(["docker", "compose", "-f", str(path), "config", "--format", "json"])
    if COMPOSE_CHECK.exists():
        return lambda path: run([str(COMPOSE_CHECK), str(path)])
    pytest.skip("neither the Docker Compose plugin nor deploy/compose-check (bash deploy/servers.sh install)")


@pytest.fixture(scope="module")
def services(compose_config) -> dict:
    result = compose_config(COMPOSE_FILE)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["services"]


def words(value) -> str:
    """A command or healthcheck test as one string, whether compose gives it as a list or a string."""
    return " ".join(value) if isinstance(value, list) else (value or "")


def waits_for_healthy(service: dict, names) -> bool:
    depends_on = service.get("depends_on") or {}
    return all(depends_on.get(name, {}).get("condition") == "service_healthy" for name in names)


def test_docker_compose_accepts_the_compose_file(compose_config):
    result = compose_config(COMPOSE_FILE)
    assert result.returncode == 0, result.stderr


def test_a_compose_file_with_an_unknown_key_is_refused(compose_config, tmp_path):
    broken = tmp_path / "docker-compose.yml"
    broken.write_text(COMPOSE_FILE.read_text().replace("services:", "services:\n  bad:\n    imagee: x", 1))
    assert compose_config(broken).returncode != 0


def test_each_service_has_an_api_under_gunicorn_and_a_worker(services):
    for name in SERVICES:
        assert name in services and f"{name}-worker" in services, name
        assert words(services[name]["command"]).startswith("gunicorn -c deploy/gunicorn.conf.py -b 0.0.0.0:8000")
        assert words(services[name]["command"]).endswith(f"{name}.wsgi:app")
        assert words(services[f"{name}-worker"]["command"]) == f"python -m {name}.worker"


def test_every_process_but_the_workers_has_a_healthcheck(services):
    for name, service in services.items():
        if name.endswith("-worker"):
            continue
        healthcheck = service.get("healthcheck") or {}
        assert words(healthcheck.get("test")) and not healthcheck.get("disable"), f"{name} has no healthcheck"


def test_each_api_is_healthy_only_when_its_readyz_answers(services):
    for name in SERVICES:
        assert f"http://localhost:8000/api/{name}/readyz" in words(services[name]["healthcheck"]["test"])


def test_only_the_gateway_publishes_a_port_and_it_is_8080(services):
    publishing = {name for name, service in services.items() if service.get("ports")}
    assert publishing == {"gateway"}
    assert [(int(p["target"]), str(p["published"])) for p in services["gateway"]["ports"]] == [(8080, "8080")]


def test_every_service_names_an_image_or_a_build(services):
    for name, service in services.items():
        assert service.get("image") or service.get("build"), name


def test_all_python_processes_share_one_image_built_from_the_dockerfile(services):
    python = [services[n] for name in SERVICES for n in (name, f"{name}-worker")]
    assert {s["image"] for s in python} == {"idealab-python:dev"}
    assert all(Path(s["build"]["context"]).resolve() == ROOT for s in python)


def test_python_processes_start_once_kafka_and_mongo_are_healthy(services):
    for name in SERVICES:
        for process in (name, f"{name}-worker"):
            assert waits_for_healthy(services[process], SERVERS), process
            environment = services[process]["environment"]
            assert environment["KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
            assert environment["MONGODB_URI"] == "mongodb://mongo:27017/"
            assert environment["JWKS_URL"] == "http://accounts:8000/api/accounts/.well-known/jwks.json"


def test_the_gateway_starts_once_every_api_is_healthy(services):
    assert waits_for_healthy(services["gateway"], SERVICES)


def test_votes_api_and_worker_get_the_same_vote_threshold(services):
    assert services["votes"]["environment"]["VOTE_THRESHOLD"] == "10"
    assert services["votes-worker"]["environment"]["VOTE_THRESHOLD"] == "10"


def test_kafka_is_a_single_kraft_node_that_creates_no_topic_by_itself(services):
    environment = services["kafka"]["environment"]
    assert environment["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert environment["KAFKA_ADVERTISED_LISTENERS"] == "PLAINTEXT://kafka:9092"
    assert environment["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"


def compose_service_names() -> set[str]:
    """The top-level keys under `services:`, read line by line (no YAML parser in the test environment)."""
    names, inside = set(), False
    for line in COMPOSE_FILE.read_text().splitlines():
        if re.match(r"^\S", line):
            inside = line.startswith("services:")
        elif inside and (match := re.match(r"^  ([A-Za-z0-9][\w.-]*):\s*$", line)):
            names.add(match.group(1))
    return names


def test_compose_runs_every_process_of_the_procfile():
    procfile = {line.split(":", 1)[0] for line in (ROOT / "Procfile").read_text().splitlines()
                if line.strip() and not line.startswith("#")}
    assert procfile - compose_service_names() == set()


def test_the_gateway_entrypoint_renders_every_placeholder_and_runs_nginx_in_the_foreground(tmp_path):
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    fake_nginx = fake_bin / "nginx"
    fake_nginx.write_text('#!/bin/sh\nprintf "%s\\n" "$@" >"$GATEWAY_PREFIX/nginx-args"\n')
    fake_nginx.chmod(0o755)
    prefix = tmp_path / "nginx"
    env = {**os.environ, "PATH": f"{fake_bin}{os.pathsep}{os.environ['PATH']}", "GATEWAY_PREFIX": str(prefix)}

    result = subprocess.run(["sh", str(ROOT / "deploy/gateway/docker-entrypoint.sh")], env=env,
                            capture_output=True, text=True, timeout=30)

    assert result.returncode == 0, result.stderr
    conf = (prefix / "nginx.conf").read_text()
    directives = "\n".join(line for line in conf.splitlines() if not line.lstrip().startswith("#"))
    assert re.findall(r"@[A-Z_]+@", directives) == []
    for upstream in SERVICES:
        assert f"server {upstream}:8000;" in conf
    assert "listen 0.0.0.0:8080;" in conf and "root /srv/web;" in conf
    assert (prefix / "nginx-args").read_text().splitlines() == [
        "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"]
