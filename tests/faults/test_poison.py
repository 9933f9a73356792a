"""Poison messages: one on every topic lands in the dead-letter topic of every group that reads it, with its error,
and the groups go on past it; the operator's `redrive` puts dead letters back once the cause is fixed."""
import json
import os
import subprocess
import sys
from datetime import datetime, timezone

import pytest
from kafka import KafkaProducer

from idealab import events
from idealab.cli import dead_letters
from idealab_testing import Inspector, wait_for

from .system import subscriptions

pytestmark = pytest.mark.faults

SERVICES = ("ideas", "votes", "roadmap", "notifications")  # their consumer groups are named after them
POISON = b'{"specversion": "1.0", "type": "idea.submitted", "data": '  # cut off: not JSON


def test_a_poison_message_on_every_topic_is_dead_lettered_by_every_group_and_consumption_goes_on(
        system, servers, namespace, publish, event, idea_id, service_db):
    for service in SERVICES:
        system.worker(service)
    # Four workers starting together: their groups form while the box is busiest.
    reads = {s: wait_for(lambda: subscriptions(servers.kafka, namespace + s), timeout=90, what=f"the {s} group to form")
             for s in SERVICES}
    producer = KafkaProducer(bootstrap_servers=servers.kafka, acks="all")
    for topic in events.TOPICS:
        producer.send(namespace + topic, key=idea_id.encode(), value=POISON).get(10)
    producer.close()
    # Events of the same idea after the poison (same key, so the same partition, read after it).
    publish(event.submitted(idea_id), event.threshold_reached(idea_id),
            event.status_changed(idea_id, to_status="planned"))

    inspector = Inspector(servers.kafka)
    for service, topics in reads.items():
        for topic in topics:
            wait_for(lambda: inspector.committed(namespace + service, topic) == inspector.size(topic),
                     what=f"{service} to read {topic} to its end")
        letters = dead_letters(servers.kafka, namespace + service)
        assert sorted(letter.topic for letter in letters) == sorted(topics), service
        for letter in letters:
            assert letter.value == POISON and letter.key == idea_id.encode()
            assert "malformed event" in letter.error and "not JSON" in letter.error
    assert service_db("roadmap")["items"].find_one({"_id": idea_id})["status"] == "under_review"


def cli(service: str, env: dict, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", f"{service}.cli", *args], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done


def test_a_vote_the_votes_service_lost_is_dead_lettered_and_counted_once_it_is_restored_and_redriven(
        system, namespace, publish, event, idea_id, service_db, servers):
    system.worker("votes")
    env = {**os.environ, **system.env_for("votes")}
    # The votes database restored from a backup older than the vote: its event comes, its document is missing.
    publish(event.submitted(idea_id), event.vote_cast(idea_id, "ann"))
    letters = wait_for(lambda: dead_letters(servers.kafka, namespace + "votes"), what="the vote dead-lettered")
    assert [json.loads(letter.value)["type"] for letter in letters] == ["vote.cast"]
    listed = [json.loads(line) for line in cli("votes", env, "dead-letters").stdout.splitlines()]
    assert [(entry["topic"], entry["key"]) for entry in listed] == [(namespace + "votes.events", idea_id)]
    assert f"VoteMissing: no vote document {idea_id}:ann" in listed[0]["error"]

    service_db("votes")["votes"].insert_one({  # the operator restores the vote as it was
        "_id": f"{idea_id}:ann", "idea_id": idea_id, "voter_id": "ann", "live": True, "version": 1,
        "cast_at": datetime.now(timezone.utc)})
    assert "re-drove 1 " in cli("votes", env, "redrive").stdout

    tallies = service_db("votes")["tallies"]
    wait_for(lambda: (tallies.find_one({"_id": idea_id}) or {}).get("count") == 1, what="the re-driven vote counted")
    assert "re-drove 0 " in cli("votes", env, "redrive").stdout, "what was re-driven is not sent twice"
    assert len(dead_letters(servers.kafka, namespace + "votes")) == 1, "nothing more dead-lettered"
