"""Fixtures shared by every test: the real servers (Kafka and MongoDB), a fresh database per test, and what every
service's API tests need (settings over that database, a test client of the service's `app`, bearer tokens)."""
import json
import logging

import pytest
from kafka import KafkaAdminClient
from pymongo import MongoClient

from idealab.config import Settings
from idealab import events, kafka
from idealab.mongo import ReadCommands
from idealab_testing import Inspector, Mailbox, SampleEvents, Servers, TokenSigner, free_port, unique


@pytest.fixture(scope="session")
def servers():
    found = Servers()
    try:
        found.start()
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    yield found
    found.stop()


@pytest.fixture(scope="session")
def signer():
    """Signs tokens as the accounts service would; every app and worker under test trusts its key."""
    return TokenSigner()


@pytest.fixture(scope="session")
def jwks_url(signer, tmp_path_factory):
    return signer.jwks_url(tmp_path_factory.mktemp("jwks"))


@pytest.fixture
def mailbox():
    """A real SMTP server on a free loopback port (aiosmtpd), keeping what it is sent: `mailbox.port`,
    `mailbox.to(address)`, `mailbox.link(address, url)`."""
    from aiosmtpd.controller import Controller
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command at INFO
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    box.port = controller.port
    yield box
    controller.stop()


@pytest.fixture
def mongo_db(servers):
    """A database of its own for one test, dropped afterwards."""
    client = MongoClient(servers.mongodb, serverSelectionTimeoutMS=5000, tz_aware=True)
    db = client[unique("test_")[:-1]]
    yield db
    client.drop_database(db.name)
    client.close()


@pytest.fixture
def reads():
    """The read commands sent through `recorded_db`, to explain each as it was sent: `reads.full_scans(db)`."""
    return ReadCommands()


@pytest.fixture
def recorded_db(servers, mongo_db, reads):
    """The test's database through a client that keeps its read commands in `reads`: every service's test app is
    built over it, so a query-plan test explains what the app sent."""
    client = MongoClient(servers.mongodb, tz_aware=True, event_listeners=[reads])
    yield client[mongo_db.name]
    client.close()


@pytest.fixture
def namespace():
    """A prefix for topics and consumer groups, so a test sees only its own events."""
    return unique("t")


@pytest.fixture
def service_settings(servers, mongo_db, jwks_url):
    """service_settings("votes") → a service's settings over this test's database."""
    return lambda service: Settings(service=service, mongodb_uri=servers.mongodb, database=mongo_db.name,
                                    kafka_bootstrap_servers=servers.kafka, jwks_url=jwks_url)


@pytest.fixture
def store(app):
    """The store the service's app uses: for its event handlers, and to look at what was stored."""
    return app.extensions["idealab.store"]


@pytest.fixture
def idea_id():
    return unique("idea-")[:-1]


@pytest.fixture
def event():
    """Valid envelopes as the services publish them: event.submitted(idea_id), event.vote_cast(idea_id, voter)…"""
    return SampleEvents()


@pytest.fixture
def client(app):
    """A test client of the `app` fixture each service's conftest builds."""
    app.config["TESTING"] = True
    return app.test_client()


@pytest.fixture
def bearer(signer):
    """Authorization headers for a user: bearer("ann"), bearer("pat", roles=("product_team",)),
    bearer("ann", spaces=("panel-1",))."""
    def headers(user_id: str, roles=("member",), spaces=()) -> dict:
        return {"Authorization": f"Bearer {signer.token(user_id, roles, spaces)}"}
    return headers


@pytest.fixture
def topics(servers, namespace):
    """The catalogue's topics under the test's namespace, created before anything is published to them; the test's
    topics (dead-letter ones included) are deleted afterwards so a long-lived broker does not fill up."""
    names = [namespace + t for t in events.TOPICS]
    kafka.ensure_topics(servers.kafka, names)
    kafka.ensure_topics(servers.kafka, [namespace + events.CONTACTS_TOPIC], partitions=1,
                        configs=kafka.CONTACTS_TOPIC_CONFIGS)
    yield names
    admin = KafkaAdminClient(bootstrap_servers=servers.kafka)
    try:
        admin.delete_topics([t for t in admin.list_topics() if t.startswith(namespace)])
    finally:
        admin.close()


@pytest.fixture
def kafka_state(servers):
    return Inspector(servers.kafka)


@pytest.fixture
def worker_env(servers, mongo_db, namespace, topics, jwks_url):
    """worker_env("votes", VOTE_THRESHOLD="1") → the environment a service's worker needs to work on this test's
    database and topics."""
    return lambda service, **extra: {
        "MONGODB_URI": servers.mongodb, "KAFKA_BOOTSTRAP_SERVERS": servers.kafka, "JWKS_URL": jwks_url,
        "IDEALAB_NAMESPACE": namespace, f"{service.upper()}_DATABASE": mongo_db.name, **extra}


@pytest.fixture
def publish(servers, namespace, topics):
    """publish(*envelopes): puts events on the test's topics, as the services that own them would, and records of the
    contacts topic (event.contact(user, address)) on it, as accounts does."""
    publisher = kafka.Publisher(servers.kafka, namespace, timeout_seconds=10)

    def send(*envelopes) -> None:
        for envelope in envelopes:
            if "specversion" in envelope:
                publisher.publish([envelope])
            else:
                publisher.send_raw(namespace + events.CONTACTS_TOPIC, envelope["user_id"].encode(),
                                   json.dumps(envelope).encode(), [])
    yield send
    publisher.close()


# `make test` runs in four pytest-xdist workers (--dist loadgroup): a group runs whole on one worker. A module is a
# group, so its fixtures start once. The browser tests are two groups, each with a lab of its own (their lab lives as
# long as their package on a worker): one group would be the run's longest path. The fault tests and the benchmarks'
# smoke runs are one group, never two at once (each starts servers or a lab of its own and measures). Those three,
# the longest, go first (with --no-loadscope-reorder), one to each of three workers; the fourth starts on the rest.
OWN_SERVERS = ("tests/faults/", "bench/tests/test_smoke.py")
BROWSER = "tests/browser/"
FIRST = ("own servers", "browser 1", "browser 2")


def _groups(paths: set[str]) -> dict[str, str]:
    browser = sorted(p for p in paths if p.startswith(BROWSER))
    return {p: "own servers" if p.startswith(OWN_SERVERS) else
            f"browser {browser.index(p) % 2 + 1}" if p in browser else p for p in paths}


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(items):
    paths = {item: item.nodeid.split("::")[0] for item in items}
    group_of = _groups(set(paths.values()))
    for item in items:
        item.add_marker(pytest.mark.xdist_group(group_of[paths[item]]))
    items.sort(key=lambda item: FIRST.index(g) if (g := group_of[paths[item]]) in FIRST else len(FIRST))
