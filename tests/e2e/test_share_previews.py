"""Share previews through the gateway (issue 12): a public idea's page, as a network's link preview fetches it (no
script, no token), carries its title, summary and image in Open Graph and Twitter card tags and is still the web lab;
an invite-only space's idea previews as the lab alone, to an outsider and to anyone else, exactly as an idea that
does not exist, so a shared link never shows private content. The gateway also serves the web lab's configuration
(the bank's brand, here the lab's own: deploy/README.md)."""
import io

import pytest
import requests

from idealab_testing import free_port, gateway_of_its_own, unique

from .test_gateway import assert_hardened

pytestmark = pytest.mark.e2e

GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00" \
      b"\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"


def preview(gateway, path):
    """The page as a link preview's crawler gets it: anonymous, asking for HTML."""
    answer = requests.get(gateway + path, headers={"Accept": "text/html", "User-Agent": "facebookexternalhit/1.1"},
                          timeout=10)
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/html"), answer.text
    assert_hardened(answer)
    return answer.text


def test_a_public_ideas_link_previews_its_title_summary_and_image_and_opens_the_web_lab(gateway, member):
    author = member()
    image = author.post("/api/ideas/images", files={"image": ("card.gif", io.BytesIO(GIF), "image/gif")}).json()
    idea = author.post("/api/ideas", json={"title": "Freeze my card from the app <now>", "category": "cards",
                                           "description": "One tap when it is lost & found again.",
                                           "image_id": image["id"]}).json()
    html = preview(gateway, f"/ideas/{idea['id']}")
    assert '<meta property="og:title" content="Freeze my card from the app &lt;now&gt;" />' in html
    assert '<meta name="twitter:description" content="One tap when it is lost &amp; found again." />' in html
    assert f'/api/ideas/images/{image["id"]}" />' in html and 'content="summary_large_image"' in html
    assert '<div id="app"></div>' in html and "/assets/" in html  # the web lab, which then shows the idea
    assert requests.get(f"{gateway}/api/ideas/images/{image['id']}", timeout=10).status_code == 200  # for the preview


def test_an_invite_only_spaces_idea_previews_as_the_lab_alone_like_no_idea_at_all(gateway, member):
    panel = unique("panel-")[:-1]
    insider = member(spaces=(panel,))
    idea = insider.post("/api/ideas", json={"title": "Secret: the premium card's new fee", "category": "cards",
                                            "description": "Only for the panel's eyes.", "space": panel}).json()
    assert insider.get(f"/api/ideas/{idea['id']}").status_code == 200
    private = preview(gateway, f"/ideas/{idea['id']}")
    missing = preview(gateway, "/ideas/no-such-idea")
    for html in (private, missing):
        assert "Secret" not in html and "premium" not in html and "panel's eyes" not in html
        assert '<meta property="og:title" content="Idea Lab" />' in html
    assert private.replace(idea["id"], "") == missing.replace("no-such-idea", "")


def test_the_web_labs_configuration_is_the_labs_own_without_a_brand_file(gateway):
    answer = requests.get(f"{gateway}/config.json", timeout=10)
    assert answer.status_code == 200 and answer.json() == {}
    assert_hardened(answer)


@pytest.fixture
def gateway_without_ideas(lab_env, running_lab, gateway_script):
    """A gateway of its own whose ideas service is away (nothing listens on its port)."""
    with gateway_of_its_own(gateway_script, {**lab_env, "IDEAS_PORT": str(free_port())}, "/api/votes/healthz",
                            "the gateway without its ideas service") as url:
        yield url


def test_with_the_ideas_service_away_an_ideas_page_is_still_the_web_lab(gateway_without_ideas):
    html = preview(gateway_without_ideas, "/ideas/some-idea")
    assert '<div id="app"></div>' in html and "og:title" not in html
