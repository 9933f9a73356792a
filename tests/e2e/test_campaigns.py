"""The ING Canada campaign through the gateway over HTTP (issue 12): six charities, ballots from customers and
employees, the votes worker closes it on time by itself, the budget is split to the cent, every voter is notified
(inbox and email), and the export recounts to the published counts and digest with the shipped script."""
import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from idealab_testing import announce_verified, mails_in_log, wait_for

from .conftest import LAB_LOG

pytestmark = pytest.mark.e2e

CHARITIES = ["food-banks", "literacy", "shelters", "youth-sport", "seniors", "urban-trees"]
BUDGET = 15_000_000  # 150,000.00 CAD in cents


def verify_addresses(servers, lab_env, people) -> None:
    """Their verified addresses, as the accounts service announces them (the tokens here are signed by the tests)."""
    announce_verified(servers.kafka, lab_env["IDEALAB_NAMESPACE"], [p.user_id for p in people])


def test_ing_canada_splits_150000_cad_among_six_charities_by_the_votes_of_customers_and_employees(
        member, servers, lab_env, tmp_path):
    team = member(roles=("product_team",))
    customers = [member() for _ in range(5)]
    employees = [member(roles=("member", "employee")) for _ in range(3)]
    verify_addresses(servers, lab_env, [*customers, *employees])
    opens = datetime.now(timezone.utc) + timedelta(seconds=3)
    created = team.post("/api/votes/campaigns", json={
        "title": {"en": "ING Canada gives back", "fr": "ING Canada redonne"},
        "description": {"en": "Three weeks to choose where 150,000 CAD goes."},
        "options": [{"id": c, "name": c.replace("-", " ").title(), "link": f"https://example.org/{c}"}
                    for c in CHARITIES],
        "opens_at": opens.isoformat(), "closes_at": (opens + timedelta(seconds=12)).isoformat(),
        "rule": {"kind": "single"}, "budget": {"amount": BUDGET, "currency": "CAD"}})
    assert created.status_code == 201, created.text
    campaign = created.json()["id"]
    ballot = f"/api/votes/campaigns/{campaign}/ballot"

    early = customers[0].put(ballot, json={"choices": {"literacy": 1}})
    assert early.status_code == 409 and early.headers["Content-Type"].startswith("application/problem+json")
    wait_for(lambda: team.get(f"/api/votes/campaigns/{campaign}").json()["state"] == "open", what="the opening")
    choices = ["food-banks", "food-banks", "literacy", "shelters", "food-banks", "literacy", "urban-trees", "seniors"]
    for person, option in zip([*customers, *employees], choices):
        answer = person.put(ballot, json={"choices": {option: 1}})
        assert answer.status_code == 200, answer.text
    changed = employees[-1].put(ballot, json={"choices": {"youth-sport": 1}})  # seniors → youth sport
    assert changed.status_code == 200 and employees[-1].get(ballot).json()["choices"] == {"youth-sport": 1}
    bad = customers[1].put(ballot, json={"choices": {"food-banks": 1, "literacy": 1}})
    assert bad.status_code == 422 and "choices" in bad.json()["errors"]

    result = wait_for(lambda: (lambda r: r if r["final"] else None)(
        team.get(f"/api/votes/campaigns/{campaign}/results").json()), timeout=60, what="the worker to close it")
    late = customers[0].put(ballot, json={"choices": {"literacy": 1}})
    assert late.status_code == 409
    counts = {o["option_id"]: o["count"] for o in result["options"]}
    assert counts == {"food-banks": 3, "literacy": 2, "shelters": 1, "youth-sport": 1, "seniors": 0,
                      "urban-trees": 1}
    amounts = {o["option_id"]: o["amount"] for o in result["options"]}
    assert sum(amounts.values()) == BUDGET and amounts["food-banks"] == 5_625_000 and amounts["seniors"] == 0
    assert result["ballots"] == 8 and "largest remainder" in result["split_rule"]

    for person in [*customers, *employees]:
        entries = wait_for(lambda: [e for e in person.get(f"/api/notifications/users/{person.user_id}/inbox")
                                    .json()["entries"] if e["kind"] == "campaign.closed"],
                           timeout=60, what=f"{person.user_id}'s inbox")
        assert len(entries) == 1 and "Food Banks: 3, 56,250.00 CAD" in entries[0]["message"]
        wait_for(lambda: mails_in_log(LAB_LOG, f"{person.user_id}@example.com"), timeout=60,
                 what=f"{person.user_id}'s email")
    assert [e for e in team.get(f"/api/notifications/users/{team.user_id}/inbox").json()["entries"]
            if e["kind"] == "campaign.closed"] == []  # staff who did not vote hear nothing

    export = tmp_path / "ing-canada.json"
    export.write_text(customers[0].get(f"/api/votes/campaigns/{campaign}/export").text)
    assert json.loads(export.read_text())["digest"] == result["digest"]
    csv_export = tmp_path / "ing-canada.csv"
    csv_export.write_text(customers[0].get(f"/api/votes/campaigns/{campaign}/export?format=csv").text)
    for args in ([str(export)], [str(csv_export), "--digest", result["digest"]]):
        check = subprocess.run([sys.executable, "-m", "votes.verify_campaign", *args], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        assert json.loads(check.stdout)["digest"] == result["digest"]
