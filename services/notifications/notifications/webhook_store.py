"""Every pymongo call of the webhooks: the endpoints staff registered and their deliveries (stored jobs, so a
restart loses none)."""
import uuid
from datetime import datetime, timedelta

from pymongo import ASCENDING, DESCENDING, ReturnDocument
from pymongo.database import Database

from idealab import mongo

from .webhooks import DELIVERED, FAILED, QUEUED

LOG_LENGTH = 20  # the attempts kept on a delivery


class WebhookStore:
    def __init__(self, db: Database):
        self.endpoints = db["webhook_endpoints"]  # staff-registered receivers: URL, event types, secrets, health
        self.deliveries = db["webhook_deliveries"]  # one job per (endpoint, event): queued, delivered or failed

    def ensure_indexes(self) -> None:
        self.endpoints.create_index("events")
        self.deliveries.create_index([("state", ASCENDING), ("next_attempt_at", ASCENDING)])
        self.deliveries.create_index([("endpoint_id", ASCENDING), ("created_at", DESCENDING)])

    def add_endpoint(self, endpoint: dict) -> None:
        self.endpoints.insert_one(endpoint)

    def endpoint(self, endpoint_id: str) -> dict | None:
        return self.endpoints.find_one({"_id": endpoint_id})

    def all_endpoints(self) -> list[dict]:
        return list(self.endpoints.find().sort("created_at", ASCENDING))  # a handful: staff register them

    def endpoints_for(self, event_type: str, at: datetime) -> list[dict]:
        """The enabled endpoints taking `event_type` that were registered by the time it happened: a replay of old
        events reaches no endpoint registered since."""
        return list(self.endpoints.find({"events": event_type, "enabled": True, "created_at": {"$lte": at}},
                                        {"_id": 1}))

    def endpoints_by_id(self, ids: list[str]) -> dict[str, dict]:
        return {e["_id"]: e for e in self.endpoints.find({"_id": {"$in": ids}})}

    def update_endpoint(self, endpoint_id: str, changes: dict) -> dict | None:
        return self.endpoints.find_one_and_update({"_id": endpoint_id}, {"$set": changes},
                                                  return_document=ReturnDocument.AFTER)

    def set_secrets(self, endpoint_id: str, secrets: list[dict]) -> None:
        self.endpoints.update_one({"_id": endpoint_id}, {"$set": {"secrets": secrets}})

    def answered(self, endpoint_id: str) -> None:
        self.endpoints.update_one({"_id": endpoint_id, "failing_since": {"$ne": None}},
                                  {"$set": {"failing_since": None}})

    def failed(self, endpoint_id: str, now: datetime) -> dict | None:
        """Records a failure: the endpoint fails since now unless it already did; returns the endpoint."""
        self.endpoints.update_one({"_id": endpoint_id, "failing_since": None}, {"$set": {"failing_since": now}})
        return self.endpoint(endpoint_id)

    def disable(self, endpoint_id: str, now: datetime) -> bool:
        """Turns the endpoint off (True when this call did) and gives up its queued deliveries."""
        turned = self.endpoints.update_one({"_id": endpoint_id, "enabled": True},
                                           {"$set": {"enabled": False, "disabled_at": now}}).modified_count == 1
        self.deliveries.update_many({"endpoint_id": endpoint_id, "state": QUEUED},
                                    {"$set": {"state": FAILED, "error": "the endpoint was turned off"},
                                     "$unset": {"claim": ""}})
        return turned

    def queue(self, deliveries: list[dict]) -> None:
        """Queues deliveries by their ids, keeping any already there: an event read twice is delivered once. One
        write each: an event has one delivery per endpoint taking it, a handful."""
        for delivery in deliveries:
            mongo.inserted(self.deliveries, delivery)

    def due(self, now: datetime, limit: int) -> list[dict]:
        return list(self.deliveries.find({"state": QUEUED, "next_attempt_at": {"$lte": now}}).limit(limit))

    def claim(self, deliveries: list[dict], now: datetime, hold: timedelta) -> list[dict]:
        """Takes the due deliveries read for `hold`; returns those taken. A sender that dies while sending leaves
        them to be sent again once the hold is over (at least once: the receiver knows them by webhook-id)."""
        claim, ids = uuid.uuid4().hex, [d["_id"] for d in deliveries]
        self.deliveries.update_many({"_id": {"$in": ids}, "state": QUEUED, "next_attempt_at": {"$lte": now}},
                                    {"$set": {"claim": claim, "next_attempt_at": now + hold}})
        return list(self.deliveries.find({"_id": {"$in": ids}, "claim": claim}))

    def attempted(self, delivery_id: str, changes: dict, attempt: dict | None = None) -> None:
        update: dict = {"$set": changes, "$unset": {"claim": ""}}
        if attempt is not None:
            update["$push"] = {"log": {"$each": [attempt], "$slice": -LOG_LENGTH}}
            update["$inc"] = {"attempts": 1}
        self.deliveries.update_one({"_id": delivery_id}, update)

    def log_of(self, endpoint_id: str, limit: int) -> list[dict]:
        return list(self.deliveries.find({"endpoint_id": endpoint_id}).sort("created_at", DESCENDING).limit(limit))

    def replay(self, delivery_id: str, now: datetime) -> dict | None:
        """Queues the delivery again, due now, whatever became of it (same id, body and webhook-id)."""
        return self.deliveries.find_one_and_update(
            {"_id": delivery_id, "state": {"$in": [DELIVERED, FAILED]}},
            {"$set": {"state": QUEUED, "queued_at": now, "next_attempt_at": now, "replayed_at": now},
             "$unset": {"claim": ""}},
            return_document=ReturnDocument.AFTER)

    def delivery(self, delivery_id: str) -> dict | None:
        return self.deliveries.find_one({"_id": delivery_id})
