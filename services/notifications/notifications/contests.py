"""A contest's round or final decided (`contest.round_closed`): one record naming the entries it concerns, which
whoever follows one of them (their authors, voters and commenters) sees once in the inbox and by email, as an
initiative's record is seen."""
from datetime import datetime, timezone

from idealab.events import Event

from .templates import CURRENCY_DIGITS


def contest_key(contest_id: str, number: int) -> str:
    return f"contest:{contest_id}:round:{number}"


def amount(prize: dict) -> str:
    digits = CURRENCY_DIGITS.get(prize["currency"], 2)
    return f"{prize['amount'] / 10 ** digits:,.{digits}f} {prize['currency']}"


def round_closed(event: Event, winner_title: str | None, now: datetime) -> dict:
    data = event.data
    name = next((data["title"][lang] for lang in ("en", "es", "fr") if data["title"].get(lang)), "A contest")
    which = "the final" if data["final"] else f"round {data['round']}"
    shortlisted = sum(1 for r in data["ranking"] if r["shortlisted"])
    if data["winner"] is None:
        message = f"{len(data['ranking'])} entries; none was voted for, so there is no winner."
    else:
        prize = f", winning {amount(data['prize'])}" if data["prize"] else ""
        message = (f"The jury chose “{winner_title or 'an entry'}”{prize} among {shortlisted} shortlisted of "
                   f"{len(data['ranking'])} entries.")
    return {
        "_id": event.id,
        "kind": "contest.round_closed",
        "idea_id": contest_key(data["contest_id"], data["round"]),
        "idea_ids": data["entry_ids"],
        "winner_id": data["winner"],
        "title": f"{name}: the {'grand prize' if data['final'] else 'winner of ' + which}",
        "message": message,
        "from": "judging",
        "to": "decided",
        "created_at": data["decided_at"],
        "recorded_at": now,
        "emails_queued": False,
        "path": f"/contests/{data['contest_id']}",
        "why": "You entered this contest, or follow an entry of it.",
    }


def on_round_closed(store, event: Event) -> None:
    """Records the result once (keyed by the event); a round without entries concerns no one."""
    if not event.data["entry_ids"]:
        return
    change = round_closed(event, event.data["winner"] and store.idea_title(event.data["winner"]),
                          datetime.now(timezone.utc))
    store.remember_idea(change["idea_id"], change["title"], event.data["space"])
    store.record_change(change)
