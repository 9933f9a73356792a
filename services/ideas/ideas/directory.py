"""The members directory of the ideas service, a read model of accounts' events: who each member is (display name,
as the handle mentions use), their roles, spaces and ban. Mentions resolve names with it and check who may see the
comment (ideas.mentions). The latest change wins and every handler is idempotent, so replays and events read out
of order (accounts keys them by user or space) land the same. Display names stay here: no route lists them."""
from datetime import datetime

from pymongo.database import Database

from idealab import mongo
from idealab.events import Event

from . import mentions


class Directory:
    """Who the lab's members are, for mentions: {_id: user id, display_name, handle, roles, roles_at,
    spaces: {space: {added_at, removed_at}}, banned}."""

    def __init__(self, db: Database):
        self.members = db["member_directory"]  # who members are, for mentions: name, roles, spaces

    def ensure_indexes(self) -> None:
        self.members.create_index("handle")

    def by_handles(self, handles: list[str]) -> dict[str, list[dict]]:
        found: dict[str, list[dict]] = {}
        for member in self.members.find({"handle": {"$in": handles}}):
            found.setdefault(member["handle"], []).append(member)
        return found

    def names(self, ids: list[str]) -> dict[str, str]:
        return {m["_id"]: m.get("display_name") for m in self.members.find({"_id": {"$in": ids}},
                                                                            {"display_name": 1})}

    def banned(self, ids: list[str]) -> set[str]:
        return {m["_id"] for m in self.members.find({"_id": {"$in": ids}, "banned": True}, {"_id": 1})}

    def registered(self, user_id: str, display_name: str, handle: str) -> None:
        self._update(user_id, {"$set": {"display_name": display_name, "handle": handle}})

    def roles_changed(self, user_id: str, roles: list[str], at: datetime) -> None:
        self._update(user_id, {"$set": {"roles": roles, "roles_at": at}},
                     {"$or": [{"roles_at": {"$lt": at}}, {"roles_at": None}]})

    def membership(self, user_id: str, space: str, field: str, at: datetime) -> None:
        self._update(user_id, {"$max": {f"spaces.{space}.{field}": at}})

    def banned_now(self, user_id: str) -> None:
        self._update(user_id, {"$set": {"banned": True}})

    def _update(self, user_id: str, update: dict, condition: dict | None = None) -> None:
        """Makes the member's document by a plain insert, then updates it: a user's and a space's events travel
        under different keys and may be handled at once, and upserts racing to make one document lose each other's
        changes on this engine (deploy/README)."""
        mongo.inserted(self.members, {"_id": user_id})
        self.members.update_one({"_id": user_id, **(condition or {})}, update)

    def forget(self, user_id: str) -> None:
        self.members.delete_one({"_id": user_id})


def mentioned_in(directory: Directory, text: str, space: str | None, author_id: str) -> list[str]:
    """The members a comment's text mentions who may see it (`space`), the author aside."""
    found = mentions.handles(text)
    return mentions.mentioned(text, directory.by_handles(found), space, author_id) if found else []


def on_user_registered(directory: Directory, event: Event) -> None:
    name = event.data["display_name"]
    directory.registered(event.data["user_id"], name, mentions.handle(name))


def on_role_changed(directory: Directory, event: Event) -> None:
    directory.roles_changed(event.data["user_id"], event.data["roles"], event.data["changed_at"])


def on_member_added(directory: Directory, event: Event) -> None:
    directory.membership(event.data["user_id"], event.data["space_id"], "added_at", event.data["added_at"])


def on_member_removed(directory: Directory, event: Event) -> None:
    directory.membership(event.data["user_id"], event.data["space_id"], "removed_at", event.data["removed_at"])


def on_user_banned(directory: Directory, event: Event) -> None:
    directory.banned_now(event.data["user_id"])


def event_handlers(ideas) -> dict:
    """The accounts events the directory (`ideas.directory`, read when an event comes: the mapping is also read
    for its types alone) is made of; user.deleted: ideas.handlers.on_user_deleted forgets the member."""
    return {
        "user.registered": lambda e: on_user_registered(ideas.directory, e),
        "user.role_changed": lambda e: on_role_changed(ideas.directory, e),
        "space.member_added": lambda e: on_member_added(ideas.directory, e),
        "space.member_removed": lambda e: on_member_removed(ideas.directory, e),
        "user.banned": lambda e: on_user_banned(ideas.directory, e),
    }
