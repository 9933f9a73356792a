"""The moderation queue and mentions through the gateway, with every process running (issue 13).

Members flag with a listed reason (criticism of the bank is refused, the allowed reasons named); three members' flags
hide an idea pending review with a notice anyone reads; moderators uphold or dismiss from the queue and the audit log
keeps every step; a member whose flags are dismissed three times loses the right to flag; an author upheld three
times as abuse is proposed for a ban. A comment's @name tells that member once, only if they may see it: a mention in
a private space tells no outsider, and a private thread's words tell no one."""
import subprocess
import sys
import uuid

import pytest
from pymongo import MongoClient

from idealab_testing import assert_problem, unique, wait_for

from .test_account_security import Person, tokens_mailed

pytestmark = pytest.mark.e2e

IDEA = {"title": "Fees on transfers abroad", "description": "Your fees are far too high.", "category": "fees"}


def created(response) -> dict:
    assert response.status_code == 201, response.text
    return response.json()


def test_flags_hide_pending_review_and_moderators_uphold_or_dismiss_with_everything_audited(member):
    author, troll = member(), member()
    flaggers = [member() for _ in range(3)]
    moderator = member(roles=("moderator",))
    anonymous = member()
    anonymous.session.headers.pop("Authorization")
    criticism = created(author.post("/api/ideas", json=IDEA))
    insult = created(troll.post("/api/ideas", json={**IDEA, "title": "You are all crooks and idiots"}))

    refused = flaggers[0].post(f"/api/ideas/{criticism['id']}/flags", json={"reason": "criticism of the bank"})
    problem = assert_problem(refused, 422)
    assert "abuse, personal_data, spam, off_topic, illegal" in str(problem["errors"]["reason"])

    for flagger in flaggers:
        created(flagger.post(f"/api/ideas/{criticism['id']}/flags", json={"reason": "off_topic"}))
        created(flagger.post(f"/api/ideas/{insult['id']}/flags", json={"reason": "abuse"}))
    shown = anonymous.get(f"/api/ideas/{criticism['id']}").json()
    assert shown["title"] is None and shown["hidden"]["pending_review"] is True
    assert criticism["id"] not in anonymous.get("/api/ideas").text
    assert_problem(flaggers[0].get("/api/ideas/moderation/reports"), 403)
    reports = {r["item_id"]: r for r in moderator.get("/api/ideas/moderation/reports").json()["reports"]}
    assert reports[criticism["id"]]["flags"] == 3 and reports[criticism["id"]]["pending_review"] is True

    dismissed = moderator.post(f"/api/ideas/moderation/reports/{reports[criticism['id']]['id']}/dismiss",
                               json={"note": "Criticism of the bank is welcome here"})
    upheld = moderator.post(f"/api/ideas/moderation/reports/{reports[insult['id']]['id']}/uphold",
                            json={"reason": "abuse", "note": "Insults"})

    assert dismissed.status_code == 200 and upheld.status_code == 200
    # Anonymous reads may be kept a second by the gateway's cache.
    wait_for(lambda: anonymous.get(f"/api/ideas/{criticism['id']}").json()["title"] == IDEA["title"], timeout=10,
             what="the dismissed idea shown again")
    hidden = anonymous.get(f"/api/ideas/{insult['id']}").json()
    assert hidden["title"] is None and hidden["hidden"]["reason"] == "Abuse: Insults"
    audit = moderator.get(f"/api/ideas/{criticism['id']}").json()["moderation"]
    assert [m["action"] for m in audit] == ["flag", "flag", "flag", "hide_pending_review", "dismiss"]
    assert audit[-1]["by"] == moderator.user_id
    assert "moderation" not in anonymous.get(f"/api/ideas/{insult['id']}").json()

    # Two more dismissals of the same member's flags take their right to flag away for a while.
    for _ in range(2):
        idea = created(author.post("/api/ideas", json={**IDEA, "title": "Cheaper fees abroad, please"}))
        created(flaggers[0].post(f"/api/ideas/{idea['id']}/flags", json={"reason": "spam"}))
        report = next(r for r in moderator.get("/api/ideas/moderation/reports").json()["reports"]
                      if r["item_id"] == idea["id"])
        assert moderator.post(f"/api/ideas/moderation/reports/{report['id']}/dismiss", json={}).status_code == 200
    assert "flag again" in assert_problem(flaggers[0].post(f"/api/ideas/{idea['id']}/flags",
                                                           json={"reason": "spam"}), 403)["detail"]
    assert flaggers[0].get("/api/ideas/me/flag-right").json()["may_flag"] is False
    assert flaggers[1].get("/api/ideas/me/flag-right").json()["may_flag"] is True

    # Upheld as abuse three times: proposed for a ban, to moderators only; the ban stays theirs to decide.
    for _ in range(2):
        again = created(troll.post("/api/ideas", json={**IDEA, "title": "Crooks, all of you, again"}))
        created(flaggers[1].post(f"/api/ideas/{again['id']}/flags", json={"reason": "abuse"}))
        report = next(r for r in moderator.get("/api/ideas/moderation/reports").json()["reports"]
                      if r["item_id"] == again["id"])
        moderator.post(f"/api/ideas/moderation/reports/{report['id']}/uphold", json={"reason": "abuse"})
    proposals = moderator.get("/api/ideas/moderation/ban-proposals").json()["proposals"]
    assert [(p["member_id"], p["upheld_abuse"]) for p in proposals] == [(troll.user_id, 3)]
    assert_problem(author.get("/api/ideas/moderation/ban-proposals"), 403)


def person(gateway: str, name: str, email: str | None = None) -> tuple[Person, str]:
    """Someone with an account (and so a display name) made through the gateway, signed in, and their id."""
    someone = Person(gateway, name, email).sign_in()
    return someone, someone.http.get(gateway + "/api/accounts/me", timeout=10).json()["id"]


def mentions_of(member_session, user_id: str) -> list[dict]:
    entries = member_session.get(f"/api/notifications/users/{user_id}/inbox").json()["entries"]
    return [e for e in entries if e["kind"] == "comment.mentioned"]


def test_a_mention_tells_the_member_once_only_where_they_may_see_it(gateway, lab_env, member):
    tag = uuid.uuid4().hex[:8]
    root, _ = person(gateway, "Root")
    granted = subprocess.run([sys.executable, "-m", "accounts.cli", "grant-role", root.email, "admin"], env=lab_env,
                             capture_output=True, text=True, timeout=60)
    assert granted.returncode == 0, granted.stderr
    root.sign_in()
    space = root.post("/api/accounts/spaces", json={"name": "Savings panel"}).json()["id"]
    guest_email = f"{unique('ines')}@example.com"
    assert root.post(f"/api/accounts/spaces/{space}/invitations", json={"email": guest_email}).status_code == 202
    [token] = tokens_mailed(guest_email, "invitations", 1)
    ines, ines_id = person(gateway, f"Ines Insider{tag}", guest_email)
    assert ines.post("/api/accounts/invitations/accept", json={"token": token}).status_code == 200
    _, otto_id = person(gateway, f"Otto Outsider{tag}", f"{unique('otto')}@example.com")
    # The ideas service learns names and memberships from accounts' events: wait until it has.
    with MongoClient(lab_env["MONGODB_URI"]) as client:
        directory = client[f"{lab_env['IDEALAB_NAMESPACE']}idealab_ideas"]["member_directory"]
        wait_for(lambda: directory.find_one({"_id": ines_id, f"spaces.{space}.added_at": {"$exists": True}})
                 and directory.find_one({"_id": otto_id, "handle": {"$exists": True}}),
                 what="the ideas directory to know both members and the panel's", timeout=90)
    # Their sessions on the other services (this lab trusts the test signer's tokens, as every e2e test does).
    ines_lab, otto_lab = member(ines_id, spaces=(space,)), member(otto_id)
    panelist, team, commenter = member(spaces=(space,)), member(roles=("product_team",)), member()

    panel_idea = created(panelist.post("/api/ideas", json={**IDEA, "title": f"Panel savings goals {tag}",
                                                          "space": space}))
    public_idea = created(commenter.post("/api/ideas", json=IDEA))
    created(team.post(f"/api/ideas/{public_idea['id']}/private-replies",
                      json={"text": f"Ask @OttoOutsider{tag} and @InesInsider{tag}"}))
    created(panelist.post(f"/api/ideas/{panel_idea['id']}/comments",
                          json={"text": f"@InesInsider{tag} @OttoOutsider{tag} what do you think? @InesInsider{tag}"}))
    created(commenter.post(f"/api/ideas/{public_idea['id']}/comments", json={"text": f"@ottooutsider{tag} agreed"}))

    [to_ines] = wait_for(lambda: mentions_of(ines_lab, ines_id), what="Ines told of her mention", timeout=90)
    [to_otto] = wait_for(lambda: mentions_of(otto_lab, otto_id), what="Otto told of his public mention", timeout=90)
    assert to_ines["path"].startswith(f"/ideas/{panel_idea['id']}")
    assert to_otto["path"].startswith(f"/ideas/{public_idea['id']}")  # not the panel's, nor the private thread
    assert tag not in otto_lab.get(f"/api/notifications/users/{otto_id}/inbox").text
    # The panel's idea stays out of Otto's reach in the lab too.
    assert otto_lab.get(f"/api/ideas/{panel_idea['id']}").status_code == 404
