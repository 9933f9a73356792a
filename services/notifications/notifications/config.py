from dataclasses import dataclass

from idealab.config import Settings, env

SERVICE = "notifications"


@dataclass(frozen=True)
class MailConfig:
    """What the worker's email sender needs (the API sends no mail)."""
    smtp_host: str
    smtp_port: int
    sender: str
    # Where the links in emails point: the web lab through the gateway.
    public_url: str


def load() -> Settings:
    return Settings.from_env(SERVICE)


def load_mail() -> MailConfig:
    return MailConfig(env("SMTP_HOST", "127.0.0.1"), int(env("SMTP_PORT", "8025")),
                      env("MAIL_FROM", "Idea Lab <lab@idealab.invalid>"), env("PUBLIC_URL", "http://127.0.0.1:8080"))
