"""Which emails a member wants, with no I/O: per kind of notification (status changes, answers to me, mentions,
campaign results) one of instant, a daily digest or none; the language of their emails and the time zone of their
morning, when the digest goes out."""
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

INSTANT, DAILY, NONE = "instant", "daily", "none"
MODES = (INSTANT, DAILY, NONE)
KINDS = ("status_changes", "answers", "mentions", "campaign_results")
# The kind of each notification record; a record of no kind here (a staff notice) is sent at once.
KIND_OF = {
    "idea.status_changed": "status_changes", "initiative.announced": "status_changes",
    "initiative.status_changed": "status_changes",
    "answer.posted": "answers",
    "comment.mentioned": "mentions", "mention": "mentions",
    "campaign.closed": "campaign_results", "contest.round_closed": "campaign_results",
}
DEFAULT_TIME_ZONE = "UTC"
MORNING = time(8)  # the digest's hour, in the member's time zone
# A digest job whose sender died before recording it was sent: given up after this long, not sent twice.
SENDING_HOLD = timedelta(minutes=5)


def is_time_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
        return True
    except (ValueError, KeyError, OSError):  # not a zone name, or not a name at all ("../etc")
        return False


def mode(choices: dict | None, record_kind: str | None) -> str:
    """How the member wants a notification of this kind: instant unless they chose otherwise."""
    kind = KIND_OF.get(record_kind or "")
    return ((choices or {}).get("kinds") or {}).get(kind, INSTANT) if kind else INSTANT


def next_morning(now: datetime, time_zone: str | None, morning: time = MORNING) -> datetime:
    """The next `morning` after `now` in the member's time zone (UTC when not known), in UTC."""
    zone = ZoneInfo(time_zone if time_zone and is_time_zone(time_zone) else DEFAULT_TIME_ZONE)
    local = now.astimezone(zone)
    at = datetime.combine(local.date(), morning, tzinfo=zone)
    if at <= local:
        at = datetime.combine(local.date() + timedelta(days=1), morning, tzinfo=zone)
    return at.astimezone(timezone.utc)


def shown(choices: dict | None) -> dict:
    """Every kind's mode, the defaults filled in, for the member's account page."""
    kinds = (choices or {}).get("kinds") or {}
    return {kind: kinds.get(kind, INSTANT) for kind in KINDS}
