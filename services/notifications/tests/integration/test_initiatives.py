"""An initiative answering several ideas is one record: every follower of any of its ideas is told once when it is
announced and once each time it moves, in the inbox and by email, however many of its ideas they follow; the ideas'
own status changes, which carry the initiative's id, add nothing."""
from datetime import datetime, timedelta, timezone

import pytest

from idealab.events import new_event
from idealab.mail import Mailer
from notifications import handlers

pytestmark = pytest.mark.integration

INITIATIVE = "initiative-1"


@pytest.fixture
def three_ideas(consume, event, idea_id):
    """Three ideas with overlapping followers: ann wrote the first and voted for the other two, bob voted for two,
    cat for one; all have verified addresses."""
    ids = [f"{idea_id}-{n}" for n in range(3)]
    for user in ("ann", "bob", "cat"):
        consume(event.contact(user, f"{user}@example.com"))
    consume(event.submitted(ids[0], "ann"))
    consume(event.submitted(ids[1], "dan"))
    consume(event.submitted(ids[2], "dan"))
    for idea, voters in zip(ids, (("bob",), ("ann", "bob"), ("ann", "cat"))):
        for voter in voters:
            consume(event.vote_cast(idea, voter))
    return ids


def at(seconds: float) -> datetime:
    return datetime.now(timezone.utc) + timedelta(seconds=seconds)


def announced(idea_ids, when):
    return new_event("initiative.announced", {
        "initiative_id": INITIATIVE, "title": {"fr": "Bloquer sa carte", "en": "Block your card"}, "idea_ids": idea_ids,
        "status": "planned", "target_quarter": "2026-Q3", "owner_team": "cards", "space": None,
        "message": "You asked: we are building it.", "by": "team-1", "announced_at": when},
        source="/roadmap", subject=INITIATIVE)


def moved(idea_ids, when):
    return new_event("initiative.status_changed", {
        "initiative_id": INITIATIVE, "title": {"en": "Block your card"}, "idea_ids": idea_ids, "from_status": "planned",
        "to_status": "launched", "space": None, "message": "Live in the app.", "by": "team-1", "changed_at": when},
        source="/roadmap", subject=INITIATIVE)


def ideas_moved(idea_ids, to_status, when):
    return [new_event("idea.status_changed", {
        "idea_id": i, "from_status": "under_review", "to_status": to_status, "message": "By the initiative.",
        "by": "team-1", "changed_at": when, "initiative_id": INITIATIVE}, source="/roadmap", subject=i)
        for i in idea_ids]


def inbox(store, user_id):
    return [(e["idea_id"], e["to"]) for e in handlers.read_inbox(store, user_id, 200)["entries"]]


def walk(store) -> None:
    while handlers.queue_emails(store, batch=2):  # small batches: the walk crosses from idea to idea
        pass


def test_an_initiative_of_three_ideas_with_overlapping_followers_notifies_each_follower_once(consume, store,
                                                                                              three_ideas):
    when = at(1)
    for change in [*ideas_moved(three_ideas, "planned", when), announced(three_ideas, when)]:
        consume(change)
        consume(change)  # replayed
    walk(store)

    for user in ("ann", "bob", "cat", "dan"):
        assert inbox(store, user) == [(f"initiative:{INITIATIVE}", "planned")], user
    mails = sorted((j["user_id"], j["title"], j["path"]) for j in store.deliveries.find())
    assert mails == [(user, "Block your card: announced, planned", f"/initiatives/{INITIATIVE}")
                     for user in ("ann", "bob", "cat")]  # dan has no address

    later = at(2)
    for change in [moved(three_ideas, later), *ideas_moved(three_ideas, "launched", later)]:
        consume(change)
    walk(store)
    assert inbox(store, "ann") == [(f"initiative:{INITIATIVE}", "launched"), (f"initiative:{INITIATIVE}", "planned")]
    assert store.deliveries.count_documents({"user_id": "ann"}) == 2


def test_who_follows_an_idea_only_after_the_announcement_does_not_see_it(consume, store, three_ideas):
    consume(announced(three_ideas, at(1)))
    consume(new_event("vote.cast", {"idea_id": three_ideas[2], "voter_id": "eve", "vote_version": 1,
                                    "cast_at": at(5)}, source="/votes", subject=three_ideas[2]))

    assert inbox(store, "eve") == []
    assert inbox(store, "cat") == [(f"initiative:{INITIATIVE}", "planned")]


def test_an_ideas_own_move_without_an_initiative_still_tells_its_followers(consume, event, store, three_ideas):
    consume(event.status_changed(three_ideas[0], "planned", changed_at=at(1)))
    assert inbox(store, "bob") == [(three_ideas[0], "planned")]


def test_a_member_removed_from_the_space_gets_no_email_of_its_initiative_even_with_the_vote_read_late(
        consume, event, store, mailbox):
    consume(event.contact("ann", "ann@example.com"))
    consume(event.submitted("panel-idea", "author-1", space="panel"))
    consume(new_event("space.member_removed", {"space_id": "panel", "user_id": "ann", "by": "moderator-1",
                                               "removed_at": at(0)}, source="/accounts", subject="panel"))
    consume(event.vote_cast("panel-idea", "ann"))  # cast before the removal, read after it
    initiative = announced(["panel-idea"], at(1))
    initiative["data"]["space"] = "panel"
    consume(initiative)
    walk(store)
    handlers.send_due_emails(store, Mailer("127.0.0.1", mailbox.port, "lab@example.com"), "http://lab.example")

    assert inbox(store, "ann") == [] and mailbox.to("ann@example.com") == []
    assert inbox(store, "author-1") == [(f"initiative:{INITIATIVE}", "planned")]
