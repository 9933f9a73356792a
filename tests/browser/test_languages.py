"""French, English and Spanish: from the browser's language, switchable, remembered; dates and numbers localised."""
import re

import pytest
from playwright.sync_api import expect

from .conftest import screenshot

pytestmark = pytest.mark.browser


def test_the_browser_language_is_the_first_choice(new_context):
    page = new_context(locale="fr-FR").new_page()
    page.goto("/roadmap")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Feuille de route")
    expect(page.get_by_role("navigation", name="Principal").get_by_role("link", name="Idées")).to_be_visible()
    expect(page).to_have_title(re.compile("^Feuille de route"))


def test_a_member_switches_to_french_then_spanish_and_the_choice_is_kept(page, accessible):
    page.goto("/sign-in")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")

    page.get_by_label("Language").select_option("fr")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")
    expect(page.get_by_label("Mot de passe")).to_be_visible()
    accessible(page, "sign-in page in French")
    screenshot(page, "sign-in-fr")

    page.get_by_role("link", name="Feuille de route").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Feuille de route")
    expect(page.get_by_role("region", name=re.compile("^Prévue"))).to_be_visible()

    page.get_by_label("Langue").select_option("es")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hoja de ruta")
    expect(page.get_by_role("region", name=re.compile("^Planificada"))).to_be_visible()
    screenshot(page, "roadmap-es")

    page.reload()  # kept across visits
    expect(page.get_by_role("heading", level=1)).to_have_text("Hoja de ruta")
    expect(page.get_by_role("link", name="Compartir una idea")).to_be_visible()


def test_dates_follow_the_language(page, person):
    author = person("Dora").sign_in()
    made = author.call("POST", "/api/ideas", json={"title": "Round up my card payments into savings",
                                                   "description": "Spare change saved.", "category": "savings"})
    assert made.status_code == 201, made.text
    page.goto(f"/ideas/{made.json()['id']}")
    page.get_by_label("Language").select_option("fr")
    shown = page.locator(".meta").inner_text()
    expected = page.evaluate(
        "iso => new Intl.DateTimeFormat('fr', {dateStyle: 'medium', timeStyle: 'short'}).format(new Date(iso))",
        made.json()["submitted_at"])
    assert f"Proposée le {expected}" in shown
    page.get_by_label("Langue").select_option("en")  # the browser says en-GB: British dates, day first
    expected = page.evaluate(
        "iso => new Intl.DateTimeFormat('en-GB', {dateStyle: 'medium', timeStyle: 'short'}).format(new Date(iso))",
        made.json()["submitted_at"])
    assert f"Shared on {expected}" in page.locator(".meta").inner_text()
    assert "Épargne" in shown


def test_refused_fields_are_explained_in_the_members_language(signed_in):
    page, _ = signed_in("Fay")
    page.get_by_label("Language").select_option("es")
    page.goto("/submit")
    page.get_by_role("button", name="Compartir mi idea").click()
    expect(page.locator("#field-title-error")).to_have_text("Entre 5 y 140 caracteres.")
    expect(page.locator("#field-category-error")).to_have_text("Elige una opción.")
    page.get_by_label("Idioma").select_option("fr")
    expect(page.locator("#field-title-error")).to_have_text("Entre 5 et 140 caractères.")
