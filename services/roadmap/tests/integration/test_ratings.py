"""Ratings of what was built: members rate a launched idea or initiative 1 to 5 stars, once each (rating again edits
it); the average and distribution are exact; moderators hide a review as they hide a comment; a space's launches
are rated and read by its members only; the product teams see every launch's ratings; every read by index."""
from datetime import datetime, timedelta, timezone

import pytest

from idealab_testing import SampleEvents, as_consumed
from roadmap import ratings
from roadmap.app import create_app

pytestmark = pytest.mark.integration

NOW = datetime.now(timezone.utc).replace(microsecond=0)
TEAM = {"roles": ("product_team",)}


@pytest.fixture
def launched(store):
    """A launched public idea, a launched idea of a panel, a planned idea and a launched initiative."""
    store.items.insert_many([
        {"_id": "card-block", "title": "Block my card", "space": None, "status": "launched", "updated_at": NOW},
        {"_id": "panel-app", "title": "Panel app", "space": "panel", "status": "launched", "updated_at": NOW},
        {"_id": "dark-mode", "title": "Dark mode", "space": None, "status": "planned", "updated_at": NOW}])
    store.initiatives.insert_one({"_id": "initiative-1", "title": {"en": "Safer cards"}, "space": None,
                                  "status": "launched", "announced": True, "idea_ids": ["card-block"],
                                  "updated_at": NOW - timedelta(days=1)})


def rate(client, bearer, who, stars, review=None, url="/api/roadmap/ideas/card-block/ratings/mine", **claims):
    return client.put(url, json={"stars": stars, "review": review}, headers=bearer(who, **claims))


def test_one_rating_per_member_editable_with_the_average_and_the_distribution(client, bearer, launched):
    assert rate(client, bearer, "ann", 5, "Saved me on holiday").status_code == 201
    assert rate(client, bearer, "bob", 2).status_code == 201
    edited = rate(client, bearer, "bob", 4, "Better after the update")
    assert edited.status_code == 200 and edited.json["stars"] == 4
    assert rate(client, bearer, "cid", 4).status_code == 201

    shown = client.get("/api/roadmap/ideas/card-block/ratings", headers=bearer("bob")).json
    assert shown["summary"] == {"count": 3, "average": 4.33,
                                "distribution": {"1": 0, "2": 0, "3": 0, "4": 2, "5": 1}}
    assert shown["mine"]["stars"] == 4 and shown["mine"]["review"] == "Better after the update"
    assert [r["member_id"] for r in shown["reviews"]] == ["bob", "ann"]  # newest first, reviews only
    assert client.get("/api/roadmap/ideas/card-block/ratings").json["mine"] is None


def test_only_what_was_launched_is_rated_by_members_with_one_to_five_stars(client, bearer, launched):
    assert rate(client, bearer, "ann", 5, url="/api/roadmap/ideas/dark-mode/ratings/mine").status_code == 409
    assert rate(client, bearer, "ann", 5, url="/api/roadmap/ideas/nothing/ratings/mine").status_code == 404
    for stars in (0, 6, "5", 4.5, None):
        answer = rate(client, bearer, "ann", stars)
        assert answer.status_code == 422 and answer.content_type == "application/problem+json", stars
    assert rate(client, bearer, "pat", 5, roles=("product_team",)).status_code == 403
    initiative = "/api/roadmap/initiatives/initiative-1/ratings"
    assert rate(client, bearer, "ann", 3, url=initiative + "/mine").status_code == 201
    assert client.get(initiative).json["summary"]["average"] == 3


def test_a_hidden_review_keeps_its_stars_and_shows_why_not_what(client, bearer, launched):
    rate(client, bearer, "ann", 1, "Rude words here")
    url = "/api/roadmap/ideas/card-block/ratings/ann"
    assert client.post(url + "/hide", json={"reason": "insults"}, headers=bearer("bob")).status_code == 403
    hidden = client.post(url + "/hide", json={"reason": "insults"}, headers=bearer("mo", roles=("moderator",)))
    assert hidden.status_code == 200 and hidden.json["hidden"]["reason"] == "insults"
    assert client.post(url + "/hide", json={"reason": "again"},
                       headers=bearer("mo", roles=("moderator",))).status_code == 409
    public = client.get("/api/roadmap/ideas/card-block/ratings").json
    assert public["summary"]["count"] == 1
    [review] = public["reviews"]
    assert review["review"] is None and review["hidden"] == {"reason": "insults", "at": review["hidden"]["at"]}
    assert "moderation" not in review
    staff = client.get("/api/roadmap/ideas/card-block/ratings", headers=bearer("mo", roles=("moderator",))).json
    assert staff["reviews"][0]["review"] == "Rude words here"
    client.post(url + "/restore", json={"reason": "appeal upheld"}, headers=bearer("mo", roles=("moderator",)))
    assert client.get("/api/roadmap/ideas/card-block/ratings").json["reviews"][0]["review"] == "Rude words here"


def test_a_spaces_launch_is_rated_and_read_by_its_members_only(client, bearer, launched):
    url = "/api/roadmap/ideas/panel-app/ratings"
    assert client.get(url).status_code == 404
    assert rate(client, bearer, "eve", 5, url=url + "/mine").status_code == 404
    assert rate(client, bearer, "ann", 5, url=url + "/mine", spaces=("panel",)).status_code == 201
    assert client.get(url, headers=bearer("ann", spaces=("panel",))).json["summary"]["count"] == 1


def test_the_product_teams_see_the_ratings_of_every_launch_they_may_see(client, bearer, launched):
    rate(client, bearer, "ann", 5)
    rate(client, bearer, "bob", 3)
    rate(client, bearer, "ann", 2, url="/api/roadmap/ideas/panel-app/ratings/mine", spaces=("panel",))
    assert client.get("/api/roadmap/launches", headers=bearer("ann")).status_code == 403
    found = {(x["kind"], x["id"]): x for x in
             client.get("/api/roadmap/launches", headers=bearer("pat", **TEAM)).json["launches"]}
    assert set(found) == {("idea", "card-block"), ("idea", "panel-app"), ("initiative", "initiative-1")}
    assert found[("idea", "card-block")]["average"] == 4 and found[("idea", "card-block")]["count"] == 2
    assert found[("initiative", "initiative-1")]["average"] is None


def test_my_data_download_holds_my_ratings_and_reviews_only(client, bearer, launched):
    rate(client, bearer, "ann", 4, "Handy")
    rate(client, bearer, "bob", 2, "Not for me")
    mine = client.get("/api/roadmap/me/data", headers=bearer("ann")).json["ratings"]
    assert [(r["target"], r["stars"], r["review"]) for r in mine] == [("idea:card-block", 4, "Handy")]
    assert client.get("/api/roadmap/me/data").status_code == 401


def test_a_deleted_accounts_ratings_and_reviews_are_erased(client, bearer, store, launched):
    rate(client, bearer, "ann", 1, "Mine to take away")
    rate(client, bearer, "bob", 5)
    for _ in range(2):  # a replay changes nothing more
        ratings.on_user_deleted(store.rated, as_consumed(SampleEvents.user_deleted("ann")))
    shown = client.get("/api/roadmap/ideas/card-block/ratings").json
    assert shown["summary"]["count"] == 1 and shown["summary"]["average"] == 5 and shown["reviews"] == []


@pytest.fixture
def recorded_app(service_settings, recorded_db):
    return create_app(service_settings("roadmap"), db=recorded_db)


def test_ratings_and_launches_are_read_by_index(recorded_app, recorded_db, bearer, reads):
    store = recorded_app.extensions["idealab.store"]
    store.items.insert_many([{"_id": f"launch-{n}", "title": f"Launch {n}", "space": None, "status": "launched",
                              "updated_at": NOW - timedelta(minutes=n)} for n in range(300)])
    store.items.insert_many([{"_id": f"open-{n}", "title": "Open", "space": None, "status": "open",
                              "updated_at": NOW} for n in range(2_000)])
    store.rated.ratings.insert_many([
        {"_id": f"idea:launch-{n % 300}|m-{n}", "target": f"idea:launch-{n % 300}", "member_id": f"m-{n}",
         "space": None, "stars": n % 5 + 1, "review": "Fine" if n % 2 else None, "has_review": bool(n % 2),
         "rated_at": NOW, "updated_at": NOW - timedelta(seconds=n), "hidden": None, "moderation": []}
        for n in range(6_000)])
    client = recorded_app.test_client()
    reads.commands.clear()
    shown = client.get("/api/roadmap/ideas/launch-7/ratings", headers=bearer("m-7")).json
    assert shown["summary"]["count"] == 20 and len(shown["reviews"]) == 20
    assert client.get("/api/roadmap/launches", headers=bearer("pat", **TEAM)).status_code == 200
    assert reads.full_scans(recorded_db) == []
