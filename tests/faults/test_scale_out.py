"""Workers scale out: instances of one service share its topics' partitions, and one relays its outbox. Killing
one moves its partitions and, if it held it, the relay lease to the other, and no vote is lost or counted twice."""
import pytest

from idealab import outbox
from idealab.kafka import PARTITIONS
from idealab_testing import wait_for
from votes import handlers as votes_handlers
from votes.store import VoteStore

from .system import Voting, assignments, subscriptions

pytestmark = pytest.mark.faults

THRESHOLD = 1000  # not reached: this test is about counting
IDEAS = [f"idea-{n}" for n in range(6)]  # spread over the partitions by their keys
VOTERS = [f"voter-{n:02d}" for n in range(20)]


def test_two_votes_workers_share_the_partitions_and_the_survivor_takes_over_the_killed_ones_work(
        system, servers, namespace, publish, event, service_db, bearer, kafka_state):
    votes_api = system.api("votes", VOTE_THRESHOLD=str(THRESHOLD))
    instances = [system.worker("votes", name=f"votes-worker-{n}", VOTE_THRESHOLD=str(THRESHOLD)) for n in (1, 2)]
    ideas = [namespace + idea for idea in IDEAS]
    publish(*(event.submitted(idea_id) for idea_id in ideas))
    group = namespace + "votes"
    # Two instances starting together: the group rebalances as the second joins.
    shares = wait_for(lambda: (found := assignments(servers.kafka, group)) and len(found) == 2 and all(found)
                      and found, timeout=90, what="both instances to hold partitions")
    every_partition = {(t, p) for t in subscriptions(servers.kafka, group) for p in range(PARTITIONS)}
    assert not shares[0] & shares[1] and shares[0] | shares[1] == every_partition

    leases = service_db("votes")["leases"]
    holder_pid = int(wait_for(lambda: leases.find_one({"_id": "outbox-relay"}), what="a relay to take the lease")
                     ["owner"].split(":")[1])
    holder = next(i for i in instances if i.popen.pid == holder_pid)
    survivor = next(i for i in instances if i is not holder)

    voting = Voting(votes_api.url, ideas, bearer, VOTERS)
    voting.start()
    wait_for(lambda: voting.requests_made >= voting.total // 3, timeout=90, what="the voting to go on")
    holder.kill()
    voting.join(120)
    assert not voting.is_alive() and voting.failures == []

    # The killed instance's partitions move once its session times out and the group rebalances.
    wait_for(lambda: assignments(servers.kafka, group) == [every_partition], timeout=120,
             what="the survivor to hold every partition")
    # The lease passes when it expires, which need not be before the group's rebalance ends.
    wait_for(lambda: (lease := leases.find_one({"_id": "outbox-relay"}))
             and lease["owner"].split(":")[1] == str(survivor.popen.pid), timeout=60, what="the survivor to take the relay lease")
    # Settled once every vote's event is published and the group has read them all: each tally is then exact.
    votes_store = VoteStore(service_db("votes"))
    votes_topic = namespace + "votes.events"
    wait_for(lambda: votes_store.votes.count_documents(outbox.IS_PENDING) == 0
             and kafka_state.committed(group, votes_topic) == kafka_state.size(votes_topic),
             timeout=60, what="every vote counted")
    recounts = votes_handlers.reconcile_tallies(votes_store, THRESHOLD)
    assert {r.idea_id: (r.tally, r.live) for r in recounts} == {i: (len(VOTERS),) * 2 for i in ideas}
