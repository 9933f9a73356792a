"""Use cases of contests (rules: votes.contests): set up and edit, show, score a shortlist, and the clock that
closes and decides each round once."""
import uuid
from datetime import datetime

from werkzeug.exceptions import Conflict, NotFound

from idealab.auth import Principal, visible_spaces
from idealab.events import Event

from . import contests, refusals
from .contest_store import ContestStore


def _setup(data: dict, now: datetime) -> dict:
    try:
        contests.check_setup(data, now)
    except contests.Refused as refusal:
        raise refusals.problem(refusal) from None
    jury = {"kind": data["jury"]["kind"], "members": sorted(set(data["jury"].get("members") or []))}
    rounds = contests.rounds_of(data)
    return {"title": data["title"], "description": data["description"], "space": data["space"],
            "currency": data["currency"], "shortlist_size": data["shortlist_size"], "criteria": data["criteria"],
            "jury": jury, "rounds": rounds, "opens_at": rounds[0]["opens_at"],
            "next_due_at": contests.next_due(rounds)}


def create(store: ContestStore, data: dict, by: Principal, now: datetime) -> dict:
    contest = {"_id": uuid.uuid4().hex, **_setup(data, now), "revision": 1, "created_by": by.user_id,
               "created_at": now}
    store.insert(contest, contests.contest_scheduled(contest))
    return shown(contest, by, now)


def edit(store: ContestStore, contest_id: str, data: dict, by: Principal, now: datetime) -> dict:
    contest = visible(store, contest_id, by)
    if contest["opens_at"] <= now:
        raise Conflict("this contest has opened: it can no longer be edited")
    fields = {**_setup(data, now), "revision": contest["revision"] + 1}
    changed = {**contest, **fields}
    if not store.edit(contest_id, contest["revision"], fields, now, contests.contest_scheduled(changed)):
        raise Conflict("this contest has opened, or was edited meanwhile: reload it (it is edited before it opens)")
    return shown(changed, by, now)


def visible(store: ContestStore, contest_id: str, viewer: Principal | None) -> dict:
    return refusals.visible(store.contest(contest_id), viewer, f"no contest {contest_id}")


def shown(contest: dict, viewer: Principal | None, now: datetime) -> dict:
    """A contest as the caller may read it: its rounds with their state, and the shortlists, scores and winners so
    far; `may_judge` says whether the caller is on its jury."""
    rounds = [{**r, "state": contests.state(r, now)} for r in contest["rounds"]]
    # Who is on a named jury is staff's to know: members see only how it is made.
    jury = contest["jury"] if viewer is not None and viewer.is_staff else {"kind": contest["jury"]["kind"]}
    return {**contest, "id": contest["_id"], "rounds": rounds, "jury": jury,
            "may_judge": viewer is not None and contests.is_juror(contest, viewer)}


def listed(store: ContestStore, viewer: Principal | None, limit: int, now: datetime) -> dict:
    return {"contests": [shown(c, viewer, now) for c in store.contests_in(visible_spaces(viewer), limit)]}


def _round(contest: dict, number: int) -> dict:
    found = next((r for r in contest["rounds"] if r["round"] == number), None)
    if found is None:
        raise NotFound(f"no round {number} in this contest")
    return found


def score(store: ContestStore, contest_id: str, number: int, scores: dict, juror: Principal, now: datetime) -> dict:
    """Takes or replaces a juror's scoresheet for a round being judged."""
    contest = visible(store, contest_id, juror)
    try:
        contests.check_scoresheet(contest, _round(contest, number), juror, scores, now)
    except contests.Refused as refusal:
        raise refusals.problem(refusal) from None
    return store.put_scoresheet(contest_id, number, juror.user_id, scores, now)


def my_scoresheet(store: ContestStore, contest_id: str, number: int, juror: Principal) -> dict:
    contest = visible(store, contest_id, juror)
    _round(contest, number)
    sheet = store.scoresheet(contest_id, number, juror.user_id)
    if sheet is None:
        raise NotFound("you have not scored this round")
    return sheet


def on_idea_submitted(store: ContestStore, event: Event) -> None:
    """An entry: its contest, round and submission instant, on the votable idea the votes handler keeps."""
    if event.data.get("contest_id"):
        store.add_entry(event.data["idea_id"], event.data["contest_id"], event.data["round"],
                        event.data["submitted_at"])


def run_clock(store: ContestStore, now: datetime) -> int:
    """Moves every contest with a round due at `now` (less the settle time): closes rounds to votes with their
    ranking and shortlist, and decides the judged ones. How many contests it moved."""
    return sum(advance(store, contest, now) for contest in store.due(now - contests.SETTLE))


def advance(store: ContestStore, contest: dict, now: datetime) -> bool:
    """Every step due for one contest, written in one conditional write; False if another clock took it first."""
    at, rounds, announced = now - contests.SETTLE, [], []
    for round_ in contest["rounds"]:
        if "ranking" not in round_ and round_["closes_at"] <= at:
            round_ = _close_to_votes(store, contest, round_, rounds)
        if "ranking" in round_ and "winner" not in round_ and round_["judging_ends_at"] <= at:
            sheets = store.scoresheets_of(contest["_id"], round_["round"], round_["judging_ends_at"])
            round_, event = contests.decided_round(contest, round_, sheets, now)
            announced.append(event)
        rounds.append(round_)
    return store.advance(contest, rounds, contests.next_due(rounds), announced)


def _close_to_votes(store: ContestStore, contest: dict, round_: dict, earlier: list[dict]) -> dict:
    """A round's ranking by the votes live at its closing instant. The final's entries are the finalists: the
    shortlists of the rounds before it (closed before it, as its close comes after theirs)."""
    if round_["final"]:
        submitted = {e["_id"]: e["submitted_at"] for e in store.entries(contest["_id"])}
        candidates = [e for r in earlier for e in r.get("shortlist", [])]
        everyone = sorted(submitted)
    else:
        submitted = {e["_id"]: e["submitted_at"] for e in store.entries(contest["_id"], round_["round"])}
        candidates = everyone = sorted(submitted)
    votes = store.votes_at(candidates, round_["closes_at"])
    entries = [contests.Entry(e, votes[e], submitted[e]) for e in candidates]
    # The final shortlists every finalist unless its setup says how many.
    size = round_.get("shortlist_size") or (len(candidates) if round_["final"] else contest["shortlist_size"])
    return {**contests.shortlisted_round(round_, entries, size), "entry_ids": everyone}
