"""What the live pages hear, and who hears it: the `notifications.live` group's handlers on the real database, with
the gateway's publisher replaced by a list (tests/e2e/test_live.py runs them through nchan)."""
import time
from datetime import datetime, timedelta, timezone

import pytest

from idealab.access import Access
from idealab.auth import Principal
from idealab.events import new_event
from idealab_testing import applier
from notifications import live

pytestmark = pytest.mark.integration

ANN = Principal("ann", frozenset({"member"}), frozenset({"panel"}), issued_at=int(time.time()) - 60)
STAFF = Principal("sam", frozenset({"product_team"}), issued_at=int(time.time()) - 60)


@pytest.fixture
def published():
    return []


@pytest.fixture
def consume_live(store, published):
    publish = lambda name, message: published.append((name, message))  # noqa: E731
    return applier(live.event_handlers(store, publish, Access(store.live_channels.database)))


def channels(store, principal) -> list[str]:
    return live.stream(store, principal)["url"].partition("channels=")[2].split(",")


def tally(idea_id: str, count: int) -> dict:
    return new_event("tally.changed", {"idea_id": idea_id, "count": count, "version": count}, source="/votes",
                     subject=idea_id)


def test_a_public_idea_is_heard_by_everyone_and_an_unknown_one_by_no_one(consume_live, event, published, store):
    consume_live(tally("not-yet-submitted", 1))
    consume_live(event.submitted("public-idea", "author-1"))
    consume_live(tally("public-idea", 3))

    assert channels(store, None) == ["lab"]
    assert published == [("lab", {"type": "idea", "idea": "public-idea"}),
                         ("lab", {"type": "tally", "idea": "public-idea", "votes": 3, "version": 3})]


def test_a_private_idea_is_heard_on_its_space_and_staff_channels_only(consume_live, event, published, store):
    consume_live(event.submitted("panel-idea", "author-1", space="panel"))
    consume_live(tally("panel-idea", 1))
    assert published == []  # nobody ever listened

    ann, sam = channels(store, ANN), channels(store, STAFF)
    consume_live(tally("panel-idea", 2))

    space_channel = [c for c in ann if c.startswith("s-")]
    staff_channel = [c for c in sam if c.startswith("t-")]
    assert len(space_channel) == 1 and len(staff_channel) == 1
    assert [name for name, _ in published] == space_channel + staff_channel
    assert "lab" not in [name for name, _ in published]
    assert not any(c.startswith("s-") for c in channels(store, Principal("bob", frozenset({"member"}))))


def test_a_removed_member_hears_no_more_of_the_space_and_cannot_get_its_channel_back(consume_live, event,
                                                                                     published, store):
    consume_live(event.submitted("panel-idea", "author-1", space="panel"))
    before = [c for c in channels(store, ANN) if c.startswith("s-")]
    consume_live(new_event("space.member_removed", {"space_id": "panel", "user_id": "ann", "by": "moderator-1",
                                                    "removed_at": datetime.now(timezone.utc)},
                           source="/accounts", subject="panel"))
    consume_live(tally("panel-idea", 5))

    assert published[0] == (before[0], live.REAUTHORIZE)
    after = channels(store, Access(store.live_channels.database).applied(ANN))
    assert not any(c.startswith("s-") for c in after)  # the access model already has the removal
    assert before[0] not in [name for name, _ in published[1:]]  # the old channel hears nothing more


def test_a_private_answer_is_heard_by_its_recipient_alone_without_its_words(consume_live, published, store):
    ann = [c for c in channels(store, ANN) if c.startswith("m-")]
    consume_live(new_event("answer.posted", {
        "answer_id": "a1", "about": "account", "author_id": "sam", "private": True, "recipient_id": "ann",
        "thread_id": "t1", "posted_at": datetime.now(timezone.utc)}, source="/ideas", subject="t1"))

    assert published == [(ann[0], {"type": "private_answer"})]


def test_a_demoted_staff_member_loses_the_staff_channel(consume_live, published, store):
    before = [c for c in channels(store, STAFF) if c.startswith("t-")]
    consume_live(new_event("user.role_changed", {"user_id": "sam", "roles": ["member"], "by": "admin-1",
                                                 "changed_at": datetime.now(timezone.utc) + timedelta(seconds=1)},
                           source="/accounts", subject="sam"))

    assert published == [(before[0], live.REAUTHORIZE)]
    demoted = Access(store.live_channels.database).applied(STAFF)
    assert not any(c.startswith("t-") for c in channels(store, demoted))
