"""Every hot read of the ideas API is answered by an index: each read command the app sends while answering is
explained on the engine as it was sent, and none may be a full scan. The idea lists are read above the floors the
worker keeps (no second, unbounded read), and are the same pages a sort of the whole list gives."""
import random
from datetime import datetime, timedelta, timezone

import pytest

from ideas import domain, handlers
from ideas.store import SORT_KEYS

pytestmark = pytest.mark.integration

SPACES = {None: 1_200, "panel-1": 450, "panel-2": 350}  # each past a depth the pages need
NOW = datetime.now(timezone.utc).replace(microsecond=0)


@pytest.fixture
def lab(store, mongo_db):
    """A lab of a few thousand ideas in the public lab and two panels (one in fifty hidden), with comments on the
    first, ranked by the worker's job."""
    rng = random.Random(10)
    ideas = [{"_id": f"{space or 'lab'}-{n:05d}", "title": f"Idea {n}", "description": "…", "category": "cards",
              "author_id": f"member-{n % 97}", "space": space, "submitted_at": NOW - timedelta(seconds=n * 7),
              "status": "open", "vote_count": rng.randint(0, 400), "tally_version": 1,
              "comment_count": rng.randint(0, 40), "image": None,
              "hidden": {"reason": "rude", "by": "mo", "at": NOW} if n % 50 == 0 else None}
             for space, count in SPACES.items() for n in range(1, count + 1)]
    for idea in ideas:
        idea["trending"] = domain.trending(idea["vote_count"], idea["comment_count"], idea["submitted_at"])
    store.ideas.insert_many(ideas)
    store.comments.insert_many([{"_id": f"c-{n}", "idea_id": f"lab-{n % 100 + 1:05d}", "space": None,
                                 "author_id": "ann", "text": "Yes!", "reply_to": None,
                                 "posted_at": NOW - timedelta(seconds=n), "hidden": None, "moderation": []}
                                for n in range(600)])
    for space in SPACES:
        handlers.on_idea_submitted(store, type("Event", (), {"data": {"space": space}}))
    store.rank()
    return mongo_db


READERS = {"anonymous": ({}, 1), "panel member": ({"spaces": ("panel-1", "panel-2")}, 3),
           "moderator": ({"roles": ("moderator",)}, 1)}


def test_each_order_of_the_idea_list_is_read_by_index_ranges_above_its_floors(client, bearer, lab, reads):
    for reader, (claims, lists) in READERS.items():
        headers = bearer("reader", **claims) if claims else {}
        for sort in SORT_KEYS:
            for page in ({}, {"offset": 20}, {"offset": 180, "limit": 50}, {"space": "panel-1"} if lists > 1 else {}):
                reads.commands.clear()
                response = client.get("/api/ideas", query_string={"sort": sort, **page}, headers=headers)
                assert response.status_code == 200 and len(response.json["ideas"]) == page.get("limit", 20)
                assert reads.full_scans(lab) == [], (reader, sort, page)
                read_ideas = [c for c in reads.commands if c.get("find") == "ideas"]
                assert len(read_ideas) == (1 if "space" in page else lists), "read again whole: a floor did not hold"
                assert all("$or" in c["filter"] or "submitted_at" in c["filter"] for c in read_ideas), "no floor"


def test_the_idea_page_and_its_comments_are_read_by_index(client, lab, reads):
    reads.commands.clear()
    assert client.get("/api/ideas/lab-00001").status_code == 200
    comments = client.get("/api/ideas/lab-00001/comments")
    assert comments.status_code == 200 and len(comments.json["comments"]) == 6
    assert reads.full_scans(lab) == []


def test_pages_read_above_the_floors_are_those_of_the_whole_list_even_when_the_floors_are_stale(
        client, bearer, store, lab):
    # Floors stale every way: the top voted lose their votes, the newest are hidden, many fall behind.
    store.ideas.update_many({"vote_count": {"$gt": 300}}, {"$set": {"vote_count": 0}})
    store.ideas.update_many({"submitted_at": {"$gt": NOW - timedelta(hours=1)}}, {"$set": {"hidden": {"r": 1}}})
    visible = {"space": {"$in": [None, "panel-1"]}, "hidden": None}
    for sort, keys in SORT_KEYS.items():
        expected = [i["_id"] for i in store.ideas.find(visible, {"_id": 1}).sort(keys)]
        for offset, limit in ((0, 20), (20, 20), (95, 10), (990, 20), (len(expected) - 5, 20)):
            response = client.get("/api/ideas", query_string={"sort": sort, "offset": offset, "limit": limit},
                                  headers=bearer("reader", spaces=("panel-1",)))
            assert [i["id"] for i in response.json["ideas"]] == expected[offset:offset + limit], (sort, offset)


def test_questions_answers_and_private_threads_are_read_by_index(client, bearer, store, lab, reads):
    store.questions.insert_many([{"_id": f"q-{n:05d}", "title": f"Question {n}", "body": "…", "author_id": "ann",
                                  "space": ("panel-1" if n % 3 else None), "asked_at": NOW - timedelta(seconds=n),
                                  "hidden": None, "team_answer": None, "answered_privately": False}
                                 for n in range(1500)])
    store.answers.insert_many([{"_id": f"a-{n}", "about": "question", "about_id": f"q-{n % 500:05d}", "space": None,
                                "author_id": "pat", "text": "Yes.", "posted_at": NOW - timedelta(seconds=n)}
                               for n in range(1500)])
    store.threads.insert_many([{"_id": f"t-{n}", "member_id": f"member-{n % 300}", "about": "account",
                                "about_id": None, "idea_id": None, "space": None, "opened_at": NOW,
                                "last_message_at": NOW - timedelta(seconds=n),
                                "messages": [{"id": "m", "author_id": f"member-{n % 300}", "from_team": False,
                                              "text": "Hello", "at": NOW}]} for n in range(1500)])
    member, adviser = bearer("member-7"), bearer("ada", roles=("adviser",))
    reads.commands.clear()
    for path, headers in (("/api/ideas/questions", {}), ("/api/ideas/questions?space=panel-1", adviser),
                          ("/api/ideas/questions/q-00000", {}), ("/api/ideas/questions/q-00000/answers", {}),
                          ("/api/ideas/lab-00001/answers", {}), ("/api/ideas/private-threads", member),
                          ("/api/ideas/private-threads", adviser), ("/api/ideas/private-threads/t-7", member)):
        assert client.get(path, headers=headers).status_code == 200, path
    assert reads.full_scans(lab) == []
