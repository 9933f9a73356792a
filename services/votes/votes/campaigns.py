"""Rules about campaigns, with no I/O: when one is open, who may vote, what a valid ballot is, how ballots are
counted, how a budget is split, and the audit digest.

Ballots ride the votes' path (docs/decisions/0005): a member's ballot is one (campaign, member) document carrying its
`ballot.cast` event; the worker recounts the campaign from its ballots (never adds) and the closer counts them again,
so counts are exact after any crash, redelivery or replay.
"""
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from idealab.auth import Principal
from idealab.events import new_event

from .domain import Refused

SOURCE = "/votes"

SINGLE, MULTIPLE, POINTS = "single", "multiple", "points"
EVERYONE, SPACE, ROLE = "everyone", "space", "role"

# A ballot checked just before the closing instant may still be on its way to the database: the close waits this
# long past the instant before counting (ballots cast at or after the instant are refused and never count).
CLOSE_SETTLE = timedelta(seconds=2)

SPLIT_RULE = ("largest remainder in the currency's smallest unit: each option gets the whole units of its exact "
              "share, then the units left go one each to the largest remainders; equal remainders go to the option "
              "with more votes, then to the one listed first")


def ballot_id(campaign_id: str, voter_id: str) -> str:
    """The (campaign, member) ballot document's _id; never published: exports use the ballot's random `ballot_id`."""
    return f"{campaign_id}:{voter_id}"


def state(campaign: dict, now: datetime) -> str:
    """"scheduled" before the opening instant, "open" from it (included), "closed" from the closing instant on."""
    if now < campaign["opens_at"]:
        return "scheduled"
    return "open" if now < campaign["closes_at"] else "closed"


def check_window(campaign: dict, now: datetime) -> None:
    current = state(campaign, now)
    if current == "scheduled":
        raise Refused("window", f"this campaign opens at {campaign['opens_at'].isoformat()}; ballots wait until then")
    if current == "closed":
        raise Refused("window", f"this campaign closed at {campaign['closes_at'].isoformat()}; ballots are over")


def check_eligible(campaign: dict, voter: Principal) -> None:
    who = campaign["eligibility"]
    if who["kind"] == SPACE and who["space"] not in voter.spaces:
        raise Refused("eligibility", f"only members of the space {who['space']} may vote in this campaign")
    if who["kind"] == ROLE and not voter.has(who["role"]):
        raise Refused("eligibility", f"only members with the role {who['role']} may vote in this campaign")


def check_ballot(campaign: dict, choices: dict[str, int]) -> None:
    """A ballot by the campaign's rule: one choice; up to k choices; or up to k points spread (whole, positive)."""
    rule, k = campaign["rule"]["kind"], campaign["rule"].get("k", 1)
    unknown = sorted(set(choices) - {o["id"] for o in campaign["options"]})
    if unknown:
        raise Refused("ballot", f"no option {', '.join(unknown)} in this campaign")
    if not choices or any(points < 1 for points in choices.values()):
        raise Refused("ballot", "a ballot chooses at least one option, each with at least 1 point")
    if rule == SINGLE and (len(choices) != 1 or sum(choices.values()) != 1):
        raise Refused("ballot", "this campaign takes one choice: one option with 1 point")
    if rule == MULTIPLE and (len(choices) > k or any(points != 1 for points in choices.values())):
        raise Refused("ballot", f"this campaign takes up to {k} choices, each with 1 point")
    if rule == POINTS and sum(choices.values()) > k:
        raise Refused("ballot", f"this campaign takes up to {k} points in all")


def check_schedule(opens_at: datetime, closes_at: datetime, now: datetime) -> None:
    if closes_at <= opens_at:
        raise Refused("schedule", "a campaign closes after it opens")
    if closes_at <= now:
        raise Refused("schedule", "a campaign closes in the future")


def check_options(rule: dict, options: list[dict]) -> None:
    if rule["kind"] != SINGLE and rule.get("k") is None:
        raise Refused("schedule", "a rule of several choices or points says how many (k)")
    if len({o["id"] for o in options}) != len(options):
        raise Refused("schedule", "each option has its own id")


def check_idea_options(options: list[dict], space: str | None, idea_spaces: dict[str, str | None]) -> None:
    """An option standing for an idea names one the votes service knows, of the public lab or the campaign's own
    space: a public campaign never shows a panel's idea. `idea_spaces`: each known idea's space."""
    for option in options:
        idea_id = option.get("idea_id")
        if idea_id is None:
            continue
        if idea_id not in idea_spaces:
            raise Refused("schedule", f"no idea {idea_id} for the option {option['id']}")
        if idea_spaces[idea_id] not in (None, space):
            raise Refused("schedule", f"the idea {idea_id} is of another space than this campaign")


def ballot_cast(campaign_id: str, voter_id: str, version: int, now: datetime) -> dict:
    return new_event("ballot.cast", {"campaign_id": campaign_id, "voter_id": voter_id, "ballot_version": version,
                                     "cast_at": now}, source=SOURCE, subject=campaign_id)


def campaign_opened(campaign: dict) -> dict:
    return new_event("campaign.opened", {"campaign_id": campaign["_id"], "opens_at": campaign["opens_at"],
                                         "closes_at": campaign["closes_at"], "space": campaign.get("space")},
                     source=SOURCE, subject=campaign["_id"])


@dataclass(frozen=True)
class Tally:
    """A campaign's counts: points per option (a vote is a point), ballots, and ballots first cast per hour."""
    counts: dict[str, int]
    ballots: int
    turnout: list[dict]


def counted(options: list[dict], ballots: list[dict]) -> Tally:
    """The counts of `ballots` (each with its `choices` and `first_cast_at`), whatever their order."""
    counts = {o["id"]: 0 for o in options}
    hours: dict[datetime, int] = {}
    for ballot in ballots:
        for option_id, points in ballot["choices"].items():
            counts[option_id] = counts.get(option_id, 0) + points
        hour = ballot["first_cast_at"].replace(minute=0, second=0, microsecond=0)
        hours[hour] = hours.get(hour, 0) + 1
    turnout, total = [], 0
    for hour in sorted(hours):
        total += hours[hour]
        turnout.append({"hour": hour, "ballots": total})
    return Tally(counts, len(ballots), turnout)


def split(budget: int, counts: list[int]) -> list[int]:
    """`budget` (whole units) split in proportion to `counts` (in option order) by the largest remainder (SPLIT_RULE):
    the parts add up to the budget exactly and each is within one unit of its exact share. Without any vote,
    nothing is split (every part 0)."""
    total = sum(counts)
    if total == 0:
        return [0] * len(counts)
    parts = [budget * c // total for c in counts]
    left = budget - sum(parts)
    order = sorted(range(len(counts)), key=lambda i: (-(budget * counts[i] % total), -counts[i], i))
    for i in order[:left]:
        parts[i] += 1
    return parts


def digest(ballots: list[dict]) -> str:
    """SHA-256 over the (ballot id, choices) list sorted by ballot id, as canonical JSON: anyone holding the export
    recomputes it (votes.verify_campaign)."""
    rows = sorted([b["ballot_id"], dict(sorted(b["choices"].items()))] for b in ballots)
    return hashlib.sha256(json.dumps(rows, separators=(",", ":"), ensure_ascii=False).encode()).hexdigest()


def standings(campaign: dict, tally: Tally) -> dict:
    """Counts, shares and parts of the budget per option, in the campaign's order, and the turnout."""
    counts = [tally.counts.get(o["id"], 0) for o in campaign["options"]]
    budget = campaign.get("budget")
    parts = split(budget["amount"], counts) if budget else [None] * len(counts)
    total = sum(counts)
    return {
        "ballots": tally.ballots,
        "turnout": tally.turnout,
        "options": [{"option_id": o["id"], "name": o["name"], "count": c, "share": c / total if total else 0.0,
                     "amount": part} for o, c, part in zip(campaign["options"], counts, parts)],
        "budget": budget,
        "split_rule": SPLIT_RULE if budget else None,
    }


def result(campaign: dict, ballots: list[dict], closed_at: datetime) -> dict:
    """The final result of a campaign from all its ballots: its standings, when it closed, and the digest."""
    return {**standings(campaign, counted(campaign["options"], ballots)), "closed_at": closed_at,
            "digest": digest(ballots)}


def campaign_closed(campaign: dict, outcome: dict) -> dict:
    return new_event("campaign.closed", {
        "campaign_id": campaign["_id"], "title": campaign["title"], "space": campaign.get("space"),
        "closed_at": outcome["closed_at"], "ballots": outcome["ballots"],
        "options": [{k: o[k] for k in ("option_id", "name", "count", "amount")} for o in outcome["options"]],
        "budget": outcome["budget"], "split_rule": outcome["split_rule"], "digest": outcome["digest"],
    }, source=SOURCE, subject=campaign["_id"])
