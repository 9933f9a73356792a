from dataclasses import dataclass

from idealab.config import Settings, env

from .points import Level, levels_from

SERVICE = "ideas"


@dataclass(frozen=True)
class Images:
    # What one member may upload in a day (UTC), counted by the service: beyond either, 429 with Retry-After.
    per_member_per_day: int = 20
    bytes_per_member_per_day: int = 20 * 1024 * 1024
    # How long an image no idea uses is kept for its uploader to attach; the worker removes it after that.
    unused_kept_seconds: int = 24 * 3600


# Levels by all-time points, "Name:points" lowest first (ideas.points); a lab names its own with LEVELS.
DEFAULT_LEVELS = "Newcomer:0,Contributor:50,Regular:200,Champion:500,Legend:1500"


def load() -> Settings:
    return Settings.from_env(SERVICE)


def images() -> Images:
    return Images(per_member_per_day=int(env("IMAGES_PER_MEMBER_PER_DAY", "20")),
                  bytes_per_member_per_day=int(env("IMAGE_BYTES_PER_MEMBER_PER_DAY", str(20 * 1024 * 1024))),
                  unused_kept_seconds=int(env("UNUSED_IMAGES_KEPT_SECONDS", str(24 * 3600))))


def levels() -> list[Level]:
    return levels_from(env("LEVELS", DEFAULT_LEVELS))


def public_url() -> str:
    """Where the lab is reached (through the gateway): share previews name their page and image by it."""
    return env("PUBLIC_URL", "http://127.0.0.1:8080").rstrip("/")


def web_index() -> str:
    """The web lab's built index.html, which an idea's page is made from (ideas.share_api)."""
    return env("WEB_INDEX", "web/dist/index.html")
