"""The HTTP shapes of the ideas API refuse what they must, with no server."""
import pytest
from marshmallow import ValidationError

from ideas import schemas

VALID = {"title": "Block a lost card from the phone", "description": "One tap in the app.", "category": "cards"}


def submission(**changes) -> dict:
    body = {**VALID, **changes}
    return {k: v for k, v in body.items() if v is not None}


def refused_fields(body: dict) -> set[str]:
    with pytest.raises(ValidationError) as refused:
        schemas.IdeaSubmission().load(body)
    return set(refused.value.messages)


def test_a_valid_submission_loads_as_given():
    assert schemas.IdeaSubmission().load(VALID) == {**VALID, "space": None, "image_id": None, "tags": [],
                                                    "language": None, "contest_id": None, "video_id": None,
                                                    "video_link": None}
    assert schemas.IdeaSubmission().load({**VALID, "space": "panel-1"})["space"] == "panel-1"


@pytest.mark.parametrize("space", ["", "panel 1", "panel/1", "$in", "p" * 65, "panel-1\n"])
def test_a_bad_space_id_is_refused(space):
    assert refused_fields(submission(space=space)) == {"space"}


@pytest.mark.parametrize("missing", ["title", "description", "category"])
def test_a_submission_missing_a_field_is_refused(missing):
    assert refused_fields(submission(**{missing: None})) == {missing}


@pytest.mark.parametrize("field, value", [
    ("title", 12345), ("title", ["a list", "of words"]), ("description", {"text": "nested"}),
    ("category", 7), ("title", None),
])
def test_a_submission_with_a_field_of_the_wrong_type_is_refused(field, value):
    assert refused_fields({**VALID, field: value}) == {field}


def test_a_title_of_140_characters_is_accepted_and_one_of_141_is_refused():
    assert schemas.IdeaSubmission().load(submission(title="x" * 140))["title"] == "x" * 140
    assert refused_fields(submission(title="x" * 141)) == {"title"}


def test_a_title_shorter_than_five_characters_is_refused():
    assert refused_fields(submission(title="abcd")) == {"title"}


def test_an_empty_description_is_refused():
    assert refused_fields(submission(description="")) == {"description"}


@pytest.mark.parametrize("field, value", [("title", " " * 10), ("title", "  abc   "), ("description", " \t\n ")])
def test_spaces_around_the_text_do_not_count_towards_its_length(field, value):
    assert refused_fields(submission(**{field: value})) == {field}


def test_the_text_is_loaded_without_the_spaces_around_it():
    loaded = schemas.IdeaSubmission().load(submission(title="  A good title  ", description=" Why. "))

    assert (loaded["title"], loaded["description"]) == ("A good title", "Why.")


@pytest.mark.parametrize("line_break", ["\n", "\r", "\v", "\f", "\x85", "\u2028", "\u2029", "\x1b"])
def test_a_title_with_a_line_break_or_a_control_character_is_refused(line_break):
    assert refused_fields(submission(title=f"Faster transfers{line_break}Bcc: attacker@evil.example")) == {"title"}


@pytest.mark.parametrize("category", ["", "Cards", "cards and more", "-cards", "cards!", "c" * 41, "ca.rds",
                                      "cards\n", "cards\nBcc: x"])
def test_a_bad_category_is_refused(category):
    assert refused_fields(submission(category=category)) == {"category"}


@pytest.mark.parametrize("key", ["$where", "$set", "author_id", "status", "vote_count", "_id"])
def test_a_submission_with_an_unknown_key_is_refused(key):
    assert refused_fields({**VALID, key: "anything"}) == {key}


def test_the_list_query_defaults_to_the_first_page_unfiltered_in_the_order_the_route_chooses():
    assert schemas.IdeaListQuery().load({}) == {"q": None, "sort": None, "limit": 20, "offset": 0, "after": None,
                                                "space": None, "category": None, "status": None, "tag": None}


@pytest.mark.parametrize("query", [{"sort": "oldest"}, {"limit": "0"}, {"limit": "101"}, {"offset": "-1"},
                                   {"limit": "ten"}, {"$where": "1"}, {"space": "a b"},
                                   {"status": "gone"}, {"tag": "a b"}, {"after": "{}"}, {"q": "a\nb"}])
def test_a_bad_list_query_is_refused(query):
    with pytest.raises(ValidationError):
        schemas.IdeaListQuery().load(query)


def test_an_idea_is_shown_with_its_id_and_without_its_outbox_or_internals():
    shown = schemas.Idea().dump({"_id": "abc", **VALID, "author_id": "ann", "status": "open", "vote_count": 2,
                                 "tally_version": 4, "outbox": [{"id": "e1"}]})

    assert shown["id"] == "abc"
    assert shown["vote_count"] == 2
    assert not {"_id", "outbox", "tally_version"} & set(shown)
