"""Live pages through the gateway: streams opened as a browser's EventSource does (one per page, on the channels GET
/api/notifications/live hands out) hear another member's vote, resume after a dropped connection without missing or
repeating a message, and never carry a private space's event to an outsider or to a member removed from it."""
import http.client
import json
import socket
import threading
import urllib.parse

import pytest
import requests

from idealab_testing import assert_problem, unique, wait_for

from .test_core_flow import vote
from .test_revocations import APPLIED_WITHIN, accounts_says  # noqa: F401 - a fixture

pytestmark = pytest.mark.e2e


class Stream:
    """An open stream, read in a thread: its messages as (id, data), in the order they came. On a connection of its
    own (http.client), so that closing it can shut its socket: closing alone would wait for the thread's read to
    return, until the gateway's next ping."""

    def __init__(self, gateway: str, url: str, last_event_id: str | None = None):
        self.url = url
        address = urllib.parse.urlsplit(gateway)
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=120)
        headers = {"Accept": "text/event-stream"}
        if last_event_id:
            headers["Last-Event-ID"] = last_event_id
        connection.request("GET", url, headers=headers)
        self.socket = connection.sock  # the response keeps reading it after the connection lets it go
        response = connection.getresponse()
        assert response.status == 200, response.read()
        self.messages: list[tuple[str, dict]] = []
        threading.Thread(target=self._read, args=(response,), daemon=True).start()

    def _read(self, response) -> None:
        event_id = None
        try:
            for line in response:
                line = line.decode().rstrip("\r\n")
                if line.startswith("id: "):
                    event_id = line[4:]
                elif line.startswith("data: "):
                    self.messages.append((event_id, json.loads(line[6:])))
        except (OSError, ValueError, http.client.HTTPException):
            pass  # closed by the test

    def about(self, idea_id: str) -> list[dict]:
        return [data for _, data in self.messages if data.get("idea") == idea_id]

    def wait_for(self, predicate, what: str) -> None:
        wait_for(lambda: any(predicate(data) for _, data in self.messages), timeout=APPLIED_WITHIN, what=what)

    def close(self) -> None:
        self.socket.shutdown(socket.SHUT_RDWR)
        self.socket.close()


def open_stream(gateway: str, person) -> Stream:
    answer = person.get("/api/notifications/live")
    assert answer.status_code == 200, answer.text
    return Stream(gateway, answer.json()["url"])


def channels(person) -> list[str]:
    return person.get("/api/notifications/live").json()["url"].partition("channels=")[2].split(",")


def public_idea(author) -> str:
    submitted = author.post("/api/ideas", json={"title": "Round-ups live", "description": "Watch it move.",
                                                "category": "savings"})
    assert submitted.status_code == 201, submitted.text
    return submitted.json()["id"]


def anonymous(member):
    person = member()
    person.session.headers.pop("Authorization")
    return person


def test_a_vote_reaches_an_open_page_and_a_dropped_stream_resumes_without_missing_or_repeating(gateway, member):
    idea_id = public_idea(member())
    watching, control = open_stream(gateway, anonymous(member)), open_stream(gateway, anonymous(member))

    assert vote(member(), idea_id).status_code == 201
    watching.wait_for(lambda m: m == {"type": "tally", "idea": idea_id, "votes": 1, "version": m.get("version")},
                      what="the first vote on the open page")
    last_seen, seen = watching.messages[-1][0], watching.about(idea_id)[-1]
    watching.close()
    for _ in range(2):
        assert vote(member(), idea_id).status_code == 201
    # The third vote reaches the threshold: the idea's status changes too, the last message either stream waits for.
    reviewed = {"type": "status", "idea": idea_id, "status": "under_review"}
    control.wait_for(lambda m: m == reviewed, what="the third vote's status change")

    resumed = Stream(gateway, watching.url, last_event_id=last_seen)
    resumed.wait_for(lambda m: m == reviewed, what="the missed votes and status change")
    heard = control.about(idea_id)
    missed = heard[heard.index(seen) + 1:]
    assert resumed.about(idea_id) == missed  # nothing missed, nothing repeated
    ids = [i for i, _ in resumed.messages]
    assert len(ids) == len(set(ids)) and last_seen not in ids
    for stream in (control, resumed):
        stream.close()


def test_an_outsider_stream_never_carries_a_private_space_event(gateway, member):
    panel = unique("panel-")[:-1]
    insider, outsider, staff = member(spaces=(panel,)), member(spaces=("another-panel",)), member(
        roles=("product_team",))
    streams = {name: open_stream(gateway, person) for name, person in
               (("insider", insider), ("outsider", outsider), ("staff", staff), ("anonymous", anonymous(member)))}
    submitted = insider.post("/api/ideas", json={"title": "Panel only, live", "description": "Secret.",
                                                 "category": "savings", "space": panel})
    assert submitted.status_code == 201, submitted.text
    secret = submitted.json()["id"]
    assert vote(insider, secret).status_code == 201
    for name in ("insider", "staff"):
        streams[name].wait_for(lambda m: m.get("idea") == secret and m.get("votes") == 1, what=f"{name}'s message")
    # A public vote after the panel's: once the outsiders hear it, they would have heard the panel's before it.
    marker = public_idea(insider)
    assert vote(insider, marker).status_code == 201
    for name in ("outsider", "anonymous"):
        streams[name].wait_for(lambda m: m.get("idea") == marker and m.get("votes") == 1, what=f"{name}'s message")
        assert secret not in json.dumps(streams[name].messages)
    panel_channel = {c for c in channels(insider) if c.startswith("s-")}
    assert panel_channel and not panel_channel & set(channels(outsider))
    for stream in streams.values():
        stream.close()


def test_a_removed_member_is_told_to_reauthorize_and_hears_nothing_more_of_the_space(
        gateway, member, accounts_says):  # noqa: F811 - the fixture imported above
    panel = unique("panel-")[:-1]
    author, removed = member(spaces=(panel,)), member(spaces=(panel,))
    secret = author.post("/api/ideas", json={"title": "Panel only, before and after", "description": "Secret.",
                                             "category": "savings", "space": panel}).json()["id"]
    old = open_stream(gateway, removed)
    assert any(c.startswith("s-") for c in channels(removed))

    accounts_says("space.member_removed", space_id=panel, user_id=removed.user_id, by="moderator-1")
    old.wait_for(lambda m: m == {"type": "reauthorize"}, what="the stream to be told to ask again")
    assert not any(c.startswith("s-") for c in channels(removed))  # the same token as before the removal
    new = open_stream(gateway, removed)
    assert vote(author, secret).status_code == 201
    marker = public_idea(author)
    assert vote(author, marker).status_code == 201
    for stream in (old, new):
        stream.wait_for(lambda m: m.get("idea") == marker and m.get("votes") == 1, what="the public vote")
        stream.close()
    # The old stream may have heard of the secret idea while its member was in the panel (its submission, when read
    # after the stream opened); from the "reauthorize" on, nothing. The new one, never.
    told = [data for _, data in old.messages].index({"type": "reauthorize"})
    assert secret not in json.dumps(old.messages[told:]) and new.about(secret) == []


@pytest.mark.parametrize("headers, query", [
    ({}, "channels=lab"),  # not an EventSource
    ({"Accept": "text/event-stream"}, "channels=lab,s-short"),
    ({"Accept": "text/event-stream"}, "channels=s-" + "A" * 22),  # not the lab's first
    ({"Accept": "text/event-stream"}, ""),
])
def test_a_stream_not_asked_as_handed_out_gets_a_problem(gateway, headers, query):
    assert_problem(requests.get(f"{gateway}/api/live?{query}", headers=headers, timeout=10), 400)
