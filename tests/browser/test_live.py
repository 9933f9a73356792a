"""Live pages in the browser: an open idea page and the list show another member's vote, and the idea page a new
comment and the product team's status change, without reloading."""
import pytest
from playwright.sync_api import expect

from .conftest import eventually, screenshot

pytestmark = pytest.mark.browser

LIVE = 30_000  # ms: two worker hops on a busy box


def posted_idea(author, title: str, description: str) -> str:
    """The id of a savings idea `author` (a person) posted through the API."""
    idea = author.sign_in().call("POST", "/api/ideas", json={"title": title, "description": description,
                                                             "category": "savings"})
    assert idea.status_code == 201, idea.text
    return idea.json()["id"]


def open_idea(page, idea_id: str) -> None:
    """The idea's page, seen with no vote yet."""
    page.goto(f"/ideas/{idea_id}")
    expect(page.locator("#vote-count")).to_have_text("0 votes")


def test_open_pages_move_with_other_members_votes_comments_and_status(signed_in, person, grant_role, accessible):
    idea_id = posted_idea(person("Eli"), "Show my savings goal on the home screen", "One glance is enough.")
    page, _ = signed_in("Fay")
    open_idea(page, idea_id)
    listing, _ = signed_in("Gus")
    listing.goto("/ideas?sort=newest")
    card = listing.locator(".card").filter(has_text="Show my savings goal")
    expect(card.locator(".votes")).to_have_text("0 votes")

    voter = person("Hal").sign_in()
    eventually(lambda: voter.call("POST", f"/api/votes/ideas/{idea_id}").status_code == 201, "Hal's vote")
    expect(page.locator("#vote-count")).to_have_text("1 vote", timeout=LIVE)
    expect(card.locator(".votes")).to_have_text("1 vote", timeout=LIVE)

    assert voter.call("POST", f"/api/ideas/{idea_id}/comments", json={"text": "Live and well."}).status_code == 201
    expect(page.get_by_text("Live and well.")).to_be_visible(timeout=LIVE)

    team = person("Ida")
    grant_role(team, "product_team")
    team.sign_in()
    eventually(lambda: team.call("GET", f"/api/roadmap/ideas/{idea_id}").status_code == 200, "the roadmap item")
    assert team.call("POST", f"/api/roadmap/ideas/{idea_id}/status",
                     json={"status": "planned", "message": "On its way."}).status_code == 200
    expect(page.locator(".timeline")).to_contain_text("On its way.", timeout=LIVE)
    accessible(page, "idea page after live updates")
    screenshot(page, "live-idea")


def test_one_stream_serves_every_tab_and_another_tab_takes_over_when_it_closes(signed_in, person):
    idea_id = posted_idea(person("Jo"), "Round up card payments into savings", "Spare change adds up.")
    first, _ = signed_in("Kit")
    open_idea(first, idea_id)
    second = first.context.new_page()
    opened_by_second = []
    second.on("request", lambda r: opened_by_second.append(r.url) if "/api/live?" in r.url else None)
    open_idea(second, idea_id)

    voters = [person(name).sign_in() for name in ("Lee", "Max")]
    eventually(lambda: voters[0].call("POST", f"/api/votes/ideas/{idea_id}").status_code == 201, "Lee's vote")
    for page in (first, second):
        expect(page.locator("#vote-count")).to_have_text("1 vote", timeout=LIVE)
    assert opened_by_second == []  # the second tab hears through the first

    with second.expect_request(lambda r: "/api/live?" in r.url, timeout=LIVE) as taken:
        first.close()
    assert "last_event_id=" in taken.value.url  # from where the first tab stopped
    assert voters[1].call("POST", f"/api/votes/ideas/{idea_id}").status_code == 201
    expect(second.locator("#vote-count")).to_have_text("2 votes", timeout=LIVE)
