from dataclasses import dataclass

from idealab.config import Settings, env

SERVICE = "votes"


@dataclass(frozen=True)
class VotesConfig:
    settings: Settings
    # Votes an idea needs before the product team reviews it.
    threshold: int


def load() -> VotesConfig:
    return VotesConfig(Settings.from_env(SERVICE), int(env("VOTE_THRESHOLD", "10")))
