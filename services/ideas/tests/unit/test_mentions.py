"""Mentions: @name names a member by their display name, once, if they may see the comment."""
from datetime import datetime, timezone

from ideas import mentions

T1, T2 = datetime(2026, 1, 1, tzinfo=timezone.utc), datetime(2026, 2, 1, tzinfo=timezone.utc)
ALICE = {"_id": "u-alice", "handle": "alicemartin"}
ELODIE = {"_id": "u-elodie", "handle": "elodiedarc"}
PANELIST = {"_id": "u-pan", "handle": "pan", "spaces": {"panel": {"added_at": T1}}}
LEFT = {"_id": "u-left", "handle": "left", "spaces": {"panel": {"added_at": T1, "removed_at": T2}}}
STAFF = {"_id": "u-mo", "handle": "mo", "roles": ["moderator"]}


def by_handle(*members):
    found = {}
    for m in members:
        found.setdefault(m["handle"], []).append(m)
    return found


def test_a_display_name_is_typed_without_case_accents_spaces_or_punctuation():
    assert mentions.handle("Élodie D'Arc") == "elodiedarc"
    assert mentions.handles("Thanks @AliceMartin and @alice_martin, @Élodie-DArc! mail@example.com @@x") == [
        "alicemartin", "elodiedarc"]


def test_each_mentioned_member_is_named_once_and_the_author_never():
    text = "@alicemartin @AliceMartin @elodiedarc"
    assert mentions.mentioned(text, by_handle(ALICE, ELODIE), None, "u-elodie") == ["u-alice"]


def test_a_mention_in_a_space_names_only_who_may_see_it():
    text = "@alicemartin @pan @left @mo"
    assert mentions.mentioned(text, by_handle(ALICE, PANELIST, LEFT, STAFF), "panel", "x") == ["u-pan", "u-mo"]
    assert mentions.mentioned(text, by_handle(ALICE, PANELIST, LEFT, STAFF), None, "x") == [
        "u-alice", "u-pan", "u-left", "u-mo"]
    back = {**LEFT, "spaces": {"panel": {"added_at": T2, "removed_at": T1}}}
    assert mentions.mentioned("@left", by_handle(back), "panel", "x") == ["u-left"]


def test_a_name_two_members_share_names_no_one_and_a_banned_member_is_not_told():
    twin = {**ALICE, "_id": "u-alice-2"}
    assert mentions.mentioned("@alicemartin", by_handle(ALICE, twin), None, "x") == []
    assert mentions.mentioned("@alicemartin", by_handle({**ALICE, "banned": True}), None, "x") == []
