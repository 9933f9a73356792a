"""Who is counted in a campaign, through the gateway (issue 12): ING Canada counted customers and employees, so an
admin grants the `employee` role in the accounts service and a campaign by role takes that member's ballot with the
token they already hold; a member a moderator bans stops counting, in the live results and in the close. The grant
and the ban are made through the API by an admin's and a moderator's own accounts (their first roles given with the
operators' command): the accounts service trusts its own tokens, the other services this lab's test signer."""
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from idealab_testing import wait_for

from .test_account_security import Person

pytestmark = pytest.mark.e2e

APPLIED_WITHIN = 20  # seconds: accounts' event through Kafka to the votes service, on two shared cores


def account(gateway, name):
    """Someone with a real account, signed in with the accounts service's own token."""
    person = Person(gateway, name).sign_in()
    person.user_id = person.http.get(f"{gateway}/api/accounts/me", timeout=10).json()["id"]
    return person


def grant(lab_env, person, role):
    done = subprocess.run([sys.executable, "-m", "accounts.cli", "grant-role", person.email, role], env=lab_env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def live(team, campaign):
    results = team.get(f"/api/votes/campaigns/{campaign}/results").json()
    return results["ballots"], {o["option_id"]: o["count"] for o in results["options"] if o["count"]}


def test_employees_granted_by_an_admin_vote_customers_may_not_and_a_banned_employee_stops_counting(
        gateway, member, lab_env):
    team = member(roles=("product_team",))
    moderator, admin = account(gateway, "Mona"), account(gateway, "Ada")
    grant(lab_env, moderator, "moderator")
    grant(lab_env, admin, "admin")
    moderator.sign_in(), admin.sign_in()  # tokens with their roles
    emma, trevor = account(gateway, "Emma"), account(gateway, "Trevor")
    employee, troll, customer = member(emma.user_id), member(trevor.user_id), member()
    # Wide enough for two role grants and a ban to reach the votes service on a loaded box before the close.
    opens = datetime.now(timezone.utc) + timedelta(seconds=2)
    created = team.post("/api/votes/campaigns", json={
        "title": {"fr": "Le choix des employés", "en": "The employees' choice"}, "description": {"en": "Staff only."},
        "options": [{"id": "food-banks", "name": "Food banks"}, {"id": "literacy", "name": "Literacy"}],
        "opens_at": opens.isoformat(), "closes_at": (opens + timedelta(seconds=75)).isoformat(),
        "rule": {"kind": "single"}, "eligibility": {"kind": "role", "role": "employee"}})
    assert created.status_code == 201, created.text
    campaign = created.json()["id"]
    ballot = f"/api/votes/campaigns/{campaign}/ballot"
    wait_for(lambda: team.get(f"/api/votes/campaigns/{campaign}").json()["state"] == "open", what="the opening")
    refused = employee.put(ballot, json={"choices": {"literacy": 1}})
    assert refused.status_code == 403 and "employee" in refused.json()["detail"]

    for person in (emma, trevor):  # the admin grants the role through the API, as staff do
        granted = admin.http.put(f"{gateway}/api/accounts/users/{person.user_id}/roles", timeout=10,
                                 json={"roles": ["member", "employee"]})
        assert granted.status_code == 200 and granted.json()["roles"] == ["member", "employee"], granted.text
    wait_for(lambda: employee.put(ballot, json={"choices": {"literacy": 1}}).status_code == 200,
             timeout=APPLIED_WITHIN, what="the employee role to reach the votes service")
    wait_for(lambda: troll.put(ballot, json={"choices": {"food-banks": 1}}).status_code == 200,
             timeout=APPLIED_WITHIN, what="the troll's role")
    assert customer.put(ballot, json={"choices": {"food-banks": 1}}).status_code == 403
    wait_for(lambda: live(team, campaign) == (2, {"literacy": 1, "food-banks": 1}), timeout=APPLIED_WITHIN,
             what="the live tally of both ballots")

    banned = moderator.post(f"/api/accounts/users/{troll.user_id}/ban", json={"reason": "ballot stuffing"})
    assert banned.status_code == 200, banned.text
    wait_for(lambda: live(team, campaign) == (1, {"literacy": 1}), timeout=APPLIED_WITHIN,
             what="the banned member's ballot to leave the live tally")

    result = wait_for(lambda: (lambda r: r if r["final"] else None)(
        team.get(f"/api/votes/campaigns/{campaign}/results").json()), timeout=120, what="the close")
    assert result["ballots"] == 1 and {o["option_id"]: o["count"] for o in result["options"]} == {
        "food-banks": 0, "literacy": 1}
    export = team.get(f"/api/votes/campaigns/{campaign}/export").json()
    assert [b["choices"] for b in export["ballot_export"]] == [{"literacy": 1}]
