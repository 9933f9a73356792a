"""Campaigns through the votes API and worker: staff set one up, members cast and change one ballot while it is open
by the server's clock (moved by the tests), the clock closes it once with its counts, split and digest, and the
shipped script recomputes them from the export."""
import json
from datetime import datetime, timedelta, timezone
from functools import partial

import pytest

from idealab_testing import Clock, as_consumed
from votes import campaigns, handlers, verify_campaign

pytestmark = pytest.mark.integration

OPENS = datetime(2026, 5, 1, 12, tzinfo=timezone.utc)
CLOSES = OPENS + timedelta(weeks=3)
CHARITIES = ["food-bank", "literacy", "shelter", "youth", "seniors", "trees"]


@pytest.fixture
def clock(app):
    app.extensions["votes.clock"] = clock = Clock(OPENS - timedelta(days=1))
    return clock


def setup(**overrides) -> dict:
    return {"title": {"en": "Six charities", "fr": "Six organismes"}, "description": {"en": "Split 150,000 CAD"},
            "options": [{"id": c, "name": c.replace("-", " ").title()} for c in CHARITIES],
            "opens_at": OPENS.isoformat(), "closes_at": CLOSES.isoformat(), "rule": {"kind": "single"},
            "budget": {"amount": 15_000_000, "currency": "CAD"},
            # Counting is tested here with unverified accounts; who counts when: test_integrity.py.
            "unverified_may_vote": True, **overrides}


@pytest.fixture
def create(set_up_by_staff, clock):
    return lambda **overrides: set_up_by_staff("campaigns", setup(**overrides))


def cast(client, headers, campaign_id, choices):
    return client.put(f"/api/votes/campaigns/{campaign_id}/ballot", json={"choices": choices}, headers=headers)


def recount(store, campaign_id):
    handlers.on_ballot_events(store, [as_consumed(campaigns.ballot_cast(campaign_id, "x", 1, OPENS))])


def test_staff_create_a_campaign_members_may_not_and_it_is_editable_only_before_it_opens(client, staff, bearer,
                                                                                       create, clock):
    assert client.post("/api/votes/campaigns", json=setup(), headers=bearer("ann")).status_code == 403
    campaign_id = create()
    shown = client.get(f"/api/votes/campaigns/{campaign_id}").get_json()
    assert shown["state"] == "scheduled" and len(shown["options"]) == 6 and shown["title"]["fr"] == "Six organismes"

    edited = client.put(f"/api/votes/campaigns/{campaign_id}", json=setup(results="hidden"), headers=staff)
    assert edited.status_code == 200 and edited.get_json()["results"] == "hidden"
    clock.at = OPENS
    refused = client.put(f"/api/votes/campaigns/{campaign_id}", json=setup(), headers=staff)
    assert refused.status_code == 409 and refused.mimetype == "application/problem+json"


def test_a_setup_closing_before_it_opens_or_with_a_rule_without_k_is_a_422(client, staff, clock):
    for bad in (setup(closes_at=OPENS.isoformat()), setup(rule={"kind": "points"}), setup(title={})):
        response = client.post("/api/votes/campaigns", json=bad, headers=staff)
        assert response.status_code == 422 and response.mimetype == "application/problem+json", response.get_json()


def test_ballots_are_taken_from_the_opening_instant_and_refused_from_the_closing_instant(client, bearer, create,
                                                                                       clock):
    campaign_id = create()
    ann = bearer("ann")
    clock.at = OPENS - timedelta(microseconds=1000)
    early = cast(client, ann, campaign_id, {"literacy": 1})
    assert early.status_code == 409 and "opens at" in early.get_json()["detail"]
    clock.at = OPENS
    assert cast(client, ann, campaign_id, {"literacy": 1}).status_code == 200
    clock.at = CLOSES - timedelta(milliseconds=1)
    changed = cast(client, ann, campaign_id, {"trees": 1})
    assert changed.status_code == 200 and changed.get_json()["choices"] == {"trees": 1}
    clock.at = CLOSES
    late = cast(client, ann, campaign_id, {"youth": 1})
    assert late.status_code == 409 and "closed at" in late.get_json()["detail"]
    assert client.get(f"/api/votes/campaigns/{campaign_id}/ballot", headers=ann).get_json()["choices"] == {"trees": 1}


def test_a_malformed_ballot_is_a_422_naming_the_choices(client, bearer, create, clock):
    campaign_id = create(rule={"kind": "multiple", "k": 2})
    clock.at = OPENS
    for choices in ({"food-bank": 1, "literacy": 1, "trees": 1}, {"ships": 1}, {"food-bank": 2}, {}):
        response = cast(client, bearer("ann"), campaign_id, choices)
        assert response.status_code == 422 and "choices" in response.get_json()["errors"], choices


def test_eligibility_by_role_refuses_others_with_a_403_saying_who_may(client, bearer, create, clock):
    campaign_id = create(eligibility={"kind": "role", "role": "employee"})
    clock.at = OPENS
    refused = cast(client, bearer("ann"), campaign_id, {"trees": 1})
    assert refused.status_code == 403 and "role employee" in refused.get_json()["detail"]
    assert cast(client, bearer("eve", roles=("member", "employee")), campaign_id, {"trees": 1}).status_code == 200


def test_a_campaign_of_a_space_is_not_there_for_outsiders_in_any_read(client, bearer, create, clock, store):
    campaign_id = create(eligibility={"kind": "space", "space": "ing-canada"})
    clock.at = OPENS
    insider, outsider = bearer("ian", spaces=("ing-canada",)), bearer("olga", spaces=("other",))
    assert cast(client, insider, campaign_id, {"trees": 1}).status_code == 200
    for headers in (outsider, {}):
        for path in ("", "/ballot", "/results", "/export", "/export?format=csv"):
            assert client.get(f"/api/votes/campaigns/{campaign_id}{path}", headers=headers).status_code in (404, 401)
        assert campaign_id not in [c["id"] for c in client.get("/api/votes/campaigns", headers=headers).get_json()[
            "campaigns"]]
    assert cast(client, outsider, campaign_id, {"trees": 1}).status_code == 404
    assert campaign_id in [c["id"] for c in client.get("/api/votes/campaigns", headers=insider).get_json()[
        "campaigns"]]


def test_hidden_results_are_shown_to_staff_only_until_the_close(client, bearer, staff, create, clock, store):
    campaign_id = create(results="hidden")
    clock.at = OPENS
    cast(client, bearer("ann"), campaign_id, {"trees": 1})
    recount(store, campaign_id)
    assert client.get(f"/api/votes/campaigns/{campaign_id}/results", headers=bearer("ann")).status_code == 403
    live = client.get(f"/api/votes/campaigns/{campaign_id}/results", headers=staff).get_json()
    assert live["final"] is False and live["ballots"] == 1


def test_the_clock_closes_once_with_counts_split_and_digest_that_the_script_recomputes(client, bearer, create,
                                                                                     clock, store, tmp_path):
    campaign_id = create()
    clock.at = OPENS
    votes = ["food-bank"] * 3 + ["literacy"] * 2 + ["trees"] * 2
    for n, option in enumerate(votes):
        assert cast(client, bearer(f"m{n}"), campaign_id, {option: 1}).status_code == 200
    recount(store, campaign_id)
    live = client.get(f"/api/votes/campaigns/{campaign_id}/results").get_json()
    assert live["ballots"] == 7 and live["options"][0]["count"] == 3

    assert handlers.run_campaign_clock(store, OPENS) == 1  # announced open
    assert handlers.run_campaign_clock(store, CLOSES) == 0  # the close waits for ballots still on their way
    assert handlers.run_campaign_clock(store, CLOSES + campaigns.CLOSE_SETTLE) == 1
    assert handlers.run_campaign_clock(store, CLOSES + campaigns.CLOSE_SETTLE) == 0  # a restart closes nothing

    result = client.get(f"/api/votes/campaigns/{campaign_id}/results").get_json()
    amounts = [o["amount"] for o in result["options"]]
    assert result["final"] and sum(amounts) == 15_000_000
    assert amounts == [6_428_572, 4_285_714, 0, 0, 0, 4_285_714]
    closed = [e for e in store.campaigns.find_one({"_id": campaign_id})["outbox"] if e["type"] == "campaign.closed"]
    assert len(closed) == 1 and closed[0]["data"]["digest"] == result["digest"]

    exported = tmp_path / "export.json"
    exported.write_text(client.get(f"/api/votes/campaigns/{campaign_id}/export").get_data(as_text=True))
    assert verify_campaign.main([str(exported)]) == 0
    csv_file = tmp_path / "export.csv"
    csv_file.write_text(client.get(f"/api/votes/campaigns/{campaign_id}/export?format=csv").get_data(as_text=True))
    assert verify_campaign.main([str(csv_file), "--digest", result["digest"]]) == 0
    tampered = json.loads(exported.read_text())
    tampered["ballot_export"][0]["choices"] = {"shelter": 1}
    exported.write_text(json.dumps(tampered))
    assert verify_campaign.main([str(exported)]) == 1


def test_two_closers_at_the_closing_instant_close_the_campaign_once(client, bearer, create, clock, store, together):
    campaign_id = create()
    clock.at = OPENS
    cast(client, bearer("ann"), campaign_id, {"youth": 1})
    close = partial(handlers.close_campaign, store, store.campaign(campaign_id))
    assert sorted(together(close, close)) == [False, True]
    events = store.campaigns.find_one({"_id": campaign_id})["outbox"]
    assert [e["type"] for e in events] == ["campaign.closed"]


def test_the_opening_is_announced_once(create, clock, store):
    campaign_id = create()
    assert handlers.run_campaign_clock(store, OPENS - timedelta(microseconds=1000)) == 0
    assert handlers.run_campaign_clock(store, OPENS) == 1
    assert handlers.run_campaign_clock(store, OPENS) == 0
    assert [e["type"] for e in store.campaigns.find_one({"_id": campaign_id})["outbox"]] == ["campaign.opened"]


def test_a_ballot_is_one_document_with_its_event_and_the_recount_counts_a_changed_ballot_once(client, bearer,
                                                                                            create, clock, store):
    campaign_id = create(rule={"kind": "points", "k": 5})
    clock.at = OPENS
    cast(client, bearer("ann"), campaign_id, {"trees": 3, "youth": 2})
    cast(client, bearer("ann"), campaign_id, {"trees": 5})
    ballot = store.ballots.find_one({"campaign_id": campaign_id})
    assert [e["data"]["ballot_version"] for e in ballot["outbox"]] == [1, 2]
    for _ in range(2):  # delivered twice
        recount(store, campaign_id)
    assert store.campaign(campaign_id)["tally"]["counts"] == {c: (5 if c == "trees" else 0) for c in CHARITIES}
