"""ideas.domain.submit, with no server."""
from datetime import datetime, timezone

from idealab.testing import as_consumed
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
                          "category": "cards", "author_id": "ann", "submitted_at": NOW, "space": None}


def test_an_idea_posted_in_a_space_says_so_and_its_event_too():
    idea, envelope = domain.submit({**FIELDS, "space": "panel-1"}, "ann", NOW)
    assert idea["space"] == as_consumed(envelope).data["space"] == "panel-1"


def test_the_submitted_fields_are_not_changed():
    fields = dict(FIELDS)

    domain.submit(fields, "ann", NOW)

    assert fields == FIELDS
