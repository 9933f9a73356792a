"""The whole lab for end-to-end tests: every process of the Procfile and the gateway, on ports of their own, with
a namespace of their own on the shared Kafka and database servers."""
import importlib.util
import os
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from kafka import KafkaAdminClient
from pymongo import MongoClient

from idealab_testing import unique

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("lab", ROOT / "deploy" / "lab.py")
lab = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lab)

THRESHOLD = 3
# The lab's log, one per pytest-xdist worker (each runs a lab of its own): the mails its mail sink prints are read back
# from there.
LAB_LOG = ROOT / ".cache" / "logs" / f"e2e-lab-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}.log"


@pytest.fixture(scope="session")
def gateway_script():
    """Runs one gateway (nginx) from the environment, as the Procfile does."""
    return ROOT / "deploy" / "gateway" / "run.sh"


@pytest.fixture(scope="session")
def lab_env(servers, jwks_url):
    ports = lab.free_ports()
    # Sign-in limits raised: browser and e2e tests sign many people in from one address (test_gateway.py checks
    # the defaults on a gateway of its own).
    return lab.environment({
        "SIGNIN_RATE": "600r/m", "SIGNIN_BURST": "100",
        # Sign-ups too (test_one_voice.py checks the limit on an accounts service of its own); one refused domain,
        # and bursts of 5 new accounts flagged.
        "SIGN_UPS_PER_CLIENT": "100000", "SIGN_UPS_PER_EMAIL_DOMAIN": "100000",
        "REFUSED_EMAIL_DOMAINS": "throwaway.example", "BURST_ACCOUNTS": "5",
        "IDEALAB_NAMESPACE": unique("e2e"), "JWKS_URL": jwks_url, "VOTE_THRESHOLD": str(THRESHOLD),
        "KAFKA_BOOTSTRAP_SERVERS": servers.kafka, "MONGODB_URI": servers.mongodb, "GUNICORN_WORKERS": "1", **ports,
    })


@contextmanager
def lab_running(env: dict, log: Path):
    """The lab of `env` started and ready; stopped and forgotten afterwards."""
    process = lab.start(env, log)
    try:
        lab.wait_ready(env, process)
    except RuntimeError as exc:
        lab.stop(process)
        pytest.fail(f"{exc}; see {log}", pytrace=False)
    try:
        yield process
    finally:
        lab.stop(process)
        _forget(env)


@pytest.fixture(scope="session")
def running_lab(lab_env):
    with lab_running(lab_env, LAB_LOG) as process:
        yield process


def _forget(lab_env) -> None:
    """Drops the run's topics and databases, so a long-lived broker and database server do not fill up."""
    namespace = lab_env["IDEALAB_NAMESPACE"]
    admin = KafkaAdminClient(bootstrap_servers=lab_env["KAFKA_BOOTSTRAP_SERVERS"])
    try:
        admin.delete_topics([t for t in admin.list_topics() if t.startswith(namespace)])
    finally:
        admin.close()
    with MongoClient(lab_env["MONGODB_URI"]) as client:
        for name in client.list_database_names():
            if name.startswith(namespace):
                client.drop_database(name)


@pytest.fixture(scope="session")
def gateway(running_lab, lab_env):
    return lab.gateway_url(lab_env)


class Member:
    """Someone using the lab through the gateway, with a token of their own."""

    def __init__(self, gateway: str, token: str, user_id: str):
        self.gateway = gateway
        self.user_id = user_id
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def __getattr__(self, method):
        call = getattr(self.session, method)
        return lambda path, **kwargs: call(self.gateway + path, timeout=10, **kwargs)


@pytest.fixture
def member(gateway, signer):
    def make(name=None, roles=("member",), spaces=()):
        user_id = name or unique("user-")[:-1]
        return Member(gateway, signer.token(user_id, roles, spaces), user_id)
    return make
