"""One account, one voice (issue 11) in the votes API and worker: where a space or a campaign counts verified accounts
only, an unverified account's vote or ballot is kept and counts from its verification (whichever of the two the
worker reads first); a burst of new accounts voting the same way is flagged with the evidence, never dropped."""
from datetime import datetime, timedelta, timezone

import pytest

from idealab.events import new_event
from idealab_testing import as_consumed
from votes import domain, handlers, integrity

from .test_campaigns import OPENS, cast, clock, create  # noqa: F401 - fixtures

pytestmark = pytest.mark.integration

NOW = datetime.now(timezone.utc)


def accounts_say(store, threshold, event_type, **data):
    subject = data.get("user_id") or data["space_id"]
    handlers.event_handlers(store, threshold)[event_type](as_consumed(new_event(event_type, data, source="/accounts",
                                                                          subject=subject)))


def verified(store, threshold, user_id, at=NOW):
    accounts_say(store, threshold, "user.email_verified", user_id=user_id, verified_at=at)


def worker_reads_votes(store, threshold, idea_id, voters, burst=integrity.Burst()):
    handlers.on_vote_events(store, threshold, [as_consumed(domain.vote_cast(idea_id, v, 1, NOW)) for v in voters],
                            burst)


@pytest.fixture
def savings_panel(store, threshold, event):
    """A space that counts verified accounts only, and an idea in it."""
    accounts_say(store, threshold, "space.created", space_id="savings", name="Savings", by="admin",
                 created_at=NOW, unverified_may_vote=False)
    handlers.on_idea_submitted(store, as_consumed(event.submitted("savings-idea", space="savings")))
    return "savings-idea"


def test_in_a_verified_only_space_an_unverified_vote_is_kept_and_counts_from_verification(
        client, bearer, store, threshold, savings_panel):
    ann, bob = bearer("ann", spaces=("savings",)), bearer("bob", spaces=("savings",))
    verified(store, threshold, "bob")
    answers = [client.post(f"/api/votes/ideas/{savings_panel}", headers=h) for h in (ann, bob)]
    assert [a.status_code for a in answers] == [201, 201]
    assert [a.get_json()["awaiting_verification"] for a in answers] == [True, False]
    worker_reads_votes(store, threshold, savings_panel, ["ann", "bob"])
    assert store.tally(savings_panel).count == 1
    assert client.get(f"/api/votes/ideas/{savings_panel}", headers=ann).get_json()["my_vote"] is True

    verified(store, threshold, "ann")

    assert store.tally(savings_panel).count == 2
    assert store.vote(savings_panel, "ann").get("awaiting_verification") is None


def test_a_verification_the_worker_read_before_the_vote_lets_it_count(client, bearer, store, threshold,
                                                                     savings_panel):
    """The API marked the vote waiting (its read model had not the verification yet); the worker, reading the cast
    after the verification, lets it count."""
    assert client.post(f"/api/votes/ideas/{savings_panel}",
                       headers=bearer("cy", spaces=("savings",))).get_json()["awaiting_verification"] is True
    store.note_verified("cy", NOW)  # read by the worker just after the API looked
    worker_reads_votes(store, threshold, savings_panel, ["cy"])
    assert store.tally(savings_panel).count == 1


def test_the_public_lab_and_spaces_that_say_nothing_count_unverified_votes(client, bearer, store, threshold, event):
    handlers.on_idea_submitted(store, as_consumed(event.submitted("public-idea")))
    answer = client.post("/api/votes/ideas/public-idea", headers=bearer("dan"))
    assert answer.status_code == 201 and answer.get_json()["awaiting_verification"] is False
    worker_reads_votes(store, threshold, "public-idea", ["dan"])
    assert store.tally("public-idea").count == 1


def test_a_budget_campaign_counts_verified_ballots_by_default_and_the_rest_from_verification(
        client, bearer, store, threshold, create, clock):
    campaign_id = create(unverified_may_vote=None)  # a budget, and nothing said
    assert client.get(f"/api/votes/campaigns/{campaign_id}").get_json()["unverified_may_vote"] is False
    clock.at = OPENS
    verified(store, threshold, "eve")
    assert cast(client, bearer("eve"), campaign_id, {"literacy": 1}).get_json()["awaiting_verification"] is False
    waiting = cast(client, bearer("fay"), campaign_id, {"trees": 1})
    assert waiting.status_code == 200 and waiting.get_json()["awaiting_verification"] is True
    handlers.recount_campaign(store, campaign_id)
    results = client.get(f"/api/votes/campaigns/{campaign_id}/results").get_json()
    assert results["ballots"] == 1

    verified(store, threshold, "fay")

    results = client.get(f"/api/votes/campaigns/{campaign_id}/results").get_json()
    assert results["ballots"] == 2
    assert {o["option_id"]: o["count"] for o in results["options"] if o["count"]} == {"literacy": 1, "trees": 1}


def test_a_campaign_without_a_budget_counts_unverified_ballots(client, create, clock):
    campaign_id = create(budget=None, unverified_may_vote=None)
    assert client.get(f"/api/votes/campaigns/{campaign_id}").get_json()["unverified_may_vote"] is True


def test_a_burst_of_new_accounts_voting_for_one_idea_is_flagged_with_the_evidence_and_still_counts(
        client, bearer, store, threshold, event):
    handlers.on_idea_submitted(store, as_consumed(event.submitted("burst-idea")))
    rule = integrity.Burst(accounts=4, window=timedelta(minutes=10), new_account=timedelta(days=2))
    new, old = [f"new-{n}" for n in range(4)], "old-1"
    for n, voter in enumerate(new):
        accounts_say(store, threshold, "user.registered", user_id=voter, display_name=voter, signed_up_with="password",
                     registered_at=NOW - timedelta(hours=n))
    accounts_say(store, threshold, "user.registered", user_id=old, display_name=old, signed_up_with="password",
                 registered_at=NOW - timedelta(days=300))
    for voter in [*new[:3], old]:
        assert client.post("/api/votes/ideas/burst-idea", headers=bearer(voter)).status_code == 201
    worker_reads_votes(store, threshold, "burst-idea", [*new[:3], old], rule)
    moderator = bearer("mod", roles=("moderator",))
    assert client.get("/api/votes/flags", headers=moderator).get_json() == {"flags": []}  # 3 new accounts: not yet

    assert client.post("/api/votes/ideas/burst-idea", headers=bearer(new[3])).status_code == 201
    worker_reads_votes(store, threshold, "burst-idea", [new[3]], rule)
    worker_reads_votes(store, threshold, "burst-idea", [new[3]], rule)  # redelivered: one flag, one event

    [flag] = client.get("/api/votes/flags", headers=moderator).get_json()["flags"]
    assert flag["idea_id"] == "burst-idea"
    assert sorted(e["voter_id"] for e in flag["evidence"]) == new  # the old account is no evidence
    assert {e["voted"]["idea_id"] for e in flag["evidence"]} == {"burst-idea"}
    assert all(e["registered_at"] and e["cast_at"] for e in flag["evidence"])
    assert store.tally("burst-idea").count == 5  # flagged, never dropped
    [announced] = store.flags.find_one({"_id": flag["id"]})["outbox"]
    assert announced["type"] == "votes.burst_flagged" and announced["data"]["accounts"] == 4
    for outsider in (bearer("ann"), bearer("pat", roles=("product_team",))):
        assert client.get("/api/votes/flags", headers=outsider).status_code == 403
    assert client.get("/api/votes/flags").status_code == 401


def test_a_burst_of_new_accounts_casting_the_same_ballot_is_flagged(client, bearer, store, threshold, create, clock):
    campaign_id = create()
    clock.at = OPENS
    rule = integrity.Burst(accounts=3)
    for n, choice in enumerate(["trees", "trees", "literacy", "trees"]):
        voter = f"fresh-{n}"
        accounts_say(store, threshold, "user.registered", user_id=voter, display_name=voter,
                     signed_up_with="password", registered_at=OPENS - timedelta(hours=1))
        assert cast(client, bearer(voter), campaign_id, {choice: 1}).status_code == 200
    handlers.on_ballot_events(store, [as_consumed(store.ballots.find_one({"voter_id": f"fresh-{n}"})["outbox"][0])
                                      for n in range(4)], rule)
    [flag] = client.get("/api/votes/flags", headers=bearer("mod", roles=("admin",))).get_json()["flags"]
    assert flag["campaign_id"] == campaign_id
    assert sorted(e["voter_id"] for e in flag["evidence"]) == ["fresh-0", "fresh-1", "fresh-3"]
    assert {str(e["voted"]["choices"]) for e in flag["evidence"]} == {"{'trees': 1}"}


def test_a_waiting_vote_moved_by_a_merge_still_waits_for_its_verification(client, bearer, store, threshold, event,
                                                                          savings_panel):
    handlers.on_idea_submitted(store, as_consumed(event.submitted("savings-original", space="savings")))
    assert client.post(f"/api/votes/ideas/{savings_panel}",
                       headers=bearer("gus", spaces=("savings",))).get_json()["awaiting_verification"] is True
    handlers.event_handlers(store, threshold)["idea.merged"](as_consumed(new_event(
        "idea.merged", {"idea_id": savings_panel, "into": "savings-original", "by": "staff", "merged_at": NOW},
        source="/ideas", subject=savings_panel)))
    assert store.tally("savings-original").count == 0

    verified(store, threshold, "gus")

    assert store.tally("savings-original").count == 1
