"""The response-time promise's reads are answered by indexes: the team's queue (the posts not yet answered, however
many were answered before) and a space's month of figures, over a lab of a few thousand posts."""
from datetime import datetime, timedelta, timezone

import pytest

from ideas import promise

pytestmark = pytest.mark.integration

NOW = datetime.now(timezone.utc).replace(microsecond=0)


@pytest.fixture
def lab(store, mongo_db):
    """3,000 posts over three months in the public lab and a panel, one in twenty still waiting."""
    records = []
    for n in range(3000):
        space, posted = ("panel-1" if n % 3 == 0 else None), NOW - timedelta(minutes=n * 45)
        record = promise.waiting(promise.KINDS[n % 3], f"item-{n}", space, "fr", posted, promise.targets(None),
                                 {"thread_id": f"t-{n}", "about_id": None, "member_id": f"member-{n % 97}"})
        records.append({**record, "answered_at": None if n % 20 == 0 else posted + timedelta(hours=2)})
    store.promises.insert_many(records)
    return mongo_db


def test_the_queue_and_a_spaces_figures_are_read_by_index(client, bearer, lab, reads):
    adviser = bearer("adv", ("adviser",))
    reads.commands.clear()
    waiting = client.get("/api/ideas/promise/queue?limit=500", headers=adviser).json["waiting"]
    assert len(waiting) == 150
    assert client.get("/api/ideas/promise/queue?space=panel-1&kind=idea", headers=adviser).status_code == 200
    month = NOW.strftime("%Y-%m")
    for space in ("", "&space=panel-1"):
        assert client.get(f"/api/ideas/promise/figures?month={month}{space}", headers=adviser).status_code == 200
    assert sum(c.get("find") == "promises" for c in reads.commands) == 4  # the reads explained are these
    assert reads.full_scans(lab) == []
