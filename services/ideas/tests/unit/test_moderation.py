"""The moderation queue's rules: the closed list of reasons, the threshold, uphold and dismiss, the audit entries,
losing the right to flag and the proposals to ban."""
from datetime import datetime, timedelta, timezone

import pytest
from marshmallow import ValidationError

from idealab.events import parse
from ideas import moderation
from ideas.moderation import Policy
from ideas.moderation_api import FlagSubmission, Uphold

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
POLICY = Policy(flags_to_hide=3, dismissals_to_suspend=3, suspension=timedelta(days=14),
                upheld_abuse_to_propose_ban=2, window=timedelta(days=90))
IDEA = {"_id": "i1", "author_id": "ann", "space": None, "hidden": None}
COMMENT = {"_id": "c1", "idea_id": "i1", "author_id": "bob", "space": "panel", "hidden": None}


def consumed(event: dict):
    import json
    return parse(json.dumps(event).encode())


@pytest.mark.parametrize("reason", ["criticism of the bank", "criticism", "I disagree", "", "ABUSE"])
def test_a_reason_outside_the_list_is_refused_naming_the_allowed_ones(reason):
    for schema in (FlagSubmission(), Uphold()):
        with pytest.raises(ValidationError) as refused:
            schema.load({"reason": reason})
        message = refused.value.messages["reason"][0]
        assert all(allowed in message for allowed in moderation.REASONS), message
    with pytest.raises(moderation.FlagRefused):
        moderation.flag("idea", IDEA, "bob", reason, NOW)


def test_criticism_is_not_among_the_reasons():
    assert not any("critic" in r or "bank" in r for r in moderation.REASONS)
    assert set(moderation.REASONS) == {"abuse", "personal_data", "spam", "off_topic", "illegal"}


def test_a_flag_is_one_per_member_and_item_and_goes_to_the_audit_log():
    first, entry = moderation.flag("comment", COMMENT, "cat", "spam", NOW)
    again, _ = moderation.flag("comment", COMMENT, "cat", "abuse", NOW + timedelta(minutes=1))
    other, _ = moderation.flag("comment", COMMENT, "dan", "spam", NOW)
    assert first["_id"] == again["_id"] != other["_id"]
    assert first["report_id"] == "comment:c1" and first["outcome"] is None
    assert entry == {"action": "flag", "reason": "spam", "by": "cat", "at": NOW}


def test_no_one_flags_their_own_content_nor_what_a_moderator_hid_already():
    with pytest.raises(moderation.FlagRefused):
        moderation.flag("idea", IDEA, "ann", "spam", NOW)
    hidden = {**IDEA, "hidden": {"reason": "Spam", "by": "mo", "at": NOW}}
    with pytest.raises(moderation.FlagRefused):
        moderation.flag("idea", hidden, "bob", "spam", NOW)
    pending = {**IDEA, "hidden": {"reason": moderation.PENDING_REASON, "pending_review": True}}
    assert moderation.flag("idea", pending, "bob", "spam", NOW)[0]["member_id"] == "bob"


def test_the_item_is_hidden_pending_review_at_the_threshold_of_distinct_members():
    report = moderation.new_report("idea", IDEA)
    assert not moderation.hides_pending_review({**report, "flaggers": ["b", "c"]}, IDEA, POLICY)
    assert moderation.hides_pending_review({**report, "flaggers": ["b", "c", "d"]}, IDEA, POLICY)
    hidden = {**IDEA, "hidden": {"reason": "Spam"}}
    assert not moderation.hides_pending_review({**report, "flaggers": ["b", "c", "d"]}, hidden, POLICY)

    changes, entry, event = moderation.hide_pending_review("comment", COMMENT, 3, NOW)
    assert changes["hidden"]["pending_review"] is True
    assert entry["action"] == "hide_pending_review" and entry["reason"] == "3 members flagged it"
    announced = consumed(event)
    assert announced.type == "comment.hidden" and announced.data["comment_id"] == "c1"


def test_upholding_hides_with_the_listed_reason_and_note_for_everyone_to_read():
    changes, entry, event = moderation.uphold("idea", IDEA, "personal_data", " Shows an IBAN ", "mo", NOW)
    assert changes["hidden"] == {"reason": "Personal data: Shows an IBAN", "category": "personal_data",
                                 "note": "Shows an IBAN", "by": "mo", "at": NOW}
    assert entry == {"action": "uphold", "reason": "Personal data: Shows an IBAN", "by": "mo", "at": NOW}
    assert consumed(event).type == "idea.hidden"
    with pytest.raises(moderation.DecisionRefused):
        moderation.uphold("idea", IDEA, "criticism", None, "mo", NOW)


def test_dismissing_shows_again_only_what_the_flags_hid():
    pending = {**IDEA, "hidden": {"reason": moderation.PENDING_REASON, "pending_review": True}}
    changes, entry, event = moderation.dismiss("idea", pending, None, "mo", NOW)
    assert changes == {"hidden": None} and consumed(event).type == "idea.restored"
    assert entry["action"] == "dismiss" and entry["by"] == "mo"

    by_moderator = {**IDEA, "hidden": {"reason": "Spam", "by": "mo2", "at": NOW}}
    assert moderation.dismiss("idea", by_moderator, "fine", "mo", NOW)[::2] == ({}, None)
    question = {"_id": "q1", "author_id": "ann", "hidden": {"pending_review": True}}
    assert consumed(moderation.dismiss("question", question, None, "mo", NOW)[2]).type == "question.restored"


def test_a_member_whose_flags_are_dismissed_repeatedly_loses_the_right_for_a_while():
    two = [NOW - timedelta(days=2), NOW - timedelta(days=1)]
    assert moderation.flagging_suspended_until(two, NOW, POLICY) is None
    three = [*two, NOW - timedelta(hours=1)]
    assert moderation.flagging_suspended_until(three, NOW, POLICY) == NOW - timedelta(hours=1) + timedelta(days=14)
    later = NOW + timedelta(days=14)
    assert moderation.flagging_suspended_until(three, later, POLICY) is None  # the while is over
    old = [NOW - timedelta(days=200), NOW - timedelta(days=150), NOW - timedelta(hours=1)]
    assert moderation.flagging_suspended_until(old, NOW, POLICY) is None  # outside the window


def test_authors_repeatedly_upheld_as_abuse_are_proposed_for_a_ban_most_upheld_first():
    upheld = [("eve", NOW - timedelta(days=1)), ("eve", NOW - timedelta(days=3)), ("eve", NOW),
              ("mal", NOW - timedelta(days=5)), ("mal", NOW - timedelta(days=4)),
              ("one", NOW), ("old", NOW - timedelta(days=300)), ("old", NOW - timedelta(days=200)),
              ("gone", NOW), ("gone", NOW), (None, NOW), (None, NOW)]
    found = moderation.ban_proposals(upheld, {"gone"}, NOW, POLICY)
    assert [(p["member_id"], p["upheld_abuse"]) for p in found] == [("eve", 3), ("mal", 2)]
    assert found[0]["last_upheld_at"] == NOW


def test_the_policy_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("FLAGS_TO_HIDE", "5")
    monkeypatch.setenv("FLAG_SUSPENSION_DAYS", "2")
    found = Policy.from_env()
    assert found.flags_to_hide == 5 and found.suspension == timedelta(days=2)
