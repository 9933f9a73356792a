"""Rules about votes and tallies, with no I/O."""
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from idealab.events import new_event

SOURCE = "/votes"


def vote_id(idea_id: str, voter_id: str) -> str:
    return f"{idea_id}:{voter_id}"


def vote_cast(idea_id: str, voter_id: str, version: int, now: datetime) -> dict:
    return new_event("vote.cast", {"idea_id": idea_id, "voter_id": voter_id, "vote_version": version,
                                   "cast_at": now}, source=SOURCE, subject=idea_id)


def vote_withdrawn(idea_id: str, voter_id: str, version: int, now: datetime) -> dict:
    return new_event("vote.withdrawn", {"idea_id": idea_id, "voter_id": voter_id, "vote_version": version,
                                        "withdrawn_at": now}, source=SOURCE, subject=idea_id)


@dataclass(frozen=True)
class Mark:
    """One vote's state as counted: its version (1 at the first cast, +1 at every withdrawal or new cast)."""
    voter_id: str
    version: int
    live: bool


@dataclass(frozen=True)
class Tally:
    idea_id: str
    count: int = 0
    version: int = 0
    threshold_reached: bool = False
    # The vote being counted: the count includes it, its vote document does not say so yet. Recording it in the
    # same write as the count makes counting exact across crashes: whoever reads the tally next finishes it.
    pending: Mark | None = field(default=None)


def already_counted(counted_version: int, event_version: int) -> bool:
    """Every vote event carries its vote's version; one at or below what was counted changes nothing (a replay,
    or the outbox relay publishing twice)."""
    return event_version <= counted_version


def count_vote(tally: Tally, counted_live: bool, mark: Mark, threshold: int) -> tuple[Tally, list[dict]]:
    """The tally once `mark` is counted, and the events announcing it."""
    return _changed(tally, tally.count + int(mark.live) - int(counted_live), threshold, pending=mark)


def recounted(tally: Tally, count: int, threshold: int) -> tuple[Tally, list[dict]]:
    """The tally set to `count` by an operator's reconcile, announced like any other change of it."""
    return _changed(tally, count, threshold, pending=None)


def _changed(tally: Tally, count: int, threshold: int, pending: Mark | None) -> tuple[Tally, list[dict]]:
    """Crossing the threshold is announced once in an idea's life, even if votes are withdrawn and cast again."""
    reached = tally.threshold_reached or count >= threshold
    after = Tally(tally.idea_id, count, tally.version + 1, reached, pending=pending)
    announced = [new_event("tally.changed", {"idea_id": tally.idea_id, "count": count, "version": after.version},
                           source=SOURCE, subject=tally.idea_id)]
    if reached and not tally.threshold_reached:
        announced.append(new_event("idea.threshold_reached",
                                   {"idea_id": tally.idea_id, "count": count, "threshold": threshold},
                                   source=SOURCE, subject=tally.idea_id))
    return after, announced


@dataclass(frozen=True)
class Recount:
    """An idea's tally beside its votes as stored: what reconciling compares."""
    idea_id: str
    tally: int
    tally_version: int
    counting: bool  # a count is half done (pending): judged at the next reconcile
    counted: int  # votes counted as live: what the tally must equal
    live: int  # votes live now: the tally once every vote event is counted
    uncounted: int  # votes changed since they were last counted: their events are on the way (or lost)

    @property
    def wrong(self) -> bool:
        return not self.counting and self.tally != self.counted


def recount(tallies: Iterable[Tally], votes: Iterable[dict]) -> list[Recount]:
    """Every idea's recount, from its tally and its vote documents (read once, in any order)."""
    by_idea = {t.idea_id: t for t in tallies}
    sums: dict[str, Counter] = {}
    for vote in votes:
        idea = sums.setdefault(vote["idea_id"], Counter())
        idea["counted"] += vote["counted_live"]
        idea["live"] += vote["live"]
        idea["uncounted"] += vote["version"] != vote["counted_version"]
    recounts = []
    for idea_id in sorted(by_idea.keys() | sums.keys()):
        tally, idea = by_idea.get(idea_id, Tally(idea_id)), sums.get(idea_id, Counter())
        recounts.append(Recount(idea_id, tally.count, tally.version, tally.pending is not None, idea["counted"],
                                idea["live"], idea["uncounted"]))
    return recounts
