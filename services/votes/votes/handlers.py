"""Use cases and event handlers of the votes service (how votes are counted: votes.domain)."""
import uuid
from dataclasses import asdict
from datetime import datetime, timezone

from marshmallow import ValidationError
from werkzeug.exceptions import Conflict, Forbidden, NotFound

from idealab.auth import Principal, can_see, visible_spaces
from idealab.events import Event
from idealab.kafka import Batch

from . import campaigns, contest_handlers, domain, integrity, refusals
from .store import VoteStore


def _votable(store: VoteStore, idea_id: str, principal: Principal | None) -> dict | None:
    """The idea open to votes, or None: an idea of a space the caller is not in is not there for them."""
    idea = store.votable_idea(idea_id)
    return idea if idea is not None and can_see(principal, idea.get("space")) else None


def cast_vote(store: VoteStore, idea_id: str, voter: Principal) -> dict:
    idea = _votable(store, idea_id, voter)
    if idea is None:
        raise NotFound(f"no idea {idea_id} is open to votes")
    voter_id = voter.user_id
    now = datetime.now(timezone.utc)
    waits = awaits_verification(store, store.space_lets_unverified_vote(idea.get("space")), voter_id)
    cast = {"idea_id": idea_id, "voter_id": voter_id, "cast_at": now, "awaiting_verification": waits}
    if store.insert_vote(idea_id, voter_id, now, domain.vote_cast(idea_id, voter_id, 1, now), waits):
        return cast
    vote = store.vote(idea_id, voter_id)
    if vote["live"]:
        raise Conflict("you have already voted for this idea")
    event = domain.vote_cast(idea_id, voter_id, vote["version"] + 1, now)
    if not store.change_vote(idea_id, voter_id, vote["version"], True, now, event, pending=waits):
        raise Conflict("your vote changed meanwhile; reload and try again")
    return cast


def withdraw_vote(store: VoteStore, idea_id: str, voter: Principal) -> None:
    if _votable(store, idea_id, voter) is None:
        raise NotFound(f"no idea {idea_id} is open to votes")
    voter_id = voter.user_id
    vote = store.vote(idea_id, voter_id)
    if vote is None or not vote["live"]:
        raise NotFound("you have no vote on this idea to withdraw")
    now = datetime.now(timezone.utc)
    event = domain.vote_withdrawn(idea_id, voter_id, vote["version"] + 1, now)
    if not store.change_vote(idea_id, voter_id, vote["version"], False, now, event, was_cast_at=vote["cast_at"]):
        raise Conflict("your vote changed meanwhile; reload and try again")


def show_tally(store: VoteStore, idea_id: str, viewer: Principal | None, threshold: int) -> dict:
    if _votable(store, idea_id, viewer) is None:
        raise NotFound(f"no idea {idea_id} is open to votes")
    tally = store.tally(idea_id)
    my_vote = None
    if viewer is not None:
        vote = store.vote(idea_id, viewer.user_id)
        my_vote = bool(vote and vote["live"])
    return {"idea_id": idea_id, "count": tally.count, "threshold": threshold,
            "threshold_reached": tally.threshold_reached, "my_vote": my_vote}


def reconcile_tallies(store: VoteStore, threshold: int, repair: bool = False) -> list[domain.Recount]:
    """Every idea's tally beside its live votes. With `repair`, each wrong one is recounted as the worker would."""
    recounts = domain.recount(store.all_tallies(), store.live_votes_by_idea())
    if repair:
        for recount in recounts:
            if recount.wrong:
                recount_tally(store, threshold, recount.idea_id)
    return recounts


def recount_tally(store: VoteStore, threshold: int, idea_id: str) -> None:
    """Sets the tally to the idea's live votes, counted after reading the tally: written only if it is still the
    tally read, so that a count taken earlier never overwrites one taken later."""
    while True:
        before = store.tally(idea_id)
        after, announced = domain.recounted(before, store.live_votes(idea_id), threshold)
        if after == before or store.replace_tally(before, after, announced):
            return


class VoteMissing(LookupError):
    """A vote event whose vote document is not in the database (restored from an older backup, say): dead-lettered
    until an operator restores the vote and re-drives it, rather than counted as if it never was."""


def on_idea_submitted(store: VoteStore, event: Event) -> None:
    store.add_votable_idea(event.data["idea_id"], event.data["submitted_at"], event.data["space"])
    contest_handlers.on_idea_submitted(store.contests, event)


def on_vote_events(store: VoteStore, threshold: int, events: list[Event],
                   burst: integrity.Burst = integrity.Burst()) -> None:
    """Recounts every idea a batch of vote.cast / vote.withdrawn events is about, once per idea; then looks for
    bursts of new accounts among its casts."""
    missing = store.missing_votes({domain.vote_id(e.data["idea_id"], e.data["voter_id"]) for e in events})
    if missing:
        raise VoteMissing(f"no vote document {', '.join(sorted(missing))}")
    count_verified_voters(store, {domain.vote_id(e.data["idea_id"], e.data["voter_id"]) for e in events})
    for idea_id in dict.fromkeys(e.data["idea_id"] for e in events):
        recount_tally(store, threshold, idea_id)
    casts = [e.data for e in events if e.type == "vote.cast"]
    flag_bursts(store, burst, [(integrity.idea_subject(c["idea_id"]), {"idea_id": c["idea_id"]}, c) for c in casts])


def on_idea_merged(store: VoteStore, threshold: int, event: Event) -> None:
    """The duplicate's voters vote for the original, each once, and the original is recounted: its tally is then the
    distinct voters of both."""
    store.add_merged_votes(event.data["idea_id"], event.data["into"], event.data["merged_at"])
    recount_tally(store, threshold, event.data["into"])


# Campaigns (rules: votes.campaigns).

def _setup(store: VoteStore, data: dict, now: datetime) -> dict:
    """The stored fields of a campaign as staff set it up, checked beyond its shape."""
    try:
        campaigns.check_schedule(data["opens_at"], data["closes_at"], now)
        campaigns.check_options(data["rule"], data["options"])
    except campaigns.Refused as refusal:
        raise refusals.problem(refusal) from None
    eligibility = {k: v for k, v in data["eligibility"].items() if v is not None}
    space = eligibility.get("space") if eligibility["kind"] == campaigns.SPACE else None
    _check_idea_options(store, data["options"], space)
    rule = {"kind": data["rule"]["kind"], "k": data["rule"]["k"] or 1}
    return {**data, "rule": rule, "eligibility": eligibility, "space": space,
            "unverified_may_vote": integrity.campaign_lets_unverified_vote(data)}


def _check_idea_options(store: VoteStore, options: list[dict], space: str | None) -> None:
    ideas = [o["idea_id"] for o in options if o.get("idea_id")]
    try:
        campaigns.check_idea_options(options, space, store.votable_idea_spaces(ideas) if ideas else {})
    except campaigns.Refused as refusal:
        raise ValidationError({"options": [str(refusal)]}) from None


def create_campaign(store: VoteStore, data: dict, by: Principal, now: datetime) -> dict:
    campaign = {"_id": uuid.uuid4().hex, **_setup(store, data, now), "created_by": by.user_id, "created_at": now}
    store.insert_campaign(campaign)
    return _shown(campaign, None, now)


def edit_campaign(store: VoteStore, campaign_id: str, data: dict, viewer: Principal, now: datetime) -> dict:
    _visible_campaign(store, campaign_id, viewer)
    if not store.edit_campaign(campaign_id, _setup(store, data, now), now):
        raise Conflict("this campaign has opened: it can no longer be edited")
    return show_campaign(store, campaign_id, viewer, now)


def _visible_campaign(store: VoteStore, campaign_id: str, viewer: Principal | None) -> dict:
    return refusals.visible(store.campaign(campaign_id), viewer, f"no campaign {campaign_id}")


def _shown(campaign: dict, ballot: dict | None, now: datetime) -> dict:
    return {**campaign, "id": campaign["_id"], "state": campaigns.state(campaign, now),
            "my_ballot": ballot["choices"] if ballot else None}


def list_campaigns(store: VoteStore, viewer: Principal | None, limit: int, now: datetime) -> dict:
    return {"campaigns": [_shown(c, None, now) for c in store.campaigns_in(visible_spaces(viewer), limit)]}


def show_campaign(store: VoteStore, campaign_id: str, viewer: Principal | None, now: datetime) -> dict:
    campaign = _visible_campaign(store, campaign_id, viewer)
    return _shown(campaign, store.ballot(campaign_id, viewer.user_id) if viewer else None, now)


def cast_ballot(store: VoteStore, campaign_id: str, voter: Principal, choices: dict, now: datetime) -> dict:
    """Casts the member's one ballot, or changes it, while the campaign is open by the server's clock."""
    campaign = _visible_campaign(store, campaign_id, voter)
    try:
        campaigns.check_window(campaign, now)
        campaigns.check_eligible(campaign, voter)
        campaigns.check_ballot(campaign, choices)
    except campaigns.Refused as refusal:
        raise refusals.problem(refusal) from None
    voter_id = voter.user_id
    waits = awaits_verification(store, integrity.campaign_lets_unverified_vote(campaign), voter_id)
    if not store.insert_ballot(campaign_id, voter_id, uuid.uuid4().hex, choices, now,
                               campaigns.ballot_cast(campaign_id, voter_id, 1, now), waits):
        ballot = store.ballot(campaign_id, voter_id)
        event = campaigns.ballot_cast(campaign_id, voter_id, ballot["version"] + 1, now)
        if not store.change_ballot(campaign_id, voter_id, ballot["version"], choices, now, event, waits):
            raise Conflict("your ballot changed meanwhile; reload and try again")
    return store.ballot(campaign_id, voter_id)


def my_ballot(store: VoteStore, campaign_id: str, voter: Principal) -> dict:
    _visible_campaign(store, campaign_id, voter)
    ballot = store.ballot(campaign_id, voter.user_id)
    if ballot is None:
        raise NotFound("you have not voted in this campaign")
    return ballot


def results(store: VoteStore, campaign_id: str, viewer: Principal | None, now: datetime) -> dict:
    """The final result once closed; before, the live counts (to staff only when results are hidden)."""
    campaign = _visible_campaign(store, campaign_id, viewer)
    if "result" in campaign:
        return {**campaign["result"], "campaign_id": campaign_id, "state": "closed", "final": True}
    if campaign["results"] == "hidden" and not (viewer and viewer.is_staff):
        raise Forbidden("the results of this campaign are shown when it closes")
    tally = campaign.get("tally") or {"counts": {}, "ballots": 0, "turnout": []}
    live = campaigns.Tally(tally["counts"], tally["ballots"], tally["turnout"])
    return {**campaigns.standings(campaign, live), "campaign_id": campaign_id,
            "state": campaigns.state(campaign, now), "final": False, "digest": None}


def export(store: VoteStore, campaign_id: str, viewer: Principal | None) -> dict:
    """A closed campaign's result with every ballot by its random id: enough to recount it and check its digest."""
    campaign = _visible_campaign(store, campaign_id, viewer)
    if "result" not in campaign:
        raise Conflict("a campaign's ballots are exported once it has closed")
    ballots = sorted(({"ballot_id": b["ballot_id"], "choices": b["choices"]}
                      for b in store.ballots_of_campaign(campaign)), key=lambda b: b["ballot_id"])
    return {**campaign["result"], "campaign_id": campaign_id, "state": "closed", "final": True,
            "ballot_export": ballots}


def run_campaign_clock(store: VoteStore, now: datetime) -> int:
    """Announces the campaigns due to open, and closes those past their closing instant (and the settle time) with
    their result; each a conditional single-document write, so a restart or a second worker does it once.
    Returns how many it opened or closed."""
    done = 0
    for campaign in store.due_to_open(now):
        done += store.mark_opened(campaign["_id"], campaigns.campaign_opened(campaign))
    for campaign in store.due_to_close(now - campaigns.CLOSE_SETTLE):
        done += close_campaign(store, campaign)
    return done


def close_campaign(store: VoteStore, campaign: dict) -> bool:
    """Counts its ballots that count (not a banned member's) and closes it with the result, unless another closer
    did first."""
    outcome = campaigns.result(campaign, store.ballots_of_campaign(campaign), campaign["closes_at"])
    return store.close_campaign(campaign["_id"], outcome, campaigns.campaign_closed(campaign, outcome))


def on_ballot_events(store: VoteStore, events: list[Event], burst: integrity.Burst = integrity.Burst()) -> None:
    """Recounts the live tally of every campaign a batch of ballot.cast events is about, once per campaign; then
    looks for bursts of new accounts casting the same ballot."""
    for campaign_id in dict.fromkeys(e.data["campaign_id"] for e in events):
        recount_campaign(store, campaign_id)
    flag_ballot_bursts(store, burst, [e.data for e in events])


def recount_campaign(store: VoteStore, campaign_id: str) -> None:
    """The live tally from the ballots that count, written only if no other recount was written meanwhile (the
    loser counts again); a closed campaign keeps its result."""
    while (campaign := store.campaign(campaign_id)) is not None and "result" not in campaign:
        tally = campaigns.counted(campaign["options"], store.ballots_of_campaign(campaign))
        if store.replace_campaign_tally(campaign_id, campaign["tally_version"], asdict(tally)):
            break


def on_user_banned(store: VoteStore, event: Event) -> None:
    """A banned member's ballots stop counting: each open campaign they voted in is recounted without them. The
    ban is recorded first, as the access consumer does, since the two groups read it in no set order."""
    store.record_ban(event.data["user_id"], event.data["banned_at"])
    for campaign_id in store.open_campaigns_voted_in(event.data["user_id"]):
        recount_campaign(store, campaign_id)


def event_handlers(store: VoteStore, threshold: int, burst: integrity.Burst = integrity.Burst()) -> dict:
    recount = Batch(lambda events: on_vote_events(store, threshold, events, burst))
    return {
        "idea.submitted": lambda e: on_idea_submitted(store, e),
        "vote.cast": recount,
        "vote.withdrawn": recount,
        "idea.merged": lambda e: on_idea_merged(store, threshold, e),
        "ballot.cast": Batch(lambda events: on_ballot_events(store, events, burst)),
        "user.registered": lambda e: store.note_registered(e.data["user_id"], e.data["registered_at"]),
        "user.email_verified": lambda e: on_email_verified(store, threshold, e),
        "space.created": lambda e: store.set_space_rule(e.data["space_id"], e.data["unverified_may_vote"]),
        "user.banned": lambda e: on_user_banned(store, e),
    }


# One account, one voice (rules: votes.integrity).

def awaits_verification(store: VoteStore, unverified_may_vote: bool, voter_id: str) -> bool:
    """Whether a vote or ballot cast now waits for the account's verification to count. The account's state is
    the one the worker read from accounts' events (the votes read model `voters`); asked only where it matters."""
    return not unverified_may_vote and not store.verified(voter_id)


def count_verified_voters(store: VoteStore, vote_ids: set[str]) -> None:
    """Votes cast while the worker had not yet read their account's verification count from now: whichever of
    the cast and the verification the worker reads last lets the vote count, so none is left waiting."""
    waiting = store.awaiting_among(vote_ids)
    verified = store.voters_among({v["voter_id"] for v in waiting}) if waiting else {}
    for voter_id in {v["voter_id"] for v in waiting if verified.get(v["voter_id"], {}).get("verified_at")}:
        store.count_from_verification(voter_id)


def on_email_verified(store: VoteStore, threshold: int, event: Event) -> None:
    """The account's votes and ballots that waited count from now: each idea and open campaign is recounted."""
    voter_id = event.data["user_id"]
    store.note_verified(voter_id, event.data["verified_at"])
    ideas, campaign_ids = store.count_from_verification(voter_id)
    for idea_id in dict.fromkeys(ideas):
        recount_tally(store, threshold, idea_id)
    for campaign_id in dict.fromkeys(campaign_ids):
        recount_campaign(store, campaign_id)


def flag_bursts(store: VoteStore, rule: integrity.Burst, casts: list[tuple[str, dict, dict]]) -> None:
    """`casts`: (subject, what was voted, the cast event's data). New accounts' casts are kept as evidence; a
    subject with enough of them in one window is flagged (once per window, its evidence kept up to date)."""
    voters = store.voters_among({c["voter_id"] for _, _, c in casts}) if casts else {}
    touched = {}
    for subject, voted, cast in casts:
        registered_at = voters.get(cast["voter_id"], {}).get("registered_at")
        if integrity.is_new(registered_at, cast["cast_at"], rule):
            store.note_new_account_vote(subject, {"voter_id": cast["voter_id"], "registered_at": registered_at,
                                                  "cast_at": cast["cast_at"], "voted": voted})
            touched[integrity.flag_id(subject, cast["cast_at"], rule)] = (subject, voted, cast["cast_at"])
    for flag_id, (subject, voted, cast_at) in touched.items():
        start, end = integrity.window(cast_at, rule)
        evidence = integrity.burst(store.new_account_votes_of(subject, start, end), rule)
        if evidence is not None:
            flag = {"_id": flag_id, **{k: v for k, v in voted.items() if k in ("idea_id", "campaign_id")},
                    "evidence": evidence, "flagged_at": datetime.now(timezone.utc)}
            store.flag(flag, integrity.burst_flagged(flag))


def flag_ballot_bursts(store: VoteStore, rule: integrity.Burst, casts: list[dict]) -> None:
    """Ballots vote the same way with the same choices: read for new accounts' ballots only."""
    voters = store.voters_among({c["voter_id"] for c in casts}) if casts else {}
    found = []
    for cast in casts:
        if integrity.is_new(voters.get(cast["voter_id"], {}).get("registered_at"), cast["cast_at"], rule):
            ballot = store.ballot(cast["campaign_id"], cast["voter_id"])
            if ballot is not None:
                found.append((integrity.ballot_subject(cast["campaign_id"], ballot["choices"]),
                              {"campaign_id": cast["campaign_id"], "choices": ballot["choices"]}, cast))
    flag_bursts(store, rule, found)


def list_flags(store: VoteStore, limit: int) -> dict:
    return {"flags": [{**f, "id": f["_id"]} for f in store.recent_flags(limit)]}

