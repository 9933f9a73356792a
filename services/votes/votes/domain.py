"""Rules about votes and tallies, with no I/O.

How a vote is counted, exactly, at the rate members vote:

- On the request path a vote (cast or withdrawn) is one write: its (idea, member) vote document, carrying its
  `vote.cast` / `vote.withdrawn` event in its outbox (idealab.outbox). The document says whether the vote is live; a
  first vote is an insert, a change is conditional on the vote's version, which the event carries (the notifications
  service orders one member's cast and withdrawal by it). Nothing else is written while the member waits.
- A tally is the number of live vote documents of its idea, so the worker recounts it (a count on the votes' index)
  rather than adding and subtracting: a vote event delivered twice, late, out of order, or replayed in full finds
  the same count and writes nothing, and no per-vote mark of what was counted is needed. The recount is written only
  if the tally is still the one read before counting (its version), so a count taken earlier never overwrites one
  taken later, as when a rebalance lets two workers handle one idea for a moment; the loser counts again.
- Batching, after the request: the outbox relay publishes many vote documents' events per round trip and clears
  them in one write; the consumer hands the votes handler a whole run of vote events (idealab.kafka.Batch), which
  recounts each idea once for it, so `tally.changed` is announced once per idea per batch. Crossing the threshold
  flips `threshold_reached` in the same conditional write that records `idea.threshold_reached`: once per idea.
"""
from dataclasses import dataclass
from datetime import datetime

from idealab.events import new_event

SOURCE = "/votes"


class Refused(ValueError):
    """Why a campaign's ballot or setup, or a contest's setup or scoresheet, is not taken: `kind` is "window",
    "eligibility", "ballot" (a malformed one), "setup", "jury" or "sheet" (votes.refusals makes it the 4xx)."""

    def __init__(self, kind: str, detail: str):
        super().__init__(detail)
        self.kind = kind


def vote_id(idea_id: str, voter_id: str) -> str:
    return f"{idea_id}:{voter_id}"


def vote_cast(idea_id: str, voter_id: str, version: int, now: datetime) -> dict:
    return new_event("vote.cast", {"idea_id": idea_id, "voter_id": voter_id, "vote_version": version,
                                   "cast_at": now}, source=SOURCE, subject=idea_id)


def vote_withdrawn(idea_id: str, voter_id: str, version: int, now: datetime) -> dict:
    return new_event("vote.withdrawn", {"idea_id": idea_id, "voter_id": voter_id, "vote_version": version,
                                        "withdrawn_at": now}, source=SOURCE, subject=idea_id)


@dataclass(frozen=True)
class Tally:
    idea_id: str
    count: int = 0
    version: int = 0  # +1 at every change, so read models keep the newest `tally.changed`
    threshold_reached: bool = False


def recounted(tally: Tally, count: int, threshold: int) -> tuple[Tally, list[dict]]:
    """The tally once its live votes are counted to `count`, and the events announcing it (none if unchanged).
    Crossing the threshold is announced once in an idea's life, even if votes are withdrawn and cast again."""
    reached = tally.threshold_reached or count >= threshold
    if (count, reached) == (tally.count, tally.threshold_reached):
        return tally, []
    after = Tally(tally.idea_id, count, tally.version + 1, reached)
    announced = [new_event("tally.changed", {"idea_id": tally.idea_id, "count": count, "version": after.version},
                           source=SOURCE, subject=tally.idea_id)]
    if reached and not tally.threshold_reached:
        announced.append(new_event("idea.threshold_reached",
                                   {"idea_id": tally.idea_id, "count": count, "threshold": threshold},
                                   source=SOURCE, subject=tally.idea_id))
    return after, announced


@dataclass(frozen=True)
class Recount:
    """An idea's tally beside its live votes: what reconciling compares. They differ while votes' events are on
    their way to the worker, and for good only if a tally was damaged or an event lost."""
    idea_id: str
    tally: int
    live: int

    @property
    def wrong(self) -> bool:
        return self.tally != self.live


def recount(tallies: list[Tally], live_by_idea: dict[str, int]) -> list[Recount]:
    """Every idea's recount: those with a tally and those with live votes but no tally yet."""
    counts = {t.idea_id: t.count for t in tallies}
    return [Recount(idea_id, counts.get(idea_id, 0), live_by_idea.get(idea_id, 0))
            for idea_id in sorted(counts.keys() | live_by_idea.keys())]
