"""An idea's share preview (issue 12): its title, a summary and its image for a public idea; the lab's own tags,
the same whatever the reason, for an idea of a private space, a hidden one or none; everything escaped."""
from idealab.brand import Brand
from ideas import share

LAB = Brand(name="Le Lab", logo="logo.svg")
URL = "https://lab.bank.example"
INDEX = '<!doctype html>\n<html lang="en">\n  <head>\n    <title>Idea Lab</title>\n  </head>\n  <body></body>\n</html>\n'
IDEA = {"title": "Round-ups", "description": "Round every card payment up\nand save the change.", "space": None,
        "hidden": None, "image": {"id": "img1", "url": "/api/ideas/images/img1"}}


def test_a_public_ideas_preview_has_its_title_summary_page_and_image():
    preview = share.of_idea(IDEA, LAB, URL, "/ideas/i1")
    assert preview == share.Preview("Round-ups", "Round every card payment up and save the change.",
                                    "https://lab.bank.example/ideas/i1", "https://lab.bank.example/api/ideas/images/img1")
    html = share.page(INDEX, preview, LAB)
    assert "<title>Round-ups · Le Lab</title>" in html and "Idea Lab" not in html
    for tag in ('property="og:title" content="Round-ups"', 'property="og:site_name" content="Le Lab"',
                'name="twitter:card" content="summary_large_image"',
                'property="og:image" content="https://lab.bank.example/api/ideas/images/img1"',
                'name="twitter:description" content="Round every card payment up and save the change."'):
        assert tag in html


def test_an_idea_without_an_image_shows_the_labs_logo():
    preview = share.of_idea({**IDEA, "image": None}, LAB, URL, "/ideas/i1")
    assert preview.image == "https://lab.bank.example/brand/logo.svg"


def test_a_private_spaces_idea_a_hidden_one_and_none_all_get_the_same_lab_preview():
    private = share.of_idea({**IDEA, "space": "panel"}, LAB, URL, "/ideas/i1")
    hidden = share.of_idea({**IDEA, "hidden": {"reason": "spam"}}, LAB, URL, "/ideas/i1")
    missing = share.of_idea(None, LAB, URL, "/ideas/i1")
    assert private == hidden == missing == share.Preview("Le Lab", "Le Lab", "https://lab.bank.example/ideas/i1",
                                                         "https://lab.bank.example/brand/logo.svg")
    html = share.page(INDEX, private, LAB)
    assert "Round-ups" not in html and "<title>Le Lab</title>" in html


def test_what_members_wrote_is_escaped_in_every_tag():
    idea = {**IDEA, "title": '"><script>alert(1)</script>', "description": "a & b <i>"}
    html = share.page(INDEX, share.of_idea(idea, LAB, URL, "/ideas/i1"), LAB)
    assert "<script>" not in html and "&quot;&gt;&lt;script&gt;" in html and "a &amp; b &lt;i&gt;" in html


def test_a_long_description_is_cut_at_a_word_within_200_characters():
    text = share.summary("word " * 100)
    assert len(text) <= 200 and text.endswith("word…")
