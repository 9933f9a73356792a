from dataclasses import dataclass, field
from datetime import timedelta

from idealab.config import Settings, env

from .integrity import Burst

SERVICE = "votes"


@dataclass(frozen=True)
class VotesConfig:
    settings: Settings
    # Votes an idea needs before the product team reviews it.
    threshold: int
    # A burst flagged to moderators: so many new accounts voting the same way in one window (votes.integrity).
    burst: Burst = field(default_factory=Burst)


def load() -> VotesConfig:
    return VotesConfig(Settings.from_env(SERVICE), int(env("VOTE_THRESHOLD", "10")), Burst(
        accounts=int(env("BURST_ACCOUNTS", "10")), window=timedelta(seconds=int(env("BURST_WINDOW_SECONDS", "600"))),
        new_account=timedelta(seconds=int(env("NEW_ACCOUNT_SECONDS", str(2 * 86400))))))
