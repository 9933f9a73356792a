"""The core flow in the browser: a member signs up and shares an idea with an image, others vote it over the threshold, the product
team plans it with a message, and the member sees the unread badge and the notification."""
import re
import struct
import time
import zlib

import pytest
import requests
from playwright.sync_api import expect

from .conftest import PASSWORD, THRESHOLD, eventually, screenshot

pytestmark = pytest.mark.browser

TITLE = "Freeze my card from the home screen"


def png(width: int = 96, height: int = 64) -> bytes:
    """A valid PNG: a blue card on white, made here (the test needs nothing from outside)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    def pixel(x: int, y: int) -> bytes:
        return b"\x1f\x4e\xa8" if 8 <= x < width - 8 and 12 <= y < height - 12 else b"\xff\xff\xff"
    rows = b"".join(b"\x00" + b"".join(pixel(x, y) for x in range(width)) for y in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def test_member_idea_goes_from_submission_to_planned_and_the_member_is_told(
        page, new_context, person, signed_in, accessible, gateway):
    # A member signs up through the page and is signed in at once.
    ann_email = f"ann-{id(page)}@example.com"
    page.goto("/sign-up")
    page.get_by_label("Your name as others see it").fill("Ann")
    page.get_by_label("Email").fill(ann_email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    # The page's own "Loading…" is a status too, for a moment.
    expect(page.get_by_role("status").filter(has_text="We sent you an email")).to_be_visible()

    # Submitting nothing: the API's field errors show under each field.
    page.get_by_role("link", name="Share an idea").click()
    expect(page).to_have_url(re.compile(r"/submit$"))
    page.get_by_role("button", name="Share my idea").click()
    expect(page.get_by_role("alert")).to_contain_text("Please fix the fields")
    title_field = page.get_by_label("Title")
    expect(title_field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#field-title-error")).not_to_be_empty()
    expect(page.locator("#field-category-error")).not_to_be_empty()
    accessible(page, "submit form with errors")
    screenshot(page, "submit-errors")

    title_field.fill(TITLE)
    page.get_by_label("Description").fill("One tap on the home screen, before the thief gets to use it.")
    page.get_by_label("Category").select_option("cards")

    # An image: a file that only claims to be a PNG is refused by the service (by its bytes), in words; a real one
    # uploads with its progress shown, and the idea shows it.
    image_field = page.get_by_label("Image (optional)")
    image_field.set_input_files(files=[{"name": "card.png", "mimeType": "image/png", "buffer": b"<svg/>"}])
    expect(page.locator("#field-image-error")).to_have_text("This file is not a PNG, JPEG, WebP or GIF image.")
    held = []  # the upload waits here until the progress bar has been seen
    page.route("**/api/ideas/images", lambda route: held.append(route))
    image_field.set_input_files(files=[{"name": "card.png", "mimeType": "image/png", "buffer": png()}])
    expect(page.get_by_role("progressbar", name="Uploading the image")).to_be_visible()
    expect(page.get_by_role("button", name="Share my idea")).to_be_disabled()
    deadline = time.monotonic() + 30  # a loaded box can take seconds to send it
    while not held and time.monotonic() < deadline:  # waiting through Playwright lets it hand the request to the route
        page.wait_for_timeout(100)
    assert held, "the image upload did not reach the route holding it within 30 s"
    held[0].continue_()
    page.unroute("**/api/ideas/images")
    expect(page.get_by_text("Image uploaded.")).to_be_visible()
    expect(page.get_by_role("progressbar")).to_have_count(0)
    expect(page.locator("#field-image-error")).to_have_count(0)
    expect(page.get_by_role("img", name="Preview of the chosen image")).to_be_visible()
    accessible(page, "submit form with an image")
    screenshot(page, "submit-image")

    page.get_by_role("button", name="Share my idea").click()
    expect(page).to_have_url(re.compile(r"/ideas/[^/]+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    image = page.get_by_role("img", name=TITLE)
    expect(image).to_be_visible()
    eventually(lambda: image.evaluate("img => img.complete && img.naturalWidth") == 96, "the idea's image to load")
    idea_path = page.url.removeprefix(page.url.split("/ideas/")[0])
    idea_id = idea_path.rsplit("/", 1)[1]

    # The author votes from the page: the count moves at once and the server confirms it. The button shows once the
    # votes service has learnt of the idea (an event away, which can take longer than the page keeps retrying).
    eventually(lambda: requests.get(f"{gateway}/api/votes/ideas/{idea_id}", timeout=10).status_code == 200,
               "the votes service to know the idea")
    page.reload()
    vote = page.get_by_role("button", name="Vote for this idea")
    expect(vote).to_be_visible(timeout=30_000)
    vote.click()
    expect(page.get_by_role("button", name="Withdraw my vote")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#vote-count")).to_have_text("1 vote")
    accessible(page, "idea page")
    screenshot(page, "idea")

    # Others vote through the API until the threshold sends the idea to review.
    for name in ("Bea", "Carl")[: THRESHOLD - 1]:
        voter = person(name).sign_in()
        eventually(lambda: voter.call("POST", f"/api/votes/ideas/{idea_id}").status_code == 201,
                   "a vote to be cast once the votes service knows the idea")
    staff_page, _ = signed_in("Pat", roles=("product_team",))
    eventually(lambda: voter.call("GET", f"/api/roadmap/ideas/{idea_id}").json().get("status") == "under_review",
               "the idea to reach review")

    # The product team plans it with a public message, from the idea page.
    staff_page.goto(idea_path)
    expect(staff_page.get_by_text("Under review").first).to_be_visible()
    staff_page.get_by_label("New status").select_option("planned")
    staff_page.get_by_label("Public message to the author and the voters").fill("Coming in the spring release.")
    expect(staff_page.locator(".preview")).to_contain_text(f"{TITLE}: now Planned")  # what subscribers will read
    staff_page.get_by_role("button", name="Move and notify").click()
    expect(staff_page.get_by_role("status").filter(has_text="Moved to “Planned”")).to_be_visible()
    expect(staff_page.locator(".timeline")).to_contain_text("Coming in the spring release.")
    accessible(staff_page, "idea page, product team")
    screenshot(staff_page, "idea-staff")

    # The member's header shows the unread badge (polled), and the inbox the notification.
    page.goto("/")
    expect(page.get_by_test_id("unread-badge")).to_be_visible(timeout=60_000)
    page.get_by_test_id("inbox-link").click()
    entry = page.locator(".notification", has_text="Coming in the spring release.")
    expect(entry).to_be_visible()
    expect(entry).to_contain_text("Under review → Planned")
    expect(entry.get_by_role("link", name=TITLE)).to_have_attribute("href", idea_path)
    accessible(page, "inbox")
    screenshot(page, "inbox")

    # Read one (the badge goes down at once), then all (the badge goes).
    badge = page.get_by_test_id("unread-badge")
    before = int(badge.locator("[aria-hidden]").inner_text())
    entry.get_by_role("button", name="Mark as read").click()
    expect(entry).not_to_have_class(re.compile(r"\bunread\b"))
    if before > 1:
        expect(badge.locator("[aria-hidden]")).to_have_text(str(before - 1))
        page.get_by_role("button", name="Mark all as read").click()
    expect(badge).to_be_hidden()
    expect(page.locator(".notification.unread")).to_have_count(0)
    page.reload()  # the server kept it
    expect(page.locator(".notification").first).to_be_visible()
    expect(page.locator(".notification.unread")).to_have_count(0)

    # The roadmap shows it in its column.
    page.get_by_role("link", name="Roadmap").click()
    planned = page.get_by_role("region", name=re.compile("^Planned"))
    expect(planned.get_by_role("link", name=TITLE)).to_be_visible()
    accessible(page, "roadmap")
    screenshot(page, "roadmap")
