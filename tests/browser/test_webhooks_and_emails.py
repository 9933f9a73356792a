"""Webhooks and email choices in the browser (issue 15): an admin registers the bank's endpoint from the account page
(the secret shown once), a public idea's status change reaches the endpoint signed, the delivery log shows it
delivered and a replay sends it again with the same webhook-id; a member chooses a daily digest for status changes,
French emails and their time zone, and finds their choices again; every screen axe-clean."""
import pytest
from playwright.sync_api import expect

from idealab_testing import WebhookReceiver

from .conftest import eventually, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def bank():
    receiver = WebhookReceiver()
    yield receiver
    receiver.close()


def test_an_admin_registers_the_banks_endpoint_reads_its_delivery_log_and_replays_a_delivery(
        signed_in, person, accessible, bank):
    page, _ = signed_in("Wanda", roles=("admin",))
    page.goto("/account")
    page.get_by_role("link", name="Webhooks for the bank's systems").click()
    expect(page.locator("h1")).to_be_focused()
    expect(page.locator("h1")).to_have_text("Webhooks")
    page.get_by_label("Address (URL)").fill(bank.url)
    page.get_by_label("Description (optional)").fill("The bank's CRM")
    page.get_by_label("An idea's status changed").check()
    accessible(page, "webhooks page")
    page.get_by_role("button", name="Register it").click()
    secret = page.get_by_test_id("webhook-secret")
    expect(secret).to_contain_text("whsec_")
    bank.secrets.append(secret.inner_text())
    expect(page.get_by_test_id("webhook-state")).to_have_text("On")

    author = person("Ada").sign_in()
    made = author.call("POST", "/api/ideas", json={"title": "Round up my payments", "description": "Into savings.",
                                                   "category": "savings"})
    assert made.status_code == 201, made.text
    idea_id = made.json()["id"]
    _, team = signed_in("Tess", roles=("product_team",))
    team.sign_in()
    eventually(lambda: team.call("GET", f"/api/roadmap/ideas/{idea_id}").status_code == 200, "the roadmap's idea")
    moved = team.call("POST", f"/api/roadmap/ideas/{idea_id}/status", json={"status": "planned", "message": "Soon."})
    assert moved.status_code == 200, moved.text
    eventually(lambda: bank.processed, "the endpoint to receive the change")
    [(webhook_id, body)] = bank.processed.items()
    assert body["data"]["idea_id"] == idea_id and bank.requests[0]["verified_by"] == bank.secrets

    page.get_by_role("button", name="Delivery log of The bank's CRM").click()
    log = page.get_by_role("region", name="Delivery log")
    expect(log.get_by_role("row").filter(has_text="Delivered")).to_have_count(1)
    accessible(page, "webhook delivery log")
    screenshot(page, "webhooks-log")
    log.get_by_role("button", name=f"Replay delivery {webhook_id}").click()
    eventually(lambda: len(bank.requests) == 2, "the replayed delivery")
    assert bank.requests[1]["id"] == webhook_id and len(bank.processed) == 1


def test_a_member_chooses_a_daily_digest_french_emails_and_their_time_zone(signed_in, accessible):
    page, _ = signed_in("Emil")
    page.goto("/account")
    choices = page.get_by_role("region", name="Emails")
    choices.get_by_label("Status changes of what I follow").select_option("daily")
    choices.get_by_label("Mentions of me").select_option("none")
    choices.get_by_label("Language of my emails").select_option("fr")
    choices.get_by_label("My time zone").fill("Europe/Paris")
    accessible(page, "account page with email choices")
    choices.get_by_role("button", name="Save my email choices").click()
    expect(choices.get_by_role("status")).to_have_text("Your email choices are saved.")

    choices.get_by_label("My time zone").fill("Mars/Olympus")
    choices.get_by_role("button", name="Save my email choices").click()
    expect(choices.get_by_label("My time zone")).to_have_attribute("aria-invalid", "true")

    page.reload()
    choices = page.get_by_role("region", name="Emails")
    expect(choices.get_by_label("Status changes of what I follow")).to_have_value("daily")
    expect(choices.get_by_label("Mentions of me")).to_have_value("none")
    expect(choices.get_by_label("Answers to me")).to_have_value("instant")
    expect(choices.get_by_label("Language of my emails")).to_have_value("fr")
    expect(choices.get_by_label("My time zone")).to_have_value("Europe/Paris")
    screenshot(page, "account-email-choices")
