from datetime import datetime, timedelta, timezone

from idealab.windows import seconds_until, window_of

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


def test_a_window_is_fixed_so_every_process_counts_in_the_same_one():
    start, end = window_of(NOW + timedelta(minutes=7, seconds=3), timedelta(minutes=15))
    assert (start, end) == (NOW, NOW + timedelta(minutes=15))
    assert window_of(NOW + timedelta(minutes=15), timedelta(minutes=15))[0] == NOW + timedelta(minutes=15)
    assert window_of(NOW + timedelta(hours=5), timedelta(days=1)) == (NOW - timedelta(hours=12),
                                                                      NOW + timedelta(hours=12))  # a UTC day


def test_the_wait_is_whole_seconds_and_never_zero():
    assert seconds_until(NOW, NOW + timedelta(seconds=90, milliseconds=1)) == 91
    assert seconds_until(NOW, NOW) == 1
