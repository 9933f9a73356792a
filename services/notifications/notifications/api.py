"""HTTP routes of the notifications service."""
from flask import Blueprint, request

from idealab import auth, openapi
from idealab.web import load, store

from . import handlers, live, schemas, team, webhook_handlers, webhooks

bp = Blueprint("notifications", __name__)


# A member's inbox and preferences are theirs alone: not even staff read or change them.
@bp.get("/users/<user_id>/inbox")
@auth.require_self()
@openapi.operation(query=schemas.InboxQuery, answer=schemas.Inbox)
def inbox(user_id: str):
    query = schemas.InboxQuery().load(request.args)
    team_member = team.answers_for_bank(auth.current_principal())
    return schemas.Inbox().dump(handlers.read_inbox(store(), user_id, query["limit"], team_member))


@bp.post("/users/<user_id>/inbox/read")
@auth.require_self()
@openapi.operation(body=schemas.MarkRead, answer=schemas.Unread)
def mark_read(user_id: str):
    ids = load(schemas.MarkRead())["ids"]
    team_member = team.answers_for_bank(auth.current_principal())
    return schemas.Unread().dump(handlers.mark_read(store(), user_id, ids, team_member))


@bp.get("/users/<user_id>/preferences")
@auth.require_self()
@openapi.operation(answer=schemas.PreferencesShown)
def preferences(user_id: str):
    return schemas.PreferencesShown().dump(handlers.preferences(store(), user_id))


@bp.put("/users/<user_id>/preferences")
@auth.require_self()
@openapi.operation(body=schemas.Preferences, answer=schemas.PreferencesShown)
def set_preferences(user_id: str):
    changes = load(schemas.Preferences())
    return schemas.PreferencesShown().dump(handlers.set_preferences(store(), user_id, changes))


@bp.post("/unsubscribe")
@openapi.operation(query=schemas.UnsubscribeQuery,
                   answer={"type": "object", "properties": {"unsubscribed": {"type": "boolean"}}})
def unsubscribe():
    """The link of every email (RFC 8058 one-click: mail clients POST here with a form body), no sign-in needed."""
    handlers.unsubscribe(store(), schemas.UnsubscribeQuery().load(request.args)["token"])
    return {"unsubscribed": True}


@bp.get("/live")
@openapi.operation(answer=schemas.LiveStream, optional_sign_in=True)
def live_stream():
    """Where this page's live updates come from. Open `url` with EventSource; on a "reauthorize" message, ask again
    (docs/architecture.md, "Live pages")."""
    return schemas.LiveStream().dump(live.stream(store(), auth.current_principal()))


@bp.get("/me/data")
@auth.require()
@openapi.operation(answer=schemas.MyData)
def my_data():
    """What this service holds about the caller, for their data download (GDPR)."""
    return schemas.MyData().dump(handlers.my_data(store(), auth.current_principal().user_id))


# Webhook endpoints for the bank's own systems: registered and watched by admins (their secrets are credentials).
@bp.get("/webhooks/endpoints")
@auth.require("admin")
@openapi.operation(answer=schemas.WebhookEndpoints)
def webhook_endpoints():
    return schemas.WebhookEndpoints().dump({"endpoints": store().webhooks.all_endpoints(),
                                            "event_types": sorted(webhooks.EVENTS)})


@bp.post("/webhooks/endpoints")
@auth.require("admin")
@openapi.operation(body=schemas.WebhookEndpointNew, answer=schemas.WebhookEndpointWithSecret, status=201)
def register_webhook_endpoint():
    new = load(schemas.WebhookEndpointNew())
    endpoint = webhook_handlers.register(store().webhooks, store(), auth.current_principal().user_id, new)
    return schemas.WebhookEndpointWithSecret().dump(endpoint), 201


@bp.put("/webhooks/endpoints/<endpoint_id>")
@auth.require("admin")
@openapi.operation(body=schemas.WebhookEndpointChange, answer=schemas.WebhookEndpoint)
def change_webhook_endpoint(endpoint_id: str):
    changes = load(schemas.WebhookEndpointChange())
    return schemas.WebhookEndpoint().dump(webhook_handlers.change(store().webhooks, endpoint_id, changes))


@bp.post("/webhooks/endpoints/<endpoint_id>/secrets")
@auth.require("admin")
@openapi.operation(answer=schemas.WebhookEndpointWithSecret, status=201)
def rotate_webhook_secret(endpoint_id: str):
    endpoint = webhook_handlers.rotate(store().webhooks, store(), endpoint_id, auth.current_principal().user_id)
    return schemas.WebhookEndpointWithSecret().dump(endpoint), 201


@bp.get("/webhooks/endpoints/<endpoint_id>/deliveries")
@auth.require("admin")
@openapi.operation(query=schemas.WebhookLogQuery, answer=schemas.WebhookLog)
def webhook_deliveries(endpoint_id: str):
    limit = schemas.WebhookLogQuery().load(request.args)["limit"]
    return schemas.WebhookLog().dump(webhook_handlers.delivery_log(store().webhooks, endpoint_id, limit))


@bp.post("/webhooks/deliveries/<delivery_id>/replay")
@auth.require("admin")
@openapi.operation(answer=schemas.WebhookDelivery, status=202)
def replay_webhook_delivery(delivery_id: str):
    return schemas.WebhookDelivery().dump(webhook_handlers.replay(store().webhooks, delivery_id)), 202
