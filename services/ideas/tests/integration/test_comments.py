"""Comments and moderation over HTTP: members discuss an idea, moderators hide and restore with a public reason,
and nothing is ever deleted (honesty is the point)."""
import pytest

from idealab_testing import as_consumed, assert_problem
from ideas import handlers

pytestmark = pytest.mark.integration

IDEA = {"title": "Freeze my card from the app", "description": "And unfreeze it.", "category": "cards"}
MODERATOR = ("moderator",)


@pytest.fixture
def idea(client, bearer):
    return client.post("/api/ideas", json=IDEA, headers=bearer("ann")).get_json()


def comment(client, headers, idea_id, text="This would have saved my holiday.", **extra):
    return client.post(f"/api/ideas/{idea_id}/comments", json={"text": text, **extra}, headers=headers)


def thread(client, idea_id, headers=None) -> list[dict]:
    response = client.get(f"/api/ideas/{idea_id}/comments", headers=headers or {})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["comments"]


def test_members_comment_and_reply_and_everyone_reads_the_thread_oldest_first(client, bearer, idea, store):
    first = comment(client, bearer("bob"), idea["id"]).get_json()
    reply = comment(client, bearer("cat"), idea["id"], "Same here.", reply_to=first["id"])

    assert reply.status_code == 201
    shown = thread(client, idea["id"])
    assert [(c["author_id"], c["text"], c["reply_to"]) for c in shown] == [
        ("bob", "This would have saved my holiday.", None), ("cat", "Same here.", first["id"])]
    stored = store.comments.find_one({"_id": first["id"]})
    assert as_consumed(stored["outbox"][0]).type == "comment.posted"


def test_the_comment_count_follows_the_comment_events_whatever_their_order_and_repeats(client, bearer, idea, store):
    for _ in range(3):
        comment(client, bearer("bob"), idea["id"])
    hidden = thread(client, idea["id"])[0]["id"]
    client.post(f"/api/ideas/{idea['id']}/comments/{hidden}/hide", json={"reason": "Spam link"},
                headers=bearer("mo", roles=MODERATOR))
    posted = [as_consumed(e) for c in store.comments.find() for e in c["outbox"]]

    for event in [*reversed(posted), *posted]:
        handlers.on_comments_changed(store, event)

    assert client.get(f"/api/ideas/{idea['id']}").get_json()["comment_count"] == 2


def test_a_reply_to_a_comment_of_another_idea_is_refused(client, bearer, idea):
    other = client.post("/api/ideas", json={**IDEA, "title": "Another idea"}, headers=bearer("ann")).get_json()
    elsewhere = comment(client, bearer("bob"), other["id"]).get_json()
    assert_problem(comment(client, bearer("cat"), idea["id"], reply_to=elsewhere["id"]), 422)


@pytest.mark.parametrize("body", [{}, {"text": ""}, {"text": "   "}, {"text": "x" * 5001}, {"text": 3},
                                  {"text": "ok", "author_id": "someone"}])
def test_a_bad_comment_is_a_422_and_nothing_is_stored(client, bearer, idea, store, body):
    response = client.post(f"/api/ideas/{idea['id']}/comments", json=body, headers=bearer("bob"))
    assert_problem(response, 422)
    assert store.comments.count_documents({}) == 0


def test_commenting_needs_a_token_and_an_idea_one_can_see(client, bearer, idea):
    assert_problem(comment(client, {}, idea["id"]), 401)
    assert_problem(comment(client, bearer("bob"), "no-such-idea"), 404)
    panel = client.post("/api/ideas", json={**IDEA, "space": "panel-1"},
                        headers=bearer("paula", spaces=("panel-1",))).get_json()
    assert_problem(comment(client, bearer("olga"), panel["id"]), 404)
    assert_problem(client.get(f"/api/ideas/{panel['id']}/comments", headers=bearer("olga")), 404)
    assert comment(client, bearer("paul", spaces=("panel-1",)), panel["id"]).status_code == 201


def test_a_hidden_comment_shows_that_it_was_hidden_and_why_but_not_its_text(client, bearer, idea):
    posted = comment(client, bearer("bob"), idea["id"], "Rude words").get_json()

    response = client.post(f"/api/ideas/{idea['id']}/comments/{posted['id']}/hide",
                           json={"reason": "Insults another member"}, headers=bearer("mo", roles=MODERATOR))

    assert response.status_code == 200
    shown = thread(client, idea["id"], bearer("cat"))[0]
    assert (shown["id"], shown["text"], shown["hidden"]["reason"]) == (posted["id"], None, "Insults another member")
    assert "by" not in shown["hidden"] and "moderation" not in shown
    staff_view = thread(client, idea["id"], bearer("pat", roles=("product_team",)))[0]
    assert staff_view["text"] == "Rude words" and staff_view["hidden"]["by"] == "mo"
    assert [m["action"] for m in staff_view["moderation"]] == ["hide"]


def test_a_moderator_restores_with_a_reason_and_the_audit_log_keeps_both(client, bearer, idea):
    posted = comment(client, bearer("bob"), idea["id"], "Honest but harsh: your app is slow").get_json()
    path = f"/api/ideas/{idea['id']}/comments/{posted['id']}"
    client.post(f"{path}/hide", json={"reason": "Looked like abuse"}, headers=bearer("mo", roles=MODERATOR))

    restored = client.post(f"{path}/restore", json={"reason": "Criticism is welcome"},
                           headers=bearer("ada", roles=("admin",)))

    assert restored.status_code == 200
    shown = thread(client, idea["id"])[0]
    assert (shown["text"], shown["hidden"]) == ("Honest but harsh: your app is slow", None)
    audit = thread(client, idea["id"], bearer("mo", roles=MODERATOR))[0]["moderation"]
    assert [(m["action"], m["reason"], m["by"]) for m in audit] == [
        ("hide", "Looked like abuse", "mo"), ("restore", "Criticism is welcome", "ada")]


def test_hiding_twice_or_restoring_what_is_shown_is_a_409(client, bearer, idea):
    posted = comment(client, bearer("bob"), idea["id"]).get_json()
    path = f"/api/ideas/{idea['id']}/comments/{posted['id']}"
    mo = bearer("mo", roles=MODERATOR)
    assert_problem(client.post(f"{path}/restore", json={"reason": "Nothing to restore"}, headers=mo), 409)
    client.post(f"{path}/hide", json={"reason": "Spam"}, headers=mo)
    assert_problem(client.post(f"{path}/hide", json={"reason": "Spam again"}, headers=mo), 409)


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "no"}, {"reason": "x" * 501}])
def test_moderation_needs_a_reason(client, bearer, idea, body):
    assert_problem(client.post(f"/api/ideas/{idea['id']}/hide", json=body, headers=bearer("mo", roles=MODERATOR)),
                   422)
    assert client.get(f"/api/ideas/{idea['id']}").get_json()["hidden"] is None


def test_a_hidden_idea_leaves_the_lists_shows_why_on_its_page_and_takes_no_comments(client, bearer, idea):
    hide = client.post(f"/api/ideas/{idea['id']}/hide", json={"reason": "Shares a customer's account number"},
                       headers=bearer("mo", roles=MODERATOR))
    assert hide.status_code == 200

    assert idea["id"] not in {i["id"] for i in client.get("/api/ideas").get_json()["ideas"]}
    page = client.get(f"/api/ideas/{idea['id']}").get_json()
    assert (page["title"], page["description"]) == (None, None)
    assert page["hidden"]["reason"] == "Shares a customer's account number"
    staff = bearer("pat", roles=("product_team",))
    assert idea["id"] in {i["id"] for i in client.get("/api/ideas", headers=staff).get_json()["ideas"]}
    assert_problem(comment(client, bearer("bob"), idea["id"]), 409)


@pytest.mark.parametrize("roles", [("member",), ("product_team",), ("moderator",), ("admin",)])
def test_nobody_can_delete_a_comment_or_an_idea(client, bearer, idea, roles):
    posted = comment(client, bearer("bob"), idea["id"]).get_json()
    headers = bearer("someone", roles=roles)
    # No such route exists: a comment's own path has no route at all (404), an idea's has no DELETE (405).
    assert_problem(client.delete(f"/api/ideas/{idea['id']}/comments/{posted['id']}", headers=headers), 404)
    assert_problem(client.delete(f"/api/ideas/{idea['id']}", headers=headers), 405)
    assert len(thread(client, idea["id"])) == 1
    assert client.get(f"/api/ideas/{idea['id']}").status_code == 200


def test_members_and_the_product_team_cannot_hide_content(client, bearer, idea):
    for roles in (("member",), ("product_team",)):
        assert_problem(client.post(f"/api/ideas/{idea['id']}/hide", json={"reason": "I dislike it"},
                                   headers=bearer("someone", roles=roles)), 403)
    assert client.get(f"/api/ideas/{idea['id']}").get_json()["hidden"] is None


def test_ideas_are_listed_most_discussed_first(client, bearer, store, idea):
    quiet = client.post("/api/ideas", json={**IDEA, "title": "A quiet idea"}, headers=bearer("ann")).get_json()
    comment(client, bearer("bob"), idea["id"])
    for stored in store.comments.find():
        handlers.on_comments_changed(store, as_consumed(stored["outbox"][0]))

    listed = client.get("/api/ideas?sort=most_discussed").get_json()["ideas"]
    assert [i["id"] for i in listed] == [idea["id"], quiet["id"]]
