"""Search results come in pages like the other lists: `next` is the cursor of the following page, in relevance
order (the position) and in every list order (the last sort key, so votes moving ideas meanwhile show none twice);
a cursor of another order is a 422; the pages are read through the text index."""
import base64
import json

import pytest

from ideas.app import create_app
from ideas.config import SERVICE

pytestmark = pytest.mark.integration


def submit(client, headers, title: str) -> str:
    response = client.post("/api/ideas", json={"title": title, "description": "…", "category": "savings"},
                           headers=headers)
    assert response.status_code == 201
    return response.get_json()["id"]


def pages(client, query: dict, between=lambda page: None) -> list[list[str]]:
    found, page = [], {}
    while True:
        response = client.get("/api/ideas", query_string={**query, **({"after": page["next"]} if page else {})})
        assert response.status_code == 200, response.get_json()
        page = response.get_json()
        found.append([i["id"] for i in page["ideas"]])
        if page["next"] is None:
            return found
        between(page)


@pytest.fixture
def savings(client, bearer):
    """25 ideas about savings (their titles say it once, twice or three times: relevance differs) and 5 others."""
    ids = [submit(client, bearer("ann"), f"Savings {'savings ' * (n % 3)}idea {n}") for n in range(25)]
    for n in range(5):
        submit(client, bearer("ann"), f"Cards idea {n}")
    return ids


def test_search_pages_in_relevance_order_are_the_whole_result_once(client, savings):
    whole = [i["id"] for i in client.get("/api/ideas", query_string={"q": "saving", "limit": 100}).json["ideas"]]
    paged = pages(client, {"q": "saving", "limit": 10})
    assert [len(p) for p in paged] == [10, 10, 5]
    assert [i for p in paged for i in p] == whole and sorted(whole) == sorted(savings)


def test_search_pages_in_a_list_order_show_each_idea_once_while_votes_move_ideas(client, store, savings):
    for n, idea_id in enumerate(savings):
        store.ideas.update_one({"_id": idea_id}, {"$set": {"vote_count": 100 - n, "tally_version": 1}})
    shown = []

    def votes_move(page):
        # The last idea below the page jumps to the top: a page read by offset would show another one twice.
        unseen = [i for i in savings if i not in shown + [x["id"] for x in page["ideas"]]]
        store.ideas.update_one({"_id": unseen[-1]}, {"$set": {"vote_count": 1_000}})

    paged = pages(client, {"q": "saving", "sort": "most_voted", "limit": 5},
                  lambda page: (votes_move(page), shown.extend(i["id"] for i in page["ideas"])))
    seen = [i for p in paged for i in p]
    assert len(paged) > 3 and len(seen) == len(set(seen))  # the jumpers are above the cursor: read no more


def test_a_search_cursor_of_another_order_or_made_up_is_refused(client, savings):
    newest = client.get("/api/ideas", query_string={"q": "saving", "sort": "newest", "limit": 5}).json["next"]
    assert client.get("/api/ideas", query_string={"q": "saving", "after": newest}).status_code == 422
    for position in (-1, "10", 10 ** 9):
        made_up = base64.urlsafe_b64encode(json.dumps([position]).encode()).decode()
        answer = client.get("/api/ideas", query_string={"q": "saving", "after": made_up})
        assert answer.status_code == 422 and answer.content_type == "application/problem+json", position


def test_search_pages_after_a_cursor_are_read_through_the_text_index(service_settings, recorded_db, bearer, reads):
    http = create_app(service_settings(SERVICE), db=recorded_db).test_client()
    for n in range(120):
        submit(http, bearer("ann"), f"Idea {n} about {'épargne' if n % 2 == 0 else 'cards'}")
    for sort in ("relevance", "most_voted", "newest"):
        first = http.get("/api/ideas", query_string={"q": "epargne", "sort": sort, "limit": 10}).json
        reads.commands.clear()
        second = http.get("/api/ideas", query_string={"q": "epargne", "sort": sort, "limit": 10,
                                                      "after": first["next"]})
        assert second.status_code == 200 and len(second.json["ideas"]) == 10
        assert not {i["id"] for i in first["ideas"]} & {i["id"] for i in second.json["ideas"]}
        assert reads.commands and reads.full_scans(recorded_db) == [], sort
