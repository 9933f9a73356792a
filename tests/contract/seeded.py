"""Real resources in every service, made through their own APIs and carried between them by their own event
handlers (the outbox events each write leaves in its documents, handed to every service that consumes the type, as
the relay and Kafka would): an account, a space, an idea with a comment and an image, a vote and its tally, a
roadmap item moved on, an initiative announced over it, the inbox entries those moves make, a question with the team's
answer, a private thread, a campaign the member voted in, closed, a contest, a video clip and a webhook endpoint.
Every answer on the way is checked against the service's OpenAPI document, so the success bodies of the routes that
make them are checked too."""
import io
import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import schemathesis
from schemathesis.specs.openapi.checks import (content_type_conformance, response_schema_conformance,
                                               status_code_conformance)

from idealab import events, outbox
from ideas import handlers as ideas_handlers
from ideas import points
from notifications import handlers as notifications_handlers
from roadmap import handlers as roadmap_handlers
from votes import campaigns
from votes import handlers as votes_handlers

# What each answer is checked for: its status is documented, its content type is, and its body matches the schema.
CONFORMANCE = [status_code_conformance, content_type_conformance, response_schema_conformance]
# Every role, so that every route is open to the seeded member (as the contract tests sign in).
ROLES = ("member", "product_team", "moderator", "admin")
# The smallest MP4 header the ideas service takes for a clip (it reads the type from the bytes).
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(64)
# The smallest GIF: the ideas service reads an image's type from its bytes.
GIF = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00"
       b"\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")


def consumers(apps: dict) -> dict:
    """Each consuming service's handlers by event type, over the store its app uses."""
    store = {name: app.extensions["idealab.store"] for name, app in apps.items()}
    return {"ideas": ideas_handlers.event_handlers(store["ideas"]),
            "ideas.points": points.event_handlers(store["ideas"].points),  # members' profiles and boards
            # threshold: as the contract's votes app (conftest)
            "votes": votes_handlers.event_handlers(store["votes"], threshold=3),
            "roadmap": roadmap_handlers.event_handlers(store["roadmap"]),
            "notifications": notifications_handlers.event_handlers(store["notifications"])}


@dataclass
class Seeded:
    """What was made, by the name of the path or query parameter that takes it, and the member's headers."""
    params: dict[str, str]
    headers: dict[str, str]


class Lab:
    """Every service's app in one process, with the events of each carried to the others on `deliver()`."""

    def __init__(self, apps: dict, signer):
        self.apps, self.signer = apps, signer
        self.handlers = consumers(apps)
        self.schemas = {name: schemathesis.openapi.from_wsgi(f"/api/{name}/openapi.json", app)
                        for name, app in apps.items()}

    def call(self, service: str, method: str, path: str, headers: dict, expect: int, **parts):
        """One request through the operation of the service's document, its answer checked against it."""
        operation = self.schemas[service][f"/api/{service}{path}"][method.upper()]
        case = operation.Case(**parts)
        response = case.call(headers=headers)
        assert response.status_code == expect, f"{method} {path}: {response.status_code} {response.text}"
        case.validate_response(response, checks=CONFORMANCE, headers=headers)
        return response.json() if "json" in str(response.headers.get("content-type")) else response.content

    def deliver(self) -> None:
        """Hands every event waiting in any service's outbox to every service that consumes its type, until none
        is left (a handled event may write new ones)."""
        while True:
            pending = [(name, collection, doc) for name, app in self.apps.items()
                       for collection in [app.extensions["idealab.db"][c]
                                          for c in app.extensions["idealab.db"].list_collection_names()]
                       for doc in collection.find(outbox.IS_PENDING)]
            if not pending:
                return
            for _name, collection, doc in pending:
                collection.update_one({"_id": doc["_id"]}, {"$set": {outbox.FIELD: []},
                                                            "$unset": {outbox.PENDING: ""}})
                for envelope in doc.get(outbox.FIELD, []):
                    event = events.parse(json.dumps(envelope).encode())
                    for service_handlers in self.handlers.values():
                        if event.type in service_handlers:
                            service_handlers[event.type](event)

    def seed(self) -> Seeded:
        email = "seeded.member@example.com"
        signed_up = self.call("accounts", "post", "/users", {}, 201, body={
            "email": email, "password": "a long and rare passphrase 7",
            "display_name": "Seeded Member"})
        user_id = signed_up["id"]
        headers = {"Authorization": f"Bearer {self.signer.token(user_id, ROLES)}"}
        space = self.call("accounts", "post", "/spaces", headers, 201, body={"name": "Seeded panel"})
        image = self.apps["ideas"].test_client().post(
            "/api/ideas/images", headers=headers, data={"image": (io.BytesIO(GIF), "dot.gif")},
            content_type="multipart/form-data")
        assert image.status_code == 201, image.get_data(as_text=True)
        idea = self.call("ideas", "post", "", headers, 201, body={
            "title": "Round up card payments into savings", "description": "Every payment, rounded up.",
            "category": "savings", "image_id": image.json["id"]})
        idea_id = idea["id"]
        comment = self.call("ideas", "post", "/{idea_id}/comments", headers, 201,
                            path_parameters={"idea_id": idea_id}, body={"text": "Yes, please."})
        self.deliver()
        self.call("votes", "post", "/ideas/{idea_id}", headers, 201, path_parameters={"idea_id": idea_id})
        self.deliver()
        self.call("roadmap", "post", "/ideas/{idea_id}/status", headers, 200, path_parameters={"idea_id": idea_id},
                  body={"status": "planned", "message": "Coming in March."})
        initiative = self.call("roadmap", "post", "/initiatives", headers, 201, body={
            "title": {"en": "Round-ups"}, "owner_team": "savings", "idea_ids": [idea_id]})  # planned, as its idea is
        self.call("roadmap", "post", "/initiatives/{initiative_id}/announce", headers, 200,
                  path_parameters={"initiative_id": initiative["initiative_id"]}, body={"message": "Started."})
        self.deliver()
        return Seeded(params={"idea_id": idea_id, "comment_id": comment["id"], "image_id": image.json["id"],
                              "user_id": user_id, "space_id": space["id"], "email": email,
                              "title": "Round up card payments",  # similar ideas to a title being typed
                              "initiative_id": initiative["initiative_id"], **self.seed_conversations(headers),
                              "campaign_id": self.seed_campaign(headers), "contest_id": self.seed_contest(headers),
                              "video_id": self.seed_clip(headers), "member_id": user_id, "ids": user_id,
                              "endpoint_id": self.seed_webhook_endpoint(headers),
                              "month": datetime.now(timezone.utc).strftime("%Y-%m")}, headers=headers)

    def seed_conversations(self, headers: dict) -> dict:
        """A question with the team's pinned answer, and a private thread the member opened."""
        question = self.call("ideas", "post", "/questions", headers, 201, body={
            "title": "Can I round up to the nearest 5?", "body": "Rather than the nearest euro."})
        self.call("ideas", "post", "/questions/{question_id}/answers", headers, 201,
                  path_parameters={"question_id": question["id"]}, body={"text": "Yes, from March.", "pin": True})
        thread = self.call("ideas", "post", "/private-threads", headers, 201, body={"text": "About my account."})
        self.deliver()
        return {"question_id": question["id"], "thread_id": thread["id"]}

    def seed_campaign(self, headers: dict) -> str:
        """A campaign with a budget, voted in by the member while open and closed by the votes clock."""
        votes, start = self.apps["votes"], datetime.now(timezone.utc)
        campaign = self.call("votes", "post", "/campaigns", headers, 201, body={
            "title": {"en": "Our donation"}, "description": {"en": "Split by your votes."},
            "options": [{"id": "food-bank", "name": "Food bank"}, {"id": "shelter", "name": "Shelter"}],
            "opens_at": (start + timedelta(minutes=1)).isoformat(),
            "closes_at": (start + timedelta(minutes=2)).isoformat(),
            "rule": {"kind": "single"}, "budget": {"amount": 15_000_000, "currency": "CAD"}})
        votes.extensions["votes.clock"] = lambda: start + timedelta(seconds=90)
        self.call("votes", "put", "/campaigns/{campaign_id}/ballot", headers, 200,
                  path_parameters={"campaign_id": campaign["id"]}, body={"choices": {"shelter": 1}})
        self.deliver()
        votes_handlers.run_campaign_clock(votes.extensions["idealab.store"],
                                          start + timedelta(minutes=2) + campaigns.CLOSE_SETTLE)
        self.deliver()
        return campaign["id"]

    def seed_contest(self, headers: dict) -> str:
        """A contest with one round and a final, announced to the ideas service (contest.scheduled)."""
        opens = datetime.now(timezone.utc) + timedelta(hours=1)
        contest = self.call("votes", "post", "/contests", headers, 201, body={
            "title": {"es": "Genios del Ahorro"}, "description": {"es": "Comparte tu truco"}, "currency": "EUR",
            "shortlist_size": 2, "jury": {"kind": "role"},
            "criteria": [{"id": "saving", "name": {"es": "Ahorro"}}],
            "rounds": [{"opens_at": opens.isoformat(), "closes_at": (opens + timedelta(days=7)).isoformat(),
                        "judging_ends_at": (opens + timedelta(days=8)).isoformat(), "prize": 50_000}],
            "final": {"closes_at": (opens + timedelta(days=9)).isoformat(),
                      "judging_ends_at": (opens + timedelta(days=10)).isoformat(), "prize": 150_000}})
        self.deliver()
        return contest["id"]

    def seed_clip(self, headers: dict) -> str:
        clip = self.apps["ideas"].test_client().post(
            "/api/ideas/videos", headers=headers, data={"video": (io.BytesIO(MP4), "tip.mp4")},
            content_type="multipart/form-data")
        assert clip.status_code == 201, clip.get_data(as_text=True)
        return clip.json["id"]

    def seed_webhook_endpoint(self, headers: dict) -> str:
        endpoint = self.call("notifications", "post", "/webhooks/endpoints", headers, 201, body={
            "url": "https://bank.example/idealab-hooks", "events": ["idea.status_changed"]})
        return endpoint["id"]
