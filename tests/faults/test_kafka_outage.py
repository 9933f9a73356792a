"""The Kafka broker stops during writes and comes back: the APIs keep accepting writes (their events wait in the
outbox) and every event arrives once it is back. A broker of the test's own: the shared one is never stopped."""
import pytest
import requests

from idealab import events, kafka, outbox
from idealab_testing import Inspector, SampleEvents, wait_for

pytestmark = pytest.mark.faults

VOTERS = [f"voter-{n}" for n in range(12)]


def test_votes_cast_while_the_broker_is_down_are_accepted_and_counted_once_it_is_back(
        system, private_kafka, service_db, namespace, bearer, idea_id):
    votes = system.api("votes", KAFKA_BOOTSTRAP_SERVERS=private_kafka.bootstrap)
    system.worker("votes", KAFKA_BOOTSTRAP_SERVERS=private_kafka.bootstrap)
    # The topics exist before the publish: the worker may not have created them yet on this fresh broker.
    kafka.ensure_topics(private_kafka.bootstrap, [namespace + t for t in events.TOPICS])
    publisher = kafka.Publisher(private_kafka.bootstrap, namespace, timeout_seconds=30)
    publisher.publish([SampleEvents.submitted(idea_id)])
    publisher.close()
    tally = f"{votes.url}/ideas/{idea_id}"
    # The worker's group forms for the first time on a fresh broker: slower than on the shared one.
    wait_for(lambda: requests.get(tally, timeout=5).status_code == 200, timeout=120, what="the idea open to votes")
    cast = lambda voter: requests.post(tally, headers=bearer(voter), timeout=10)  # noqa: E731

    assert cast(VOTERS[0]).status_code == 201
    private_kafka.stop()
    for voter in VOTERS[1:]:
        response = cast(voter)
        assert response.status_code == 201, response.text
    waiting = service_db("votes")["votes"].count_documents({"outbox.0": {"$exists": True}})
    assert waiting >= len(VOTERS) - 1, "the votes cast during the outage wait in the outbox"

    private_kafka.start()
    wait_for(lambda: requests.get(tally, timeout=5).json()["count"] == len(VOTERS), timeout=120,
             what="every vote counted once the broker is back")
    cast_events = [e for e in Inspector(private_kafka.bootstrap).events(namespace + "votes.events")
                   if e["type"] == "vote.cast"]
    # At least once: a publish cut off by the outage is sent again whole, so an event may be there twice.
    assert {e["data"]["voter_id"] for e in cast_events} == set(VOTERS)
    # The relay settles a document (clears its flag) just after the publish the tally already shows.
    wait_for(lambda: service_db("votes")["votes"].count_documents(outbox.IS_PENDING) == 0,
             what="the outbox emptied")
