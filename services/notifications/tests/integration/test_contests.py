"""A contest's round decided is one record: each participant (an entry's author) and each follower of an entry
(its voters) is told once, in the inbox and by email, naming the winner and the prize; a replay adds nothing."""
from datetime import datetime, timedelta, timezone

import pytest

from idealab.events import new_event
from notifications import handlers

pytestmark = pytest.mark.integration


def decided(contest_id, entries, winner, final=False):
    now = datetime.now(timezone.utc) + timedelta(seconds=1)
    return new_event("contest.round_closed", {
        "contest_id": contest_id, "title": {"es": "Genios del Ahorro"}, "space": None, "round": 3 if final else 1,
        "final": final, "closed_at": now, "decided_at": now,
        "ranking": [{"entry_id": e, "rank": n + 1, "votes": 5 - n, "shortlisted": n < 2, "jury_score": None}
                    for n, e in enumerate(entries)],
        "winner": winner, "prize": {"amount": 150_000 if final else 50_000, "currency": "EUR"}, "entry_ids": entries,
        "shortlist_rule": "n most voted", "winner_rule": "best jury score"}, source="/votes", subject=contest_id)


def inbox(store, user_id):
    return [(e["title"], e["message"]) for e in handlers.read_inbox(store, user_id, 200)["entries"]]


def test_authors_and_voters_of_the_entries_are_told_once_with_the_winner_and_the_prize(consume, event, store,
                                                                                    idea_id):
    entries = [f"{idea_id}-{n}" for n in range(3)]
    for n, entry in enumerate(entries):
        consume(event.submitted(entry, f"author{n}", title=f"Tip number {n}"))
    consume(event.vote_cast(entries[1], "author0"))  # an author who voted for another entry too
    consume(event.vote_cast(entries[2], "vera"))
    for user in ("author0", "vera"):
        consume(event.contact(user, f"{user}@example.com"))
    round_closed = decided("genios", entries, entries[1])
    consume(round_closed)
    consume(round_closed)  # replayed
    while handlers.queue_emails(store, batch=2):
        pass

    expected = [("Genios del Ahorro: the winner of round 1",
                 "The jury chose “Tip number 1”, winning 500.00 EUR among 2 shortlisted of 3 entries.")]
    for user in ("author0", "author1", "author2", "vera"):
        assert inbox(store, user) == expected, user
    assert inbox(store, "stranger") == []
    mails = sorted((j["user_id"], j["title"], j["path"]) for j in store.deliveries.find())
    assert mails == [(u, expected[0][0], "/contests/genios") for u in ("author0", "vera")]


def test_the_grand_prize_is_told_to_every_participant(consume, event, store, idea_id):
    entries = [f"{idea_id}-{n}" for n in range(2)]
    for n, entry in enumerate(entries):
        consume(event.submitted(entry, f"p{n}", title=f"Tip {n}"))
    consume(decided("genios", entries, entries[0], final=True))
    assert inbox(store, "p1") == [("Genios del Ahorro: the grand prize",
                                   "The jury chose “Tip 0”, winning 1,500.00 EUR among 2 shortlisted of 2 entries.")]
