"""Contest entries in the ideas service: taken only while a round of a known contest is open (the windows come from
`contest.scheduled`), tagged with their round in the idea and its event; short videos known by their bytes and
served by ranges; a space's contest and its videos are not there for outsiders."""
import io
from datetime import datetime, timedelta, timezone

import pytest

from idealab.events import new_event
from idealab_testing import as_consumed
from ideas import entries, handlers

pytestmark = pytest.mark.integration

NOW = datetime.now(timezone.utc)
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(range(256)) * 8
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm" + b"\x00" * 100


def scheduled(store, contest_id: str, revision: int, rounds: list[tuple[datetime, datetime]], space=None) -> None:
    handlers.event_handlers(store)["contest.scheduled"](as_consumed(new_event("contest.scheduled", {
        "contest_id": contest_id, "revision": revision, "title": {"es": "Genios"}, "space": space,
        "rounds": [{"round": n, "opens_at": o, "closes_at": c} for n, (o, c) in enumerate(rounds, start=1)]},
        source="/votes", subject=contest_id)))


def entry(contest_id: str, **more) -> dict:
    return {"title": "Round up every card payment", "description": "The change goes to savings.",
            "category": "saving", "contest_id": contest_id, **more}


def upload(client, headers, data: bytes, content_type: str = "video/mp4"):
    return client.post("/api/ideas/videos", headers=headers, content_type="multipart/form-data",
                       data={"video": (io.BytesIO(data), "tip.mp4", content_type)})


def test_an_entry_goes_into_the_open_round_and_its_event_says_so(client, bearer, store):
    scheduled(store, "genios", 1, [(NOW - timedelta(days=8), NOW - timedelta(days=1)),
                                   (NOW - timedelta(days=1), NOW + timedelta(days=6))])
    response = client.post("/api/ideas", json=entry("genios"), headers=bearer("ann"))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["contest"] == {"id": "genios", "round": 2}
    idea = store.ideas.find_one({"_id": response.get_json()["id"]})
    assert {k: idea["outbox"][0]["data"][k] for k in ("contest_id", "round")} == {"contest_id": "genios", "round": 2}
    listed = client.get("/api/ideas/contests/genios/entries?round=2").get_json()["entries"]
    assert [e["id"] for e in listed] == [idea["_id"]]
    assert client.get("/api/ideas/contests/genios/entries?round=1").get_json()["entries"] == []


def test_no_entry_outside_a_rounds_window_or_for_an_unknown_contest(client, bearer, store):
    scheduled(store, "later", 1, [(NOW + timedelta(days=1), NOW + timedelta(days=8))])
    closed = client.post("/api/ideas", json=entry("later"), headers=bearer("ann"))
    assert closed.status_code == 409 and closed.mimetype == "application/problem+json"
    unknown = client.post("/api/ideas", json=entry("nope"), headers=bearer("ann"))
    assert unknown.status_code == 422 and "contest_id" in unknown.get_json()["errors"]
    # An older revision, replayed or late, does not undo an edit that opened the round now.
    scheduled(store, "later", 3, [(NOW - timedelta(hours=1), NOW + timedelta(days=8))])
    scheduled(store, "later", 2, [(NOW + timedelta(days=1), NOW + timedelta(days=8))])
    assert client.post("/api/ideas", json=entry("later"), headers=bearer("ann")).status_code == 201


def test_a_video_is_known_by_its_bytes_and_served_by_ranges(client, bearer, store):
    scheduled(store, "clips", 1, [(NOW - timedelta(hours=1), NOW + timedelta(days=6))])
    ann = bearer("ann")
    refused = upload(client, ann, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    assert refused.status_code == 415 and refused.mimetype == "application/problem+json"
    quicktime = upload(client, ann, b"\x00\x00\x00\x14ftypqt  " + b"\x00" * 64)
    assert quicktime.status_code == 415
    assert upload(client, ann, WEBM).get_json()["content_type"] == "video/webm"
    video = upload(client, ann, MP4, content_type="image/png").get_json()
    assert video["content_type"] == "video/mp4" and video["size"] == len(MP4)

    assert client.post("/api/ideas", json=entry("clips", video_id=video["id"]), headers=bearer("bob")).status_code \
        == 422  # someone else's video
    both = client.post("/api/ideas", json=entry("clips", video_id=video["id"], video_link="https://v.example/x"),
                       headers=ann)
    assert both.status_code == 422
    posted = client.post("/api/ideas", json=entry("clips", video_id=video["id"]), headers=ann).get_json()
    assert posted["video"] == {"id": video["id"], "url": video["url"], "content_type": "video/mp4"}

    whole = client.get(video["url"])
    assert whole.status_code == 200 and whole.data == MP4 and whole.headers["Accept-Ranges"] == "bytes"
    part = client.get(video["url"], headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.data == MP4[100:200]
    assert part.headers["Content-Range"] == f"bytes 100-199/{len(MP4)}"
    tail = client.get(video["url"], headers={"Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.data == MP4[-10:]
    beyond = client.get(video["url"], headers={"Range": f"bytes={len(MP4) + 10}-"})
    assert beyond.status_code == 416


def test_a_link_to_a_hosted_video_is_kept_as_a_link_and_must_be_https(client, bearer, store):
    scheduled(store, "links", 1, [(NOW - timedelta(hours=1), NOW + timedelta(days=6))])
    kept = client.post("/api/ideas", json=entry("links", video_link="https://video.example/tip"), headers=bearer("a"))
    assert kept.status_code == 201 and kept.get_json()["video_link"] == "https://video.example/tip"
    plain = client.post("/api/ideas", json=entry("links", video_link="javascript:alert(1)"), headers=bearer("a"))
    assert plain.status_code == 422 and "video_link" in plain.get_json()["errors"]


def test_a_spaces_contest_its_entries_and_their_videos_are_not_there_for_outsiders(client, bearer, store):
    scheduled(store, "panel", 1, [(NOW - timedelta(hours=1), NOW + timedelta(days=6))], space="vip")
    insider, outsider = bearer("ian", spaces=("vip",)), bearer("olga")
    video = upload(client, insider, MP4).get_json()
    assert client.post("/api/ideas", json=entry("panel"), headers=outsider).status_code == 422
    posted = client.post("/api/ideas", json=entry("panel", video_id=video["id"]), headers=insider).get_json()
    assert posted["space"] == "vip"
    for headers in (outsider, {}):
        assert client.get("/api/ideas/contests/panel/entries", headers=headers).status_code == 404
        assert client.get(video["url"], headers=headers).status_code == 404
        assert client.get(f"/api/ideas/{posted['id']}", headers=headers).status_code == 404
    assert client.get(video["url"], headers=insider).status_code == 200


def test_the_type_is_read_from_the_first_bytes():
    assert entries.video_type(MP4) == "video/mp4" and entries.video_type(WEBM) == "video/webm"
    assert entries.video_type(b"\x1a\x45\xdf\xa3\x9f\x42\x82\x88matroska") is None
    assert entries.video_type(b"GIF89a") is None


def test_a_clip_no_entry_uses_is_removed_once_kept_its_grace_period_and_an_entrys_clip_never(client, bearer, store):
    scheduled(store, "purge", 1, [(NOW - timedelta(hours=1), NOW + timedelta(days=6))])
    ann = bearer("ann")
    kept, unused = upload(client, ann, MP4).get_json(), upload(client, ann, WEBM).get_json()
    assert client.post("/api/ideas", json=entry("purge", video_id=kept["id"]), headers=ann).status_code == 201
    quota = client.application.extensions["ideas.images"]
    assert entries.purge_unused_videos(store, quota, datetime.now(timezone.utc)) == 0  # still in its grace period
    later = datetime.now(timezone.utc) + timedelta(seconds=quota.unused_kept_seconds + 1)
    assert entries.purge_unused_videos(store, quota, later) == 1
    assert client.get(unused["url"]).status_code == 404 and client.get(kept["url"]).status_code == 200
