"""The votes worker SIGKILLed at a contest round's closing instant, and again the moment the round's close is written,
then started again: the round closes once and is decided once (issue 12), with one `contest.round_closed` per round on
the topic and the votes as cast before the close."""
import json
import time
from datetime import datetime, timedelta, timezone

import pytest
import requests
from kafka import KafkaProducer

from idealab import outbox
from idealab.events import new_event
from idealab_testing import round_and_final, wait_for
from votes import contests

from .system import killed_at_the_close_and_once_it_is_written, set_up_by_staff

pytestmark = pytest.mark.faults

VOTES = {"tip-a": 3, "tip-b": 2, "tip-c": 1}


def enter(servers, namespace: str, contest_id: str, entries: list[str]) -> None:
    """The entries as the ideas service announces them (idea.submitted with their contest and round)."""
    producer = KafkaProducer(bootstrap_servers=servers.kafka)
    for entry in entries:
        event = new_event("idea.submitted", {
            "idea_id": entry, "title": entry, "description": "a saving tip", "category": "contest",
            "author_id": f"author-{entry}", "submitted_at": datetime.now(timezone.utc), "contest_id": contest_id,
            "round": 1}, source="/ideas", subject=entry)
        producer.send(namespace + "ideas.events", key=entry.encode(), value=json.dumps(event).encode()).get(10)
    producer.close()


def test_the_votes_worker_killed_at_a_rounds_closing_instant_and_restarted_closes_and_decides_it_once(
        system, service_db, bearer, kafka_state, namespace, servers):
    votes_api = system.api("votes")
    worker = system.worker("votes")
    opens = datetime.now(timezone.utc) + timedelta(seconds=2)
    closes = opens + timedelta(seconds=10)
    contest_id = set_up_by_staff(votes_api, bearer, "contests", {
        "title": {"es": "Genios del Ahorro"}, "description": {"es": "Trucos"}, "currency": "EUR",
        "shortlist_size": 2, "jury": {"kind": "role"}, "criteria": [{"id": "saving", "name": {"es": "Ahorro"}}],
        **round_and_final(opens, closes, judging=4, final_judging=5)})
    entries = [f"{name}-{contest_id}" for name in VOTES]
    enter(servers, namespace, contest_id, entries)
    for entry, count in zip(entries, VOTES.values()):
        for n in range(count):
            wait_for(lambda: requests.post(f"{votes_api.url}/ideas/{entry}", headers=bearer(f"voter-{n}"),
                                           timeout=10).status_code == 201, what="a vote for an entry")
    assert datetime.now(timezone.utc) < closes, "the votes took longer than the round: raise its length"

    stored = service_db("votes").contests
    killed_at_the_close_and_once_it_is_written(
        worker, closes + contests.SETTLE,
        lambda: "ranking" in stored.find_one({"_id": contest_id}, {"rounds": 1})["rounds"][0],
        "the restarted worker to close the round")

    wait_for(lambda: all("winner" in r for r in stored.find_one({"_id": contest_id}, {"rounds": 1})["rounds"]),
             timeout=60, what="the round and the final to be decided")
    wait_for(lambda: stored.count_documents({"_id": contest_id, **outbox.IS_PENDING}) == 0, timeout=60,
             what="the results to be published")
    time.sleep(2)  # a few ticks of the restarted clock, which must take no step again
    closed = [e for e in kafka_state.events(namespace + "votes.events")
              if e["type"] == "contest.round_closed" and e["data"]["contest_id"] == contest_id]
    by_round = {}
    for e in closed:  # a relay killed mid-publish may repeat an event, never make a second one
        by_round.setdefault(e["data"]["round"], set()).add(e["id"])
    assert {number: len(ids) for number, ids in by_round.items()} == {1: 1, 2: 1}, closed
    first = next(e for e in closed if e["data"]["round"] == 1)
    assert {r["entry_id"]: r["votes"] for r in first["data"]["ranking"]} == dict(zip(entries, VOTES.values()))
    assert first["data"]["winner"] == entries[0]  # no scoresheet: the most voted of the shortlist
