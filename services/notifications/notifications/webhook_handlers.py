"""Use cases of the webhooks: staff register endpoints, rotate their secrets, read the delivery log and replay a
delivery; the worker queues a delivery per endpoint for each event offered (`queue_for`), and sends the due ones
(`deliver_due`, one instance at a time: a lease).

Delivery is at least once: a delivery is a stored job, claimed for a while before it is sent; a worker that dies while
sending leaves it due again once the claim is over, and the receiver recognises a repeat by its webhook-id. A failure
(no answer, an answer other than 2xx, redirects included) is tried again with exponential backoff and jitter for up
to `give_up_after`; an endpoint that fails continuously for `disable_after` is turned off, its queued deliveries
given up, and the staff who registered or rotated it find a notice in their inbox."""
import functools
import http.client
import logging
import secrets
import time
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

from werkzeug.exceptions import Conflict, NotFound

from idealab.events import Event

from . import metrics, webhooks
from .config import WebhookConfig, load_webhooks
from .store import NotificationStore
from .webhook_store import WebhookStore

log = logging.getLogger(__name__)

SEND_BATCH = 20
CLAIM_HOLD = timedelta(minutes=5)
# A status change of an idea whose space is not known here yet is held this long before its space is looked again.
UNKNOWN_IDEA_WAIT = timedelta(seconds=30)
OWNER = "owner"


def _now() -> datetime:
    return datetime.now(timezone.utc)


def owners_key(endpoint_id: str) -> str:
    return f"webhook:{endpoint_id}"


def register(store: WebhookStore, notifications: NotificationStore, user_id: str, request: dict) -> dict:
    """A new endpoint, enabled, with its first secret (shown once, in this answer and in rotations)."""
    now, secret = _now(), webhooks.new_secret()
    endpoint = {"_id": f"ep_{secrets.token_hex(8)}", "url": request["url"], "events": sorted(set(request["events"])),
                "description": request.get("description", ""), "enabled": True,
                "secrets": [{"secret": secret, "created_at": now}], "created_by": user_id, "created_at": now,
                "failing_since": None, "disabled_at": None}
    store.add_endpoint(endpoint)
    notifications.follow(owners_key(endpoint["_id"]), user_id, OWNER, now)
    return {**endpoint, "secret": secret}


def endpoint(store: WebhookStore, endpoint_id: str) -> dict:
    found = store.endpoint(endpoint_id)
    if found is None:
        raise NotFound(f"no webhook endpoint {endpoint_id}")
    return found


def change(store: WebhookStore, endpoint_id: str, changes: dict) -> dict:
    """Changes the URL, the event types or the description, or turns it on or off; turned back on, it starts with
    a clean record (what it missed meanwhile is replayed from its log)."""
    if not changes:
        return endpoint(store, endpoint_id)
    if "events" in changes:
        changes["events"] = sorted(set(changes["events"]))
    if changes.get("enabled") is True:
        changes.update(failing_since=None, disabled_at=None)
    elif changes.get("enabled") is False:
        changes["disabled_at"] = _now()
    changed = store.update_endpoint(endpoint_id, changes)
    if changed is None:
        raise NotFound(f"no webhook endpoint {endpoint_id}")
    return changed


def rotate(store: WebhookStore, notifications: NotificationStore, endpoint_id: str, user_id: str) -> dict:
    """A new secret; the one it replaces signs beside it for `webhooks.ROTATION_OVERLAP`."""
    now, secret = _now(), webhooks.new_secret()
    store.set_secrets(endpoint_id, webhooks.rotated(endpoint(store, endpoint_id), secret, now))
    notifications.follow(owners_key(endpoint_id), user_id, OWNER, now)
    return {**store.endpoint(endpoint_id), "secret": secret}


def delivery_log(store: WebhookStore, endpoint_id: str, limit: int) -> dict:
    return {"endpoint": endpoint(store, endpoint_id), "deliveries": store.log_of(endpoint_id, limit)}


def replay(store: WebhookStore, delivery_id: str) -> dict:
    """Sends a delivered or failed delivery again, as it was (same webhook-id and body); a queued one is on its way,
    and a withheld one (private) is never sent."""
    found = store.delivery(delivery_id)
    if found is None:
        raise NotFound(f"no webhook delivery {delivery_id}")
    replayed = store.replay(delivery_id, _now())
    if replayed is None:
        raise Conflict(f"this delivery is {found['state']}: only a delivered or failed one is replayed")
    return replayed


def queue_for(store: WebhookStore, notifications: NotificationStore, public_url: str, event: Event) -> None:
    """Queues one delivery of the event to each enabled endpoint taking its type (none when it is not offered or is
    of a private space); keyed by endpoint and event, so a replayed event queues nothing twice."""
    if event.type not in webhooks.EVENTS or event.data.get("space"):
        return
    endpoints = store.endpoints_for(event.type, webhooks.when(event))
    if not endpoints:
        return
    title = notifications.idea_title(event.data["idea_id"]) if event.type == "idea.status_changed" else None
    body = webhooks.payload(event, public_url, title)
    if body is not None:
        store.queue(webhooks.deliveries(event, body, endpoints, _now()))


def post(url: str, headers: dict, body: str, timeout: float) -> tuple[int | None, str | None]:
    """POSTs the body (redirects are not followed): the status, or None and what went wrong."""
    parts = urlsplit(url)
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = kind(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request("POST", (parts.path or "/") + (f"?{parts.query}" if parts.query else ""),
                           body=body.encode(), headers=headers)
        response = connection.getresponse()
        response.read(65536)  # the receiver's answer is not kept
        return response.status, None
    except Exception as exc:  # noqa: BLE001 - whatever stops the request is this attempt's failure, retried later
        return None, f"{type(exc).__name__}: {exc}"
    finally:
        connection.close()


def deliver_due(store: WebhookStore, notifications: NotificationStore, config: WebhookConfig, now=None,
                send=post, batch: int = SEND_BATCH) -> int:
    """Sends one batch of the due deliveries; returns how many were found. `now` and `send` are the test's clock and
    network when given."""
    now = now or _now()
    due = store.due(now, batch)
    if not due:
        return 0
    claimed = store.claim(due, now, CLAIM_HOLD)
    endpoints = store.endpoints_by_id(list({d["endpoint_id"] for d in claimed}))
    ideas = [d["idea_id"] for d in claimed if "idea_id" in d]
    spaces = notifications.spaces_of(ideas) if ideas else {}
    for delivery in claimed:
        _deliver(store, notifications, config, delivery, endpoints.get(delivery["endpoint_id"]), spaces, now, send)
    return len(due)


def _deliver(store: WebhookStore, notifications: NotificationStore, config: WebhookConfig, delivery: dict,
             endpoint_: dict | None, spaces: dict, now: datetime, send) -> None:
    if endpoint_ is None or not endpoint_["enabled"]:
        store.attempted(delivery["_id"], {"state": webhooks.FAILED, "error": "the endpoint was turned off"})
        return
    if "idea_id" in delivery:
        if delivery["idea_id"] not in spaces:  # its idea.submitted is not read yet (another topic)
            late = now - delivery["queued_at"] >= config.give_up_after
            store.attempted(delivery["_id"], {"state": webhooks.FAILED, "error": "the idea is not known"} if late
                            else {"next_attempt_at": now + UNKNOWN_IDEA_WAIT})
            return
        if spaces[delivery["idea_id"]] is not None:
            store.attempted(delivery["_id"], {"state": webhooks.WITHHELD, "error": "an idea of a private space"})
            return
    headers = webhooks.signed_headers(delivery["_id"], delivery["body"], webhooks.live_secrets(endpoint_, now), now)
    started = time.monotonic()
    status, error = send(endpoint_["url"], headers, delivery["body"], config.timeout_seconds)
    attempt = {"at": now, "status": status, "error": error, "ms": round((time.monotonic() - started) * 1000)}
    if status is not None and 200 <= status < 300:
        store.attempted(delivery["_id"], {"state": webhooks.DELIVERED, "delivered_at": now, "error": None}, attempt)
        store.answered(endpoint_["_id"])
        metrics.delivered("webhook", 1, "sent")
        return
    error = error or f"HTTP {status}"
    attempts = delivery["attempts"] + 1
    if now - delivery["queued_at"] >= config.give_up_after:
        store.attempted(delivery["_id"], {"state": webhooks.FAILED, "error": error}, attempt)
        metrics.delivered("webhook", 1, "failed")
    else:
        store.attempted(delivery["_id"], {"error": error, "next_attempt_at": webhooks.next_attempt(
            attempts, now, config.first_retry, config.longest_wait)}, attempt)
        metrics.delivered("webhook", 1, "retried")
    log.warning("webhook %s to %s failed (attempt %d): %s", delivery["_id"], endpoint_["url"], attempts, error)
    failing = store.failed(endpoint_["_id"], now)
    if failing["enabled"] and now - failing["failing_since"] >= config.disable_after \
            and store.disable(endpoint_["_id"], now):
        notifications.record_change(webhooks.disabled_notice(failing, owners_key(endpoint_["_id"]), now))
        log.warning("webhook endpoint %s turned off: failing since %s", endpoint_["_id"], failing["failing_since"])


def queueing_too(notifications: NotificationStore, handlers: dict) -> dict:
    """The service's event handlers, those of the event types offered to endpoints also queueing their deliveries
    (after the handler: an idea's title is known by then). The same for the worker and `cli replay`, whose old events
    reach no endpoint registered after them."""
    public_url = load_webhooks().public_url

    def both(handle, event: Event) -> None:
        handle(event)
        queue_for(notifications.webhooks, notifications, public_url, event)
    return {**handlers, **{t: functools.partial(both, handlers[t]) for t in webhooks.EVENTS if t in handlers}}
