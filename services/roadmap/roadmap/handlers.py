"""Use cases and event handlers of the roadmap service."""
import uuid
from urllib.parse import quote
from datetime import datetime, timezone

from marshmallow import ValidationError
from werkzeug.exceptions import Conflict, NotFound

from idealab.events import Event

from . import domain, feed, ratings
from .store import RoadmapStore

OPEN_SHOWN = 10  # the open column's most voted few; the whole list is the ideas' own
FEED_DEPTH = 20  # entries per column and of initiatives in the Atom feed


def change_status(store: RoadmapStore, idea_id: str, target: str, message: str, by: str) -> dict:
    item = store.get(idea_id)
    if item is None:
        raise NotFound(f"no idea {idea_id} on the roadmap")
    try:
        domain.check_move(item["status"], target)
    except domain.MoveNotAllowed as exc:
        raise Conflict(str(exc)) from exc
    move = domain.move(idea_id, item["status"], target, message, by, datetime.now(timezone.utc))
    if not store.move(idea_id, item["status"], move):
        raise Conflict("the idea was moved by someone else meanwhile; reload and try again")
    return store.get(idea_id)


def board(store: RoadmapStore, spaces: list[str | None] | None, category: str | None) -> dict:
    """The roadmap: the announced initiatives under way or done, then the ideas by status (the open column: its
    most voted few, with the address of the whole list)."""
    initiatives = with_ideas(store, store.initiatives_of(spaces, domain.TRACK, True, 50), category)
    open_list = "/ideas?status=open&sort=most_voted" + (f"&category={quote(category)}" if category else "")
    return {"initiatives": initiatives, "open_list": open_list,
            "columns": store.by_status(spaces, open_shown=OPEN_SHOWN, category=category)}


def initiatives(store: RoadmapStore, spaces: list[str | None] | None, staff: bool, query: dict) -> dict:
    """The initiatives a reader sees (drafts: staff only); `status` launched lists "you asked, we did"."""
    statuses = domain.STATUSES if query["status"] is None else (query["status"],)
    found = store.initiatives_of(spaces, statuses, not staff, query["limit"])
    return {"initiatives": with_ideas(store, found, query["category"])}


def with_ideas(store: RoadmapStore, initiatives: list[dict], category: str | None = None) -> list[dict]:
    """The initiatives with their ideas (title, status, votes) joined in one read, and the votes added up; with a
    `category`, those answering an idea of it."""
    summaries = store.summaries(sorted({i for initiative in initiatives for i in initiative["idea_ids"]}))
    joined = []
    for initiative in initiatives:
        ideas = [summaries[i] for i in initiative["idea_ids"] if i in summaries]
        if category is None or any(idea.get("category") == category for idea in ideas):
            joined.append({**initiative, "ideas": ideas, "votes": sum(i.get("vote_count", 0) for i in ideas)})
    return joined


def initiative(store: RoadmapStore, initiative_id: str, can_see) -> dict:
    found = store.initiative(initiative_id)
    if found is None or not can_see(found):
        raise NotFound(f"no initiative {initiative_id}")
    return with_ideas(store, [found])[0]


def roadmap_feed(store: RoadmapStore, base_url: str) -> bytes:
    """The public roadmap's latest changes: announced public initiatives and public ideas that moved. Only the
    public lab's lists are read, so nothing of a space can be in it."""
    entries = [feed.entry("initiatives", i["_id"], domain.first_title(i["title"]), i["history"][-1])
               for i in store.initiatives_of([None], domain.STATUSES, True, FEED_DEPTH)]
    columns = store.by_status([None], limit_per_status=FEED_DEPTH)
    moved = [item for status, items in columns.items() if status != "open" for item in items]
    histories = store.histories([item["_id"] for item in moved])
    entries += [feed.entry("ideas", item["_id"], item["title"], histories[item["_id"]][-1])
                for item in moved if histories.get(item["_id"])]
    return feed.atom(entries, base_url, datetime.now(timezone.utc))


def on_idea_submitted(store: RoadmapStore, event: Event) -> None:
    store.add_idea(event.data["idea_id"], event.data["title"], event.data["category"], event.data["submitted_at"],
                   event.data["space"])
    store.add_list(event.data["space"])


def on_threshold_reached(store: RoadmapStore, event: Event) -> None:
    """Sends the idea to review, once: a replay finds it no longer open and changes nothing."""
    idea_id = event.data["idea_id"]
    move = domain.move(idea_id, "open", "under_review", domain.review_message(event.data["count"]), domain.SYSTEM,
                       event.time)
    store.move(idea_id, "open", move, upsert=True)


def on_idea_merged(store: RoadmapStore, event: Event) -> None:
    """Marks the merged idea `duplicate`, pointing to its original, once: a replay finds it closed. An idea closed
    already (launched, declined) keeps its status."""
    idea_id = event.data["idea_id"]
    while (item := store.get(idea_id)) is not None and item["status"] not in domain.CLOSED:
        move = domain.move(idea_id, item["status"], "duplicate", domain.merged_message(event.data["into"]),
                           event.data["by"], event.data["merged_at"])
        if store.move(idea_id, item["status"], move):
            return


def on_tally_changed(store: RoadmapStore, event: Event) -> None:
    store.set_tally(event.data["idea_id"], event.data["count"], event.data["version"], event.time)


def create_initiative(store: RoadmapStore, fields: dict, by: str) -> dict:
    """A draft initiative, seen by staff only until it is announced."""
    idea_ids = list(dict.fromkeys(fields["idea_ids"]))
    items = store.summaries(idea_ids)
    try:
        space = domain.initiative_space(idea_ids, items)
    except domain.NotGrouped as exc:
        raise ValidationError(exc.errors) from exc
    now = datetime.now(timezone.utc)
    initiative = {**fields, "_id": f"initiative-{uuid.uuid4().hex[:16]}", "idea_ids": idea_ids, "space": space,
                  "announced": False, "history": [], "created_by": by, "created_at": now, "updated_at": now}
    store.add_initiative(initiative)
    return initiative


def announce_initiative(store: RoadmapStore, initiative_id: str, message: str, by: str) -> dict:
    initiative = _initiative(store, initiative_id)
    return _moved(store, initiative, lambda: domain.announce(initiative, message, by, datetime.now(timezone.utc)))


def move_initiative(store: RoadmapStore, initiative_id: str, target: str, message: str, by: str) -> dict:
    initiative = _initiative(store, initiative_id)
    return _moved(store, initiative,
                  lambda: domain.move_initiative(initiative, target, message, by, datetime.now(timezone.utc)))


def _initiative(store: RoadmapStore, initiative_id: str) -> dict:
    if (initiative := store.initiative(initiative_id)) is None:
        raise NotFound(f"no initiative {initiative_id}")
    return initiative


def _moved(store: RoadmapStore, initiative: dict, make_move) -> dict:
    """Records the initiative's move, then moves its ideas. No transaction spans the documents: if the process
    stops between the two, the worker moves the ideas when it reads the initiative's event (`on_initiative_moved`),
    and moving them twice does nothing the second time."""
    try:
        move = make_move()
    except domain.MoveNotAllowed as exc:
        raise Conflict(str(exc)) from exc
    if not store.move_initiative(initiative, move, announcing=move.entry["from"] is None):
        raise Conflict("the initiative was moved by someone else meanwhile; reload and try again")
    _move_ideas(store, initiative["_id"], initiative["idea_ids"], move.target, move.entry)
    return store.initiative(initiative["_id"])


def _move_ideas(store: RoadmapStore, initiative_id: str, idea_ids: list[str], target: str, entry: dict) -> None:
    items = [store.get(i) for i in idea_ids]
    for current, move in domain.idea_moves(initiative_id, [i for i in items if i], target, entry["message"],
                                           entry["by"], entry["at"]):
        store.move(move.event["subject"], current, move)  # False: moved meanwhile, by the other path or the team


def on_initiative_moved(store: RoadmapStore, event: Event) -> None:
    """Moves the ideas of an announced or moved initiative that are not there yet (see `_moved`)."""
    data = event.data
    target = data["status"] if event.type == "initiative.announced" else data["to_status"]
    at = data["announced_at"] if event.type == "initiative.announced" else data["changed_at"]
    _move_ideas(store, data["initiative_id"], data["idea_ids"], target,
                {"message": data["message"], "by": data["by"], "at": at})


def event_handlers(store: RoadmapStore) -> dict:
    return {
        "idea.submitted": lambda e: on_idea_submitted(store, e),
        "tally.changed": lambda e: on_tally_changed(store, e),
        "initiative.announced": lambda e: on_initiative_moved(store, e),
        "initiative.status_changed": lambda e: on_initiative_moved(store, e),
        "idea.threshold_reached": lambda e: on_threshold_reached(store, e),
        "idea.merged": lambda e: on_idea_merged(store, e),
        "user.deleted": lambda e: ratings.on_user_deleted(store.rated, e),
    }
