"""The access read model on the real engine: fed by accounts events (replays and late events change nothing), read
once per request."""
from datetime import datetime, timedelta, timezone

import pytest
from werkzeug.exceptions import Forbidden, Unauthorized

from idealab import access, events
from idealab.auth import Principal
from idealab_testing import as_consumed

pytestmark = pytest.mark.integration

NOW = datetime.now(timezone.utc).replace(microsecond=0)
TOKEN = Principal("ann", frozenset({"admin"}), frozenset({"panel"}), int(NOW.timestamp()) - 60, "session-1")


@pytest.fixture
def model(mongo_db):
    found = access.Access(mongo_db)
    found.ensure_indexes()
    return found


def apply(model, event_type: str, **data) -> None:
    event = as_consumed(events.new_event(event_type, data, source="/accounts", subject=data["user_id"]))
    access.event_handlers(model)[event_type](event)


def test_a_removal_and_a_demotion_apply_once_and_their_replays_or_older_events_change_nothing(model):
    apply(model, "space.member_removed", space_id="panel", user_id="ann", by="mod", removed_at=NOW)
    apply(model, "user.role_changed", user_id="ann", roles=["member"], by="mod", changed_at=NOW)
    for _ in range(2):  # a replay, then an older change read late
        apply(model, "space.member_removed", space_id="panel", user_id="ann", by="mod", removed_at=NOW)
        apply(model, "user.role_changed", user_id="ann", roles=["admin"], by="mod",
              changed_at=NOW - timedelta(minutes=5))
    principal = model.applied(TOKEN)
    assert principal.spaces == frozenset() and principal.roles == {"member"}


def test_a_revoked_session_and_a_ban_refuse_the_tokens_issued_before_them(model):
    apply(model, "session.revoked", session_id="session-1", user_id="ann", reason="reused", revoked_at=NOW)
    with pytest.raises(Unauthorized):
        model.applied(TOKEN)
    assert model.applied(Principal("ann", frozenset({"member"}), session_id="session-2")).user_id == "ann"
    apply(model, "user.banned", user_id="ann", reason="spam", by="mod", banned_at=NOW)
    with pytest.raises(Forbidden):
        model.applied(Principal("ann", frozenset({"member"}), session_id="session-2"))


def test_a_password_reset_refuses_older_tokens_that_name_no_session(model):
    apply(model, "user.password_reset", user_id="ann", reset_at=NOW)
    with pytest.raises(Unauthorized):
        model.applied(Principal("ann", frozenset({"member"}), issued_at=TOKEN.issued_at))
