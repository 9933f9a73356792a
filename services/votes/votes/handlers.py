"""Use cases and event handlers of the votes service."""
from dataclasses import replace
from datetime import datetime, timezone

from werkzeug.exceptions import Conflict, NotFound

from idealab.auth import Principal, can_see
from idealab.events import Event

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


def reconcile_tallies(store: VoteStore, threshold: int, repair: bool = False,
                      progress=lambda votes, total: votes) -> list[domain.Recount]:
    """Every idea's tally beside a recount of its votes. With `repair`, a wrong tally is set to its counted votes
    and announced, unless it changed since it was recounted. `progress(votes, total)` wraps the votes as read."""
    recounts = [_recount_alone(store, r.idea_id) if r.wrong or r.uncounted else r
                for r in domain.recount(store.all_tallies(), progress(store.all_votes(), store.vote_total()))]
    if repair:
        for recount in recounts:
            tally = store.tally(recount.idea_id)
            if recount.wrong and tally.version == recount.tally_version and tally.pending is None:
                store.replace_tally(tally, *domain.recounted(tally, recount.counted, threshold))
    return recounts


def _recount_alone(store: VoteStore, idea_id: str) -> domain.Recount:
    """One idea recounted between two reads of its tally. The full scan reads tallies and votes moments apart, so
    a vote counted in between makes an idea look wrong; if the tally moved during this recount, it is counting."""
    before = store.tally(idea_id)
    [recount] = domain.recount([before], store.all_votes(idea_id))
    return recount if store.tally(idea_id) == before else replace(recount, counting=True)


def on_idea_submitted(store: VoteStore, event: Event) -> None:
    store.add_votable_idea(event.data["idea_id"], event.data["submitted_at"], event.data["space"])


def on_vote_event(store: VoteStore, threshold: int, event: Event) -> None:
    """Counts a vote.cast / vote.withdrawn exactly once, whatever was replayed or published twice."""
    idea_id = event.data["idea_id"]
    mark = domain.Mark(event.data["voter_id"], event.data["vote_version"], event.type == "vote.cast")
    while True:
        before = _finish_pending(store, store.tally(idea_id))
        vote = store.vote(idea_id, mark.voter_id)
        if domain.already_counted(vote["counted_version"], mark.version):
            return
        after, announced = domain.count_vote(before, vote["counted_live"], mark, threshold)
        if store.replace_tally(before, after, announced):
            _finish_pending(store, after)
            return
        # Another process changed the tally meanwhile (a rebalance handed the partition over): read it again.


def _finish_pending(store: VoteStore, tally: domain.Tally) -> domain.Tally:
    """Completes a count whose vote document was not marked yet (the process stopped in between). Loops: another
    process may have written a newer count, pending in turn, meanwhile; writing over it would lose its mark."""
    while tally.pending is not None:
        store.mark_counted(tally.idea_id, tally.pending)
        store.clear_pending(tally)
        tally = store.tally(tally.idea_id)
    return tally


def handlers(store: VoteStore, threshold: int) -> dict:
    return {
        "idea.submitted": lambda e: on_idea_submitted(store, e),
        "vote.cast": lambda e: on_vote_event(store, threshold, e),
        "vote.withdrawn": lambda e: on_vote_event(store, threshold, e),
    }
