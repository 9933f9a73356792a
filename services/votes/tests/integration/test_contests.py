"""Contests through the votes API and the worker's clock (moved by the tests): entries' votes counted at each
round's closing instant, the shortlist, the jury's scoresheets, the winner, the final, and each step taken once."""
import threading
from datetime import datetime, timedelta, timezone
from functools import partial

import pytest

from idealab.events import new_event
from idealab_testing import Clock, as_consumed, round_and_final
from votes import contest_handlers, contests, domain, handlers, worker

pytestmark = pytest.mark.integration

OPENS = datetime(2026, 6, 1, 9, tzinfo=timezone.utc)
WEEK = timedelta(weeks=1)


@pytest.fixture
def clock(app):
    app.extensions["votes.clock"] = clock = Clock(OPENS - timedelta(days=1))
    return clock


def round_(n: int) -> dict:
    start = OPENS + (n - 1) * WEEK
    return {"opens_at": start.isoformat(), "closes_at": (start + WEEK).isoformat(),
            "judging_ends_at": (start + WEEK + timedelta(days=2)).isoformat(), "prize": 50_000}


def setup(rounds: int = 2, **overrides) -> dict:
    last = OPENS + rounds * WEEK
    return {"title": {"es": "Genios del Ahorro", "en": "Saving geniuses"}, "description": {"es": "Trucos"},
            "currency": "EUR", "shortlist_size": 2,
            "criteria": [{"id": "saving", "name": {"es": "Ahorro"}}, {"id": "clarity", "name": {"en": "Clarity"}}],
            "jury": {"kind": "role"}, "rounds": [round_(n) for n in range(1, rounds + 1)],
            "final": {"closes_at": (last + timedelta(days=1)).isoformat(),
                      "judging_ends_at": (last + timedelta(days=3)).isoformat(), "prize": 150_000}, **overrides}


@pytest.fixture
def create(set_up_by_staff, clock):
    return lambda **overrides: set_up_by_staff("contests", setup(**overrides))


def enter(store, contest_id: str, round_number: int, idea_id: str, at: datetime) -> None:
    """An entry as the ideas service announces it."""
    handlers.on_idea_submitted(store, as_consumed(new_event("idea.submitted", {
        "idea_id": idea_id, "title": idea_id, "description": "a tip", "category": "saving", "author_id": "a-" + idea_id,
        "submitted_at": at, "contest_id": contest_id, "round": round_number}, source="/ideas", subject=idea_id)))


def vote(store, idea_id: str, voter: str, at: datetime) -> None:
    assert store.insert_vote(idea_id, voter, at, domain.vote_cast(idea_id, voter, 1, at))


def withdraw(store, idea_id: str, voter: str, at: datetime) -> None:
    cast_at = store.vote(idea_id, voter)["cast_at"]
    assert store.change_vote(idea_id, voter, 1, False, at, domain.vote_withdrawn(idea_id, voter, 2, at),
                             was_cast_at=cast_at)


def votes_for(store, idea_id: str, count: int, at: datetime, prefix: str = "v") -> None:
    for n in range(count):
        vote(store, idea_id, f"{prefix}{n}-{idea_id}", at)


def clock_at(store, at: datetime) -> int:
    return contest_handlers.run_clock(store.contests, at)


def round_events(store, contest_id: str) -> list[dict]:
    return [e for e in store.contests.contests.find_one({"_id": contest_id})["outbox"]
            if e["type"] == "contest.round_closed"]


def test_staff_set_up_a_contest_announced_to_the_ideas_service_and_editable_only_before_it_opens(
        client, staff, bearer, create, clock, store):
    assert client.post("/api/votes/contests", json=setup(), headers=bearer("ann")).status_code == 403
    contest_id = create()
    shown = client.get(f"/api/votes/contests/{contest_id}").get_json()
    assert [(r["round"], r["final"], r["state"]) for r in shown["rounds"]] == [
        (1, False, "scheduled"), (2, False, "scheduled"), (3, True, "scheduled")]
    assert shown["may_judge"] is False and "tie at the boundary" in shown["shortlist_rule"]
    edited = client.put(f"/api/votes/contests/{contest_id}", json=setup(shortlist_size=3), headers=staff)
    assert edited.status_code == 200 and edited.get_json()["revision"] == 2
    scheduled = [e for e in store.contests.contests.find_one({"_id": contest_id})["outbox"]]
    assert [(e["type"], e["data"]["revision"], len(e["data"]["rounds"])) for e in scheduled] == [
        ("contest.scheduled", 1, 2), ("contest.scheduled", 2, 2)]
    clock.at = OPENS
    refused = client.put(f"/api/votes/contests/{contest_id}", json=setup(), headers=staff)
    assert refused.status_code == 409 and refused.mimetype == "application/problem+json"
    assert client.get(f"/api/votes/contests/{contest_id}").get_json()["rounds"][0]["state"] == "open"


def test_an_incoherent_setup_is_a_422_problem(client, staff, clock):
    overlapping = setup(rounds=2)
    overlapping["rounds"][1]["opens_at"] = (OPENS + timedelta(days=3)).isoformat()
    early_final = setup(final={"closes_at": OPENS.isoformat(), "judging_ends_at": OPENS.isoformat()})
    listless = setup(jury={"kind": "list"})
    for bad in (overlapping, early_final, listless, setup(criteria=[]), setup(shortlist_size=0)):
        response = client.post("/api/votes/contests", json=bad, headers=staff)
        assert response.status_code == 422 and response.mimetype == "application/problem+json", response.get_json()


def test_a_tie_at_the_shortlist_boundary_puts_every_tied_entry_in_and_votes_after_the_close_do_not_count(
        create, store):
    contest_id = create(rounds=1)
    closes = OPENS + WEEK
    for n in range(5):
        enter(store, contest_id, 1, f"tip{n}", OPENS + timedelta(hours=n))
    votes_for(store, "tip0", 6, OPENS + timedelta(days=1))
    votes_for(store, "tip1", 4, OPENS + timedelta(days=1))
    votes_for(store, "tip2", 4, OPENS + timedelta(days=2))
    votes_for(store, "tip3", 1, closes - timedelta(milliseconds=1))
    # Late: cast at or after the closing instant, they would put tip3 level with the boundary and tip4 above it.
    votes_for(store, "tip3", 3, closes, prefix="late")
    votes_for(store, "tip4", 9, closes + timedelta(seconds=1), prefix="late")
    # Withdrawn after the close: it was live at the close, so it counts; withdrawn before: it does not.
    vote(store, "tip1", "changed-mind", OPENS + timedelta(days=1))
    withdraw(store, "tip1", "changed-mind", closes + timedelta(minutes=1))
    vote(store, "tip0", "left-early", OPENS + timedelta(days=1))
    withdraw(store, "tip0", "left-early", closes - timedelta(minutes=1))

    assert clock_at(store, closes) == 0  # the clock waits the settle time past the instant
    assert clock_at(store, closes + contests.SETTLE) == 1
    round1 = store.contests.contest(contest_id)["rounds"][0]
    assert [(r["entry_id"], r["votes"], r["rank"]) for r in round1["ranking"]] == [
        ("tip0", 6, 1), ("tip1", 5, 2), ("tip2", 4, 3), ("tip3", 1, 4), ("tip4", 0, 5)]
    assert round1["shortlist"] == ["tip0", "tip1"]

    tied = create(rounds=1)
    for n in range(4):
        enter(store, tied, 1, f"t{n}-{tied}", OPENS + timedelta(hours=n))
    for n, count in enumerate((5, 3, 3, 3)):
        votes_for(store, f"t{n}-{tied}", count, OPENS + timedelta(days=1))
    clock_at(store, closes + contests.SETTLE)
    shortlist = store.contests.contest(tied)["rounds"][0]["shortlist"]
    assert shortlist == [f"t{n}-{tied}" for n in range(4)]  # N is 2; the three tied at 3 votes all go in


def test_jurors_score_the_shortlist_and_a_tie_on_the_score_is_broken_by_the_rule(client, bearer, create, clock,
                                                                                store):
    contest_id = create(rounds=1)
    closes, judged = OPENS + WEEK, OPENS + WEEK + timedelta(days=2)
    for n, count in enumerate((3, 5, 1)):
        enter(store, contest_id, 1, f"tip{n}-{contest_id}", OPENS + timedelta(hours=n))
        votes_for(store, f"tip{n}-{contest_id}", count, OPENS + timedelta(days=1))
    a, b = (f"tip0-{contest_id}", f"tip1-{contest_id}")
    jury, member = bearer("juana", roles=("member", "jury")), bearer("ann")
    path = f"/api/votes/contests/{contest_id}/rounds/1/scoresheet"
    clock.at = closes - timedelta(seconds=1)
    assert client.put(path, json={"scores": {a: {"saving": 5, "clarity": 5}}}, headers=jury).status_code == 409
    clock_at(store, closes + contests.SETTLE)
    clock.at = closes + timedelta(hours=1)
    assert client.get(f"/api/votes/contests/{contest_id}", headers=jury).get_json()["may_judge"] is True
    sheet = {a: {"saving": 7, "clarity": 3}, b: {"saving": 4, "clarity": 6}}  # 10 each: a wins on saving
    assert client.put(path, json={"scores": sheet}, headers=member).status_code == 403
    incomplete = client.put(path, json={"scores": {a: {"saving": 7}}}, headers=jury)
    assert incomplete.status_code == 422 and "scores" in incomplete.get_json()["errors"]
    assert client.put(path, json={"scores": {a: {"saving": 11, "clarity": 0}, b: sheet[b]}},
                      headers=jury).status_code == 422
    assert client.put(path, json={"scores": sheet}, headers=jury).status_code == 200
    other = bearer("jordi", roles=("member", "jury"))
    assert client.put(path, json={"scores": {a: {"saving": 5, "clarity": 5}, b: {"saving": 5, "clarity": 5}}},
                      headers=other).status_code == 200
    assert client.get(path, headers=jury).get_json()["scores"] == sheet
    clock.at = judged
    assert client.put(path, json={"scores": sheet}, headers=jury).status_code == 409

    assert clock_at(store, judged + contests.SETTLE) == 1
    round1 = client.get(f"/api/votes/contests/{contest_id}").get_json()["rounds"][0]
    assert round1["state"] == "decided" and round1["winner"] == a  # 20 to 20, then 12 to 9 on saving
    assert {r["entry_id"]: r["jury_score"] for r in round1["ranking"]} == {a: 20, b: 20, f"tip2-{contest_id}": None}
    [event] = round_events(store, contest_id)
    assert event["data"]["winner"] == a and event["data"]["prize"] == {"amount": 50_000, "currency": "EUR"}
    assert event["data"]["final"] is False and sorted(event["data"]["entry_ids"]) == sorted(
        f"tip{n}-{contest_id}" for n in range(3))


def test_the_final_picks_the_grand_prize_among_every_rounds_shortlist(create, store):
    contest_id = create(rounds=2)
    entries = {1: ["a", "b", "c"], 2: ["d", "e"]}
    for number, names in entries.items():
        for n, name in enumerate(names):
            enter(store, contest_id, number, f"{name}-{contest_id}", OPENS + (number - 1) * WEEK + timedelta(hours=n))
    for name, count in {"a": 4, "b": 3, "c": 1, "d": 2, "e": 2}.items():
        votes_for(store, f"{name}-{contest_id}", count, OPENS + timedelta(days=1))
    contest = store.contests.contest(contest_id)
    final = contest["rounds"][2]
    clock_at(store, final["judging_ends_at"] + contests.SETTLE)  # a late clock takes every step due, in order
    rounds = store.contests.contest(contest_id)["rounds"]
    assert [r["winner"] for r in rounds] == [f"a-{contest_id}", f"d-{contest_id}", f"a-{contest_id}"]
    assert sorted(rounds[2]["shortlist"]) == sorted(f"{n}-{contest_id}" for n in "abde")
    closed = round_events(store, contest_id)
    assert [(e["data"]["round"], e["data"]["final"]) for e in closed] == [(1, False), (2, False), (3, True)]
    assert closed[2]["data"]["prize"] == {"amount": 150_000, "currency": "EUR"}
    assert len(closed[2]["data"]["entry_ids"]) == 5  # every participant hears of the grand prize
    assert clock_at(store, final["judging_ends_at"] + timedelta(days=30)) == 0


def test_two_clocks_at_the_closing_instant_close_the_round_once(create, store, together):
    contest_id = create(rounds=1)
    enter(store, contest_id, 1, f"x-{contest_id}", OPENS)
    vote(store, f"x-{contest_id}", "ann", OPENS + timedelta(hours=1))
    closes = OPENS + WEEK + contests.SETTLE
    read = [store.contests.contest(contest_id) for _ in range(2)]  # each clock read the contest before either moved
    moved = together(*(partial(contest_handlers.advance, store.contests, contest, closes) for contest in read))
    assert sorted(moved) == [False, True]
    assert store.contests.contest(contest_id)["step"] == 1


def test_a_worker_stopped_and_restarted_at_the_closing_instant_closes_and_decides_each_round_once(create, store):
    contest_id = create(rounds=1)
    enter(store, contest_id, 1, f"x-{contest_id}", OPENS)
    vote(store, f"x-{contest_id}", "ann", OPENS + timedelta(hours=1))
    judged = OPENS + WEEK + timedelta(days=2) + contests.SETTLE
    at = Clock(OPENS + WEEK + contests.SETTLE)
    for instant in (at.at, at.at, judged, judged):  # each instant: a worker, then its restart
        at.at = instant
        stopping = threading.Event()
        job = threading.Thread(target=worker.contest_clock(store, at, every_seconds=0.01), args=(stopping,))
        job.start()
        stopping.wait(0.1)
        stopping.set()  # the worker goes away
        job.join()
    assert [(e["data"]["round"], e["data"]["winner"]) for e in round_events(store, contest_id)] == [
        (1, f"x-{contest_id}")]
    assert store.contests.contest(contest_id)["step"] == 2  # closed once, decided once (the final: no finalist yet?)


def test_a_round_and_its_final_a_second_later_as_the_lab_tests_set_them_up_are_each_closed_and_decided(
        set_up_by_staff, clock, store):
    closes = OPENS + timedelta(seconds=10)
    contest_id = set_up_by_staff("contests", {**setup(), **round_and_final(OPENS, closes, judging=4, final_judging=5)})
    entries = [f"tip{n}-{contest_id}" for n in range(3)]
    for entry, count in zip(entries, (3, 2, 1)):
        enter(store, contest_id, 1, entry, OPENS)
        votes_for(store, entry, count, OPENS + timedelta(seconds=1))
    assert clock_at(store, closes + contests.SETTLE) == 1  # the round closes to votes
    assert clock_at(store, closes + timedelta(seconds=5) + contests.SETTLE) == 1  # the final closes, both are judged
    assert [(e["data"]["round"], e["data"]["final"], e["data"]["winner"]) for e in round_events(store, contest_id)] == [
        (1, False, entries[0]), (2, True, entries[0])]  # no scoresheet: the most voted of each shortlist
    assert [r["prize"] for r in store.contests.contest(contest_id)["rounds"]] == [50_000, 150_000]


def test_a_contest_of_a_space_is_not_there_for_outsiders(client, bearer, create, clock):
    contest_id = create(space="genios")
    insider, outsider = bearer("ian", spaces=("genios",)), bearer("olga", spaces=("other",))
    for headers in (outsider, {}):
        assert client.get(f"/api/votes/contests/{contest_id}", headers=headers).status_code == 404
        listed = client.get("/api/votes/contests", headers=headers).get_json()["contests"]
        assert contest_id not in [c["id"] for c in listed]
    assert client.get(f"/api/votes/contests/{contest_id}", headers=insider).status_code == 200


def test_a_named_jury_judges_and_only_staff_see_who_is_on_it(client, bearer, staff, create, store):
    contest_id = create(rounds=1, jury={"kind": "list", "members": ["juana", "jordi"]})
    juana, ann = bearer("juana"), bearer("ann")
    assert client.get(f"/api/votes/contests/{contest_id}", headers=juana).get_json()["may_judge"] is True
    shown = client.get(f"/api/votes/contests/{contest_id}", headers=ann).get_json()
    assert shown["may_judge"] is False and shown["jury"] == {"kind": "list"}
    assert client.get(f"/api/votes/contests/{contest_id}", headers=staff).get_json()["jury"]["members"] == [
        "jordi", "juana"]
