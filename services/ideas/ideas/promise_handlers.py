"""Use cases and event handlers of the response-time promise (rules in ideas.promise).

The worker records a post the team owes an answer from its event (idea.submitted, question.asked,
private_message.sent) and, on each of these, on answer.posted and on idea.status_changed, finds again when the team
first answered it from the ideas service's own answers and threads (and an idea's first move on the roadmap, kept on
the record): whatever order the events come in, or however often, the record ends the same.
"""
from datetime import datetime, timezone

from werkzeug.exceptions import Conflict, NotFound

from idealab.auth import Principal, can_see
from idealab.events import Event
from idealab.mongo import as_stored

from . import conversations, promise
from .promise import IDEA, MESSAGE, QUESTION
from .promise_store import PromiseStore
from .store import IdeaStore


def _now() -> datetime:
    return as_stored(datetime.now(timezone.utc))


def _record(store: PromiseStore, kind: str, item_id: str, space: str | None, language: str | None,
            posted_at: datetime, thread_id: str, about_id: str | None, member_id: str) -> None:
    space_targets = promise.targets(store.targets_of(space))
    store.record(promise.waiting(kind, item_id, space, language, posted_at, space_targets,
                                 {"thread_id": thread_id, "about_id": about_id, "member_id": member_id}))
    _find_answer(store, promise.promise_id(kind, item_id))


def _find_answer(store: PromiseStore, promise_id: str) -> None:
    """Sets when the team first answered the post: in public on the idea or question, or in the member's thread."""
    item = store.item(promise_id)
    if item is None:
        return
    times = store.team_message_times(item["thread_id"])
    if item["kind"] != MESSAGE:
        times += store.answer_times(item["item_id"])
    if item.get("status_changed_at"):
        times.append(item["status_changed_at"])
    store.set_answered(promise_id, promise.first_answer(item["posted_at"], times))


def on_posted(store: PromiseStore, event: Event) -> None:
    """An idea or a question: the team owes its author an answer, in public or in their private thread about it."""
    kind, collection = (IDEA, store.ideas.ideas) if event.type == "idea.submitted" else (QUESTION,
                                                                                       store.ideas.questions)
    item_id = event.data[f"{kind}_id"]
    item = collection.find_one({"_id": item_id}, {"author_id": 1, "language": 1, "status_changed_at": 1})
    if item is None or item.get("author_id") is None:
        return
    posted_at = event.data["submitted_at" if kind == IDEA else "asked_at"]
    _record(store, kind, item_id, event.data.get("space"), item.get("language"), posted_at,
            conversations.thread_id(kind, item_id, item["author_id"]), item_id, item["author_id"])
    if item.get("status_changed_at"):  # its move on the roadmap was read first (another topic)
        store.status_changed(promise.promise_id(kind, item_id), item["status_changed_at"])
        _find_answer(store, promise.promise_id(kind, item_id))


def on_private_message_sent(store: PromiseStore, event: Event) -> None:
    data = event.data
    _record(store, MESSAGE, data["message_id"], data["space"], data["language"], data["sent_at"], data["thread_id"],
            None, data["member_id"])


def on_answer_posted(store: PromiseStore, event: Event) -> None:
    """The team answered: in public on an idea or question, or privately in a thread (about an idea, a question, a
    comment or the member's account), which answers the posts of that thread."""
    data = event.data
    if data["about"] in (IDEA, QUESTION) and data["about_id"]:
        _find_answer(store, promise.promise_id(data["about"], data["about_id"]))
    if data.get("thread_id"):
        for item in store.of_thread(data["thread_id"]):
            _find_answer(store, item["_id"])


def on_status_changed(store: PromiseStore, event: Event) -> None:
    """The product team moving an idea on the roadmap, with its public message, is the bank's answer to it."""
    found = promise.promise_id(IDEA, event.data["idea_id"])
    store.status_changed(found, event.data["changed_at"])
    _find_answer(store, found)


def on_user_deleted(store: PromiseStore, event: Event) -> None:
    """A deleted member's posts are owed nothing more (their threads are gone, their ideas are nobody's): those
    still waiting leave the queue, and count in the figures as they stood (a target already missed stays missed)."""
    store.author_gone(event.data["user_id"], event.data["deleted_at"])


def event_handlers(ideas: IdeaStore) -> dict:
    """The promise's event handlers, joined to the ideas service's mapping (`ideas.handlers.event_handlers`)."""
    store = PromiseStore(ideas)
    return {
        "idea.submitted": lambda e: on_posted(store, e),
        "question.asked": lambda e: on_posted(store, e),
        "private_message.sent": lambda e: on_private_message_sent(store, e),
        "answer.posted": lambda e: on_answer_posted(store, e),
        "user.deleted": lambda e: on_user_deleted(store, e),
        "idea.status_changed": lambda e: on_status_changed(store, e),
    }


def joined(first: dict, second: dict) -> dict:
    """Two mappings of event handlers as one: an event both handle goes to each, in turn."""
    def both(a, b):
        return lambda e: (a(e), b(e))
    return {**first, **second, **{t: both(first[t], second[t]) for t in first.keys() & second.keys()}}


# Use cases, called by ideas.promise_api.
def queue(store: PromiseStore, staff: Principal, filters: dict, at: datetime | None, limit: int) -> dict:
    """What waits for the team, as it stands at `at` (now by default; later, to see what will be overdue by then),
    each with the title of its idea or question (a private message shows none)."""
    waiting_for = filters.pop("waiting_for", None)
    if waiting_for is not None:
        filters["claimed_by"] = {"me": staff.user_id, "nobody": None}[waiting_for]
    at = at or _now()
    found = promise.queue(store.waiting(filters, promise.MAX_QUEUE), at)[:limit]
    titles = store.titles({kind: [i["item_id"] for i in found if i["kind"] == kind] for kind in (IDEA, QUESTION)})
    return {"at": at, "waiting": [{**i, "title": titles.get(i["item_id"])} for i in found]}


def claim(store: PromiseStore, kind: str, item_id: str, staff: Principal) -> dict:
    item = _waiting(store, kind, item_id)
    try:
        changes = promise.claim(item, staff.user_id, _now())
    except promise.NotClaimable as exc:
        raise Conflict(str(exc)) from exc
    return promise.status(_taken(store.take(item, changes)), _now())


def hand_over(store: PromiseStore, kind: str, item_id: str, to: str, staff: Principal) -> dict:
    item = _waiting(store, kind, item_id)
    try:
        changes, entry = promise.hand_over(item, staff.user_id, to, _now())
    except promise.NotClaimable as exc:
        raise Conflict(str(exc)) from exc
    return promise.status(_taken(store.take(item, changes, entry)), _now())


def _waiting(store: PromiseStore, kind: str, item_id: str) -> dict:
    item = store.item(promise.promise_id(kind, item_id))
    if item is None:
        raise NotFound(f"no {kind} {item_id} waits for the team")
    return item


def _taken(item: dict | None) -> dict:
    if item is None:
        raise Conflict("someone took this post on or answered it meanwhile; reload the queue")
    return item


def targets(store: PromiseStore, space: str | None, reader: Principal | None) -> dict:
    """A space's targets, for whoever may see the space (its figures are measured against them)."""
    if not can_see(reader, space):
        raise NotFound(f"no space {space}")
    return {"space": space, **promise.targets(store.targets_of(space))}


def set_targets(store: PromiseStore, space: str | None, minutes: dict) -> dict:
    store.set_targets(space, minutes)
    return {"space": space, **promise.targets(store.targets_of(space))}


def figures(store: PromiseStore, space: str | None, month: str, reader: Principal | None) -> dict:
    """A space's figures for a month: the public lab's for anyone; a private space's for its members and staff only
    (404 to anyone else); private messages counted for those who answer them only."""
    if not can_see(reader, space):
        raise NotFound(f"no space {space}")
    start, end = promise.month_bounds(month)
    kinds = promise.KINDS if reader is not None and conversations.may_answer(reader) else promise.PUBLIC_KINDS
    return {"space": space, "month": month, "targets": promise.targets(store.targets_of(space)),
            **promise.figures(store.posted_between(space, start, end), kinds, _now())}
