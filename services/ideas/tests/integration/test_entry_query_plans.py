"""The reads of contest entries are answered by an index: a contest's entries (all, or one round's), a video and the
spaces of its entries, the contest's windows at submission; explained as sent, none a full scan."""
from datetime import datetime, timedelta, timezone

import pytest

pytestmark = pytest.mark.integration

NOW = datetime.now(timezone.utc)


@pytest.fixture
def entries_lab(store, mongo_db):
    """3,000 ideas, 600 of them entries of one contest over three rounds, some with a clip; 50 contests kept."""
    store.ideas.insert_many([
        {"_id": f"idea-{n:05d}", "title": f"Idea {n}", "description": "…", "category": "contest", "author_id": "a",
         "space": None, "submitted_at": NOW - timedelta(seconds=n), "status": "open", "vote_count": 0,
         "tally_version": 0, "comment_count": 0, "hidden": None, "image": None,
         **({"contest": {"id": "genios", "round": n % 3 + 1}} if n < 600 else {}),
         **({"video": {"id": f"{n:032x}", "url": "/v", "content_type": "video/mp4"}} if n < 60 else {})}
        for n in range(3_000)])
    store.entries.contests.insert_many([{"_id": f"contest-{n}", "revision": 1, "title": {"es": "G"}, "space": None,
                                         "rounds": [{"round": 1, "opens_at": NOW - timedelta(days=1),
                                                     "closes_at": NOW + timedelta(days=1)}]} for n in range(50)]
                                       + [{"_id": "genios", "revision": 1, "title": {"es": "G"}, "space": None,
                                           "rounds": [{"round": 1, "opens_at": NOW - timedelta(days=1),
                                                       "closes_at": NOW + timedelta(days=1)}]}])
    store.entries.videos.insert_many([{"_id": f"{n:032x}", "owner_id": "a", "content_type": "video/mp4",
                                       "size": 4, "data": b"\x00\x00\x00\x00", "uploaded_at": NOW, "attached": True}
                                      for n in range(100)])
    return mongo_db


def test_entries_videos_and_a_submission_into_a_contest_read_only_by_index(entries_lab, client, bearer, reads):
    reads.commands.clear()
    assert len(client.get("/api/ideas/contests/genios/entries").get_json()["entries"]) == 100
    assert len(client.get("/api/ideas/contests/genios/entries?round=2").get_json()["entries"]) == 100
    assert client.get(f"/api/ideas/videos/{3:032x}", headers={"Range": "bytes=0-1"}).status_code == 206
    entered = client.post("/api/ideas", headers=bearer("ann"), json={
        "title": "Save the change", "description": "Round up.", "category": "contest", "contest_id": "genios"})
    assert entered.status_code == 201, entered.get_json()

    assert {name for command in reads.commands for name in ("find",) if name in command}
    assert reads.full_scans(entries_lab) == []
