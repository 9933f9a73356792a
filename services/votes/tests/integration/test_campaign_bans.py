"""A banned member's ballots stop counting (issue 12): in the live tally once the votes worker reads `user.banned`,
in the close and in the export; a ban after the close leaves the result and its export as they were."""
from datetime import timedelta

import pytest

from idealab.events import new_event
from idealab_testing import as_consumed
from votes import campaigns, handlers

from .test_campaigns import CLOSES, OPENS, cast, clock, create, recount  # noqa: F401 - fixtures

pytestmark = pytest.mark.integration


def banned(user_id, at):
    return as_consumed(new_event("user.banned", {"user_id": user_id, "reason": "spam", "by": "mod",
                                                 "banned_at": at}, source="/accounts", subject=user_id))


def counts(client, campaign_id):
    results = client.get(f"/api/votes/campaigns/{campaign_id}/results").get_json()
    return results["ballots"], {o["option_id"]: o["count"] for o in results["options"] if o["count"]}


def test_a_banned_members_ballot_leaves_the_live_tally_the_close_and_the_export(client, bearer, create, clock, store):
    campaign_id = create()
    clock.at = OPENS
    for voter, option in (("ann", "literacy"), ("bob", "literacy"), ("troll", "trees")):
        assert cast(client, bearer(voter), campaign_id, {option: 1}).status_code == 200
    recount(store, campaign_id)
    assert counts(client, campaign_id) == (3, {"literacy": 2, "trees": 1})

    handlers.on_user_banned(store, banned("troll", OPENS + timedelta(days=1)))
    assert counts(client, campaign_id) == (2, {"literacy": 2})
    handlers.on_user_banned(store, banned("troll", OPENS + timedelta(days=1)))  # a redelivery changes nothing
    assert counts(client, campaign_id) == (2, {"literacy": 2})

    assert handlers.run_campaign_clock(store, CLOSES + campaigns.CLOSE_SETTLE) == 2  # opened, then closed
    result = client.get(f"/api/votes/campaigns/{campaign_id}/results").get_json()
    assert result["final"] and result["ballots"] == 2 and [o["amount"] for o in result["options"]][1] == 15_000_000
    exported = client.get(f"/api/votes/campaigns/{campaign_id}/export").get_json()
    assert len(exported["ballot_export"]) == 2 and campaigns.digest(exported["ballot_export"]) == result["digest"]


def test_a_ban_after_the_close_changes_neither_the_result_nor_the_export(client, bearer, create, clock, store):
    campaign_id = create()
    clock.at = OPENS
    for voter in ("ann", "bob"):
        cast(client, bearer(voter), campaign_id, {"youth": 1})
    assert handlers.run_campaign_clock(store, CLOSES + campaigns.CLOSE_SETTLE) == 2  # opened, then closed
    digest = client.get(f"/api/votes/campaigns/{campaign_id}/results").get_json()["digest"]

    handlers.on_user_banned(store, banned("bob", CLOSES + timedelta(days=1)))
    exported = client.get(f"/api/votes/campaigns/{campaign_id}/export").get_json()
    assert exported["ballots"] == 2 and campaigns.digest(exported["ballot_export"]) == digest

