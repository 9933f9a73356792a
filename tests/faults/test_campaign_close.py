"""The votes worker SIGKILLed at a campaign's closing instant, and again the moment its close is written, then started
again: the campaign closes once (issue 12): one result, one `campaign.closed` on the topic, counts as cast."""
import time
from datetime import datetime, timedelta, timezone

import pytest
import requests

from idealab import outbox
from idealab_testing import wait_for
from votes import campaigns

from .system import killed_at_the_close_and_once_it_is_written, set_up_by_staff

pytestmark = pytest.mark.faults

VOTES = {"food-banks": 3, "literacy": 2, "shelters": 1}


def test_the_votes_worker_killed_at_the_closing_instant_and_restarted_closes_the_campaign_once(
        system, service_db, bearer, kafka_state, namespace):
    votes_api = system.api("votes")
    worker = system.worker("votes")
    opens = datetime.now(timezone.utc) + timedelta(seconds=3)
    closes = opens + timedelta(seconds=8)
    campaign_id = set_up_by_staff(votes_api, bearer, "campaigns", {
        "title": {"en": "Where should 150,000 CAD go?"}, "description": {"en": "Six weeks, one choice."},
        "options": [{"id": option, "name": option.title()} for option in (*VOTES, "seniors")],
        "opens_at": opens.isoformat(), "closes_at": closes.isoformat(), "rule": {"kind": "single"}})
    time.sleep(max(0.0, (opens - datetime.now(timezone.utc)).total_seconds()))
    voters = [(f"voter-{option}-{n}", option) for option, count in VOTES.items() for n in range(count)]
    for voter, option in voters:
        cast = requests.put(f"{votes_api.url}/campaigns/{campaign_id}/ballot", headers=bearer(voter), timeout=10,
                            json={"choices": {option: 1}})
        assert cast.status_code == 200, cast.text

    stored = service_db("votes").campaigns
    killed_at_the_close_and_once_it_is_written(
        worker, closes + campaigns.CLOSE_SETTLE, lambda: stored.find_one({"_id": campaign_id}, {"closed": 1})["closed"],
        "the restarted worker to close the campaign")

    wait_for(lambda: stored.count_documents({"_id": campaign_id, **outbox.IS_PENDING}) == 0, timeout=60,
             what="the close to be published")
    time.sleep(2)  # a few ticks of the restarted clock, which must close nothing again
    closed = [e for e in kafka_state.events(namespace + "votes.events")
              if e["type"] == "campaign.closed" and e["data"]["campaign_id"] == campaign_id]
    assert len({e["id"] for e in closed}) == 1, closed  # a relay killed mid-publish may repeat one, never make two
    result = requests.get(f"{votes_api.url}/campaigns/{campaign_id}/results", timeout=10).json()
    assert result["final"] and result["ballots"] == len(voters)
    assert {o["option_id"]: o["count"] for o in result["options"]} == {**VOTES, "seniors": 0}
    assert closed[0]["data"]["digest"] == result["digest"] and closed[0]["data"]["ballots"] == len(voters)
