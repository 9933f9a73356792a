"""One account, one voice, through the gateway (issue 11): a campaign with a budget counts a ballot from its account's
verification (kept meanwhile, never dropped); sign-ups are limited per client address and addresses at a refused
throwaway-address domain are refused, each saying which; a burst of new accounts voting for one idea is flagged to
moderators with the evidence, and the votes still count.

Accounts are real (signed up through the gateway, verified by the link mailed to them), so the accounts service
announces them as it would in production; the votes service trusts this lab's test signer, which signs their
tokens for the same ids."""
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest
import requests

from idealab_testing import assert_problem, free_port, unique, wait_for

from .conftest import ROOT
from .test_account_security import PASSWORD, Person, tokens_mailed

pytestmark = pytest.mark.e2e

APPLIED_WITHIN = 20  # seconds: accounts' event through Kafka to the votes service, on two shared cores


def real_account(gateway, member, name, verified: bool):
    """A real account (the accounts service announces its registration), and the member using the lab with it."""
    person = Person(gateway, name).sign_in()
    user_id = person.http.get(f"{gateway}/api/accounts/me", timeout=10).json()["id"]
    if verified:
        verify(person)
    return person, member(user_id)


def verify(person) -> None:
    [token] = tokens_mailed(person.email, "verify", 1)
    assert person.post("/api/accounts/verifications", json={"token": token}).status_code == 204


def live(team, campaign):
    results = team.get(f"/api/votes/campaigns/{campaign}/results").json()
    return results["ballots"], {o["option_id"]: o["count"] for o in results["options"] if o["count"]}


def test_a_budget_campaign_counts_an_unverified_ballot_from_its_verification(gateway, member):
    team = member(roles=("product_team",))
    ann, ann_votes = real_account(gateway, member, "Ann", verified=False)
    _, bob_votes = real_account(gateway, member, "Bob", verified=True)
    opens = datetime.now(timezone.utc) + timedelta(seconds=2)
    created = team.post("/api/votes/campaigns", json={
        "title": {"en": "Where 10,000 CAD goes"}, "description": {"en": "Verified customers decide."},
        "options": [{"id": "food-banks", "name": "Food banks"}, {"id": "literacy", "name": "Literacy"}],
        "opens_at": opens.isoformat(), "closes_at": (opens + timedelta(seconds=120)).isoformat(),
        "rule": {"kind": "single"}, "budget": {"amount": 1_000_000, "currency": "CAD"}})
    assert created.status_code == 201 and created.json()["unverified_may_vote"] is False, created.text
    campaign = created.json()["id"]
    ballot = f"/api/votes/campaigns/{campaign}/ballot"
    wait_for(lambda: team.get(f"/api/votes/campaigns/{campaign}").json()["state"] == "open", what="the opening")

    wait_for(lambda: bob_votes.put(ballot, json={"choices": {"literacy": 1}}).json().get(
        "awaiting_verification") is False, timeout=APPLIED_WITHIN, what="Bob's verification to reach the votes service")
    waiting = ann_votes.put(ballot, json={"choices": {"food-banks": 1}})
    assert waiting.status_code == 200 and waiting.json()["awaiting_verification"] is True
    wait_for(lambda: live(team, campaign) == (1, {"literacy": 1}), timeout=APPLIED_WITHIN, what="Bob's ballot counted")
    assert ann_votes.get(ballot).json()["choices"] == {"food-banks": 1}  # kept, not counted

    verify(ann)

    wait_for(lambda: live(team, campaign) == (2, {"literacy": 1, "food-banks": 1}), timeout=APPLIED_WITHIN,
             what="Ann's ballot to count from her verification")
    assert ann_votes.get(ballot).json()["awaiting_verification"] is False


def test_an_address_at_a_refused_domain_is_a_422_saying_which(gateway):
    refused = requests.post(f"{gateway}/api/accounts/users", timeout=10, json={
        "email": f"{unique('bot')}@mx.throwaway.example", "password": PASSWORD, "display_name": "Bot"})
    assert "throwaway.example" in str(assert_problem(refused, 422))


@pytest.fixture(scope="module")
def strict_accounts(lab_env, gateway_script):
    """An accounts API of its own (its own database) allowing 3 sign-ups an hour per client address, behind a
    gateway of its own: the shared lab raises the limit for the tests signing many people up."""
    env = {**lab_env, "IDEALAB_NAMESPACE": unique("signups"), "ACCOUNTS_PORT": str(free_port()),
           "GATEWAY_PORT": str(free_port()), "LIVE_PORT": str(free_port()), "SIGN_UPS_PER_CLIENT": "3"}
    api = subprocess.Popen(["gunicorn", "-c", "deploy/gunicorn.conf.py", "-b", f"127.0.0.1:{env['ACCOUNTS_PORT']}",
                            "accounts.wsgi:app"], env=env, cwd=ROOT,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    gateway = subprocess.Popen(["bash", str(gateway_script)], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{env['GATEWAY_PORT']}"

    def answers():
        try:
            return requests.get(f"{url}/api/accounts/readyz", timeout=2).status_code == 200
        except requests.ConnectionError:
            return False
    try:
        wait_for(answers, what="the strict accounts service")
        yield url
    finally:
        for process in (gateway, api):
            process.terminate()
            process.wait(timeout=10)


def test_sign_ups_from_one_address_are_limited_with_a_429_saying_so(strict_accounts):
    def sign_up():
        return requests.post(f"{strict_accounts}/api/accounts/users", timeout=10, json={
            "email": f"{unique('new')}@example.com", "password": PASSWORD, "display_name": "New"})
    assert [sign_up().status_code for _ in range(3)] == [201] * 3
    refused = sign_up()
    problem = assert_problem(refused, 429)
    assert "new accounts from this address" in problem["detail"] and int(refused.headers["Retry-After"]) >= 1


def test_a_burst_of_new_accounts_voting_for_one_idea_is_flagged_with_the_evidence(gateway, member):
    author, moderator = member(), member(roles=("moderator",))
    submitted = author.post("/api/ideas", json={"title": "Round up card payments into savings",
                                                "description": "Every purchase rounds up to the next dollar.",
                                                "category": "savings"})
    assert submitted.status_code == 201, submitted.text
    idea = submitted.json()["id"]
    voters = [real_account(gateway, member, f"Fresh{n}", verified=False)[1] for n in range(5)]  # BURST_ACCOUNTS=5
    for voter in voters:
        wait_for(lambda: voter.post(f"/api/votes/ideas/{idea}").status_code == 201, timeout=APPLIED_WITHIN,
                 what="the idea to reach the votes service")

    def flagged():
        return next((f for f in moderator.get("/api/votes/flags").json()["flags"] if f["idea_id"] == idea), None)
    flag = wait_for(flagged, timeout=APPLIED_WITHIN, what="the burst flagged")
    assert sorted(e["voter_id"] for e in flag["evidence"]) == sorted(v.user_id for v in voters)
    assert all(e["registered_at"] and e["cast_at"] and e["voted"] == {"idea_id": idea} for e in flag["evidence"])
    assert wait_for(lambda: author.get(f"/api/votes/ideas/{idea}").json()["count"] == 5, timeout=APPLIED_WITHIN,
                    what="every vote counted")
    assert author.get("/api/votes/flags").status_code == 403


def test_a_space_that_counts_verified_accounts_counts_a_vote_from_its_verification(gateway, member, lab_env):
    """The space's rule goes from accounts (its admin's choice, in space.created) to the votes service."""
    admin = Person(gateway, "Ada")
    granted = subprocess.run([sys.executable, "-m", "accounts.cli", "grant-role", admin.email, "admin"], env=lab_env,
                             capture_output=True, text=True, timeout=60)
    assert granted.returncode == 0, granted.stderr
    made = admin.sign_in().post("/api/accounts/spaces", json={"name": "Donation panel", "unverified_may_vote": False})
    assert made.status_code == 201 and made.json()["unverified_may_vote"] is False, made.text
    panel = made.json()["id"]
    author = member(spaces=(panel,))
    submitted = author.post("/api/ideas", json={"title": "Give to the food bank", "description": "Near the branch.",
                                                "category": "community", "space": panel})
    assert submitted.status_code == 201, submitted.text
    idea = submitted.json()["id"]
    cy, cy_votes = real_account(gateway, member, "Cy", verified=False)
    cy_votes = member(cy_votes.user_id, spaces=(panel,))

    vote = wait_for(lambda: (r := cy_votes.post(f"/api/votes/ideas/{idea}")).status_code == 201 and r,
                    timeout=APPLIED_WITHIN, what="the panel's idea to reach the votes service")
    assert vote.json()["awaiting_verification"] is True, "the space's rule had not reached the votes service"
    assert author.get(f"/api/votes/ideas/{idea}").json()["count"] == 0

    verify(cy)

    wait_for(lambda: author.get(f"/api/votes/ideas/{idea}").json()["count"] == 1, timeout=APPLIED_WITHIN,
             what="Cy's vote to count from the verification")
