from idealab.config import Settings

SERVICE = "roadmap"


def load() -> Settings:
    return Settings.from_env(SERVICE)
