"""Fixtures of the fault tests: the services as processes over this test's namespace, and servers of the test's own
for the tests that stop or kill Kafka or the database server."""
import pytest
from pymongo import MongoClient

from .system import PrivateKafka, System, private_engine

SERVICES = ("ideas", "votes", "roadmap", "notifications")


@pytest.fixture
def system(worker_env, mongo_db, servers, tmp_path):
    """system.api("votes"), system.worker("votes", VOTE_THRESHOLD="3"): processes that are stopped when the test
    ends; each service's database is named after the test's, and dropped afterwards."""
    databases = {s: f"{mongo_db.name}_{s}" for s in SERVICES}
    running = System(lambda s: worker_env(s, **{f"{s.upper()}_DATABASE": databases[s]}), tmp_path)
    yield running
    running.stop()
    with MongoClient(servers.mongodb, serverSelectionTimeoutMS=5000) as client:
        for name in databases.values():
            client.drop_database(name)


@pytest.fixture
def service_db(servers, mongo_db):
    """service_db("votes"): the database the `system` fixture gives that service, to look at what it stored."""
    client = MongoClient(servers.mongodb, serverSelectionTimeoutMS=5000, tz_aware=True)
    yield lambda service: client[f"{mongo_db.name}_{service}"]
    client.close()


@pytest.fixture
def private_database():
    database = private_engine().start()
    yield database
    database.remove()


@pytest.fixture
def private_kafka(tmp_path):
    broker = PrivateKafka(tmp_path).start()
    yield broker
    broker.kill()
