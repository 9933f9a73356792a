"""The response-time promise in the browser (issue 13): a member asks in Spanish; an adviser finds the question in
the team's queue with its due time and language, takes it on with the keyboard, and the queue then shows the answer
it owes; a member is told the queue is the team's; anyone reads the promise's figures, in English, French and
Spanish; a member asks in the language they choose; the product team sets a panel's targets; every screen axe-clean."""
import uuid

import pytest
from playwright.sync_api import expect

from .conftest import eventually, screenshot

pytestmark = pytest.mark.browser


def test_an_adviser_takes_a_question_on_from_the_queue_and_anyone_reads_the_figures(signed_in, person, page,
                                                                                      accessible):
    mona = person("Mona").sign_in()
    asked = mona.call("POST", "/api/ideas/questions", json={"title": "¿Puedo pagar con el móvil en Japón?",
                                                           "body": "Viajo en mayo.", "language": "es"})
    assert asked.status_code == 201, asked.text
    question = asked.json()

    team_page, _ = signed_in("Ada", roles=("adviser",))
    team_page.get_by_role("link", name="Team queue").click()
    expect(team_page.get_by_role("heading", level=1)).to_have_text("Waiting for the team")
    item = team_page.get_by_role("listitem").filter(has_text=question["title"])

    def shown():
        team_page.reload()
        return item.count() == 1
    eventually(shown, "the question in the team's queue")
    expect(item).to_contain_text("answer in Spanish")
    expect(item).to_contain_text("To acknowledge by")
    expect(item).to_contain_text("nobody has taken it on")
    accessible(team_page, "team queue")
    item.get_by_role("button", name="Take it on").focus()
    team_page.keyboard.press("Enter")
    expect(item).to_contain_text("taken on by you")
    expect(item).to_contain_text("To answer by")
    accessible(team_page, "team queue, a question taken on")
    screenshot(team_page, "team-queue")
    team_page.get_by_label("Kind").select_option("message")
    team_page.get_by_role("button", name="Show", exact=True).click()
    expect(team_page.get_by_role("listitem").filter(has_text=question["title"])).to_have_count(0)

    member_page, _ = signed_in("Bob")
    member_page.goto("/team/queue")
    expect(member_page.get_by_text("This queue is for the bank's team")).to_be_visible()
    expect(member_page.locator("body")).not_to_contain_text(question["title"])
    accessible(member_page, "team queue, as a member")
    # A member's question is in the lab's language unless they choose another: the team answers in it.
    member_page.goto("/questions")
    expect(member_page.get_by_label("Written in")).to_have_value("en")
    member_page.get_by_label("Written in").select_option("fr")
    member_page.get_by_label("Your question", exact=True).fill("Puis-je bloquer ma carte depuis l'appli ?")
    member_page.get_by_label("Details", exact=True).fill("Je l'ai perdue.")
    member_page.get_by_role("button", name="Ask", exact=True).click()
    expect(member_page.get_by_role("heading", level=1)).to_have_text("Puis-je bloquer ma carte depuis l'appli ?")
    asked_in_french = member_page.url.rsplit("/", 1)[1]
    assert mona.call("GET", f"/api/ideas/questions/{asked_in_french}").json()["language"] == "fr"

    page.goto("/promise")
    expect(page.get_by_role("heading", level=1)).to_have_text("Our response-time promise")
    expect(page.get_by_text("within 1 hour, and answer within 24 hours")).to_be_visible()
    figures = page.get_by_role("table")
    expect(figures.get_by_role("rowheader")).to_have_text(["Idea", "Question", "All"])
    expect(figures).not_to_contain_text("Private message")
    accessible(page, "promise figures")
    screenshot(page, "promise-figures")
    # The product team sets a panel's targets from the same page; its pledge says them.
    team_lead, _ = signed_in("Pia", roles=("product_team",))
    panel = f"panel-{uuid.uuid4().hex[:8]}"
    team_lead.goto(f"/promise?space={panel}")
    expect(team_lead.get_by_text("within 1 hour, and answer within 24 hours")).to_be_visible()
    team_lead.get_by_label("Minutes to acknowledge").fill("30")
    team_lead.get_by_label("Minutes to answer").fill("240")
    team_lead.get_by_role("button", name="Save the targets").click()
    pledge = f"In {panel}, we acknowledge every post within 30 minutes, and answer within 4 hours"
    expect(team_lead.get_by_text(pledge)).to_be_visible()
    accessible(team_lead, "promise figures, setting a panel's targets")

    page.get_by_label("Language").select_option("fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Notre engagement de délai de réponse")
    expect(page.get_by_role("columnheader", name="Répondus à temps")).to_be_visible()
    page.get_by_label("Langue").select_option("es")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nuestro compromiso de tiempo de respuesta")
    accessible(page, "promise figures in Spanish")
