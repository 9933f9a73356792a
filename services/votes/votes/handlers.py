"""Use cases and event handlers of the votes service."""
from datetime import datetime, timezone

from werkzeug.exceptions import Conflict, NotFound

from idealab.events import Event

from . import domain
from .store import VoteStore


def cast_vote(store: VoteStore, idea_id: str, voter_id: str) -> dict:
    if not store.is_votable(idea_id):
        raise NotFound(f"no idea {idea_id} is open to votes")
    now = datetime.now(timezone.utc)
    if not store.cast(idea_id, voter_id, now, domain.vote_cast(idea_id, voter_id, now)):
        raise Conflict("you have already voted for this idea")
    return {"idea_id": idea_id, "voter_id": voter_id, "cast_at": now}


def withdraw_vote(store: VoteStore, idea_id: str, voter_id: str) -> None:
    now = datetime.now(timezone.utc)
    if not store.withdraw(idea_id, voter_id, domain.vote_withdrawn(idea_id, voter_id, now)):
        raise NotFound("you have no vote on this idea to withdraw")


def show_tally(store: VoteStore, idea_id: str, viewer_id: str | None, threshold: int) -> dict:
    tally = store.tally(idea_id)
    if tally.version == 0 and not store.is_votable(idea_id):
        raise NotFound(f"no idea {idea_id} is open to votes")
    my_vote = None
    if viewer_id is not None:
        vote = store.vote(idea_id, viewer_id)
        my_vote = bool(vote and vote["live"])
    return {"idea_id": idea_id, "count": tally.count, "threshold": threshold,
            "threshold_reached": tally.threshold_reached, "my_vote": my_vote}


def on_idea_submitted(store: VoteStore, event: Event) -> None:
    store.add_votable_idea(event.data["idea_id"], event.data["submitted_at"])


def on_vote_event(store: VoteStore, threshold: int, event: Event) -> None:
    """Counts a vote.cast / vote.withdrawn exactly once, guarded by the tally's watermark."""
    while True:
        before = store.tally(event.data["idea_id"])
        if before.has_applied(event.partition, event.offset):
            return
        after, announced = domain.apply_vote(before, domain.DELTAS[event.type], event.partition, event.offset,
                                             threshold)
        if store.replace_tally(before, after, announced):
            return
        # Another process changed the tally meanwhile (a rebalance handed the partition over): read it again.


def handlers(store: VoteStore, threshold: int) -> dict:
    return {
        "idea.submitted": lambda e: on_idea_submitted(store, e),
        "vote.cast": lambda e: on_vote_event(store, threshold, e),
        "vote.withdrawn": lambda e: on_vote_event(store, threshold, e),
    }
