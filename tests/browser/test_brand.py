"""The bank's own lab in the browser (issue 15): a gateway configured with a brand file ("Le Lab", in a plum colour,
French by default) shows the lab under the bank's name and logo, in its colours, with its footer links and in its
language for a browser that speaks none of the lab's, and axe finds the configured colours readable on its pages."""
import json
import shutil

import pytest
import requests
from playwright.sync_api import expect

from idealab_testing import gateway_of_its_own, unique

from .conftest import ROOT, screenshot

pytestmark = pytest.mark.browser

PLUM, PLUM_DARK = "#7a1f5c", "#5a1744"
LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><circle cx="32" cy="32" r="30" fill="#7a1f5c"/></svg>'


@pytest.fixture
def branded_gateway(lab_env, running_lab):
    """A second gateway in front of the same services, with the bank's brand file beside its logo (where nginx's
    workers may read them: not in pytest's private temporary directory)."""
    namespace = unique("brand")
    brand_dir = ROOT / ".cache" / "gateway" / f"{namespace}files"
    brand_dir.mkdir(parents=True)
    (brand_dir / "logo.svg").write_text(LOGO)
    (brand_dir / "brand.json").write_text(json.dumps({
        "name": "Le Lab", "logo": "logo.svg", "default_language": "fr",
        "colours": {"brand": PLUM, "brand_dark": PLUM_DARK},
        "footer_links": [{"label": {"fr": "Confidentialité", "en": "Privacy"}, "href": "https://bank.example/privacy"},
                         {"label": "Aide", "href": "/questions"}]}))
    env = {**lab_env, "LAB_BRAND_FILE": str(brand_dir / "brand.json")}
    with gateway_of_its_own(ROOT / "deploy" / "gateway" / "run.sh", env, what="the branded gateway") as url:
        yield url
    shutil.rmtree(brand_dir)


def test_a_banks_own_lab_has_its_name_logo_colours_footer_and_language_and_stays_readable(
        chromium, branded_gateway, person, accessible):
    assert requests.get(f"{branded_gateway}/config.json", timeout=5).json()["name"] == "Le Lab"
    idea = person("Zoe").sign_in().call("POST", "/api/ideas", json={
        "title": "Un virement instantané gratuit", "description": "Entre mes comptes.", "category": "payments"}).json()
    # A browser speaking none of the lab's languages gets the lab's own, French.
    context = chromium.new_context(base_url=branded_gateway, locale="de-DE", viewport={"width": 1280, "height": 800})
    elsewhere = []
    context.on("request", lambda r: r.url.startswith((branded_gateway, "data:", "blob:")) or elsewhere.append(r.url))
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto("/")
    header = page.get_by_role("banner")
    expect(header.get_by_role("link", name="Le Lab")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page).to_have_title("Idées · Le Lab")
    assert header.locator("img.brand-logo").evaluate("img => img.complete && img.naturalWidth") == 64
    footer = page.get_by_role("navigation", name="À propos de Le Lab")
    expect(footer.get_by_role("link", name="Confidentialité")).to_have_attribute("href", "https://bank.example/privacy")
    expect(footer.get_by_role("link", name="Aide")).to_have_attribute("href", "/questions")
    button = page.locator("a.button").first
    assert button.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(122, 31, 92)"
    accessible(page, "the bank's lab: ideas")
    screenshot(page, "brand-ideas")

    page.goto(f"/ideas/{idea['id']}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Un virement instantané gratuit")
    email = page.get_by_role("region", name="Partager").get_by_role("link", name="Par e-mail")
    assert "Je%20l%E2%80%99ai%20trouv%C3%A9%20sur%20Le%20Lab" in email.get_attribute("href")
    accessible(page, "the bank's lab: an idea")
    screenshot(page, "brand-idea")
    context.close()
    assert not elsewhere, f"requests to other sites: {elsewhere}"
