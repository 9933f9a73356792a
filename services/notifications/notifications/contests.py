"""A contest's round or final decided (`contest.round_closed`): one record naming the entries it concerns, which
whoever follows one of them (their authors, voters and commenters) sees once in the inbox and by email, as an
initiative's record is seen."""
from datetime import datetime, timezone

from idealab.events import Event

from . import templates


def contest_key(contest_id: str, number: int) -> str:
    return f"contest:{contest_id}:round:{number}"


def round_closed(event: Event, winner_title: str | None, now: datetime) -> dict:
    """The inbox shows it in English; the emails say it in the member's language from its parts (`name`, `result`:
    the winner's title as written, None when not known here)."""
    data = event.data
    name = next((data["title"][lang] for lang in ("en", "es", "fr") if data["title"].get(lang)), "A contest")
    result = {"round": data["round"], "final": data["final"], "entries": len(data["ranking"]),
              "shortlisted": sum(1 for r in data["ranking"] if r["shortlisted"]),
              "won": data["winner"] is not None,  # no winner when no entry was voted for
              "winner": winner_title, "prize": data["prize"]}
    title, message = templates.contest_result(name, result, "en")
    return {
        "_id": event.id,
        "kind": "contest.round_closed",
        "idea_id": contest_key(data["contest_id"], data["round"]),
        "idea_ids": data["entry_ids"],
        "winner_id": data["winner"],
        "title": title,
        "name": data["title"],
        "message": message,
        "result": result,
        "from": "judging",
        "to": "decided",
        "created_at": data["decided_at"],
        "recorded_at": now,
        "emails_queued": False,
        "path": f"/contests/{data['contest_id']}",
    }


def on_round_closed(store, event: Event) -> None:
    """Records the result once (keyed by the event); a round without entries concerns no one."""
    if not event.data["entry_ids"]:
        return
    change = round_closed(event, event.data["winner"] and store.idea_title(event.data["winner"]),
                          datetime.now(timezone.utc))
    store.remember_idea(change["idea_id"], change["title"], event.data["space"])
    store.record_change(change)
