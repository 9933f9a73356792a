"""Issue 9, finding 8: what one member may upload in a day (counted by the service, 429 beyond), and the clean-up
of the images no idea uses."""
from datetime import datetime, timedelta, timezone

import pytest

from idealab_testing import assert_problem
from ideas import cli, handlers
from ideas.config import Images

from .test_images import IDEA, png, upload

pytestmark = pytest.mark.integration

LATE = datetime(2030, 1, 1, 23, 0, tzinfo=timezone.utc)  # an hour before the day (UTC) ends


@pytest.fixture
def clock(monkeypatch):
    """The service's time, set by the test: clock.at = …"""
    class Clock:
        at = LATE
    monkeypatch.setattr(handlers, "_now", lambda: Clock.at)
    return Clock


def sized(size: int) -> bytes:
    return png() + b"\x00" * (size - len(png()))  # a PNG by its first bytes, `size` bytes long


def test_a_members_uploads_beyond_the_days_count_get_429_until_the_next_day(app, client, bearer, store, clock):
    app.extensions["ideas.images"] = Images(per_member_per_day=3)
    assert [upload(client, bearer("ann"), png()).status_code for _ in range(3)] == [201] * 3

    refused = upload(client, bearer("ann"), png())

    body = assert_problem(refused, 429)
    assert "3 uploads" in body["detail"]  # images and clips count together
    assert refused.headers["Retry-After"] == "3600"
    assert store.images.count_documents({"owner_id": "ann"}) == 3
    assert upload(client, bearer("bob"), png()).status_code == 201, "the quota is each member's own"
    clock.at = LATE + timedelta(hours=1)
    assert upload(client, bearer("ann"), png()).status_code == 201, "a new day, a new quota"


def test_a_members_uploads_beyond_the_days_bytes_get_429_and_a_refused_upload_counts_nothing(app, client, bearer,
                                                                                            clock):
    app.extensions["ideas.images"] = Images(bytes_per_member_per_day=1000)
    assert upload(client, bearer("ann"), sized(600)).status_code == 201

    assert "a day" in assert_problem(upload(client, bearer("ann"), sized(600)), 429)["detail"]
    assert upload(client, bearer("ann"), sized(400)).status_code == 201, "the refused 600 bytes were not counted"
    assert_problem(upload(client, bearer("ann"), sized(100)), 429)
    assert_problem(upload(client, bearer("bob"), sized(1001)), 429)  # alone over a whole day's bytes


@pytest.fixture
def images_of_every_kind(client, bearer, store, clock):
    """Images uploaded two days ago: unused, on an idea, on a hidden idea, on a merged idea, on an idea older than
    the marking of attached images; and one uploaded an hour ago, unused. Their ids by kind."""
    ann, staff = bearer("ann"), bearer("pat", roles=("product_team", "moderator"))
    clock.at = datetime.now(timezone.utc) - timedelta(days=2)
    ids = {kind: upload(client, ann, png()).get_json()["id"] for kind in ("unused", "used", "hidden", "merged",
                                                                           "unmarked")}

    def idea_with(kind: str) -> str:
        return client.post("/api/ideas", json={**IDEA, "image_id": ids[kind]}, headers=ann).get_json()["id"]

    used, hidden, merged = idea_with("used"), idea_with("hidden"), idea_with("merged")
    assert client.post(f"/api/ideas/{hidden}/hide", json={"reason": "off topic"}, headers=staff).status_code == 200
    assert client.post(f"/api/ideas/{merged}/merge", json={"into": used}, headers=staff).status_code == 200
    idea_with("unmarked")
    store.images.update_one({"_id": ids["unmarked"]}, {"$unset": {"attached": ""}})
    clock.at = datetime.now(timezone.utc) - timedelta(hours=1)
    ids["fresh"] = upload(client, ann, png()).get_json()["id"]
    clock.at = datetime.now(timezone.utc)
    return ids


def test_the_clean_up_removes_an_old_unused_image_and_keeps_those_ideas_use_and_fresh_ones(
        client, bearer, store, images_of_every_kind):
    ids = images_of_every_kind

    assert handlers.purge_unused_images(store, Images()) == 1

    assert {i["_id"] for i in store.images.find({}, {"_id": 1})} == set(ids.values()) - {ids["unused"]}
    assert_problem(client.get(f"/api/ideas/images/{ids['unused']}"), 404)
    body = assert_problem(client.post("/api/ideas", json={**IDEA, "image_id": ids["unused"]},
                                      headers=bearer("ann")), 422)
    assert list(body["errors"]) == ["image_id"]
    assert handlers.purge_unused_images(store, Images()) == 0, "nothing more to remove"
    assert store.images.find_one({"_id": ids["unmarked"]})["attached"] is True


def test_the_operator_command_removes_the_unused_images(worker_env, monkeypatch, store, images_of_every_kind, capsys):
    for name, value in worker_env("ideas").items():
        monkeypatch.setenv(name, value)

    assert cli.main(["purge-unused-images"]) == 0

    assert "removed 1 unused images" in capsys.readouterr().out
    assert store.images.find_one({"_id": images_of_every_kind["unused"]}) is None
