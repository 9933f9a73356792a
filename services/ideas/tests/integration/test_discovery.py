"""Finding and following ideas (issue 14): search insensitive to accents, case and word forms in French, English and
Spanish, with filters, orders and private spaces; trending; cursor pages that stay whole while votes move ideas;
tags; similar titles; staff merging a duplicate; following and unfollowing."""
from datetime import datetime, timedelta, timezone

import pytest

from ideas import handlers
from ideas.app import create_app
from ideas.config import SERVICE

pytestmark = pytest.mark.integration

CORPUS = [  # title, description, category, language
    ("Un livret d'épargne pour les enfants", "Épargner dès le plus jeune âge.", "savings"),
    ("Des comptes joints plus simples", "Ouvrir un compte à deux depuis l'application.", "accounts"),
    ("Round up card payments into savings", "Every payment saves the change.", "savings"),
    ("Freeze my card from the app", "When I lose it.", "cards"),
    ("Cuentas de ahorro para jóvenes", "Una cuenta sin comisiones para ahorrar.", "savings"),
    ("Notificaciones de pagos con tarjeta", "Avisar de cada pago al instante.", "cards"),
]


def submit(client, headers, title, description, category="ideas", **more):
    response = client.post("/api/ideas", json={"title": title, "description": description, "category": category,
                                               **more}, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def found(client, q: str, headers=None, **query) -> list[str]:
    response = client.get("/api/ideas", query_string={"q": q, **query}, headers=headers or {})
    assert response.status_code == 200, response.get_json()
    return [i["title"] for i in response.get_json()["ideas"]]


@pytest.fixture
def corpus(client, bearer):
    return {title: submit(client, bearer("ann"), title, description, category)
            for title, description, category in CORPUS}


@pytest.mark.parametrize("q, expected", [
    ("epargne", "Un livret d'épargne pour les enfants"),  # no accent typed
    ("ÉPARGNES", "Un livret d'épargne pour les enfants"),  # capitals, plural
    ("compte", "Des comptes joints plus simples"),
    ("saving", "Round up card payments into savings"),  # English stem
    ("frozen freezing freeze", "Freeze my card from the app"),
    ("ahorros", "Cuentas de ahorro para jóvenes"),  # Spanish plural
    ("jovenes", "Cuentas de ahorro para jóvenes"),
    ("notificación", "Notificaciones de pagos con tarjeta"),
])
def test_search_finds_words_whatever_their_accents_case_and_form_in_three_languages(client, corpus, q, expected):
    assert found(client, q)[0] == expected


def test_search_ranks_a_title_match_above_a_description_match_and_reads_comments(client, bearer, store, corpus):
    in_description = submit(client, bearer("bob"), "Children's accounts", "A savings account for my kids.")
    assert found(client, "savings")[:2] == ["Round up card payments into savings", "Children's accounts"]
    assert client.post(f"/api/ideas/{in_description}/comments", json={"text": "Sí, una hucha digital"},
                       headers=bearer("cat")).status_code == 201
    handlers.on_comments_changed(store, type("Event", (), {"data": {"idea_id": in_description}}))
    assert found(client, "HUCHA") == ["Children's accounts"]


def test_search_combines_with_filters_and_every_order(client, bearer, store, corpus):
    assert found(client, "savings ahorro epargne", category="cards") == []
    assert set(found(client, "ahorro epargne savings", category="savings")) == {
        "Un livret d'épargne pour les enfants", "Round up card payments into savings",
        "Cuentas de ahorro para jóvenes"}
    store.ideas.update_one({"_id": corpus["Cuentas de ahorro para jóvenes"]}, {"$set": {"vote_count": 9}})
    for sort in ("newest", "most_voted", "most_discussed", "trending"):
        assert len(found(client, "ahorro epargne savings", sort=sort)) == 3
    assert found(client, "ahorro epargne savings", sort="most_voted")[0] == "Cuentas de ahorro para jóvenes"
    assert found(client, "ahorro", status="planned") == []
    client.put(f"/api/ideas/{corpus['Freeze my card from the app']}/tags", json={"tags": ["Security"]},
               headers=bearer("pat", roles=("product_team",)))
    assert found(client, "card", tag="security") == ["Freeze my card from the app"]


def test_search_never_returns_an_idea_of_a_space_the_reader_is_not_in(client, bearer, corpus):
    submit(client, bearer("pan", spaces=("panel-1",)), "Épargne secrète du panel", "Confidentiel.", space="panel-1")
    assert "Épargne secrète du panel" not in found(client, "epargne")
    assert "Épargne secrète du panel" not in found(client, "epargne", bearer("ann"))
    assert "Épargne secrète du panel" in found(client, "epargne", bearer("pan", spaces=("panel-1",)))
    assert client.get("/api/ideas", query_string={"q": "epargne", "space": "panel-1"},
                      headers=bearer("ann")).status_code == 404
    similar = client.get("/api/ideas/similar", query_string={"title": "épargne secrète"}, headers=bearer("ann"))
    assert "Épargne secrète du panel" not in [i["title"] for i in similar.get_json()["ideas"]]


def test_similar_ideas_are_suggested_while_a_title_is_typed(client, bearer, corpus):
    response = client.get("/api/ideas/similar", query_string={"title": "livret epargne"}, headers=bearer("bob"))
    assert response.status_code == 200
    assert response.get_json()["ideas"][0]["title"] == "Un livret d'épargne pour les enfants"


def test_trending_puts_recent_activity_above_older_and_larger_activity(client, store):
    now = datetime.now(timezone.utc).replace(microsecond=0)
    crafted = {  # title: (submitted days ago, votes, comments, days since the last vote)
        "old and big, quiet now": (30, 200, 20, 20),
        "old with a burst of votes today": (30, 40, 0, 0),
        "new and busy": (1, 30, 5, 0),
        "new and quiet": (0, 0, 0, 0),
    }
    for title, (age, votes, comments, quiet) in crafted.items():
        store.ideas.insert_one({"_id": title, "title": title, "description": "…", "category": "x", "author_id": "a",
                                "space": None, "submitted_at": now - timedelta(days=age), "status": "open",
                                "vote_count": 0, "tally_version": 0, "comment_count": comments, "hidden": None,
                                "image": None, "last_active_at": now - timedelta(days=age)})
        handlers.on_tally_changed(store, type("Event", (), {"data": {"idea_id": title, "count": votes, "version": 1},
                                                            "time": now - timedelta(days=quiet)}))
    listed = client.get("/api/ideas?sort=trending").get_json()["ideas"]
    assert [i["title"] for i in listed] == ["new and busy", "old with a burst of votes today", "new and quiet",
                                            "old and big, quiet now"]


def read_all(client, store, ids: list[str], paging) -> tuple[list[str], set[str]]:
    """Every page of the most voted, 4 at a time, while votes move ideas after each page: the last idea not shown
    yet jumps to the top. Returns the ideas shown, in order, and those that jumped."""
    seen, jumped, page, version = [], set(), None, 2
    while True:
        page = client.get("/api/ideas", query_string={"sort": "most_voted", "limit": 4, **paging(page)}).get_json()
        seen += [i["id"] for i in page["ideas"]]
        if not page["ideas"] or paging(page) == {"after": None}:
            return seen, jumped
        if unseen := [i for i in ids if i not in seen and i not in jumped]:
            store.set_tally(unseen[-1], 1000 + version, version, datetime.now(timezone.utc))
            jumped.add(unseen[-1])
        version += 1


def test_cursor_pages_show_each_idea_once_while_votes_move_ideas_around(client, bearer, store):
    ids = [submit(client, bearer("ann"), f"Idea number {n}", "…") for n in range(30)]

    def reset():
        for n, idea_id in enumerate(ids):
            store.ideas.update_one({"_id": idea_id}, {"$set": {"vote_count": 100 - n, "tally_version": 1}})

    reset()
    shown, jumped = read_all(client, store, ids, lambda page: {"after": page["next"]} if page else {})
    assert sorted(shown) == sorted(set(ids) - jumped)  # each idea that stayed below the page read, once
    reset()
    shown, jumped = read_all(client, store, ids, lambda page: {"offset": page["offset"] + 4} if page else {})
    assert len(shown) > len(set(shown))  # by offset, ideas pushed down by the jumps show twice
    assert client.get("/api/ideas", query_string={"sort": "newest", "after": "bm90IGEgY3Vyc29y"}).status_code == 422


def test_staff_merge_a_duplicate_into_its_original_once(client, bearer, corpus):
    original, duplicate = corpus["Freeze my card from the app"], submit(client, bearer("bob"), "Block my card", "…")
    staff = bearer("pat", roles=("product_team",))
    assert client.post(f"/api/ideas/{duplicate}/merge", json={"into": original}, headers=bearer("bob")
                       ).status_code == 403
    assert client.post(f"/api/ideas/{duplicate}/merge", json={"into": duplicate}, headers=staff).status_code == 409
    assert client.post(f"/api/ideas/{duplicate}/merge", json={"into": "nope"}, headers=staff).status_code == 422
    response = client.post(f"/api/ideas/{duplicate}/merge", json={"into": original}, headers=staff)
    assert response.status_code == 200
    assert client.get(f"/api/ideas/{duplicate}").get_json()["merged_into"] == original
    assert client.post(f"/api/ideas/{duplicate}/merge", json={"into": original}, headers=staff).status_code == 409
    similar = client.get("/api/ideas/similar", query_string={"title": "block my card"}).get_json()["ideas"]
    assert duplicate not in [i["id"] for i in similar]


def test_a_member_follows_and_unfollows_an_idea_they_may_see(client, bearer, store, corpus):
    idea = corpus["Freeze my card from the app"]
    assert client.get(f"/api/ideas/{idea}/follow", headers=bearer("bob")).get_json()["following"] is None
    assert client.put(f"/api/ideas/{idea}/follow", headers=bearer("bob")).get_json()["following"] is True
    assert client.delete(f"/api/ideas/{idea}/follow", headers=bearer("bob")).get_json()["following"] is False
    assert [e["type"] for e in store.follows.find_one({"_id": f"{idea}:bob"})["outbox"]] == [
        "idea.followed", "idea.unfollowed"]
    assert client.put(f"/api/ideas/{idea}/follow").status_code == 401
    secret = submit(client, bearer("pan", spaces=("panel-1",)), "Panel only idea", "…", space="panel-1")
    assert client.put(f"/api/ideas/{secret}/follow", headers=bearer("bob")).status_code == 404


def test_a_search_with_filters_is_read_through_the_text_index(service_settings, recorded_db, bearer, reads):
    http = create_app(service_settings(SERVICE), db=recorded_db).test_client()
    for n in range(300):
        submit(http, bearer("ann"), f"Idea {n} about {'épargne' if n % 10 == 0 else 'cards'}", "…")
    for query in ({"q": "epargnes"}, {"q": "epargne", "sort": "most_voted", "category": "ideas"},
                  {"q": "epargne", "tag": "x", "status": "open"}):
        reads.commands.clear()
        assert http.get("/api/ideas", query_string=query, headers=bearer("reader")).status_code == 200
        assert reads.commands and reads.full_scans(recorded_db) == []
