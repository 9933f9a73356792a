"""Which emails a member wants: the mode of each kind, and the next 8:00 in their time zone (in UTC)."""
from datetime import datetime, timezone

import pytest

from notifications.email_choices import DAILY, INSTANT, NONE, is_time_zone, mode, next_morning


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


@pytest.mark.parametrize("now, zone, morning", [
    ("2026-11-30T06:59", "Europe/Paris", "2026-11-30T07:00"),  # winter: UTC+1, before its 8:00
    ("2026-11-30T07:00", "Europe/Paris", "2026-12-01T07:00"),  # at 8:00 sharp: the next one
    ("2026-07-01T05:00", "Europe/Paris", "2026-07-01T06:00"),  # summer: UTC+2
    ("2026-03-28T12:00", "Europe/Paris", "2026-03-29T06:00"),  # the night the clocks go forward
    ("2026-11-30T10:00", "America/Mexico_City", "2026-11-30T14:00"),
    ("2026-11-30T10:00", None, "2026-12-01T08:00"),  # unknown: UTC
    ("2026-11-30T10:00", "Mars/Olympus", "2026-12-01T08:00"),
])
def test_the_digest_comes_at_the_next_eight_in_the_morning_of_the_members_time_zone(now, zone, morning):
    assert next_morning(at(now), zone) == at(morning)


def test_each_kind_is_instant_until_the_member_chooses_and_a_kind_of_no_choice_is_always_instant():
    choices = {"kinds": {"status_changes": DAILY, "answers": NONE}}
    assert mode(choices, "initiative.status_changed") == DAILY
    assert mode(choices, "answer.posted") == NONE
    assert mode(choices, "campaign.closed") == INSTANT and mode(None, "idea.status_changed") == INSTANT
    assert mode(choices, "webhook.disabled") == INSTANT


@pytest.mark.parametrize("name, valid", [("Europe/Paris", True), ("UTC", True), ("Mars/Olympus", False),
                                         ("../../etc/passwd", False), ("", False)])
def test_only_time_zone_names_are_time_zones(name, valid):
    assert is_time_zone(name) is valid
