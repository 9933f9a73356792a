"""Use cases and event handlers of the votes service (how votes are counted: votes.domain)."""
from datetime import datetime, timezone

from werkzeug.exceptions import Conflict, NotFound

from idealab.auth import Principal, can_see
from idealab.events import Event
from idealab.kafka import Batch

from . import domain
from .store import VoteStore


def _votable(store: VoteStore, idea_id: str, principal: Principal | None) -> dict | None:
    """The idea open to votes, or None: an idea of a space the caller is not in is not there for them."""
    idea = store.votable_idea(idea_id)
    return idea if idea is not None and can_see(principal, idea.get("space")) else None


def cast_vote(store: VoteStore, idea_id: str, voter: Principal) -> dict:
    if _votable(store, idea_id, voter) is None:
        raise NotFound(f"no idea {idea_id} is open to votes")
    voter_id = voter.user_id
    now = datetime.now(timezone.utc)
    if store.insert_vote(idea_id, voter_id, now, domain.vote_cast(idea_id, voter_id, 1, now)):
        return {"idea_id": idea_id, "voter_id": voter_id, "cast_at": now}
    vote = store.vote(idea_id, voter_id)
    if vote["live"]:
        raise Conflict("you have already voted for this idea")
    event = domain.vote_cast(idea_id, voter_id, vote["version"] + 1, now)
    if not store.change_vote(idea_id, voter_id, vote["version"], True, now, event):
        raise Conflict("your vote changed meanwhile; reload and try again")
    return {"idea_id": idea_id, "voter_id": voter_id, "cast_at": now}


def withdraw_vote(store: VoteStore, idea_id: str, voter: Principal) -> None:
    if _votable(store, idea_id, voter) is None:
        raise NotFound(f"no idea {idea_id} is open to votes")
    voter_id = voter.user_id
    vote = store.vote(idea_id, voter_id)
    if vote is None or not vote["live"]:
        raise NotFound("you have no vote on this idea to withdraw")
    now = datetime.now(timezone.utc)
    event = domain.vote_withdrawn(idea_id, voter_id, vote["version"] + 1, now)
    if not store.change_vote(idea_id, voter_id, vote["version"], False, now, event):
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


def on_vote_events(store: VoteStore, threshold: int, events: list[Event]) -> None:
    """Recounts every idea a batch of vote.cast / vote.withdrawn events is about, once per idea."""
    missing = store.missing_votes({domain.vote_id(e.data["idea_id"], e.data["voter_id"]) for e in events})
    if missing:
        raise VoteMissing(f"no vote document {', '.join(sorted(missing))}")
    for idea_id in dict.fromkeys(e.data["idea_id"] for e in events):
        recount_tally(store, threshold, idea_id)


def on_idea_merged(store: VoteStore, threshold: int, event: Event) -> None:
    """The duplicate's voters vote for the original, each once, and the original is recounted: its tally is then the
    distinct voters of both."""
    store.add_merged_votes(event.data["idea_id"], event.data["into"], event.data["merged_at"])
    recount_tally(store, threshold, event.data["into"])


def handlers(store: VoteStore, threshold: int) -> dict:
    recount = Batch(lambda events: on_vote_events(store, threshold, events))
    return {
        "idea.submitted": lambda e: on_idea_submitted(store, e),
        "vote.cast": recount,
        "vote.withdrawn": recount,
        "idea.merged": lambda e: on_idea_merged(store, threshold, e),
    }
