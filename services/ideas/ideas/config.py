from dataclasses import dataclass

from idealab.config import Settings, env

SERVICE = "ideas"


@dataclass(frozen=True)
class Images:
    # What one member may upload in a day (UTC), counted by the service: beyond either, 429 with Retry-After.
    per_member_per_day: int = 20
    bytes_per_member_per_day: int = 20 * 1024 * 1024
    # How long an image no idea uses is kept for its uploader to attach; the worker removes it after that.
    unused_kept_seconds: int = 24 * 3600


def load() -> Settings:
    return Settings.from_env(SERVICE)


def images() -> Images:
    return Images(per_member_per_day=int(env("IMAGES_PER_MEMBER_PER_DAY", "20")),
                  bytes_per_member_per_day=int(env("IMAGE_BYTES_PER_MEMBER_PER_DAY", str(20 * 1024 * 1024))),
                  unused_kept_seconds=int(env("UNUSED_IMAGES_KEPT_SECONDS", str(24 * 3600))))
