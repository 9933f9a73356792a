"""python -m votes.worker: the outbox relay, the votable-ideas read model, the exact tallies, and the campaigns'
clock (opening and closing them on time)."""
import threading
from collections.abc import Callable
from datetime import datetime, timezone

from idealab import events, worker
from idealab.kafka import TRANSIENT
from idealab.mongo import WORKER_SOCKET_TIMEOUT_MS, connect

from . import config, contest_handlers, handlers
from .store import VoteStore


def main() -> None:
    cfg = config.load()
    store = VoteStore(connect(cfg.settings.mongodb_uri, cfg.settings.database, WORKER_SOCKET_TIMEOUT_MS))
    worker.run(cfg.settings, [store.votes, store.tallies, store.campaigns, store.ballots, store.flags,
                              store.contests.contests], [
        worker.Consumer("votes", [events.IDEAS_TOPIC, events.VOTES_TOPIC, events.ACCOUNTS_TOPIC],
                        handlers.event_handlers(store, cfg.threshold, cfg.burst)),
    ], ensure_indexes=store.ensure_indexes,
        jobs={"campaign-clock": campaign_clock(store), "contest-clock": contest_clock(store)})


def campaign_clock(store: VoteStore, clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
                   every_seconds: float = 0.5):
    """Opens and closes campaigns on time. No lease: each opening and close is a conditional write that only one
    instance wins, so two workers, or one restarted at the closing instant, close a campaign once."""
    def run(stopping: threading.Event) -> None:
        while not stopping.is_set():
            try:
                handlers.run_campaign_clock(store, clock())
            except TRANSIENT:
                pass  # the database is away: the next tick tries again
            stopping.wait(every_seconds)
    return run


def contest_clock(store: VoteStore, clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
                  every_seconds: float = 0.5):
    """Closes contests' rounds to votes and decides them on time; like the campaigns' clock, with no lease: each
    step is a conditional write on the contest that one instance wins."""
    def run(stopping: threading.Event) -> None:
        while not stopping.is_set():
            try:
                contest_handlers.run_clock(store.contests, clock())
            except TRANSIENT:
                pass  # the database is away: the next tick tries again
            stopping.wait(every_seconds)
    return run


if __name__ == "__main__":
    main()
