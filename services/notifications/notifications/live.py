"""Live pages: what an open page hears of, and who may hear it (docs/architecture.md, "Live pages").

The gateway keeps the streams (nginx's nchan: one per browser, resumable with Last-Event-ID); the `notifications.live`
consumer group publishes into them. A message carries ids, counts and statuses, never text: a page reads any text
from the APIs, where access is checked. Each message goes to one channel:
- "lab": the public lab's ideas and campaigns, for everyone;
- a private space's channel, for its members, and the staff channel, for staff (who see every space);
- a member's own channel: that they have a private answer.
Every channel but "lab" has an unguessable name (a random key per audience, kept in `live_channels`), handed out by
GET /live to whoever may hear it now. When someone loses that right (removed from the space, banned, signed out, no
longer staff) the key is replaced: the old channel hears nothing more but a last "reauthorize", on which pages ask
for their channels again and get only what they may hear. This group applies the change to the service's access
model itself first (idempotent, as the access group does), so a page asking again meets the new state whatever the
access group's lag.
"""
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable

from idealab.access import Access
from idealab.access import event_handlers as access_handlers
from idealab.auth import STAFF as STAFF_ROLES
from idealab.auth import Principal
from idealab.events import Event

from . import domain
from .store import NotificationStore

log = logging.getLogger(__name__)

PUBLIC = "lab"
STAFF = "staff"
MAX_SPACES = 62  # the gateway takes 65 channels a stream: the lab's, the member's, the staff's or their spaces'
REAUTHORIZE = {"type": "reauthorize"}
_PREFIXES = {"space": "s", "member": "m", "staff": "t"}

Publish = Callable[[str, dict], None]


def channel(audience: str, key: str) -> str:
    """The channel's name in a stream's URL: a letter for its kind, then its key."""
    return f"{_PREFIXES[audience.partition(':')[0]]}-{key}"


def space_audience(space: str) -> str:
    return f"space:{space}"


def member_audience(user_id: str) -> str:
    return f"member:{user_id}"


def stream(store: NotificationStore, principal: Principal | None) -> dict:
    """The caller's stream: the channels they may hear now, and the ideas they follow (a page updates the inbox
    badge when one of them changes status)."""
    names = [PUBLIC]
    if principal is None:
        return {"url": _url(names), "following": []}
    audiences = [member_audience(principal.user_id)]
    if principal.is_staff:
        audiences.append(STAFF)
    else:
        audiences += [space_audience(s) for s in sorted(principal.spaces)[:MAX_SPACES]]
    names += [channel(a, store.live_channel_key(a, create=True)) for a in audiences]
    following = [s["idea_id"] for s in store.follows(principal.user_id) if ":" not in s["idea_id"]]
    return {"url": _url(names), "following": following}


def _url(names: list[str]) -> str:
    return "/api/live?" + urllib.parse.urlencode({"channels": ",".join(names)}, safe=",")


class Publisher:
    """Posts messages to the gateway's live publisher. A message that cannot be posted is dropped, not retried: the
    streams it was for are gone with the gateway (nchan keeps its messages in the gateway's memory)."""

    def __init__(self, url: str, timeout: float = 2):
        self.url, self.timeout = url.rstrip("/"), timeout

    def __call__(self, name: str, message: dict) -> None:
        request = urllib.request.Request(f"{self.url}/pub?channel={name}", data=json.dumps(message).encode(),
                                         headers={"Content-Type": "application/json"}, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout):
                pass
        except (urllib.error.URLError, OSError) as exc:
            log.warning("live message to %s dropped: %s", name, exc)


def _to_space(store: NotificationStore, publish: Publish, space: str | None, message: dict) -> None:
    if space is None:
        publish(PUBLIC, message)
        return
    for audience in (space_audience(space), STAFF):
        if key := store.live_channel_key(audience):  # none: nobody ever listened
            publish(channel(audience, key), message)


def _about(store: NotificationStore, publish: Publish, key: str, message: dict) -> None:
    """To whoever may see the idea or campaign `key`; nobody while its space is unknown (its first event unread)."""
    spaces = store.spaces_of([key])
    if key in spaces:
        _to_space(store, publish, spaces[key], message)


def _replace(store: NotificationStore, publish: Publish, audience: str) -> None:
    if old := store.replace_live_channel_key(audience):
        publish(channel(audience, old), REAUTHORIZE)


def event_handlers(store: NotificationStore, publish: Publish, access: Access) -> dict:
    applied = access_handlers(access)

    def then_replace(audience_of: Callable[[Event], str]):
        def handle(event: Event) -> None:
            if event.type in applied:
                applied[event.type](event)
            _replace(store, publish, audience_of(event))
        return handle

    def demoted(event: Event) -> None:
        applied[event.type](event)
        if not set(event.data["roles"]) & STAFF_ROLES:
            _replace(store, publish, STAFF)

    def submitted(event: Event) -> None:
        # Kept here too (the same write as the inboxes' group): this group must not wait for that one to know it.
        store.remember_idea(event.data["idea_id"], event.data["title"], event.data["space"])
        _to_space(store, publish, event.data["space"], {"type": "idea", "idea": event.data["idea_id"]})

    def private_answer(event: Event) -> None:
        if event.data["private"] and event.data["recipient_id"]:
            audience = member_audience(event.data["recipient_id"])
            if key := store.live_channel_key(audience):
                publish(channel(audience, key), {"type": "private_answer"})

    return {
        "idea.submitted": submitted,
        "tally.changed": lambda e: _about(store, publish, e.data["idea_id"], {
            "type": "tally", "idea": e.data["idea_id"], "votes": e.data["count"], "version": e.data["version"]}),
        "idea.status_changed": lambda e: _about(store, publish, e.data["idea_id"], {
            "type": "status", "idea": e.data["idea_id"], "status": e.data["to_status"]}),
        "comment.posted": lambda e: _about(store, publish, e.data["idea_id"], {"type": "comment",
                                                                              "idea": e.data["idea_id"]}),
        "campaign.opened": lambda e: store.remember_campaign_space(domain.campaign_key(e.data["campaign_id"]),
                                                                   e.data["space"]),
        "ballot.cast": lambda e: _about(store, publish, domain.campaign_key(e.data["campaign_id"]), {
            "type": "campaign", "campaign": e.data["campaign_id"]}),
        "answer.posted": private_answer,
        "space.member_removed": then_replace(lambda e: space_audience(e.data["space_id"])),
        "user.banned": then_replace(lambda e: member_audience(e.data["user_id"])),
        "user.password_reset": then_replace(lambda e: member_audience(e.data["user_id"])),
        "user.deleted": then_replace(lambda e: member_audience(e.data["user_id"])),
        "session.revoked": then_replace(lambda e: member_audience(e.data["user_id"])),
        "user.role_changed": demoted,
    }
