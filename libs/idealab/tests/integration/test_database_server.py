"""What the services rely on from the database server, checked on whichever one the tests run against (FerretDB
behind deploy/ferretdb's proxy here, MongoDB under testcontainers or in production)."""
import threading

import pytest
from pymongo import MongoClient

pytestmark = pytest.mark.integration


def run_together(*jobs) -> None:
    threads = [threading.Thread(target=job) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def test_concurrent_updates_of_one_document_from_several_clients_are_all_kept(servers, mongo_db):
    # Separate clients, as separate processes (an API and a worker) would be.
    clients = [MongoClient(servers.mongodb) for _ in range(3)]
    collections = [c[mongo_db.name]["counters"] for c in clients]
    collections[0].insert_one({"_id": "tally", "count": 0, "outbox": []})
    rounds = 150

    def increment(collection):
        return lambda: [collection.update_one({"_id": "tally"}, {"$inc": {"count": 1}}) for _ in range(rounds)]

    def push(collection):
        return lambda: [collection.update_one({"_id": "tally"}, {"$push": {"outbox": {"id": n}}})
                        for n in range(rounds)]

    run_together(increment(collections[0]), increment(collections[1]), push(collections[2]))
    for client in clients:
        client.close()

    stored = mongo_db["counters"].find_one({"_id": "tally"})
    assert stored["count"] == 2 * rounds
    assert len(stored["outbox"]) == rounds
