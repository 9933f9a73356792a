"""Every worker SIGKILLed in the middle of its work while members vote, and started again: once the system settles,
no vote is lost, none is counted twice, and every subscriber is notified of a status change exactly once."""
from collections import Counter

import pytest
import requests

from idealab import outbox
from idealab_testing import wait_for
from notifications import handlers as notifications_handlers
from notifications.store import NotificationStore
from votes import handlers as votes_handlers
from votes.store import VoteStore

from .system import Voting

pytestmark = pytest.mark.faults

THRESHOLD = 5
IDEAS = 3
VOTERS = [f"voter-{n:02d}" for n in range(30)]
WITHDRAWING = VOTERS[::6]  # they take back their vote on the first idea
SETTLE = 120  # seconds: a SIGKILLed consumer's partitions move to its successor after its session times out


def test_killing_every_worker_mid_work_loses_no_vote_counts_none_twice_and_notifies_everyone_once(
        system, service_db, bearer, kafka_state, namespace):
    ideas_api = system.api("ideas")
    votes_api = system.api("votes", VOTE_THRESHOLD=str(THRESHOLD))
    roadmap_api = system.api("roadmap")
    workers = {"votes": system.worker("votes", VOTE_THRESHOLD=str(THRESHOLD))}
    workers.update({s: system.worker(s) for s in ("ideas", "roadmap", "notifications")})
    authors = [f"author-{n}" for n in range(IDEAS)]
    idea_ids = [submit_idea(ideas_api.url, bearer(author)) for author in authors]

    total = len(VOTERS) * IDEAS + len(WITHDRAWING)
    voting = Voting(votes_api.url, idea_ids, bearer, VOTERS, WITHDRAWING,
                    pauses=[total * n // (len(workers) + 1) for n in range(1, len(workers) + 1)])
    voting.start()
    votes_topic, done_at_kill = namespace + "votes.events", {}
    for service, worker in workers.items():
        # Killed while votes are still to come, once its group has handled some: mid-work, whatever the box's speed.
        # The voting waits on the votes worker, which the previous kill left to a rebalance.
        wait_for(lambda: voting.paused.is_set() or not voting.is_alive(), timeout=120, what="the voting to go on")
        assert voting.is_alive(), voting.failures
        wait_for(lambda: kafka_state.committed(namespace + service, votes_topic) > 0, timeout=SETTLE,
                 what=f"the {service} worker to handle its first vote events")
        worker.kill()
        done_at_kill[service] = kafka_state.committed(namespace + service, votes_topic)
        worker.start()
        voting.resume()
    voting.join(120)
    assert not voting.is_alive() and voting.failures == []

    # Settled once every vote's event is published and the votes group has read them all: each tally is then its
    # idea's live votes, as the voters left them.
    votes_store = VoteStore(service_db("votes"))
    wait_for(lambda: votes_store.votes.count_documents(outbox.IS_PENDING) == 0
             and kafka_state.committed(namespace + "votes", votes_topic) == kafka_state.size(votes_topic),
             timeout=SETTLE, what="every vote counted")
    total = kafka_state.size(votes_topic)
    assert all(0 < done < total for done in done_at_kill.values()), f"each killed mid-work: {done_at_kill}"
    recounts = votes_handlers.reconcile_tallies(votes_store, THRESHOLD)
    assert {r.idea_id: (r.tally, r.live) for r in recounts} == {
        idea_id: (len(voting.live_voters(n)),) * 2 for n, idea_id in enumerate(idea_ids)}

    # Topics keep no order between them: a withdrawal read after the status change would rightly still notify.
    wait_for(lambda: kafka_state.committed(namespace + "notifications", votes_topic) == kafka_state.size(votes_topic),
             timeout=SETTLE, what="the notifications worker to know every vote")
    team = bearer("team-1", roles=("product_team",))
    for idea_id in idea_ids:
        wait_for(lambda: requests.get(f"{roadmap_api.url}/ideas/{idea_id}", timeout=5).json()["status"]
                 == "under_review", timeout=SETTLE, what="the threshold to send the idea to review")
        planned = requests.post(f"{roadmap_api.url}/ideas/{idea_id}/status", headers=team, timeout=10,
                                json={"status": "planned", "message": "Coming in the spring release."})
        assert planned.status_code == 200, planned.text
    workers["notifications"].kill()  # in the middle of fanning the status changes out
    workers["notifications"].start()

    inboxes = NotificationStore(service_db("notifications"))
    for n, idea_id in enumerate(idea_ids):
        live = len(voting.live_voters(n))
        wait_for(lambda: requests.get(f"{ideas_api.url}/{idea_id}", timeout=5).json()["vote_count"] == live,
                 timeout=SETTLE, what="the ideas list to show the final count")
        subscribers = voting.live_voters(n) | {authors[n]}
        notified = wait_for(lambda: (found := +planned_entries(inboxes, idea_id, [*VOTERS, *authors])) and
                            set(found) == subscribers and found, timeout=SETTLE, what="every subscriber notified")
        assert set(notified.values()) == {1}, "nobody is notified twice"


def planned_entries(inboxes: NotificationStore, idea_id: str, members: list[str]) -> Counter:
    """How many entries saying the idea is planned each member's inbox shows, read as the inbox API reads it."""
    return Counter({member: sum(1 for e in notifications_handlers.read_inbox(inboxes, member, 200)["entries"]
                                if e["idea_id"] == idea_id and e["to"] == "planned") for member in members})


def submit_idea(ideas_url: str, headers: dict) -> str:
    response = requests.post(ideas_url, headers=headers, timeout=10, json={
        "title": "Split a bill with friends", "description": "From the card payment screen.", "category": "cards"})
    assert response.status_code == 201, response.text
    return response.json()["id"]
