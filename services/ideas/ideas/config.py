from idealab.config import Settings

SERVICE = "ideas"


def load() -> Settings:
    return Settings.from_env(SERVICE)
