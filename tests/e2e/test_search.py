"""Finding ideas through the gateway (issue 14): words found whatever their accents, case and French, English or
Spanish word forms, in titles, descriptions and comments, best match first; a panel's idea never in an outsider's
search or similar ideas; cursor pages that show each idea once while votes move ideas around."""
import random
import string

import pytest

from idealab_testing import unique, wait_for

from .test_core_flow import vote

pytestmark = pytest.mark.e2e


def word(prefix: str = "") -> str:
    """A made-up word no other test's idea holds (letters only, so every stemmer leaves it alone but for its end)."""
    return prefix + "".join(random.choices(string.ascii_lowercase, k=10))


def submit(author, title: str, description: str, category: str = "savings", **extra) -> str:
    response = author.post("/api/ideas", json={"title": title, "description": description, "category": category,
                                               **extra})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def found(reader, q: str | None = None, **params) -> list[str]:
    response = reader.get("/api/ideas", params={**({"q": q} if q is not None else {}), "limit": 100, **params})
    assert response.status_code == 200, response.text
    return [idea["id"] for idea in response.json()["ideas"]]


def test_words_are_found_whatever_their_accents_case_and_word_forms_in_french_english_and_spanish(member):
    author, reader = member(), member()
    tag = word("t")  # this corpus only: other tests' ideas share the lab
    fr = submit(author, "Épargne automatique pour les étudiants",
                "Arrondir chaque paiement et verser la différence sur un livret.", tags=[tag])
    en = submit(author, "Savings goals for children", "Parents set goals; kids watch them grow, like a piggy bank.",
                tags=[tag])
    es = submit(author, "Ahorro para las vacaciones", "Apartar dinero cada mes para viajar en verano.", tags=[tag])
    piggy = submit(author, "A piggy bank in the app", "Round every card payment up into it.", category="cards",
                   tags=[tag])
    assert author.post(f"/api/ideas/{es}/comments", json={"text": "Una hucha digital, por favor."}).status_code == 201

    def search(q, **params):
        return found(reader, q, tag=tag, **params)

    # French: no accent, plural, upper case — all the same stem as "Épargne".
    for q in ("epargnes", "ÉPARGNES", "épargné", "Epargne"):
        assert search(q) == [fr], q
    assert search("étudiant") == [fr]
    # English: "saving" and "savings", any case.
    for q in ("saving", "SAVINGS", "savings"):
        assert search(q) == [en], q
    # Spanish: accent added or left out, singular for plural.
    for q in ("vacación", "vacacion", "VACACIONES", "ahorros"):
        assert search(q) == [es], q
    # A comment's words find its idea, once the comment is indexed (the worker recounts the idea's comments).
    assert wait_for(lambda: search("huchas") == [es], what="the comment's words to be searchable")
    # Best match first: the word in a title weighs more than in a description.
    assert search("piggy") == [piggy, en]
    # Filters and other orders combine with the words.
    assert search("piggy", category="cards") == [piggy]
    assert search("piggy", sort="newest") == [piggy, en]
    assert search("piggy", status="planned") == []
    # Words nobody wrote find nothing; a search of no word at all (punctuation only) neither.
    assert search(word()) == []
    assert search("?!") == []


def test_a_panel_idea_is_never_found_by_an_outsider_in_search_or_similar_ideas(member):
    panel = unique("panel-")[:-1]
    insider, outsider, staff = member(spaces=(panel,)), member(spaces=("another-panel",)), member(roles=("moderator",))
    anonymous = member()
    anonymous.session.headers.pop("Authorization")
    secret = word("s")
    title = f"Secret {secret} rate for the panel"
    idea_id = submit(insider, title, f"Only the panel may read about {secret}.", space=panel)
    public_id = submit(insider, f"Public {secret} idea", "Everyone may read this one.")

    assert found(insider, secret) == [idea_id, public_id]  # the title weighs more: the panel's first
    assert set(found(staff, secret)) == {idea_id, public_id}
    similar = insider.get("/api/ideas/similar", params={"title": f"{secret} rate"})
    assert [i["id"] for i in similar.json()["ideas"]] == [idea_id, public_id]
    for stranger in (outsider, anonymous):
        assert found(stranger, secret) == [public_id]
        assert found(stranger, secret, sort="trending") == [public_id]
        for params in ({"title": title}, {"title": secret}, {"title": f"{secret} rate", "limit": 20}):
            response = stranger.get("/api/ideas/similar", params=params)
            assert response.status_code == 200, response.text
            suggested = [i["id"] for i in response.json()["ideas"]]
            # The public idea with the made-up word is among them; ideas of other tests in this lab that share the
            # title's other words ("rate", "panel") may rank above it (text scores count matches, not rarity).
            assert public_id in suggested
            assert idea_id not in suggested and idea_id not in response.text and "Secret" not in response.text
        assert stranger.get("/api/ideas", params={"q": secret, "space": panel}).status_code == 404
        assert stranger.get("/api/ideas/similar", params={"title": secret, "space": panel}).status_code == 404


def test_cursor_pages_show_each_idea_once_while_votes_move_ideas_between_pages(member):
    author = member()
    tag = word("p")
    ids = [submit(author, f"Paged idea number {n}", "One of seven.", tags=[tag]) for n in range(7)]
    newest_first = ids[::-1]
    voters = [member() for _ in range(2)]

    def page(after=None):
        params = {"sort": "most_voted", "tag": tag, "limit": 3, **({"after": after} if after else {})}
        response = author.get("/api/ideas", params=params)
        assert response.status_code == 200, response.text
        body = response.json()
        return [i["id"] for i in body["ideas"]], body["next"]

    first, cursor = page()
    assert first == newest_first[:3]  # no votes yet: newest first
    # Votes move an idea of the next page (newest_first[4]) and one of the last (newest_first[6]) to the top, and
    # one of the first page (newest_first[1]) up within it, between the reader's requests.
    moved = [newest_first[4], newest_first[6], newest_first[1]]
    for idea_id in moved:
        for voter in voters:
            assert vote(voter, idea_id).status_code == 201
    for idea_id in moved:
        wait_for(lambda: author.get(f"/api/ideas/{idea_id}").json()["vote_count"] == 2, timeout=90,
                 what="the votes to reach the ideas list")

    second, cursor = page(cursor)
    third, last = page(cursor) if cursor else ([], None)
    shown = first + second + third
    assert len(shown) == len(set(shown)), f"an idea shown twice: {shown}"
    # Every idea that did not move past the cursor is shown, in the list's order after it.
    assert second + third == [i for i in newest_first[3:] if i not in moved]
    assert last is None
    # An offset page would have shown the first page's last idea again (the two moved ideas push it down).
    by_offset = author.get("/api/ideas", params={"sort": "most_voted", "tag": tag, "limit": 3, "offset": 3}).json()
    assert newest_first[2] in [i["id"] for i in by_offset["ideas"]]
    # The whole list now, from the top: the voted ideas first (newest first among equals), then the rest.
    top, cursor = page()
    assert top == [newest_first[1], newest_first[4], newest_first[6]]
    # A cursor this list never gave is refused in words.
    refused = author.get("/api/ideas", params={"sort": "most_voted", "after": "bm90LWEtY3Vyc29y"})
    assert refused.status_code == 422 and "after" in refused.json()["errors"]
