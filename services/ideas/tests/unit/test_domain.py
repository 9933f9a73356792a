"""ideas.domain: submitting, commenting and moderating, with no server."""
from datetime import datetime, timezone

import pytest

from idealab_testing import as_consumed
from ideas import domain

NOW = datetime(2025, 3, 1, 12, 30, tzinfo=timezone.utc)
FIELDS = {"title": "  Block a lost card from the phone ", "description": " One tap in the app. ", "category": "cards"}


def test_a_submitted_idea_is_open_with_no_votes_and_trimmed_text():
    idea, _ = domain.submit(FIELDS, "ann", NOW)

    assert idea["title"] == "Block a lost card from the phone"
    assert idea["description"] == "One tap in the app."
    assert idea["category"] == "cards"
    assert idea["author_id"] == "ann"
    assert idea["submitted_at"] == NOW
    assert idea["status"] == "open"
    assert (idea["vote_count"], idea["tally_version"]) == (0, 0)


def test_every_submitted_idea_gets_an_id_of_its_own():
    first, _ = domain.submit(FIELDS, "ann", NOW)
    second, _ = domain.submit(FIELDS, "ann", NOW)

    assert first["_id"] and second["_id"] and first["_id"] != second["_id"]


def test_submitting_announces_a_valid_idea_submitted_event_keyed_by_the_idea():
    idea, envelope = domain.submit(FIELDS, "ann", NOW)

    event = as_consumed(envelope)  # raises if the envelope or its data does not match the catalogue

    assert event.type == "idea.submitted"
    assert event.subject == idea["_id"]
    assert envelope["source"] == "/ideas"
    assert envelope["dataschema"] == "urn:idealab:events:idea.submitted:v1"
    assert event.data == {"idea_id": idea["_id"], "title": idea["title"], "description": idea["description"],
                          "category": "cards", "author_id": "ann", "submitted_at": NOW, "space": None,
                          "contest_id": None, "round": None}


def test_an_idea_posted_in_a_space_says_so_and_its_event_too():
    idea, envelope = domain.submit({**FIELDS, "space": "panel-1"}, "ann", NOW)
    assert idea["space"] == as_consumed(envelope).data["space"] == "panel-1"


def test_the_submitted_fields_are_not_changed():
    fields = dict(FIELDS)

    domain.submit(fields, "ann", NOW)

    assert fields == FIELDS


def test_a_comment_is_announced_with_its_idea_and_the_ideas_space():
    idea, _ = domain.submit({**FIELDS, "space": "panel-1"}, "ann", NOW)

    comment, envelope = domain.post_comment(idea, {"text": " Yes please ", "reply_to": None}, "bob", NOW)

    assert (comment["idea_id"], comment["space"], comment["text"], comment["hidden"]) == (
        idea["_id"], "panel-1", "Yes please", None)
    event = as_consumed(envelope)
    assert (event.type, event.subject, event.data["comment_id"]) == ("comment.posted", idea["_id"], comment["_id"])


def test_hiding_records_who_why_and_when_and_announces_it():
    idea, _ = domain.submit(FIELDS, "ann", NOW)

    changes, entry, envelope = domain.moderate(idea, "idea", domain.HIDE, " Personal data ", "mo", NOW)

    assert changes == {"hidden": {"reason": "Personal data", "by": "mo", "at": NOW}}
    assert entry == {"action": "hide", "reason": "Personal data", "by": "mo", "at": NOW}
    assert as_consumed(envelope).type == "idea.hidden"


def test_restoring_a_comment_clears_the_mark_and_names_the_comment_in_the_event():
    idea, _ = domain.submit(FIELDS, "ann", NOW)
    comment, _ = domain.post_comment(idea, {"text": "Harsh", "reply_to": None}, "bob", NOW)
    comment["hidden"] = {"reason": "Rude", "by": "mo", "at": NOW}

    changes, _, envelope = domain.moderate(comment, "comment", domain.RESTORE, "Fair criticism", "ada", NOW)

    assert changes == {"hidden": None}
    event = as_consumed(envelope)
    assert (event.type, event.data["idea_id"], event.data["comment_id"]) == (
        "comment.restored", idea["_id"], comment["_id"])


@pytest.mark.parametrize("hidden, action", [(None, domain.RESTORE), ({"reason": "x", "by": "mo", "at": NOW},
                                                                     domain.HIDE)])
def test_moderating_into_the_state_an_item_is_in_already_is_a_conflict(hidden, action):
    idea, _ = domain.submit(FIELDS, "ann", NOW)
    with pytest.raises(domain.ModerationConflict):
        domain.moderate({**idea, "hidden": hidden}, "idea", action, "Because", "mo", NOW)


def test_readers_see_that_an_item_was_hidden_and_why_and_staff_see_everything():
    idea, _ = domain.submit(FIELDS, "ann", NOW)
    hidden = {**idea, "hidden": {"reason": "Spam", "by": "mo", "at": NOW}, "moderation": [{"action": "hide"}]}

    shown = domain.as_shown(hidden, staff=False, text_fields=("title", "description"))

    assert (shown["title"], shown["description"]) == (None, None)
    assert shown["hidden"] == {"reason": "Spam", "at": NOW} and "moderation" not in shown
    assert domain.as_shown(hidden, staff=True, text_fields=("title",)) == hidden
    assert "moderation" not in domain.as_shown({**idea, "moderation": []}, staff=False, text_fields=("title",))


@pytest.mark.parametrize("first_bytes, kind", [
    (b"\x89PNG\r\n\x1a\n\x00", "image/png"), (b"\xff\xd8\xff\xdb", "image/jpeg"), (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"), (b"RIFF\x00\x00\x00\x00WEBPVP8L", "image/webp"),
    (b"RIFF\x00\x00\x00\x00WAVEfmt ", None), (b"<svg/>", None), (b"%PDF-1.7", None), (b"", None)])
def test_an_images_type_is_read_from_its_first_bytes(first_bytes, kind):
    assert domain.image_type(first_bytes) == kind


def test_an_upload_gets_a_random_id_and_bytes_of_another_kind_are_refused_saying_what_is_taken():
    first, second = (domain.new_upload(b"GIF89a", "ann", NOW, domain.image_type, domain.IMAGE_REFUSAL)
                     for _ in range(2))
    assert (first["content_type"], first["size"], first["owner_id"]) == ("image/gif", 6, "ann")
    assert first["_id"] != second["_id"] and first["attached"] is None
    with pytest.raises(domain.NotTaken, match="PNG, JPEG, WebP or GIF only"):
        domain.new_upload(b"<script>", "ann", NOW, domain.image_type, domain.IMAGE_REFUSAL)


def test_a_day_of_recency_is_worth_doubling_the_activity_in_the_trending_score():
    from datetime import timedelta
    today = datetime(2025, 6, 2, tzinfo=timezone.utc)
    assert domain.trending(10, 0, today) > domain.trending(20, 0, today - timedelta(days=1))
    assert domain.trending(21, 0, today - timedelta(days=1)) == pytest.approx(domain.trending(10, 0, today))
    assert domain.trending(0, 5, today) == domain.trending(10, 0, today)  # a comment weighs two votes


def test_search_terms_are_folded_stems_in_french_english_and_spanish():
    assert set(domain.terms("épargnes")) == set(domain.terms("Epargne")) == {"epargn"}
    assert set(domain.terms("savings")) & set(domain.terms("saving"))
    assert set(domain.terms("Ahorros")) & set(domain.terms("ahorro"))
