"""The moderation queue over HTTP: members flag with a listed reason, distinct members' flags hide an item pending
review with a notice, moderators uphold or dismiss from the queue, the audit log keeps every step, members whose
flags are dismissed again and again lose the right to flag, and authors upheld as abuse again and again are proposed
for a ban."""
from datetime import datetime, timedelta, timezone

import pytest

from idealab.events import new_event
from idealab_testing import as_consumed, assert_problem
from ideas import handlers
from ideas.moderation import Policy

pytestmark = pytest.mark.integration

IDEA = {"title": "Freeze my card from the app", "description": "And unfreeze it.", "category": "cards"}
MODERATOR = ("moderator",)
NOW = datetime.now(timezone.utc)
POLICY = Policy(flags_to_hide=3, dismissals_to_suspend=2, suspension=timedelta(days=7),
                upheld_abuse_to_propose_ban=2, window=timedelta(days=90))


@pytest.fixture(autouse=True)
def policy(app):
    app.extensions["ideas.moderation"] = POLICY


@pytest.fixture
def mo(bearer):
    return bearer("mo", roles=MODERATOR)


def posted(response) -> dict:
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def new_idea(client, bearer, author="ann", spaces=(), **extra) -> dict:
    return posted(client.post("/api/ideas", json={**IDEA, **extra}, headers=bearer(author, spaces=spaces)))


def flag(client, bearer, path, who, reason="abuse"):
    return client.post(f"{path}/flags", json={"reason": reason}, headers=bearer(who))


def queue(client, headers) -> list[dict]:
    response = client.get("/api/ideas/moderation/reports", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["reports"]


def test_criticism_of_the_bank_is_refused_as_a_reason_with_the_allowed_ones_named(client, bearer, mo):
    idea = new_idea(client, bearer)
    for reason in ("criticism of the bank", "criticism", None):
        problem = assert_problem(flag(client, bearer, f"/api/ideas/{idea['id']}", "bob", reason), 422)
        assert "abuse, personal_data, spam, off_topic, illegal" in str(problem["errors"]["reason"])
    assert queue(client, mo) == []


def test_three_distinct_members_hide_an_idea_pending_review_and_repeats_do_not_count(client, bearer, store, mo):
    idea = new_idea(client, bearer)
    path = f"/api/ideas/{idea['id']}"
    assert posted(flag(client, bearer, path, "bob"))["hidden_pending_review"] is False
    again = flag(client, bearer, path, "bob", "spam")
    assert again.status_code == 200 and again.get_json()["reason"] == "abuse"  # the first flag stands
    posted(flag(client, bearer, path, "cat", "spam"))
    assert client.get(path).get_json()["hidden"] is None  # two members: still shown

    third = posted(flag(client, bearer, path, "dan"))

    assert third["hidden_pending_review"] is True
    shown = client.get(path).get_json()
    assert shown["title"] is None and shown["hidden"]["pending_review"] is True
    assert "review" in shown["hidden"]["reason"]
    assert idea["id"] not in [i["id"] for i in client.get("/api/ideas").get_json()["ideas"]]
    [report] = queue(client, mo)
    assert (report["kind"], report["item_id"], report["flags"], report["pending_review"]) == (
        "idea", idea["id"], 3, True)
    assert report["reasons"] == {"abuse": 2, "spam": 1} and report["item"]["title"] == IDEA["title"]
    events = [as_consumed(e).type for e in store.ideas.find_one({"_id": idea["id"]})["outbox"]]
    assert events[-1] == "idea.hidden"


def test_a_moderator_upholds_with_a_listed_reason_and_the_audit_log_keeps_every_step(client, bearer, mo):
    idea = new_idea(client, bearer)
    comment = posted(client.post(f"/api/ideas/{idea['id']}/comments", json={"text": "You are all idiots."},
                                 headers=bearer("eve")))
    path = f"/api/ideas/{idea['id']}/comments/{comment['id']}"
    for who in ("bob", "cat"):
        posted(flag(client, bearer, path, who))
    [report] = queue(client, mo)
    assert report["pending_review"] is False and report["idea_id"] == idea["id"]

    refused = client.post(f"/api/ideas/moderation/reports/{report['id']}/uphold",
                          json={"reason": "criticism of the bank"}, headers=mo)
    assert_problem(refused, 422)
    decided = client.post(f"/api/ideas/moderation/reports/{report['id']}/uphold",
                          json={"reason": "abuse", "note": "Insults other members"}, headers=mo)

    assert decided.status_code == 200, decided.get_json()
    assert queue(client, mo) == []
    [public] = client.get(f"/api/ideas/{idea['id']}/comments").get_json()["comments"]
    assert public["text"] is None and public["hidden"] == {
        "reason": "Abuse: Insults other members", "category": "abuse", "note": "Insults other members",
        "at": public["hidden"]["at"]}
    [staff_view] = client.get(f"/api/ideas/{idea['id']}/comments", headers=mo).get_json()["comments"]
    assert [(m["action"], m["by"]) for m in staff_view["moderation"]] == [
        ("flag", "bob"), ("flag", "cat"), ("uphold", "mo")]
    assert_problem(client.post(f"/api/ideas/moderation/reports/{report['id']}/dismiss", json={}, headers=mo), 404)


def test_dismissing_shows_the_item_again_and_the_audit_log_says_who_and_why(client, bearer, mo):
    question = posted(client.post("/api/ideas/questions", json={"title": "Why are your fees so high?",
                                                                "body": "Your bank is too expensive."},
                                  headers=bearer("ann")))
    path = f"/api/ideas/questions/{question['id']}"
    for who in ("bob", "cat", "dan"):
        posted(flag(client, bearer, path, who, "off_topic"))
    assert client.get(path).get_json()["hidden"]["pending_review"] is True
    [report] = queue(client, mo)

    decided = client.post(f"/api/ideas/moderation/reports/{report['id']}/dismiss",
                          json={"note": "Criticism of the bank is welcome"}, headers=mo)

    assert decided.status_code == 200 and decided.get_json()["hidden"] is None
    shown = client.get(path).get_json()
    assert shown["hidden"] is None and shown["title"] == "Why are your fees so high?"
    audit = client.get(path, headers=mo).get_json()["moderation"]
    assert [m["action"] for m in audit] == ["flag", "flag", "flag", "hide_pending_review", "dismiss"]
    assert audit[-1]["reason"] == "Criticism of the bank is welcome" and audit[-1]["by"] == "mo"
    # A new round needs new members: those already heard do not count twice.
    assert flag(client, bearer, path, "bob").status_code == 200
    assert queue(client, mo)[0]["flags"] == 1 and client.get(path).get_json()["hidden"] is None


def test_a_member_whose_flags_are_dismissed_twice_may_not_flag_for_a_while(client, bearer, mo):
    assert client.get("/api/ideas/me/flag-right", headers=bearer("bob")).get_json() == {"may_flag": True,
                                                                                          "until": None}
    for _ in range(2):
        idea = new_idea(client, bearer)
        posted(flag(client, bearer, f"/api/ideas/{idea['id']}", "bob", "spam"))
        [report] = queue(client, mo)
        assert client.post(f"/api/ideas/moderation/reports/{report['id']}/dismiss", json={},
                           headers=mo).status_code == 200
    idea = new_idea(client, bearer)

    refused = flag(client, bearer, f"/api/ideas/{idea['id']}", "bob", "spam")

    assert "flag again" in assert_problem(refused, 403)["detail"]
    right = client.get("/api/ideas/me/flag-right", headers=bearer("bob")).get_json()
    assert right["may_flag"] is False and right["until"]
    assert posted(flag(client, bearer, f"/api/ideas/{idea['id']}", "cat", "spam"))  # others still may


def test_an_author_upheld_twice_as_abuse_is_proposed_for_a_ban_to_moderators_only(client, bearer, mo, store):
    store.directory.registered("eve", "Eve Troll", "evetroll")
    for reason in ("abuse", "spam", "abuse"):
        idea = new_idea(client, bearer, author="eve")
        posted(flag(client, bearer, f"/api/ideas/{idea['id']}", "bob"))
        [report] = queue(client, mo)
        client.post(f"/api/ideas/moderation/reports/{report['id']}/uphold", json={"reason": reason}, headers=mo)

    [proposal] = client.get("/api/ideas/moderation/ban-proposals", headers=mo).get_json()["proposals"]

    assert (proposal["member_id"], proposal["display_name"], proposal["upheld_abuse"]) == ("eve", "Eve Troll", 2)
    assert_problem(client.get("/api/ideas/moderation/ban-proposals", headers=bearer("bob")), 403)
    assert_problem(client.get("/api/ideas/moderation/reports", headers=bearer("bob")), 403)
    store.directory.banned_now("eve")  # a moderator banned her (accounts' user.banned)
    assert client.get("/api/ideas/moderation/ban-proposals", headers=mo).get_json()["proposals"] == []


def test_no_one_flags_their_own_content_or_content_they_cannot_see(client, bearer):
    idea = new_idea(client, bearer)
    assert_problem(flag(client, bearer, f"/api/ideas/{idea['id']}", "ann"), 409)
    panel = new_idea(client, bearer, author="pam", spaces=("panel",), space="panel")
    bearer_outsider = bearer("bob")
    assert_problem(client.post(f"/api/ideas/{panel['id']}/flags", json={"reason": "spam"},
                               headers=bearer_outsider), 404)
    assert_problem(flag(client, bearer, "/api/ideas/questions/nope", "bob"), 404)


def test_my_flags_are_in_my_data_and_an_erased_member_is_detached_from_every_moderation_record(
        client, bearer, store, mo):
    idea = new_idea(client, bearer, author="eve")
    for who in ("bob", "cat", "dan"):
        posted(flag(client, bearer, f"/api/ideas/{idea['id']}", who))
    [mine] = client.get("/api/ideas/me/data", headers=bearer("bob")).get_json()["flags"]
    assert (mine["report_id"], mine["reason"], mine["outcome"]) == (f"idea:{idea['id']}", "abuse", None)
    [report] = queue(client, mo)
    client.post(f"/api/ideas/moderation/reports/{report['id']}/uphold", json={"reason": "abuse"}, headers=mo)

    for gone in ("bob", "eve"):
        handlers.on_user_deleted(store, as_consumed(new_event("user.deleted", {"user_id": gone, "deleted_at": NOW},
                                                              source="/accounts", subject=gone)))

    held = str([list(c.find()) for c in (store.moderation.flags, store.moderation.reports, store.moderation.reviews)])
    assert "'bob'" not in held and "'eve'" not in held
    audit = client.get(f"/api/ideas/{idea['id']}", headers=mo).get_json()["moderation"]
    assert [m["by"] for m in audit if m["action"] == "flag"] == [None, "cat", "dan"]
    assert client.get("/api/ideas/me/data", headers=bearer("bob")).get_json()["flags"] == []


def test_members_flagging_at_once_are_each_counted_and_the_item_is_hidden_once(app, bearer, store, mo):
    from concurrent.futures import ThreadPoolExecutor
    client = app.test_client()
    idea = new_idea(client, bearer)
    members = [f"m{i}" for i in range(8)]

    def flag_as(who: str) -> int:
        return app.test_client().post(f"/api/ideas/{idea['id']}/flags", json={"reason": "spam"},
                                      headers=bearer(who)).status_code

    with ThreadPoolExecutor(8) as pool:
        assert sorted(pool.map(flag_as, members)) == [201] * 8

    [report] = queue(client, mo)
    assert report["flags"] == 8 and report["pending_review"] is True
    audit = client.get(f"/api/ideas/{idea['id']}", headers=mo).get_json()["moderation"]
    assert sorted(m["by"] for m in audit if m["action"] == "flag") == members
    assert [m["action"] for m in audit].count("hide_pending_review") == 1


def test_a_moderator_hides_a_question_for_a_listed_reason_and_restores_it_with_the_audit_log_saying_so(
        client, bearer, mo):
    question = posted(client.post("/api/ideas/questions", json={"title": "Call me at 06 12 34 56 78",
                                                                "body": "About my loan."}, headers=bearer("ann")))
    path = f"/api/ideas/questions/{question['id']}"
    assert_problem(client.post(f"{path}/hide", json={"reason": "criticism of the bank"}, headers=mo), 422)
    assert_problem(client.post(f"{path}/hide", json={"reason": "personal_data"}, headers=bearer("bob")), 403)

    hidden = client.post(f"{path}/hide", json={"reason": "personal_data", "note": "A phone number"}, headers=mo)

    assert hidden.status_code == 200, hidden.get_json()
    assert client.get(path).get_json()["hidden"]["category"] == "personal_data"
    assert_problem(client.post(f"{path}/hide", json={"reason": "spam"}, headers=mo), 409)
    assert client.post(f"{path}/restore", json={"reason": "The number was the bank's"}, headers=mo).status_code == 200
    assert client.get(path).get_json()["title"] == "Call me at 06 12 34 56 78"
    assert_problem(client.post(f"{path}/restore", json={"reason": "Again"}, headers=mo), 409)
    audit = client.get(path, headers=mo).get_json()["moderation"]
    assert [(m["action"], m["by"]) for m in audit] == [("hide", "mo"), ("restore", "mo")]
