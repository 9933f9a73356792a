"""Webhook rules, with no I/O: which events the bank's systems may receive and what a payload carries, how it is
signed (Standard Webhooks), and when a failed delivery is tried again.

What a payload may carry: public facts only. An event of a private space (an invite-only panel's idea, initiative or
campaign) never becomes a payload, nor does anything about a private reply (`answer.posted` is not offered), and no
payload names a member (authors, voters, the staff member who moved an idea): ids of ideas, initiatives and
campaigns, their public titles, statuses, public messages and results, and the link to their page. An idea's status
change does not say its space, so its delivery is checked against the idea's space where it is sent (`idea_id`).
The body is the Standard Webhooks shape: {"type", "timestamp", "data"}."""
import base64
import json
import random
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from standardwebhooks import Webhook

from idealab.events import Event

SECRET_PREFIX = "whsec_"
# A rotated secret still signs for this long beside the new one, for the receiver to take the new one in.
ROTATION_OVERLAP = timedelta(days=1)

QUEUED, DELIVERED, FAILED, WITHHELD = "queued", "delivered", "failed", "withheld"


def _iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")


def _idea(data: dict, url: str) -> dict:
    return {"idea_id": data["idea_id"], "url": f"{url}/ideas/{data['idea_id']}"}


def _submitted(data: dict, url: str, title: str | None) -> dict:
    return {**_idea(data, url), "title": data["title"], "category": data["category"],
            "submitted_at": _iso(data["submitted_at"])}


def _status_changed(data: dict, url: str, title: str | None) -> dict:
    return {**_idea(data, url), "title": title, "from": data["from_status"], "to": data["to_status"],
            "message": data["message"], "changed_at": _iso(data["changed_at"]),
            "initiative_id": data.get("initiative_id")}


def _initiative(data: dict, url: str, title: str | None) -> dict:
    moved = {"from": data["from_status"], "to": data["to_status"], "changed_at": _iso(data["changed_at"])} \
        if "to_status" in data else {"status": data["status"], "target_quarter": data.get("target_quarter"),
                                     "owner_team": data["owner_team"], "announced_at": _iso(data["announced_at"])}
    return {"initiative_id": data["initiative_id"], "url": f"{url}/initiatives/{data['initiative_id']}",
            "title": data["title"], "idea_ids": data["idea_ids"], "message": data["message"], **moved}


def _campaign_closed(data: dict, url: str, title: str | None) -> dict:
    return {"campaign_id": data["campaign_id"], "url": f"{url}/campaigns/{data['campaign_id']}",
            "title": data["title"], "closed_at": _iso(data["closed_at"]), "ballots": data["ballots"],
            "options": data["options"], "budget": data.get("budget"), "split_rule": data.get("split_rule"),
            "digest": data["digest"]}


# The event types offered to endpoints, and the payload each becomes (data, public URL, the idea's known title).
EVENTS: dict[str, Callable[[dict, str, str | None], dict]] = {
    "idea.submitted": _submitted,
    "idea.status_changed": _status_changed,
    "initiative.announced": _initiative,
    "initiative.status_changed": _initiative,
    "campaign.closed": _campaign_closed,
}


def when(event: Event) -> datetime:
    """When what the event says happened (an endpoint receives what happened after its registration)."""
    data = event.data
    return next(data[k] for k in ("submitted_at", "changed_at", "announced_at", "closed_at") if k in data)


def payload(event: Event, public_url: str, title: str | None) -> str | None:
    """The body every endpoint of the event's type receives, or None when the event is not offered or is of a
    private space."""
    build = EVENTS.get(event.type)
    if build is None or event.data.get("space"):
        return None
    body = {"type": event.type, "timestamp": _iso(when(event)), "data": build(event.data, public_url, title)}
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False, default=str)


def deliveries(event: Event, body: str, endpoints: list[dict], now: datetime) -> list[dict]:
    """One delivery per endpoint, keyed by (endpoint, event): its id is the webhook-id, the same on every attempt
    and replay, by which the receiver recognises a message it already has."""
    check = {"idea_id": event.data["idea_id"]} if event.type == "idea.status_changed" else {}
    return [{"_id": f"msg_{e['_id']}_{event.id}", "endpoint_id": e["_id"], "type": event.type, "body": body,
             "state": QUEUED, "attempts": 0, "created_at": now, "queued_at": now, "next_attempt_at": now,
             **check}
            for e in endpoints]


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def live_secrets(endpoint: dict, now: datetime) -> list[str]:
    """The endpoint's secrets that sign now: the current one, and the one it replaced until its overlap ends."""
    return [s["secret"] for s in endpoint["secrets"] if s.get("expires_at") is None or s["expires_at"] > now]


def rotated(endpoint: dict, secret: str, now: datetime) -> list[dict]:
    """The endpoint's secrets after a rotation: the new one, and the current one until `ROTATION_OVERLAP` ends.
    Two at most: a secret replaced twice signs no more."""
    current = next(s for s in endpoint["secrets"] if s.get("expires_at") is None)
    return [{"secret": secret, "created_at": now},
            {**current, "expires_at": now + ROTATION_OVERLAP}]


def signed_headers(webhook_id: str, body: str, secrets_: list[str], now: datetime) -> dict:
    """The Standard Webhooks headers: webhook-signature holds one `v1,<base64 HMAC-SHA256 of id.timestamp.body>`
    per live secret, space-separated, so a receiver holding either secret accepts it during a rotation."""
    signatures = " ".join(Webhook(s).sign(webhook_id, now, body) for s in secrets_)
    return {"webhook-id": webhook_id, "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": signatures, "content-type": "application/json"}


def next_attempt(attempts: int, now: datetime, first: timedelta, longest: timedelta) -> datetime:
    """After the `attempts`-th failure: exponential backoff (`first`, doubling, at most `longest`) with jitter (a
    random part of the wait, so the deliveries a receiver's outage held up do not all come back at once)."""
    wait = min(first * 2 ** (attempts - 1), longest)
    return now + wait * random.uniform(0.5, 1.0)


def disabled_notice(endpoint: dict, key: str, now: datetime) -> dict:
    """The inbox record telling the staff who registered or rotated the endpoint that it was turned off (as a
    status change's record: under a key only they follow)."""
    return {"_id": f"webhook-disabled:{endpoint['_id']}:{now.isoformat()}", "kind": "webhook.disabled",
            "idea_id": key, "title": "A webhook endpoint was turned off",
            "message": f"{endpoint['url']} kept failing since {endpoint['failing_since']:%Y-%m-%d %H:%M} UTC: "
                       "its deliveries stopped. Turn it back on in the webhooks page once it answers, and replay "
                       "what it missed from its delivery log.",
            "from": "enabled", "to": "disabled", "created_at": now, "recorded_at": now, "emails_queued": False,
            "path": "/staff/webhooks", "why": "You registered or rotated this webhook endpoint."}
