"""The CloudEvents envelope: what new_event builds and what parse accepts."""
import json
from datetime import datetime, timezone

import pytest
from marshmallow import ValidationError

from idealab import events, logs

NOW = datetime(2026, 5, 4, 12, 30, tzinfo=timezone.utc)


def vote_cast(**changes) -> dict:
    return {"idea_id": "idea-1", "voter_id": "ann", "vote_version": 1, "cast_at": NOW, **changes}


def status_changed(**changes) -> dict:
    return {"idea_id": "idea-1", "from_status": "open", "to_status": "planned", "message": "Coming in May",
            "by": "pat", "changed_at": NOW, **changes}


def raw(envelope: dict) -> bytes:
    return json.dumps(envelope).encode()


def test_new_event_builds_a_cloudevents_1_0_envelope_with_a_versioned_dataschema():
    before = datetime.now(timezone.utc)
    event = events.new_event("vote.cast", vote_cast(), source="/votes", subject="idea-1")

    assert event["specversion"] == "1.0"
    assert event["type"] == "vote.cast"
    assert event["source"] == "/votes"
    assert event["subject"] == "idea-1"
    assert event["datacontenttype"] == "application/json"
    assert event["dataschema"] == "urn:idealab:events:vote.cast:v1"
    assert event["id"] and event["correlationid"]
    sent_at = datetime.fromisoformat(event["time"])
    assert sent_at.tzinfo is not None and before <= sent_at <= datetime.now(timezone.utc)
    assert event["data"] == {"idea_id": "idea-1", "voter_id": "ann", "vote_version": 1,
                             "cast_at": "2026-05-04T12:30:00+00:00"}
    json.dumps(event)  # ready for the wire as it is


def test_every_new_event_has_an_id_of_its_own():
    ids = {events.new_event("vote.cast", vote_cast(), source="/votes", subject="idea-1")["id"] for _ in range(20)}
    assert len(ids) == 20


def test_new_event_carries_the_correlation_id_of_the_current_request():
    token = logs.correlation_id.set("req-42")
    try:
        event = events.new_event("vote.cast", vote_cast(), source="/votes", subject="idea-1")
    finally:
        logs.correlation_id.reset(token)
    assert event["correlationid"] == "req-42"


def test_new_event_starts_a_correlation_of_its_own_outside_a_request():
    first = events.new_event("vote.cast", vote_cast(), source="/votes", subject="idea-1")
    second = events.new_event("vote.cast", vote_cast(), source="/votes", subject="idea-1")
    assert first["correlationid"] and first["correlationid"] != second["correlationid"]


def test_new_event_writes_fields_under_their_wire_names():
    event = events.new_event("idea.status_changed", status_changed(), source="/roadmap", subject="idea-1")
    assert event["data"]["from"] == "open" and event["data"]["to"] == "planned"
    assert "from_status" not in event["data"]


@pytest.mark.parametrize("data, field", [
    (vote_cast(vote_version=0), "vote_version"),
    (vote_cast(cast_at=datetime(2026, 5, 4, 12, 30)), "cast_at"),  # naive: when, in which zone?
    (vote_cast(voter_id=None), "voter_id"),
    ({k: v for k, v in vote_cast().items() if k != "voter_id"}, "voter_id"),
    (vote_cast(extra="dropped silently?"), "extra"),
], ids=["out-of-range", "naive-datetime", "null", "missing", "unknown-field"])
def test_new_event_refuses_malformed_data_naming_the_field(data, field):
    with pytest.raises(ValidationError) as raised:
        events.new_event("vote.cast", data, source="/votes", subject="idea-1")
    assert field in raised.value.messages


@pytest.mark.parametrize("data", [
    vote_cast(vote_version="one"),
    vote_cast(cast_at="yesterday"),
    status_changed(to_status="shipped"),
], ids=["text-for-a-number", "text-for-a-datetime", "unknown-status"])
def test_new_event_refuses_values_of_the_wrong_kind_with_a_validation_error(data):
    event_type = "idea.status_changed" if "to_status" in data else "vote.cast"
    with pytest.raises(ValidationError):
        events.new_event(event_type, data, source="/test", subject="idea-1")


def test_parse_reads_back_what_new_event_built():
    event = events.new_event("idea.status_changed", status_changed(), source="/roadmap", subject="idea-1")

    parsed = events.parse(raw(event))

    assert parsed.id == event["id"]
    assert parsed.type == "idea.status_changed"
    assert parsed.subject == "idea-1"
    assert parsed.correlation_id == event["correlationid"]
    assert parsed.time == datetime.fromisoformat(event["time"])
    assert parsed.data == {"idea_id": "idea-1", "from_status": "open", "to_status": "planned",
                           "message": "Coming in May", "by": "pat", "changed_at": NOW}


def test_parse_ignores_data_fields_it_does_not_know_so_newer_producers_do_not_break_older_consumers():
    event = events.new_event("vote.cast", vote_cast(), source="/votes", subject="idea-1")
    event["data"]["weight"] = 2
    event["sentiment"] = "positive"  # an extension attribute of the envelope

    parsed = events.parse(raw(event))

    assert "weight" not in parsed.data
    assert parsed.data["voter_id"] == "ann"


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe", None, b"[]", b"null", b'"vote.cast"', b"[" * 100_000],
                         ids=["broken-json", "not-utf8", "tombstone", "array", "null", "string", "nested-too-deep"])
def test_parse_refuses_what_is_not_a_json_object(body):
    with pytest.raises(ValidationError):
        events.parse(body)


def test_parse_refuses_an_event_type_missing_from_the_catalogue():
    event = events.new_event("vote.cast", vote_cast(), source="/votes", subject="idea-1")
    event["type"] = "idea.teleported"
    with pytest.raises(ValidationError, match="unknown event type 'idea.teleported'"):
        events.parse(raw(event))


@pytest.mark.parametrize("field", ["specversion", "id", "source", "type", "time", "subject", "correlationid", "data"])
def test_parse_refuses_an_envelope_missing_a_required_attribute(field):
    event = events.new_event("vote.cast", vote_cast(), source="/votes", subject="idea-1")
    del event[field]
    with pytest.raises(ValidationError):
        events.parse(raw(event))


@pytest.mark.parametrize("changes", [
    {"specversion": "0.3"},
    {"time": "2026-05-04T12:30:00"},
    {"data": "not an object"},
], ids=["other-specversion", "naive-time", "data-not-an-object"])
def test_parse_refuses_a_malformed_envelope(changes):
    event = {**events.new_event("vote.cast", vote_cast(), source="/votes", subject="idea-1"), **changes}
    with pytest.raises(ValidationError):
        events.parse(raw(event))


def test_parse_refuses_data_that_breaks_the_event_schema():
    event = events.new_event("vote.cast", vote_cast(), source="/votes", subject="idea-1")
    event["data"]["vote_version"] = 0
    with pytest.raises(ValidationError) as raised:
        events.parse(raw(event))
    assert "vote_version" in raised.value.messages


def test_every_catalogued_event_goes_to_a_listed_topic_and_has_a_dataschema():
    for event_type, entry in events.CATALOGUE.items():
        assert entry.topic in events.TOPICS
        assert events.dataschema(event_type).endswith(f":{event_type}:v{entry.version}")
    assert events.TOPICS == sorted(set(events.TOPICS))

