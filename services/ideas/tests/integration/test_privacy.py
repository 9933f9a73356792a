"""A member's own data in ideas: the download of what they wrote, and what becomes of it when their account is
deleted (the ideas stay, attributed to nobody: honesty is the point)."""
import pytest

from idealab_testing import as_consumed
from ideas import handlers

pytestmark = pytest.mark.integration

IDEA = {"title": "Round up card payments", "description": "Into savings.", "category": "savings"}


def test_a_member_downloads_the_ideas_they_wrote_and_only_those(client, bearer):
    client.post("/api/ideas", json=IDEA, headers=bearer("ann"))
    client.post("/api/ideas", json={**IDEA, "title": "Someone else's idea"}, headers=bearer("bob"))

    data = client.get("/api/ideas/me/data", headers=bearer("ann")).get_json()

    assert [idea["title"] for idea in data["ideas"]] == [IDEA["title"]]
    assert client.get("/api/ideas/me/data").status_code == 401


def test_a_deleted_accounts_ideas_stay_attributed_to_nobody(client, bearer, store, event):
    idea = client.post("/api/ideas", json=IDEA, headers=bearer("ann")).get_json()
    kept = client.post("/api/ideas", json={**IDEA, "title": "Bob's idea"}, headers=bearer("bob")).get_json()

    for _ in range(2):  # a replayed deletion changes nothing more
        handlers.on_user_deleted(store, as_consumed(event.user_deleted("ann")))

    shown = client.get(f"/api/ideas/{idea['id']}").get_json()
    assert (shown["title"], shown["author_id"]) == (IDEA["title"], None)
    assert client.get(f"/api/ideas/{kept['id']}").get_json()["author_id"] == "bob"
    assert client.get("/api/ideas/me/data", headers=bearer("ann")).get_json() == {
        "ideas": [], "comments": [], "images": [], "questions": [], "answers": [], "private_threads": [], "flags": []}
