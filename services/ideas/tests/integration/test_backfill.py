"""The backfill of ideas stored before the trending order and search existed (`ideas.cli backfill-discovery`): they
get their trending score and search text from what is stored, are found and ranked like the others, and running it
again changes nothing."""
from datetime import datetime, timedelta, timezone

import pytest

from ideas import cli, domain

pytestmark = pytest.mark.integration

T0 = datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def old_ideas(store):
    """Two ideas as the service stored them before: no trending score, no search text, no last activity."""
    store.ideas.insert_many([
        {"_id": "old-savings", "title": "Un compte épargne pour les enfants", "description": "Pour leurs études.",
         "category": "savings", "author_id": "ann", "space": None, "submitted_at": T0, "status": "open",
         "vote_count": 12, "tally_version": 12, "comment_count": 0, "hidden": None, "image": None},
        {"_id": "old-cards", "title": "Block a lost card", "description": "From the app.", "category": "cards",
         "author_id": "bob", "space": None, "submitted_at": T0 - timedelta(days=3), "status": "open",
         "vote_count": 2, "tally_version": 2, "comment_count": 0, "hidden": None, "image": None}])
    store.comments.insert_one({"_id": "old-comment", "idea_id": "old-cards", "space": None, "author_id": "cid",
                               "text": "Y también las tarjetas de ahorro", "reply_to": None,
                               "posted_at": T0 + timedelta(days=1), "hidden": None, "moderation": []})


def test_old_ideas_get_their_trending_score_and_search_text_once(worker_env, monkeypatch, store, old_ideas, client,
                                                                  capsys):
    for name, value in worker_env("ideas").items():
        monkeypatch.setenv(name, value)
    assert client.get("/api/ideas", query_string={"q": "epargnes"}).json["ideas"] == []

    assert cli.main(["backfill-discovery"]) == 0
    assert "backfilled 2 ideas" in capsys.readouterr().out

    cards = store.ideas.find_one({"_id": "old-cards"})
    assert cards["comment_count"] == 1 and cards["last_active_at"] == T0 + timedelta(days=1)
    assert cards["trending"] == domain.trending(2, 1, T0 + timedelta(days=1))
    assert [i["id"] for i in client.get("/api/ideas", query_string={"q": "epargnes"}).json["ideas"]] == [
        "old-savings"]
    assert [i["id"] for i in client.get("/api/ideas", query_string={"q": "AHORROS"}).json["ideas"]] == ["old-cards"]
    before = list(store.ideas.find({}, {"outbox": 0}).sort("_id"))

    assert cli.main(["backfill-discovery"]) == 0
    assert "backfilled 0 ideas" in capsys.readouterr().out
    assert list(store.ideas.find({}, {"outbox": 0}).sort("_id")) == before
