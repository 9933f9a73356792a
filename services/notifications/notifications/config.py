from dataclasses import dataclass
from datetime import timedelta

from idealab import brand
from idealab.config import Settings, env

from . import templates

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


def live_publish_url() -> str:
    """The gateway's live publisher (deploy/gateway/nginx.conf.template), where the worker posts live messages."""
    return env("LIVE_PUBLISH_URL", f"http://127.0.0.1:{env('LIVE_PORT', '8090')}")


def load_mail() -> MailConfig:
    return MailConfig(env("SMTP_HOST", "127.0.0.1"), int(env("SMTP_PORT", "8025")),
                      env("MAIL_FROM", "Idea Lab <lab@idealab.invalid>"), env("PUBLIC_URL", "http://127.0.0.1:8080"))


@dataclass(frozen=True)
class WebhookConfig:
    """How the worker delivers webhooks: retries from `first_retry`, doubling up to `longest_wait`, for `give_up_after`;
    an endpoint failing for `disable_after` is turned off."""
    public_url: str
    timeout_seconds: float
    first_retry: timedelta
    longest_wait: timedelta
    give_up_after: timedelta
    disable_after: timedelta


def load_webhooks() -> WebhookConfig:
    def seconds(name: str, default: str) -> timedelta:
        return timedelta(seconds=float(env(name, default)))
    return WebhookConfig(env("PUBLIC_URL", "http://127.0.0.1:8080"), float(env("WEBHOOK_TIMEOUT_SECONDS", "10")),
                         seconds("WEBHOOK_FIRST_RETRY_SECONDS", "5"), seconds("WEBHOOK_LONGEST_WAIT_SECONDS", "7200"),
                         seconds("WEBHOOK_GIVE_UP_AFTER_SECONDS", "86400"),
                         seconds("WEBHOOK_DISABLE_AFTER_SECONDS", "86400"))


def load_lab() -> templates.Lab:
    """The lab as its emails name it: the bank's own lab's name and default language (LAB_BRAND_FILE)."""
    lab = brand.current()
    return templates.Lab(lab.name, lab.default_language, env("PUBLIC_URL", "http://127.0.0.1:8080"))
