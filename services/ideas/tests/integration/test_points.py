"""Points, levels and leaderboards (ideas.points): the fold of the events, the same after any replay; nothing for
farming votes; nothing for hidden content; banned members off the boards; boards and profiles show only what the
reader may see; every read of them served by an index."""
import random
from datetime import datetime, timedelta, timezone

import pytest

from idealab.auth import Principal
from idealab.events import new_event
from idealab_testing import SampleEvents, as_consumed
from ideas import domain, handlers, points

pytestmark = pytest.mark.integration

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)  # a Monday: week 2026-W10
LEVELS = points.levels_from("Newcomer:0,Contributor:20,Champion:100")
ADMIN = Principal("mo", frozenset({"moderator"}), frozenset())
sample = SampleEvents()


def registered(user_id: str, name: str) -> dict:
    return new_event("user.registered", {"user_id": user_id, "display_name": name, "signed_up_with": "password",
                                         "registered_at": T0}, source="/accounts", subject=user_id)


def banned(user_id: str) -> dict:
    return new_event("user.banned", {"user_id": user_id, "reason": "spam", "by": "mo", "banned_at": T0},
                     source="/accounts", subject=user_id)


def cast(idea_id: str, voter: str, version: int, at: datetime) -> dict:
    kind, field = ("vote.cast", "cast_at") if version % 2 else ("vote.withdrawn", "withdrawn_at")
    return new_event(kind, {"idea_id": idea_id, "voter_id": voter, "vote_version": version, field: at},
                     source="/votes", subject=idea_id)


@pytest.fixture
def model(store):
    return store.points


@pytest.fixture
def apply(model):
    on = points.event_handlers(model)
    return lambda envelope: on[envelope["type"]](as_consumed(envelope))


def submit(store, author: str, at: datetime, space: str | None = None) -> tuple[str, dict]:
    idea, event = domain.submit({"title": f"An idea of {author}", "description": "…", "category": "cards",
                                 "space": space}, author, at)
    store.add(idea, event)
    return idea["_id"], event


def comment(store, idea_id: str, author: str, at: datetime) -> str:
    found, event = domain.post_comment(store.get(idea_id), {"text": "Good point"}, author, at)
    store.add_comment(found, event)
    return found["_id"]


def board(model, space=None, period="all") -> list[tuple[str, int]]:
    key = points.period_key(period, T0)
    return [(r["member_id"], r["points"]) for r in model.leaderboard(points.board_of(space), key, 100)]


def snapshot(model) -> list[tuple]:
    return sorted((s["_id"], s["points"]) for s in model.scores.find())


def history(store, model) -> list[dict]:
    """A lab's events: ideas in the public lab and a panel, votes cast and withdrawn, one idea to the threshold,
    planned and launched, a comment marked helpful, a vote withdrawn, names."""
    envelopes = [registered(m, m.capitalize()) for m in ("ann", "bob", "cid", "dee")]
    ann_idea, event = submit(store, "ann", T0)
    envelopes.append(event)
    bob_idea, event = submit(store, "bob", T0 + timedelta(days=8))  # next week
    envelopes.append(event)
    panel_idea, event = submit(store, "cid", T0 + timedelta(hours=1), space="panel")
    envelopes.append(event)
    for n, voter in enumerate(("bob", "cid", "dee")):
        envelopes.append(cast(ann_idea, voter, 1, T0 + timedelta(minutes=n)))
    envelopes.append(cast(ann_idea, "dee", 2, T0 + timedelta(minutes=9)))  # dee withdraws
    envelopes.append(cast(panel_idea, "dee", 1, T0 + timedelta(hours=2)))
    envelopes.append({**sample.threshold_reached(ann_idea), "time": (T0 + timedelta(hours=3)).isoformat()})
    envelopes.append(sample.status_changed(ann_idea, "planned", changed_at=T0 + timedelta(days=1)))
    envelopes.append(sample.status_changed(ann_idea, "launched", "planned", changed_at=T0 + timedelta(days=40)))
    helpful = comment(store, bob_idea, "dee", T0 + timedelta(days=9))
    points.mark_helpful(model, bob_idea, helpful, True, ADMIN, T0 + timedelta(days=9))
    envelopes.append(store.comments.find_one({"_id": helpful})["outbox"][-1])
    return envelopes


def test_points_are_the_fold_of_the_events_by_the_rules(store, model, apply):
    for envelope in history(store, model):
        apply(envelope)
    rules = points.RULES
    ann = rules["submitted"] + rules["threshold"] + rules["planned"] + rules["launched"]
    assert board(model) == sorted([("ann", ann), ("dee", rules["helpful"]), ("bob", rules["submitted"] + 1),
                                   ("cid", 1)], key=lambda r: (-r[1], r[0]))
    assert board(model, "panel") == [("cid", rules["submitted"]), ("dee", 1)]
    # The week of T0 holds what happened in it: the launch (40 days on) and bob's idea (8 days on) do not count.
    assert dict(board(model, period="week"))["ann"] == rules["submitted"] + rules["threshold"] + rules["planned"]
    assert "dee" not in dict(board(model, period="week"))  # dee's vote was withdrawn the same week


def test_a_replay_of_the_events_in_another_order_twice_over_gives_the_same_points_and_boards(store, model, apply):
    envelopes = history(store, model)
    for envelope in envelopes:
        apply(envelope)
    before, boards = snapshot(model), [board(model, s, p) for s in (None, "panel") for p in points.PERIODS]
    for collection in (model.awards, model.scores, model.members):
        collection.drop()
    # Topics are read in any order against each other; one idea's votes keep theirs (one partition).
    by_topic = {}
    for envelope in envelopes:
        by_topic.setdefault(envelope["source"], []).append(envelope)
    for source in random.Random(3).sample(sorted(by_topic), len(by_topic)):
        for envelope in by_topic[source] * 2:
            apply(envelope)
    assert snapshot(model) == before
    assert [board(model, s, p) for s in (None, "panel") for p in points.PERIODS] == boards


def test_voting_and_withdrawing_again_and_again_earns_nothing(store, model, apply):
    idea_id, _ = submit(store, "ann", T0)
    for version in range(1, 201):  # cast, withdrawn, cast… ending withdrawn
        apply(cast(idea_id, "farmer", version, T0 + timedelta(seconds=version)))
    assert "farmer" not in dict(board(model))
    apply(cast(idea_id, "farmer", 199, T0))  # a stale copy of a cast changes nothing
    assert "farmer" not in dict(board(model))
    apply(cast(idea_id, "farmer", 201, T0 + timedelta(hours=1)))  # voting for good: one vote's point, once
    assert dict(board(model))["farmer"] == points.RULES["vote"]


def test_hidden_content_loses_its_points_whenever_its_events_come_and_regains_them_restored(store, model, apply):
    idea_id, submitted = submit(store, "ann", T0)
    apply(submitted)
    comment_id = comment(store, idea_id, "bob", T0)
    points.mark_helpful(model, idea_id, comment_id, True, ADMIN, T0)
    apply(store.comments.find_one({"_id": comment_id})["outbox"][-1])
    assert dict(board(model)) == {"ann": points.RULES["submitted"], "bob": points.RULES["helpful"]}

    hidden = handlers.moderate(store, idea_id, None, domain.HIDE, "rude", ADMIN)
    apply(store.ideas.find_one({"_id": idea_id})["outbox"][-1])
    handlers.moderate(store, idea_id, comment_id, domain.HIDE, "rude", ADMIN)
    apply(store.comments.find_one({"_id": comment_id})["outbox"][-1])
    assert hidden["hidden"] is not None and board(model) == []
    apply(sample.threshold_reached(idea_id))  # read after the hide: earns nothing either
    assert board(model) == []

    handlers.moderate(store, idea_id, None, domain.RESTORE, "it was fine", ADMIN)
    apply(store.ideas.find_one({"_id": idea_id})["outbox"][-1])
    assert dict(board(model)) == {"ann": points.RULES["submitted"] + points.RULES["threshold"]}


def test_a_helpful_mark_taken_back_takes_its_points_back_and_marking_twice_earns_once(store, model, apply):
    idea_id, _ = submit(store, "ann", T0)
    comment_id = comment(store, idea_id, "bob", T0)
    for _ in range(2):
        points.mark_helpful(model, idea_id, comment_id, True, ADMIN, T0)
    events = store.comments.find_one({"_id": comment_id})["outbox"]
    assert [e["type"] for e in events] == ["comment.posted", "comment.marked_helpful"]
    apply(events[-1])
    apply(events[-1])
    assert dict(board(model)) == {"bob": points.RULES["helpful"]}
    points.mark_helpful(model, idea_id, comment_id, False, ADMIN, T0)
    apply(store.comments.find_one({"_id": comment_id})["outbox"][-1])
    assert board(model) == []


def test_a_banned_member_leaves_every_board_and_earns_nothing_more(store, model, apply):
    for envelope in history(store, model):
        apply(envelope)
    apply(banned("ann"))
    idea_id, submitted = submit(store, "ann", T0)
    apply(submitted)
    assert "ann" not in dict(board(model)) and "ann" not in dict(board(model, period="week"))
    assert model.scores.count_documents({"member_id": "ann"}) == 0


def test_a_deleted_account_is_forgotten_and_a_replay_of_its_old_events_earns_it_nothing(store, model, apply, client):
    envelopes = history(store, model)
    for envelope in envelopes:
        apply(envelope)
    apply(sample.user_deleted("bob"))
    for envelope in envelopes:
        apply(envelope)
    assert model.scores.count_documents({"member_id": "bob"}) == 0
    assert model.awards.count_documents({"member_id": "bob"}) == 0
    assert client.get("/api/ideas/members/bob").status_code == 404


def test_levels_come_from_all_time_points_and_are_configurable():
    assert points.level_of(0, LEVELS) == (LEVELS[0], LEVELS[1])
    assert points.level_of(20, LEVELS)[0].name == "Contributor"
    assert points.level_of(5000, LEVELS) == (LEVELS[2], None)
    with pytest.raises(ValueError):
        points.levels_from("Starter:10,Pro:100")  # no level at 0
    with pytest.raises(ValueError):
        points.levels_from("Starter")


def test_a_private_board_and_the_private_part_of_a_profile_are_for_the_spaces_members_only(
        store, model, apply, client, bearer):
    for envelope in history(store, model):
        apply(envelope)
    assert client.get("/api/ideas/leaderboard", query_string={"space": "panel"}).status_code == 404
    assert client.get("/api/ideas/leaderboard", query_string={"space": "panel"},
                      headers=bearer("eve")).status_code == 404
    seen = client.get("/api/ideas/leaderboard", query_string={"space": "panel"},
                      headers=bearer("cid", spaces=("panel",)))
    assert seen.status_code == 200 and [e["display_name"] for e in seen.json["entries"]] == ["Cid", "Dee"]

    stranger = client.get("/api/ideas/members/cid").json
    assert stranger["ideas"] == [] and stranger["points"] == 1 and stranger["level"]["name"] == "Newcomer"
    member = client.get("/api/ideas/members/cid", headers=bearer("dee", spaces=("panel",))).json
    assert [i["space"] for i in member["ideas"]] == ["panel"]
    assert member["points"] == 1 + points.RULES["submitted"]
    assert client.get("/api/ideas/members/nobody").status_code == 404


def test_the_public_board_names_each_member_with_their_level(store, model, apply, client):
    for envelope in history(store, model):
        apply(envelope)
    entries = client.get("/api/ideas/leaderboard", query_string={"period": "all"}).json["entries"]
    # 110 points: past the default Contributor (50), below Regular (200).
    assert entries[0] == {"rank": 1, "member_id": "ann", "display_name": "Ann", "points": 110,
                          "level": "Contributor"}
    assert client.get("/api/ideas/leaderboard", query_string={"period": "decade"}).status_code == 422


def test_staff_mark_a_comment_helpful_through_the_api_and_members_may_not(store, client, bearer):
    idea_id, _ = submit(store, "ann", T0)
    comment_id = comment(store, idea_id, "bob", T0)
    url = f"/api/ideas/{idea_id}/comments/{comment_id}/helpful"
    assert client.put(url, headers=bearer("bob")).status_code == 403
    marked = client.put(url, headers=bearer("pat", roles=("product_team",)))
    assert marked.status_code == 200 and marked.json["helpful"] is True
    assert client.get(f"/api/ideas/{idea_id}/comments").json["comments"][0]["helpful"] is True
    assert client.delete(url, headers=bearer("pat", roles=("adviser",))).json["helpful"] is False
    assert client.put(f"/api/ideas/{idea_id}/comments/nope/helpful",
                      headers=bearer("pat", roles=("product_team",))).status_code == 404


def test_names_come_with_the_level_the_reader_may_see_and_unknown_members_are_left_out(
        store, model, apply, client, bearer):
    for envelope in history(store, model):
        apply(envelope)
    apply(registered("eve", "Eve"))
    apply(sample.user_deleted("eve"))
    url = "/api/ideas/members?ids=cid,ann,nobody,eve"
    assert client.get(url).json["members"] == [
        {"member_id": "cid", "display_name": "Cid", "level": "Newcomer"},  # 1 public point; 10 more in the panel
        {"member_id": "ann", "display_name": "Ann", "level": "Contributor"}]
    seen_by_panel = client.get(url, headers=bearer("dee", spaces=("panel",))).json["members"]
    assert [m["display_name"] for m in seen_by_panel] == ["Cid", "Ann"]
    assert client.get("/api/ideas/members?ids=" + ",".join(f"m{n}" for n in range(101))).status_code == 422
    assert client.get("/api/ideas/members?ids=a;b").status_code == 422
