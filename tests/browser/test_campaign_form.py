"""The product team sets up a campaign on the form (issue 12): its title and description in the languages it has
(here French and English, no Spanish), fixed options with a description, a link or an uploaded image, and an option standing for an
idea of the lab, given by the idea's address; a member reads the campaign in French and may share it; the form is
axe-clean."""
import re
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from .conftest import eventually, screenshot

pytestmark = pytest.mark.browser

PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)  # a PNG by its first bytes, which is what the ideas service reads


def test_the_team_writes_a_campaign_in_french_and_english_with_an_idea_of_the_lab_as_an_option(
        signed_in, person, gateway, accessible, new_context, tmp_path):
    author = person("Ada").sign_in()
    idea = author.call("POST", "/api/ideas", json={"title": "Financer les banques alimentaires",
                                                   "description": "Avec les arrondis.", "category": "savings"}).json()
    eventually(lambda: author.call("GET", f"/api/votes/ideas/{idea['id']}").status_code == 200,
               "the votes service to know the idea")
    page, team = signed_in("Tess", roles=("product_team",))
    page.goto("/campaigns/new")
    expect(page.get_by_role("heading", level=1)).to_have_text("New campaign")
    page.get_by_role("button", name="Save the campaign").click()  # no title nor description in any language
    expect(page.locator(".field-error").filter(has_text="Title:")).to_contain_text("at least one of fr, en, es")
    expect(page.locator(".field-error").filter(has_text="Description:")).to_be_visible()
    page.get_by_label("Title in French").fill("Où iront 150 000 CAD ?")
    page.get_by_label("Title in English").fill("Where should 150,000 CAD go?")
    page.get_by_label("Description in English").fill("Six charities, one choice each.")
    logo = tmp_path / "shelters.png"
    logo.write_bytes(PNG)
    page.get_by_label("Image (optional)").set_input_files(str(logo))  # the shelters' logo, uploaded and kept
    address = page.get_by_role("status").filter(has_text="Its address").locator("code")
    expect(address).to_have_text(re.compile(r"^/api/ideas/images/[0-9a-f]{32}$"))
    image = address.inner_text()
    page.get_by_label("Options").fill(
        "Literacy | Books for every child | https://example.org/literacy\n"
        f"Food banks | | {gateway}/ideas/{idea['id']}\n"
        f"Shelters | | | {image}")
    opens = (datetime.now() + timedelta(days=1)).replace(second=0, microsecond=0)  # the browser's clock is local
    page.get_by_label("Opens at").fill(opens.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Closes at").fill((opens + timedelta(weeks=3)).strftime("%Y-%m-%dT%H:%M"))
    accessible(page, "campaign form in several languages")
    screenshot(page, "campaign-form-languages")
    page.get_by_role("button", name="Save the campaign").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Where should 150,000 CAD go?")

    campaign_id = page.url.rsplit("/", 1)[1]
    campaign = team.sign_in().call("GET", f"/api/votes/campaigns/{campaign_id}").json()
    assert campaign["title"] == {"fr": "Où iront 150 000 CAD ?", "en": "Where should 150,000 CAD go?"}
    assert campaign["description"] == {"en": "Six charities, one choice each."}
    assert [(o["name"], o["description"], o["link"], o["idea_id"]) for o in campaign["options"]] == [
        ("Literacy", "Books for every child", "https://example.org/literacy", None),
        ("Food banks", "", None, idea["id"]),
        ("Shelters", "", None, None)]
    assert campaign["options"][2]["image_id"] == image.rsplit("/", 1)[1]

    french = new_context(locale="fr-FR").new_page()
    french.goto(f"/campaigns/{campaign_id}")
    expect(french.get_by_role("heading", level=1)).to_have_text("Où iront 150 000 CAD ?")
    shared = french.get_by_role("region", name="Partager").get_by_role("link", name="Partager sur X")
    expect(shared).to_have_attribute("href", re.compile(r"campaigns%2F" + campaign_id + r"&text=O%C3%B9%20iront"))
    accessible(french, "campaign in French")
