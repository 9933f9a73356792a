"""Erasure through the gateway leaves a member's email address nowhere (issue 11): not in any database of any service
(every collection, read whole), not in any topic (each read from its beginning: no event carries an address, and
the compacted contacts topic drops it once its tombstone's segment is compacted), not in the services' logs.

The member is real (signed up and verified through the gateway); the services other than accounts trust this lab's
test signer, which signs their token for the same id."""
import json
import re
import time

import pytest
import requests
from kafka import KafkaConsumer, TopicPartition
from pymongo import MongoClient

from idealab_testing import unique, wait_for

from .conftest import LAB_LOG
from .test_account_security import PASSWORD, Person, tokens_mailed

pytestmark = pytest.mark.e2e

# The contacts topic's segment closes ~11 s after the tombstone (the publisher's roll), and the broker's cleaner
# runs every 15 s when idle (log.cleaner.backoff.ms): about half a minute, with room for a loaded box.
ERASED_WITHIN = 120


def databases_holding(lab_env, text: str) -> list[str]:
    found = []
    with MongoClient(lab_env["MONGODB_URI"]) as client:
        for name in client.list_database_names():
            if name.startswith(lab_env["IDEALAB_NAMESPACE"]):
                for collection in client[name].list_collection_names():
                    for doc in client[name][collection].find():
                        if text in json.dumps(doc, default=str).lower():
                            found.append(f"{name}.{collection}:{doc['_id']}")
    return found


def topics_holding(lab_env, text: str) -> list[str]:
    """Every record of every topic of the lab, read from its beginning up to its end now."""
    needle = text.encode()
    consumer = KafkaConsumer(bootstrap_servers=lab_env["KAFKA_BOOTSTRAP_SERVERS"], enable_auto_commit=False)
    found = []
    try:
        topics = [t for t in consumer.topics() if t.startswith(lab_env["IDEALAB_NAMESPACE"])]
        partitions = [TopicPartition(t, p) for t in topics for p in consumer.partitions_for_topic(t) or ()]
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        ends = consumer.end_offsets(partitions)
        deadline = time.monotonic() + 30
        while any(consumer.position(p) < ends[p] for p in partitions) and time.monotonic() < deadline:
            for tp, records in consumer.poll(timeout_ms=500).items():
                found += [f"{tp.topic}[{tp.partition}]@{r.offset}" for r in records
                          if needle in (r.key or b"").lower() or needle in (r.value or b"").lower()]
        assert all(consumer.position(p) >= ends[p] for p in partitions), "the topics could not be read to their end"
    finally:
        consumer.close()
    return found


def service_log_lines_holding(text: str) -> list[str]:
    """The lab's processes' log lines (honcho prefixes each with its process), but the mail sink's: it is the mail
    server the lab stands in for, not a service, and prints every mail it receives."""
    process = re.compile(r"^\S+ (\S+?)\.\d+\s+\|")
    lines = LAB_LOG.read_text(errors="replace").splitlines()
    return [line for line in lines if text in line.lower()
            and not ((m := process.match(line)) and m.group(1) == "mail")]


def test_an_erased_member_s_address_is_in_no_database_topic_or_log(gateway, member, lab_env):
    address = f"{unique('erin')}@example.com"
    erin = Person(gateway, "Erin", email=address)
    [token] = tokens_mailed(address, "verify", 1)
    assert erin.post("/api/accounts/verifications", json={"token": token}).status_code == 204
    erin.sign_in()
    erin_id = erin.http.get(f"{gateway}/api/accounts/me", timeout=10).json()["id"]
    lab = member(erin_id)  # Erin in the other services
    idea = lab.post("/api/ideas", json={"title": "Statements in plain words", "description": "No jargon, please.",
                                        "category": "statements"})
    assert idea.status_code == 201, idea.text
    wait_for(lambda: lab.post(f"/api/votes/ideas/{idea.json()['id']}").status_code in (201, 409),
             what="the idea open to votes")
    wait_for(lambda: lab.get(f"/api/notifications/users/{erin_id}/preferences").json()["email_address_known"],
             timeout=30, what="notifications to learn Erin's address from the contacts topic")
    # Where the address is before the erasure: the scans below can find it.
    assert databases_holding(lab_env, address) and topics_holding(lab_env, address)

    erased = erin.delete("/api/accounts/me", json={"password": PASSWORD})
    assert erased.status_code == 204, erased.text

    wait_for(lambda: not databases_holding(lab_env, address), timeout=30, what="no database to hold the address")
    wait_for(lambda: not topics_holding(lab_env, address), timeout=ERASED_WITHIN,
             what="no topic to hold the address (the contacts topic compacted)")
    assert service_log_lines_holding(address) == []
    assert requests.post(f"{gateway}/api/accounts/sessions", json={"email": address, "password": PASSWORD},
                         timeout=10).status_code == 401
