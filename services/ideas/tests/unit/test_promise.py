"""The response-time promise's rules on a clock the test sets: due times from each space's targets, the queue's
order and overdue marks as the clock passes them, claims and hand-overs, and the figures of a crafted month."""
from datetime import datetime, timedelta, timezone

import pytest

from ideas import promise
from ideas.promise import ACKNOWLEDGE, ANSWER, IDEA, MESSAGE, QUESTION

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)
DEFAULT = promise.targets(None)
FAST = promise.targets({ACKNOWLEDGE: 30, ANSWER: 4 * 60})  # a space promising 30 minutes


def post(kind=IDEA, at=T0, targets=DEFAULT, name=None, **state):
    item = promise.waiting(kind, name or f"{kind}-{at:%d%H%M}", None, "fr", at, targets, {"thread_id": "t"})
    return {**item, **state}


def minutes(n):
    return timedelta(minutes=n)


def test_a_space_without_targets_of_its_own_promises_an_hour_and_a_day():
    item = post()
    assert (item["acknowledge_due"], item["answer_due"]) == (T0 + timedelta(hours=1), T0 + timedelta(hours=24))
    assert promise.targets({ACKNOWLEDGE: 30}) == {ACKNOWLEDGE: 30, ANSWER: 24 * 60}


def test_the_queue_puts_the_overdue_first_and_moves_each_post_as_the_clock_passes_its_targets():
    public = post(IDEA, T0, name="public")  # acknowledge by 10:00, answer by 09:00 the next day
    fast = post(QUESTION, T0 + minutes(10), FAST, name="fast")  # acknowledge by 09:40, answer by 13:10
    later = post(MESSAGE, T0 + minutes(20), name="later")  # acknowledge by 10:20
    waiting = [later, public, fast]

    at_0930 = promise.queue(waiting, T0 + minutes(30))
    assert [i["item_id"] for i in at_0930] == ["fast", "public", "later"]
    assert not any(i["overdue"] for i in at_0930)

    at_0945 = promise.queue(waiting, T0 + minutes(45))  # past the fast space's 30 minutes only
    assert [(i["item_id"], i["overdue"], i["owed"]) for i in at_0945] == [
        ("fast", True, ACKNOWLEDGE), ("public", False, ACKNOWLEDGE), ("later", False, ACKNOWLEDGE)]

    at_1030 = promise.queue(waiting, T0 + minutes(90))  # past every hour: all overdue, the longest first
    assert [(i["item_id"], i["overdue"]) for i in at_1030] == [("fast", True), ("public", True), ("later", True)]


def test_a_claim_acknowledges_and_the_post_is_then_due_for_its_answer():
    item = post(IDEA, T0)
    claimed = {**item, **promise.claim(item, "adviser-1", T0 + minutes(5))}
    other = post(QUESTION, T0 + minutes(15), name="unclaimed")
    queue = promise.queue([claimed, other], T0 + minutes(90))
    # The unclaimed question is overdue for acknowledgement; the claimed idea owes its answer by tomorrow 09:00.
    assert [(i["item_id"], i["owed"], i["overdue"]) for i in queue] == [
        ("unclaimed", ACKNOWLEDGE, True), (item["item_id"], ANSWER, False)]
    assert queue[1]["acknowledged_at"] == T0 + minutes(5) and queue[1]["claimed_by"] == "adviser-1"
    tomorrow = promise.queue([claimed], T0 + timedelta(hours=24, minutes=1))
    assert tomorrow[0]["overdue"] and tomorrow[0]["owed"] == ANSWER


def test_a_post_someone_took_on_is_handed_over_not_claimed_from_them():
    item = {**post(), **promise.claim(post(), "ann", T0 + minutes(5))}
    with pytest.raises(promise.NotClaimable):
        promise.claim(item, "bob", T0 + minutes(6))
    assert promise.claim(item, "ann", T0 + minutes(7)) == {"claimed_by": "ann", "claimed_at": T0 + minutes(5)}


def test_handing_over_keeps_the_first_acknowledgement_and_answered_posts_leave_the_queue():
    item = {**post(), **promise.claim(post(), "ann", T0 + minutes(5))}
    changes, entry = promise.hand_over(item, "ann", "bob", T0 + minutes(50))
    assert changes == {"claimed_by": "bob", "claimed_at": T0 + minutes(5)}
    assert entry == {"from": "ann", "to": "bob", "by": "ann", "at": T0 + minutes(50)}
    with pytest.raises(promise.NotClaimable):
        promise.hand_over({**item, **changes}, "bob", "bob", T0 + minutes(51))
    answered = {**item, "answered_at": T0 + minutes(60)}
    with pytest.raises(promise.NotClaimable):
        promise.claim(answered, "bob", T0 + minutes(61))
    assert promise.queue([answered], T0 + timedelta(days=3)) == []


def test_an_answer_acknowledges_and_only_an_answer_after_the_post_answers_it():
    assert promise.first_answer(T0, [T0 - minutes(5), T0 + minutes(40), T0 + minutes(20)]) == T0 + minutes(20)
    assert promise.first_answer(T0, [T0 - minutes(5)]) is None
    assert promise.acknowledged_at({"claimed_at": T0 + minutes(50), "answered_at": T0 + minutes(10)}) == \
        T0 + minutes(10)


def test_a_posts_language_is_the_one_chosen_else_the_labs_else_the_default():
    assert promise.language("es", "fr") == "es"
    assert promise.language(None, "fr") == "fr"
    assert promise.language(None, None) == promise.DEFAULT_LANGUAGE


def test_the_figures_of_a_crafted_month():
    """Six ideas and questions and two private messages posted in November 2026, seen on 1 December:
    - idea a: claimed after 20 min, answered after 3 h         → both within targets
    - idea b: claimed after 90 min, answered after 30 h        → both late
    - question c (a 30-minute space): answered after 25 min    → both within (the answer acknowledges)
    - question d (30 minutes): claimed after 40 min, answered after 2 h → acknowledgement late, answer within 4 h
    - idea e: never touched                                    → both missed (long past due)
    - idea f: posted 30 Nov 23:50, claimed at once, not answered yet on 1 Dec 00:10 → acknowledged; answer pending
    - messages: one answered after 10 min, one never."""
    now = datetime(2026, 12, 1, 0, 10, tzinfo=timezone.utc)
    at = [T0 + timedelta(days=d) for d in range(5)]
    items = [
        post(IDEA, at[0], name="a", claimed_at=at[0] + minutes(20), answered_at=at[0] + minutes(180)),
        post(IDEA, at[1], name="b", claimed_at=at[1] + minutes(90), answered_at=at[1] + timedelta(hours=30)),
        post(QUESTION, at[2], FAST, name="c", answered_at=at[2] + minutes(25)),
        post(QUESTION, at[3], FAST, name="d", claimed_at=at[3] + minutes(40), answered_at=at[3] + minutes(120)),
        post(IDEA, at[4], name="e"),
        post(IDEA, now - minutes(20), name="f", claimed_at=now - minutes(20)),
        post(MESSAGE, at[0], name="m1", answered_at=at[0] + minutes(10)),
        post(MESSAGE, at[1], name="m2"),
    ]
    public = promise.figures(items, promise.PUBLIC_KINDS, now)
    assert [k["kind"] for k in public["kinds"]] == [IDEA, QUESTION]
    everything = public["all"]
    assert everything["posted"] == 6
    # Acknowledged within target: a, c, f of six settled (b, d late; e missed).
    assert everything["acknowledge"] == {"within_target": 3, "settled": 6, "pending": 0, "share_within_target": 0.5,
                                         # a 20, b 90, c 25, d 40, f 0 → median 25
                                         "median_minutes": 25.0}
    # Answered within target: a, c, d of five settled (f is not due yet: pending).
    assert everything["answer"] == {"within_target": 3, "settled": 5, "pending": 1, "share_within_target": 0.6,
                                    # a 180, b 1800, c 25, d 120 → median (120 + 180) / 2
                                    "median_minutes": 150.0}
    ideas = public["kinds"][0]
    assert ideas["posted"] == 4 and ideas["answer"]["share_within_target"] == round(1 / 3, 4)

    team = promise.figures(items, promise.KINDS, now)
    messages = team["kinds"][2]
    assert messages["posted"] == 2 and messages["answer"]["within_target"] == 1
    assert messages["acknowledge"]["share_within_target"] == 0.5 and team["all"]["posted"] == 8


def test_a_month_is_its_utc_calendar_month():
    assert promise.month_bounds("2026-12") == (datetime(2026, 12, 1, tzinfo=timezone.utc),
                                               datetime(2027, 1, 1, tzinfo=timezone.utc))
    with pytest.raises(ValueError):
        promise.month_bounds("2026-13")


def test_a_post_whose_author_left_waits_no_more_and_counts_as_it_stood_when_they_left():
    now = T0 + timedelta(days=2)
    late = post(IDEA, T0, name="late", author_gone_at=T0 + minutes(90))  # left after the hour had passed
    early = post(IDEA, T0 + minutes(10), name="early", author_gone_at=T0 + minutes(20))  # left within it
    assert promise.queue([late, early], now) == []
    acknowledge = promise.figures([late, early], promise.PUBLIC_KINDS, now)["all"]["acknowledge"]
    assert (acknowledge["within_target"], acknowledge["settled"], acknowledge["pending"]) == (0, 1, 0)
