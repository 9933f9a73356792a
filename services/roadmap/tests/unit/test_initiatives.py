"""The rules of initiatives: one space for all its ideas, announced once, moved along the ideas' track, and the
moves of its ideas that follow, each carrying the initiative's id."""
from datetime import datetime, timezone
from xml.etree import ElementTree

import pytest

from idealab_testing import as_consumed
from roadmap import domain, feed
from roadmap.domain import MoveNotAllowed, NotGrouped

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def initiative(**changes) -> dict:
    return {"_id": "initiative-1", "title": {"fr": "Bloquer sa carte", "en": "Block your card"}, "description": {},
            "target_quarter": "2026-Q2", "owner_team": "cards", "idea_ids": ["a", "b", "c"], "space": None,
            "status": "planned", "announced": False, **changes}


def test_an_initiative_lives_in_the_space_of_its_ideas():
    items = {"a": {"title": "A", "space": "panel"}, "b": {"title": "B", "space": "panel"}}
    assert domain.initiative_space(["a", "b"], items) == "panel"
    assert domain.initiative_space(["a"], {"a": {"title": "A", "space": None}}) is None


def test_ideas_of_different_spaces_or_unknown_ones_make_no_initiative():
    with pytest.raises(NotGrouped, match="different spaces"):
        domain.initiative_space(["a", "b"], {"a": {"title": "A", "space": "panel"}, "b": {"title": "B", "space": None}})
    with pytest.raises(NotGrouped, match="not on the roadmap: b"):
        domain.initiative_space(["a", "b"], {"a": {"title": "A", "space": None}, "b": {"status": "under_review"}})


def test_announcing_announces_its_ideas_status_and_is_done_once():
    move = domain.announce(initiative(), "We are building it.", "team-1", NOW)
    event = as_consumed(move.event)
    assert (event.type, event.subject) == ("initiative.announced", "initiative-1")
    assert (event.data["idea_ids"], event.data["status"], event.data["message"]) == (
        ["a", "b", "c"], "planned", "We are building it.")
    assert move.entry == {"from": None, "to": "planned", "message": "We are building it.", "by": "team-1", "at": NOW}
    with pytest.raises(MoveNotAllowed, match="announced already"):
        domain.announce(initiative(announced=True), "Again", "team-1", NOW)


def test_an_initiative_moves_only_once_announced_and_never_back():
    with pytest.raises(MoveNotAllowed, match="announce"):
        domain.move_initiative(initiative(), "in_progress", "Started.", "team-1", NOW)
    with pytest.raises(MoveNotAllowed, match="go back"):
        domain.move_initiative(initiative(announced=True), "under_review", "Back.", "team-1", NOW)
    move = domain.move_initiative(initiative(announced=True), "launched", "Live.", "team-1", NOW)
    assert as_consumed(move.event).data["to_status"] == "launched"


def test_its_ideas_move_where_they_may_each_announcing_the_initiative_it_moved_with():
    items = [{"_id": "a", "status": "under_review"}, {"_id": "b", "status": "launched"},
             {"_id": "c", "status": "in_progress"}, {"_id": "d", "status": "open"}]
    moves = domain.idea_moves("initiative-1", items, "in_progress", "Started.", "team-1", NOW)
    assert [(current, m.event["subject"]) for current, m in moves] == [("under_review", "a"), ("open", "d")]
    event = as_consumed(moves[0][1].event)
    assert (event.type, event.data["initiative_id"], event.data["to_status"]) == (
        "idea.status_changed", "initiative-1", "in_progress")
    assert moves[0][1].entry["initiative_id"] == "initiative-1"


def test_a_title_is_shown_in_english_then_french_then_spanish():
    assert domain.first_title({"fr": "Bloquer", "en": "Block"}) == "Block"
    assert domain.first_title({"es": "Bloquear", "fr": "Bloquer"}) == "Bloquer"


def test_the_feed_is_atom_with_the_newest_change_first():
    older = feed.entry("ideas", "a", "Dark mode", {"from": "open", "to": "planned", "message": "Soon.", "at": NOW})
    newer = feed.entry("initiatives", "i", "Cards", {"from": None, "to": "planned", "message": "Yes.",
                                                     "at": NOW.replace(hour=10)})
    root = ElementTree.fromstring(feed.atom([older, newer], "https://lab.example", NOW))
    ns = {"a": feed.ATOM}
    assert root.tag == f"{{{feed.ATOM}}}feed" and root.find("a:id", ns).text == "https://lab.example/roadmap"
    titles = [e.find("a:title", ns).text for e in root.findall("a:entry", ns)]
    assert titles == ["Cards: announced", "Dark mode: now planned"]
    assert root.find("a:entry/a:link", ns).get("href") == "https://lab.example/initiatives/i"


def test_characters_xml_cannot_hold_are_left_out_of_the_feed():
    odd = feed.entry("ideas", "a", "Dark mode", {"from": "open", "to": "planned", "message": "Soon\x07.", "at": NOW})
    root = ElementTree.fromstring(feed.atom([odd], "https://lab.example", NOW))
    assert root.find(f"{{{feed.ATOM}}}entry/{{{feed.ATOM}}}summary").text == "Soon."
