"""The leaderboards and profiles are read by index: each read command the app sends while answering is explained on
the engine as it was sent, and none may be a full scan (a lab of thousands of members on several boards)."""
from datetime import timedelta

import pytest

from ideas import points

pytestmark = pytest.mark.integration

NOW = points.now()
BOARDS = {None: 3_000, "panel-1": 400}


@pytest.fixture
def lab(store, mongo_db):
    week, month, _ = points.period_keys(NOW)
    scores = []
    for space, members in BOARDS.items():
        board = points.board_of(space)
        for n in range(members):
            for period in (week, month, points.ALL_TIME, "week:2020-W01"):
                scores.append({"_id": f"{board}|{period}|m-{n}", "board": board, "period": period,
                               "member_id": f"m-{n}", "points": (n * 7919) % 1000})
    store.points.scores.insert_many(scores)
    store.points.boards.insert_many([{"_id": points.board_of(space), "floors": {}} for space in BOARDS])
    store.points.rank(NOW)
    store.points.members.insert_many([{"_id": f"m-{n}", "display_name": f"Member {n}"} for n in range(3_000)])
    store.ideas.insert_many([{"_id": f"i-{n}", "title": f"Idea {n}", "description": "…", "category": "cards",
                              "author_id": f"m-{n % 300}", "space": None if n % 3 else "panel-1",
                              "submitted_at": NOW - timedelta(minutes=n), "status": "open", "vote_count": 0,
                              "comment_count": 0, "hidden": None} for n in range(3_000)])
    store.comments.insert_many([{"_id": f"c-{n}", "idea_id": f"i-{n}", "space": None, "author_id": f"m-{n % 300}",
                                 "text": "Yes", "posted_at": NOW - timedelta(minutes=n), "hidden": None}
                                for n in range(3_000)])
    return mongo_db


def test_each_leaderboard_and_a_profile_are_read_by_index(client, bearer, lab, reads):
    member = bearer("m-1", spaces=("panel-1",))
    for query in ({}, {"period": "week"}, {"period": "month"}, {"space": "panel-1", "period": "all"}):
        reads.commands.clear()
        answer = client.get("/api/ideas/leaderboard", query_string={**query, "limit": 50}, headers=member)
        assert answer.status_code == 200 and len(answer.json["entries"]) == 50
        points_shown = [e["points"] for e in answer.json["entries"]]
        assert points_shown == sorted(points_shown, reverse=True)
        assert reads.full_scans(lab) == [], query
        [read] = [c for c in reads.commands if c.get("find") == "scores" and "member_id" not in c["filter"]]
        assert "points" in read["filter"], "not read above a floor: the whole board was sorted"
    reads.commands.clear()
    names = client.get("/api/ideas/members", query_string={"ids": ",".join(f"m-{n}" for n in range(0, 300, 3))},
                       headers=member)
    assert names.status_code == 200 and len(names.json["members"]) == 100
    assert reads.full_scans(lab) == []
    reads.commands.clear()
    profile = client.get("/api/ideas/members/m-7", headers=member)
    assert profile.status_code == 200 and len(profile.json["ideas"]) == 10
    assert reads.full_scans(lab) == []


def test_a_board_read_above_stale_floors_is_the_board_a_sort_of_every_score_gives(client, store, lab):
    week = points.period_key("week", NOW)
    # Floors stale every way: the top members lose their points, others climb past them.
    store.points.scores.update_many({"board": "(public)", "period": week, "points": {"$gt": 900}},
                                    {"$set": {"points": 0}})
    store.points.scores.update_many({"board": "(public)", "period": week, "points": {"$lt": 20}},
                                    {"$set": {"points": 5_000}})
    whole = [(s["member_id"], s["points"]) for s in store.points.scores.find({"board": "(public)", "period": week})
             .sort(points.LEADERBOARD_ORDER).limit(60)]
    shown = client.get("/api/ideas/leaderboard", query_string={"period": "week", "limit": 60}).json["entries"]
    assert [(e["member_id"], e["points"]) for e in shown] == whole
