"""Rules about contests, with no I/O: their rounds and final, who judges, the shortlist, the winner.

A contest (ING Spain's "Genios del Ahorro") has rounds and a final. Its entries are ideas of the lab submitted into
the round open at the time (the ideas service takes them, `contest.scheduled` tells it the windows); members vote
for them on the votes' own path (one (idea, member) vote document), so an entry's votes are exact by construction.
When a round closes, the votes cast before its closing instant rank its entries and form the shortlist
(SHORTLIST_RULE); the jury scores the shortlist on the contest's criteria until the round's judging ends, then the
best score wins (WINNER_RULE) and `contest.round_closed` tells it. The final does the same among the finalists (the
shortlisted entries of every round). The worker's clock takes each step once: a conditional write on the contest.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from idealab.auth import Principal
from idealab.events import new_event

from .domain import Refused

SOURCE = "/votes"
ROLE, LIST = "role", "list"
JURY_ROLE = "jury"
MAX_SCORE = 10  # each criterion is scored 0..MAX_SCORE, in whole points, so totals and ties are exact

# A vote or scoresheet checked just before an instant may still be on its way to the database: the clock acts this
# long after the instant (what counts is decided by the instants written in the documents, not by when it acts).
SETTLE = timedelta(seconds=2)

SHORTLIST_RULE = ("the entries with at least one vote cast before the round closed, ranked by those votes; the "
                  "shortlist is the N most voted, and every entry with as many votes as the N-th goes in too (a tie "
                  "at the boundary puts them all in). The final ranks the finalists, the shortlisted entries of "
                  "every round, the same way by the votes cast before the final closed")
WINNER_RULE = ("the shortlisted entry with the highest jury score (the sum of every juror's scores on every "
               "criterion) wins; on equal scores, the higher total on the first criterion, then on the next ones in "
               "the contest's order; then more votes; then the entry submitted first; then the lower entry id. "
               "Without any scoresheet every score is 0, so the most voted wins")

# A round closed to votes is "closing" until the clock has counted them (the settle time), then "judging".
SCHEDULED, OPEN, CLOSING, JUDGING, DECIDED = "scheduled", "open", "closing", "judging", "decided"


def rounds_of(setup: dict) -> list[dict]:
    """The stored rounds of a setup: its rounds numbered from 1, then the final (counting every vote of the
    contest's entries from the first opening to its own close)."""
    rounds = [{**r, "round": n, "final": False} for n, r in enumerate(setup["rounds"], start=1)]
    final = {**setup["final"], "round": len(rounds) + 1, "final": True, "opens_at": rounds[0]["opens_at"]}
    return [*rounds, final]


def check_setup(setup: dict, now: datetime) -> None:
    rounds, final = setup["rounds"], setup["final"]
    for n, r in enumerate(rounds, start=1):
        if not r["opens_at"] < r["closes_at"] <= r["judging_ends_at"]:
            raise Refused("setup", f"round {n} opens, then closes, then its judging ends, in that order")
        if n > 1 and r["opens_at"] < rounds[n - 2]["closes_at"]:
            raise Refused("setup", f"round {n} opens once round {n - 1} has closed: an entry belongs to one round")
    if rounds[0]["opens_at"] <= now:
        raise Refused("setup", "a contest's first round opens in the future")
    if not rounds[-1]["closes_at"] <= final["closes_at"] <= final["judging_ends_at"]:
        raise Refused("setup", "the final closes once the last round has, and its judging ends after it closes")
    if len({c["id"] for c in setup["criteria"]}) != len(setup["criteria"]):
        raise Refused("setup", "each criterion has its own id")
    if setup["jury"]["kind"] == LIST and not setup["jury"].get("members"):
        raise Refused("setup", "a jury by list names its members")


def state(round_: dict, now: datetime) -> str:
    """What a round is doing at `now`: what the worker's clock wrote (ranked, decided) outranks the instants."""
    if "winner" in round_:
        return DECIDED
    if now < round_["opens_at"]:
        return SCHEDULED
    if now < round_["closes_at"]:
        return OPEN
    return JUDGING if "ranking" in round_ else CLOSING


def entry_round(contest: dict, now: datetime) -> dict | None:
    """The round (not the final) taking entries at `now`, if any."""
    return next((r for r in contest["rounds"] if not r["final"] and r["opens_at"] <= now < r["closes_at"]), None)


def is_juror(contest: dict, who: Principal) -> bool:
    jury = contest["jury"]
    return who.user_id in jury.get("members", ()) if jury["kind"] == LIST else who.has(JURY_ROLE)


def check_scoresheet(contest: dict, round_: dict, who: Principal, scores: dict, now: datetime) -> None:
    """A juror's scoresheet for a round in judging: every shortlisted entry scored on every criterion."""
    if not is_juror(contest, who):
        raise Refused("jury", "only the contest's jury scores its shortlists")
    if state(round_, now) != JUDGING or now >= round_["judging_ends_at"]:
        raise Refused("window", "this round is not being judged: scores are taken from its close to the end of its "
                                "judging")
    shortlist, criteria = set(round_["shortlist"]), [c["id"] for c in contest["criteria"]]
    if set(scores) != shortlist:
        raise Refused("sheet", f"a scoresheet scores exactly the shortlist: {', '.join(sorted(shortlist)) or 'empty'}")
    for entry_id, marks in scores.items():
        if set(marks) != set(criteria):
            raise Refused("sheet", f"entry {entry_id}: a score for each criterion ({', '.join(criteria)})")


@dataclass(frozen=True)
class Entry:
    """An entry as ranking and judging see it: its votes at the round's close and when it was submitted."""
    entry_id: str
    votes: int
    submitted_at: datetime


def ranked(entries: list[Entry]) -> list[Entry]:
    """Most votes first; equal votes in submission order, then by id (ties share their rank: `ranks`)."""
    return sorted(entries, key=lambda e: (-e.votes, e.submitted_at, e.entry_id))


def ranks(entries: list[Entry]) -> list[int]:
    """Competition ranks of `ranked` entries: equal votes, equal rank (1, 2, 2, 4)."""
    out = []
    for i, e in enumerate(entries):
        out.append(out[-1] if i and e.votes == entries[i - 1].votes else i + 1)
    return out


def shortlist(entries: list[Entry], size: int) -> list[str]:
    """SHORTLIST_RULE over `ranked` entries."""
    voted = [e for e in entries if e.votes > 0]
    if len(voted) <= size:
        return [e.entry_id for e in voted]
    floor = voted[size - 1].votes
    return [e.entry_id for e in voted if e.votes >= floor]


def jury_totals(criteria: list[str], sheets: list[dict]) -> dict[str, list[int]]:
    """Per entry: its jury score, then its total per criterion in the contest's order."""
    totals: dict[str, list[int]] = {}
    for sheet in sheets:
        for entry_id, marks in sheet["scores"].items():
            row = totals.setdefault(entry_id, [0] * (len(criteria) + 1))
            for k, criterion in enumerate(criteria, start=1):
                row[k] += marks.get(criterion, 0)
            row[0] = sum(row[1:])
    return totals


def winner(shortlisted: list[Entry], criteria: list[str], sheets: list[dict]) -> tuple[str | None, dict[str, int]]:
    """WINNER_RULE: the winner (None for an empty shortlist) and each shortlisted entry's jury score."""
    totals = jury_totals(criteria, sheets)
    blank = [0] * (len(criteria) + 1)
    scores = {e.entry_id: totals.get(e.entry_id, blank)[0] for e in shortlisted}
    best = min(shortlisted, default=None, key=lambda e: (
        [-t for t in totals.get(e.entry_id, blank)], -e.votes, e.submitted_at, e.entry_id))
    return (best.entry_id if best else None), scores


def shortlisted_round(round_: dict, entries: list[Entry], size: int) -> dict:
    """The round once closed to votes: its ranking and shortlist."""
    order = ranked(entries)
    chosen = shortlist(order, size)
    return {**round_, "shortlist": chosen,
            "ranking": [{"entry_id": e.entry_id, "rank": rank, "votes": e.votes, "shortlisted": e.entry_id in chosen,
                         "jury_score": None, "submitted_at": e.submitted_at}
                        for e, rank in zip(order, ranks(order))]}


def decided_round(contest: dict, round_: dict, sheets: list[dict], now: datetime) -> tuple[dict, dict]:
    """The round once judged: its winner and jury scores in the ranking, and the `contest.round_closed` telling it."""
    rows = {row["entry_id"]: row for row in round_["ranking"]}
    shortlisted = [Entry(e, rows[e]["votes"], rows[e]["submitted_at"]) for e in round_["shortlist"]]
    chosen, scores = winner(shortlisted, [c["id"] for c in contest["criteria"]], sheets)
    ranking = [{**row, "jury_score": scores.get(row["entry_id"])} for row in round_["ranking"]]
    decided = {**round_, "ranking": ranking, "winner": chosen, "decided_at": now, "scoresheets": len(sheets)}
    prize = {"amount": round_["prize"], "currency": contest["currency"]} if chosen and round_["prize"] else None
    event = new_event("contest.round_closed", {
        "contest_id": contest["_id"], "title": contest["title"], "space": contest.get("space"),
        "round": round_["round"], "final": round_["final"], "closed_at": round_["closes_at"], "decided_at": now,
        "ranking": [{k: row[k] for k in ("entry_id", "rank", "votes", "shortlisted", "jury_score")}
                    for row in ranking],
        "winner": chosen, "prize": prize, "entry_ids": round_["entry_ids"],
        "shortlist_rule": SHORTLIST_RULE, "winner_rule": WINNER_RULE,
    }, source=SOURCE, subject=contest["_id"])
    return decided, event


def next_due(rounds: list[dict]) -> datetime | None:
    """The next instant the clock has something to do for the contest: a round to close or to decide."""
    due = [r["closes_at"] if "ranking" not in r else r["judging_ends_at"] for r in rounds if "winner" not in r]
    return min(due, default=None)


def contest_scheduled(contest: dict) -> dict:
    return new_event("contest.scheduled", {
        "contest_id": contest["_id"], "revision": contest["revision"], "title": contest["title"],
        "space": contest.get("space"),
        "rounds": [{k: r[k] for k in ("round", "opens_at", "closes_at")} for r in contest["rounds"] if not r["final"]],
    }, source=SOURCE, subject=contest["_id"])
