"""Rules about who counts, with no I/O: one account, one voice (issue 11).

- Whether an account whose email address is not verified may vote is said by the space of an idea (accounts'
  `space.created`; the public lab lets them) and by each campaign (by default, only verified accounts in a campaign
  with a budget). Where they may not, their vote or ballot is taken and kept but marked `pending`: it counts from
  the moment the votes worker reads the account's `user.email_verified`, which recounts what it touched. Nothing is
  deleted, and a member who never verifies simply never counts there.
- A burst of new accounts voting the same way (the same idea, or the same choices in a campaign) within a short
  window is flagged to moderators with the evidence: which accounts, when each was made, what each voted and when.
  The votes keep counting: a flag is for people to judge, never a silent drop.
"""
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from idealab.events import new_event
from idealab.windows import window_of

SOURCE = "/votes"


def campaign_lets_unverified_vote(campaign: dict) -> bool:
    """What the campaign says; when it says nothing, only verified accounts count where a budget is split."""
    said = campaign.get("unverified_may_vote")
    return campaign.get("budget") is None if said is None else said


@dataclass(frozen=True)
class Burst:
    """`accounts` accounts made less than `new_account` before their vote, voting the same way within `window`."""
    accounts: int = 10
    window: timedelta = timedelta(minutes=10)
    new_account: timedelta = timedelta(days=2)


def idea_subject(idea_id: str) -> str:
    return f"idea:{idea_id}"


def ballot_subject(campaign_id: str, choices: dict[str, int]) -> str:
    """Ballots vote the same way when their choices are the same, points included."""
    return f"campaign:{campaign_id}:{json.dumps(dict(sorted(choices.items())), separators=(',', ':'))}"


def is_new(registered_at: datetime | None, cast_at: datetime, rule: Burst) -> bool:
    return registered_at is not None and cast_at - registered_at < rule.new_account


def window(cast_at: datetime, rule: Burst) -> tuple[datetime, datetime]:
    """The fixed window a vote falls in: a burst is counted within one."""
    return window_of(cast_at, rule.window)


def flag_id(subject: str, cast_at: datetime, rule: Burst) -> str:
    """One flag per subject and window, however many votes the burst goes on with: the evidence grows in it."""
    return f"{subject}@{window(cast_at, rule)[0].isoformat()}"


def burst(votes: list[dict], rule: Burst) -> list[dict] | None:
    """The evidence when `votes` (new accounts' votes of one subject in one window: voter_id, registered_at,
    cast_at, voted) are a burst, oldest first; None when they are too few."""
    if len({v["voter_id"] for v in votes}) < rule.accounts:
        return None
    return sorted(votes, key=lambda v: (v["cast_at"], v["voter_id"]))


def burst_flagged(flag: dict) -> dict:
    """Ids and times only: the evidence itself is read by staff from the votes API."""
    return new_event("votes.burst_flagged", {
        "flag_id": flag["_id"], "idea_id": flag.get("idea_id"), "campaign_id": flag.get("campaign_id"),
        "accounts": len(flag["evidence"]), "first_cast_at": flag["evidence"][0]["cast_at"],
        "flagged_at": flag["flagged_at"]}, source=SOURCE, subject=flag.get("idea_id") or flag["campaign_id"])
