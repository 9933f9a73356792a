"""The bank's own lab from its brand file (issue 15): a name, a logo beside the file, colours readable on the lab's
backgrounds (WCAG AA), footer links and a default language; anything else is refused at start, saying what."""
import json

import pytest
from flask import Blueprint

from idealab import brand, web
from idealab.config import Settings


def test_without_a_brand_file_the_lab_is_idea_lab_in_its_own_colours():
    assert brand.load(None) == brand.Brand() and brand.Brand().name == "Idea Lab"


def test_a_brand_file_names_the_lab_its_logo_colours_links_and_language(tmp_path):
    path = tmp_path / "brand.json"
    path.write_text(json.dumps({
        "name": "Le Lab", "logo": "logo.svg", "default_language": "fr",
        "colours": {"brand": "#7a1f5c", "brand_dark": "#5a1744"},
        "footer_links": [{"label": {"fr": "Confidentialité", "en": "Privacy"}, "href": "https://bank.example/p"},
                         {"label": "Aide", "href": "/questions"}]}))
    lab = brand.load(str(path))
    assert (lab.name, lab.logo_path, lab.default_language) == ("Le Lab", "/brand/logo.svg", "fr")
    assert lab.colours["brand"] == "#7a1f5c" and len(lab.footer_links) == 2


def test_the_contrast_ratio_is_wcags():
    assert brand.contrast("#000000", "#ffffff") == pytest.approx(21)
    assert brand.contrast("#ffffff", "#ffffff") == pytest.approx(1)
    assert brand.contrast("#0b5394", "#ffffff") == pytest.approx(7.84, abs=0.01)  # the lab's own blue
    assert brand.contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the lightest AA grey


@pytest.mark.parametrize("colour", ["#ffcc00", "#7fb3ff", "#888888"])
def test_a_colour_too_light_for_text_on_the_labs_backgrounds_is_refused_naming_the_ratio(colour):
    with pytest.raises(ValueError, match=rf"brand {colour} on #ffffff is \d\.\d\d:1, under 4.5:1"):
        brand.parse({"colours": {"brand": colour}})


@pytest.mark.parametrize("raw, says", [
    ({"colours": {"brand": "red"}}, "#rrggbb"),
    ({"logo": "../secrets"}, "a file name"),
    ({"default_language": "de"}, "default_language"),
    ({"footer_links": [{"label": "Privacy", "href": "javascript:alert(1)"}]}, "http"),
    ({"footer_links": [{"label": {"de": "Datenschutz"}, "href": "/p"}]}, "one per language"),
    ({"name": ""}, "name"),
])
def test_a_malformed_brand_is_refused_saying_what(raw, says):
    with pytest.raises(ValueError, match=says):
        brand.parse(raw)


def test_a_service_does_not_start_with_a_brand_it_would_show_unreadably(tmp_path, monkeypatch):
    path = tmp_path / "brand.json"
    path.write_text(json.dumps({"name": "Yellow Bank", "colours": {"brand": "#ffcc00"}}))
    monkeypatch.setenv("LAB_BRAND_FILE", str(path))
    brand.current.cache_clear()
    settings = Settings("ideas", "mongodb://127.0.0.1:1/", "unused", "127.0.0.1:1", "file:///nowhere")
    try:
        with pytest.raises(ValueError, match="not readable enough"):
            web.create_service_app(settings, "/api/ideas", Blueprint("ideas", __name__), lambda db: None, db=object())
    finally:
        brand.current.cache_clear()
