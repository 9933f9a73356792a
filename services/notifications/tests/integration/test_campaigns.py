"""A campaign's close reaches everyone who voted in it once, in the inbox and by email, with its result: one record
of the close (as a status change's), shown to the campaign's voters through their ballot.cast subscriptions."""
from datetime import datetime, timedelta, timezone

import pytest

from idealab.events import new_event
from notifications import handlers

pytestmark = pytest.mark.integration

OPENED = datetime.now(timezone.utc) - timedelta(hours=1)


def ballot(voter: str, at: datetime = OPENED) -> dict:
    return new_event("ballot.cast", {"campaign_id": "c1", "voter_id": voter, "ballot_version": 1, "cast_at": at},
                     source="/votes", subject="c1")


def closed() -> dict:
    return new_event("campaign.closed", {
        "campaign_id": "c1", "title": {"fr": "Six organismes", "en": "Six charities"}, "space": None,
        "closed_at": OPENED + timedelta(minutes=30), "ballots": 2, "digest": "ab" * 32,
        "options": [{"option_id": "food", "name": "Food bank", "count": 2, "amount": 15_000_000},
                    {"option_id": "trees", "name": "Trees", "count": 0, "amount": 0}],
        "budget": {"amount": 15_000_000, "currency": "CAD"}, "split_rule": "largest remainder"},
        source="/votes", subject="c1")


def test_every_voter_finds_the_result_once_in_the_inbox_and_by_email_even_when_replayed(consume, event, store,
                                                                                       mailbox, send_emails):
    consume(event.contact("ann", "ann@example.com"))
    for voter in ("ann", "bob"):
        consume(ballot(voter))
    consume(ballot("late", at=OPENED + timedelta(hours=2)))  # cast after the close: cannot be, and sees nothing
    close = closed()
    consume(close)
    consume(close)  # replayed

    for voter in ("ann", "bob"):
        entries = handlers.read_inbox(store, voter, 50)["entries"]
        assert [(e["kind"], e["title"]) for e in entries] == [("campaign.closed", "Six charities has closed: the result")]
        assert "Food bank: 2, 150,000.00 CAD" in entries[0]["message"]
    assert handlers.read_inbox(store, "late", 50)["entries"] == []

    send_emails()
    [mail] = mailbox.to("ann@example.com")
    body = mail.get_body(("plain",)).get_content()
    assert "http://lab.example/campaigns/c1" in body and "because you voted in this campaign." in body
