"""What accounts changed since a token was issued, applied to the token's principal: bans, resets, closed sessions,
demotions and removals from spaces, each only when it came at or after the token's `iat`."""
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from werkzeug.exceptions import Forbidden, Unauthorized

from idealab.access import restricted
from idealab.auth import Principal

ISSUED = datetime(2025, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
BEFORE, AFTER = ISSUED - timedelta(seconds=1), ISSUED + timedelta(milliseconds=300)
ANN = Principal("ann", frozenset({"moderator"}), frozenset({"panel-a", "panel-b"}), int(ISSUED.timestamp()), "s1")


def test_someone_accounts_changed_nothing_about_keeps_their_token_as_it_is():
    assert restricted(ANN, None, None) == ANN


def test_a_banned_member_is_refused_whatever_their_token_says():
    with pytest.raises(Forbidden):
        restricted(ANN, {"banned_at": BEFORE}, None)


def test_a_token_of_a_revoked_session_is_refused():
    with pytest.raises(Unauthorized):
        restricted(ANN, None, {"revoked_at": AFTER})


def test_a_password_reset_closes_sessionless_tokens_issued_before_it_or_in_its_second_and_no_later_one():
    sessionless = replace(ANN, session_id=None)
    with pytest.raises(Unauthorized):
        restricted(sessionless, {"reset_at": AFTER}, None)
    assert restricted(sessionless, {"reset_at": BEFORE}, None) == sessionless


def test_a_token_naming_its_session_is_judged_by_the_session_not_by_the_reset_time():
    assert restricted(ANN, {"reset_at": AFTER}, None) == ANN


def test_a_role_change_after_the_token_replaces_its_roles_and_an_older_one_does_not():
    assert restricted(ANN, {"roles": ["member"], "roles_at": AFTER}, None).roles == {"member"}
    assert restricted(ANN, {"roles": ["member"], "roles_at": BEFORE}, None).roles == {"moderator"}


def test_a_removal_after_the_token_drops_that_space_and_one_before_it_was_undone_by_a_new_invitation():
    removed = {"removed": {"panel-a": AFTER, "panel-b": BEFORE}}
    assert restricted(ANN, removed, None).spaces == {"panel-b"}
