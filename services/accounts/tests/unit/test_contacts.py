"""The contacts topic's publisher (accounts.contacts): each marked user's record or tombstone, and after a tombstone
one more write once a segment's time has passed, so that compaction can take the erased address."""
from datetime import datetime, timezone

from accounts.contacts import ROLL_KEY, ContactsPublisher

NOW = datetime(2026, 11, 30, tzinfo=timezone.utc)


class Store:
    def __init__(self, users):
        self.users, self.published = users, []

    def contacts_to_publish(self, limit):
        users, self.users = self.users, []
        return users

    def contacts_published(self, users):
        self.published += users


class Publisher:
    def __init__(self):
        self.sent = []

    def send_raw(self, topic, key, value, headers):
        self.sent.append((topic, key, value))


class Clock:
    at = 0.0

    def __call__(self):
        return self.at


def test_a_verified_address_is_sent_and_an_erasure_is_a_tombstone_followed_by_a_segment_roll():
    store, publisher, clock = Store([
        {"_id": "ann", "email": "ann@example.com", "email_verified": True, "deleted_at": None,
         "contact_changed_at": NOW, "contact_version": 1},
        {"_id": "bob", "email": "erased-bob@erased.invalid", "email_verified": False, "deleted_at": NOW,
         "contact_changed_at": NOW, "contact_version": 3}]), Publisher(), Clock()
    contacts = ContactsPublisher(store, publisher, "ns.", clock)

    assert contacts.step() == 2
    (topic, key, value), tombstone = publisher.sent
    assert (topic, key) == ("ns.accounts.contacts", b"ann") and b"ann@example.com" in value
    assert tombstone == ("ns.accounts.contacts", b"bob", None)
    assert [u["_id"] for u in store.published] == ["ann", "bob"]

    clock.at = 5
    assert contacts.step() == 0 and len(publisher.sent) == 2  # the segment is not old enough to close yet
    clock.at = 12
    assert contacts.step() == 1
    assert publisher.sent[-1] == ("ns.accounts.contacts", ROLL_KEY, None)
    clock.at = 30
    assert contacts.step() == 0 and len(publisher.sent) == 3  # once
