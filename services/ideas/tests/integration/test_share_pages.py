"""An idea's page with its share preview, as the ideas service serves it for the gateway's /ideas/<id> (issue 12):
the public idea's title, summary and image in Open Graph and Twitter card tags; the lab's own tags for a private
space's idea, even to its own members (a preview is for anyone who gets the link), for a hidden idea and for none."""
import io

import pytest
from pymongo.errors import ServerSelectionTimeoutError

pytestmark = pytest.mark.integration

PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


def submit(client, headers, **fields):
    answer = client.post("/api/ideas", json={"title": "Round-ups", "description": "Save the change of every payment.",
                                             "category": "savings", **fields}, headers=headers)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()["id"]


def page(client, idea_id, headers=None):
    answer = client.get(f"/api/ideas/pages/{idea_id}", headers=headers or {})
    assert answer.status_code == 200 and answer.mimetype == "text/html"
    return answer.get_data(as_text=True)


def test_a_public_ideas_page_previews_its_title_summary_and_image(client, bearer, tmp_path, app):
    index = tmp_path / "index.html"
    index.write_text('<!doctype html><html><head><title>Idea Lab</title><script src="/assets/app.js"></script>'
                     '</head><body><div id="app"></div></body></html>')
    app.config["WEB_INDEX"] = str(index)
    ann = bearer("ann")
    image = client.post("/api/ideas/images", data={"image": (io.BytesIO(PNG), "a.png")}, headers=ann)
    idea_id = submit(client, ann, image_id=image.get_json()["id"])
    html = page(client, idea_id)
    assert '<script src="/assets/app.js"></script>' in html  # the web lab itself, which then shows the idea
    assert '<meta property="og:title" content="Round-ups" />' in html
    assert '<meta property="og:description" content="Save the change of every payment." />' in html
    assert f'content="http://127.0.0.1:8080/api/ideas/images/{image.get_json()["id"]}"' in html
    assert f'<meta property="og:url" content="http://127.0.0.1:8080/ideas/{idea_id}" />' in html


def test_a_private_spaces_idea_a_hidden_one_and_a_missing_one_preview_the_lab_only(client, bearer):
    insider = bearer("ann", spaces=("panel",))
    private = submit(client, insider, title="Panel only: a better savings rate", space="panel")
    hidden = submit(client, bearer("bob"), title="Spam spam spam")
    moderated = client.post(f"/api/ideas/{hidden}/hide", json={"reason": "spam"},
                            headers=bearer("mod", roles=("moderator",)))
    assert moderated.status_code == 200, moderated.get_json()
    pages = [page(client, private), page(client, private, insider), page(client, hidden), page(client, "nothing")]
    for html in pages:
        assert "Panel only" not in html and "savings rate" not in html and "Spam" not in html
        assert '<meta property="og:title" content="Idea Lab" />' in html
    assert len({html.replace(i, "") for html, i in zip(pages, [private, private, hidden, "nothing"])}) == 1


def test_with_the_database_away_the_page_still_opens_the_lab_with_its_own_preview(client, app, monkeypatch):
    def away(*_args, **_kwargs):
        raise ServerSelectionTimeoutError("the database is away")
    monkeypatch.setattr(app.extensions["idealab.store"], "get", away)
    html = page(client, "some-idea")
    assert '<meta property="og:title" content="Idea Lab" />' in html
