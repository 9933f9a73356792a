"""The relay lease against a real database: one holder at a time among a service's worker instances, passed on
when the holder stops or dies."""
import threading
from datetime import datetime, timedelta, timezone

import pytest

from idealab import outbox
from idealab_testing import FakePublisher, SampleEvents, wait_for

pytestmark = pytest.mark.integration


@pytest.fixture
def lease(mongo_db):
    """lease(ttl_seconds=10, clock=...): an instance's lease on the test database's relay lease."""
    return lambda ttl_seconds=10, **clock: outbox.Lease(mongo_db.leases, "outbox-relay", ttl_seconds, **clock)


def test_one_instance_holds_the_lease_and_renews_it_while_the_others_wait(lease):
    first, second = lease(), lease()
    assert first.held()
    assert not second.held()
    assert first.held(), "renewed by its holder"
    assert not second.held()


def test_a_lease_its_holder_stopped_renewing_passes_to_another_instance_once_expired(lease):
    now = [datetime.now(timezone.utc)]  # the instances' clock, moved by the test: no wall-clock timing
    dead, successor = lease(clock=lambda: now[0]), lease(clock=lambda: now[0])
    assert dead.held()
    assert not successor.held()
    now[0] += timedelta(seconds=9)
    assert not successor.held(), "not before it expires"
    now[0] += timedelta(seconds=2)
    assert successor.held()
    assert not dead.held(), "the old holder finds it taken when it comes back"


def test_a_released_lease_is_free_at_once(lease):
    holder, successor = lease(), lease()
    assert holder.held()
    holder.release()
    assert successor.held()


def test_only_the_relay_holding_the_lease_publishes(mongo_db, lease, idea_id):
    mongo_db.ideas.insert_one(outbox.with_events({"_id": idea_id}, SampleEvents.submitted(idea_id)))
    holding, waiting = FakePublisher(), FakePublisher()
    stopping = threading.Event()
    relays = [threading.Thread(target=outbox.Relay([mongo_db.ideas], publisher, lease=instance).run,
                               args=(stopping,)) for publisher, instance in ((holding, lease()), (waiting, lease()))]
    relays[0].start()
    wait_for(lambda: holding.published, what="the holder to publish")
    relays[1].start()
    mongo_db.ideas.update_one({"_id": idea_id}, outbox.recording({}, SampleEvents.submitted(idea_id)))
    wait_for(lambda: len(holding.published) == 2, what="the holder to publish the second event")
    stopping.set()
    for relay in relays:
        relay.join(10)
    assert waiting.published == []
    assert mongo_db.leases.count_documents({}) == 0, "released when the holder stopped"
