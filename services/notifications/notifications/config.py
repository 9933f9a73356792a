from idealab.config import Settings

SERVICE = "notifications"


def load() -> Settings:
    return Settings.from_env(SERVICE)
