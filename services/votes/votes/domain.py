"""Rules about votes and tallies, with no I/O."""
from dataclasses import dataclass
from datetime import datetime

from idealab.events import new_event

SOURCE = "/votes"


def vote_id(idea_id: str, voter_id: str) -> str:
    return f"{idea_id}:{voter_id}"


def vote_cast(idea_id: str, voter_id: str, now: datetime) -> dict:
    return new_event("vote.cast", {"idea_id": idea_id, "voter_id": voter_id, "cast_at": now},
                     source=SOURCE, subject=idea_id)


def vote_withdrawn(idea_id: str, voter_id: str, now: datetime) -> dict:
    return new_event("vote.withdrawn", {"idea_id": idea_id, "voter_id": voter_id, "withdrawn_at": now},
                     source=SOURCE, subject=idea_id)


DELTAS = {"vote.cast": 1, "vote.withdrawn": -1}


@dataclass(frozen=True)
class Tally:
    idea_id: str
    count: int = 0
    version: int = 0
    threshold_reached: bool = False
    # Watermark: the last vote event applied (partition and offset in votes.events). Events of one idea share a
    # partition, so an event at or below the watermark was applied already and a replay changes nothing.
    partition: int = -1
    offset: int = -1

    def has_applied(self, partition: int, offset: int) -> bool:
        return partition == self.partition and offset <= self.offset


def apply_vote(tally: Tally, delta: int, partition: int, offset: int, threshold: int) -> tuple[Tally, list[dict]]:
    """The tally after one vote event, and the events announcing the change. Crossing the threshold is announced
    once in an idea's life, even if votes are withdrawn and cast again."""
    count = max(0, tally.count + delta)
    reached = tally.threshold_reached or count >= threshold
    after = Tally(tally.idea_id, count, tally.version + 1, reached, partition, offset)
    announced = [new_event("tally.changed", {"idea_id": tally.idea_id, "count": count, "version": after.version},
                           source=SOURCE, subject=tally.idea_id)]
    if reached and not tally.threshold_reached:
        announced.append(new_event("idea.threshold_reached",
                                   {"idea_id": tally.idea_id, "count": count, "threshold": threshold},
                                   source=SOURCE, subject=tally.idea_id))
    return after, announced
