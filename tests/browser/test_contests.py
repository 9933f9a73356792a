"""Contests in the browser (issue 12, Genios del Ahorro): the staff form, a member shares a tip in an open round and
votes for it, the worker closes the round by itself, a juror scores the shortlist on the contest's page, and the
round's winner and ranking are shown; every screen axe-clean."""
import re
from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect

from idealab_testing import round_and_final

from .conftest import eventually, screenshot

pytestmark = pytest.mark.browser

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(range(256)) * 4


def reload_until(page, locator, what: str, timeout: float = 90):
    def shown():
        page.reload()
        return locator.count() > 0
    eventually(shown, what, timeout)


def test_a_tip_is_entered_voted_for_shortlisted_scored_by_the_jury_and_wins_its_round(team_at_the_new_form,
                                                                                       signed_in, person, accessible):
    team = team_at_the_new_form("contest")
    opens = datetime.now(timezone.utc) + timedelta(seconds=2)
    closes = opens + timedelta(seconds=25)
    made = team.sign_in().call("POST", "/api/votes/contests", json={
        "title": {"en": "Saving geniuses", "es": "Genios del Ahorro"}, "description": {"en": "Share a saving tip."},
        "currency": "EUR", "shortlist_size": 1, "jury": {"kind": "role"},
        "criteria": [{"id": "saving", "name": {"en": "Saving"}}, {"id": "clarity", "name": {"en": "Clarity"}}],
        **round_and_final(opens, closes, judging=15, final_judging=16)})
    assert made.status_code == 201, made.text
    contest = made.json()["id"]

    page, _ = signed_in("Mona")
    page.goto(f"/contests/{contest}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Saving geniuses")
    share = page.get_by_role("link", name="Share a tip")
    reload_until(page, share, "the round to open and the ideas service to take entries", timeout=30)
    share.click()
    expect(page.locator("h1")).to_be_focused()
    expect(page.locator("h1")).to_have_text("Share a tip: Saving geniuses")
    accessible(page, "enter a contest")
    page.get_by_label("Your tip in a few words").fill("Round every payment up to the euro")
    page.get_by_label("Explain it").fill("The change goes to a savings pot, and it adds up.")
    page.get_by_label("A short video (optional)").set_input_files(
        files=[{"name": "tip.mp4", "mimeType": "video/mp4", "buffer": MP4}])
    expect(page.get_by_role("status").filter(has_text="Video uploaded.")).to_be_visible()
    page.get_by_role("button", name="Enter my tip").click()
    expect(page.locator("h1")).to_have_text("Saving geniuses")
    linked = person("Lia").sign_in().call("POST", "/api/ideas", json={
        "title": "Cook on Sunday for the week", "description": "One batch, five lunches.", "category": "contest",
        "contest_id": contest, "video_link": "https://video.example/batch"})
    assert linked.status_code == 201, linked.text
    vote = page.get_by_role("button", name="Vote for Round every payment up to the euro")
    reload_until(page, vote, "the entry in the round's list")
    expect(page.get_by_label("Video: Round every payment up to the euro")).to_have_attribute(
        "src", re.compile(r"^/api/ideas/videos/[0-9a-f]{32}$"))
    expect(page.get_by_role("link", name="Watch the video of Cook on Sunday for the week (on another site)")) \
        .to_have_attribute("href", "https://video.example/batch")
    vote.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Voted")).to_be_visible()
    accessible(page, "contest open")
    screenshot(page, "contest-open")
    page.get_by_role("link", name="Round every payment up to the euro", exact=True).click()
    expect(page.locator("h1")).to_have_text("Round every payment up to the euro")
    expect(page.get_by_role("link", name="An entry of round 1 of a contest: see the contest")).to_be_visible()
    expect(page.get_by_label("Video: Round every payment up to the euro")).to_be_visible()
    accessible(page, "an entry's own page")

    juror, _ = signed_in("Juana", roles=("jury",))
    juror.goto(f"/contests/{contest}")
    scoring = juror.get_by_role("heading", name="Score the shortlist of Round 1")
    reload_until(juror, scoring, "the worker to close the round and shortlist the tip")
    for criterion, score in (("Saving", "9"), ("Clarity", "7")):
        juror.get_by_role("region", name="Round 1").get_by_role("group", name="Round every payment up to the euro") \
            .get_by_label(criterion).fill(score)
    accessible(juror, "jury scoring")
    juror.get_by_role("region", name="Round 1").get_by_role("button", name="Save my scores").click()
    expect(juror.get_by_role("status").filter(has_text="Your scores are saved.")).to_be_visible()

    winner = juror.get_by_text("Winner: Round every payment up to the euro")
    reload_until(juror, winner, "the end of judging and the decision", timeout=60)
    row = juror.get_by_role("table").first.get_by_role("row", name="Round every payment up to the euro")
    expect(row).to_contain_text("16")  # the jury's score
    expect(juror.get_by_text("Prize: €500.00")).to_be_visible()
    accessible(juror, "contest decided")
    screenshot(juror, "contest-decided")


def test_the_team_sets_up_a_contest_on_the_form_and_edits_it_before_it_opens(signed_in, accessible):
    page, team = signed_in("Tomas", roles=("product_team",))
    page.goto("/contests")
    page.get_by_role("link", name="New contest").click()
    expect(page.locator("h1")).to_be_focused()
    start = datetime.now() + timedelta(days=2)
    at = lambda days, hours=0: (start + timedelta(days=days, hours=hours)).strftime("%Y-%m-%dT%H:%M")  # noqa: E731
    page.get_by_label("Title in Spanish").fill("Genios del Ahorro")
    page.get_by_label("Description in Spanish").fill("Comparte tu truco de ahorro.")
    page.get_by_label("Jury criteria").fill("saving | How much it saves\nclarity | How clear it is")
    page.get_by_label("Entries shortlisted per round").fill("5")
    for legend, (opens, closes, judged, prize) in {"Round 1": (at(0), at(7), at(9), "500"),
                                                   "Final": (None, at(14), at(16), "1500")}.items():
        group = page.get_by_role("group", name=legend, exact=True)
        if opens:
            group.get_by_label("Opens at").fill(opens)
        group.get_by_label("Closes at").fill(closes)
        group.get_by_label("Judging ends at").fill(judged)
        group.get_by_label("Prize").fill(prize)
    page.get_by_role("button", name="Add a round").click()
    second = page.get_by_role("group", name="Round 2", exact=True)
    second.get_by_label("Opens at").fill(at(7))
    second.get_by_label("Closes at").fill(at(13))
    second.get_by_label("Judging ends at").fill(at(13, 12))
    second.get_by_label("Prize").fill("500")
    accessible(page, "contest form filled in")
    page.get_by_role("button", name="Save the contest").click()

    expect(page.locator("h1")).to_have_text("Genios del Ahorro")
    expect(page.get_by_role("heading", name="Round 2")).to_be_visible()
    expect(page.get_by_text("Prize: €1,500.00")).to_be_visible()
    contest = page.url.rsplit("/", 1)[1]
    page.get_by_role("link", name="Edit before it opens").click()
    expect(page.locator("h1")).to_have_text("Edit the contest")
    expect(page.get_by_label("Entries shortlisted per round")).to_have_value("5")
    page.get_by_label("Entries shortlisted per round").fill("3")
    accessible(page, "contest edit form")
    page.get_by_role("button", name="Save the contest").click()
    expect(page.locator("h1")).to_have_text("Genios del Ahorro")
    saved = team.sign_in().call("GET", f"/api/votes/contests/{contest}").json()
    assert saved["revision"] == 2 and saved["shortlist_size"] == 3
    assert [r["prize"] for r in saved["rounds"]] == [50_000, 50_000, 150_000]
    assert [c["id"] for c in saved["criteria"]] == ["saving", "clarity"]
