"""Fixed windows, for limits counted in a service's database (accounts' password checks and mails, ideas' uploads):
one counter per key and window, the same window in every process."""
import math
from datetime import datetime, timedelta, timezone

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def window_of(now: datetime, length: timedelta) -> tuple[datetime, datetime]:
    """The fixed window `now` falls in: counting per window needs one counter, not one record per attempt."""
    start = _EPOCH + length * ((now - _EPOCH) // length)
    return start, start + length


def seconds_until(now: datetime, then: datetime) -> int:
    """Whole seconds to wait, at least one (a Retry-After of 0 would invite an immediate retry)."""
    return max(1, math.ceil((then - now).total_seconds()))
