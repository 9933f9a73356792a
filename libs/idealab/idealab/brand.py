"""The bank's own lab (issue 15): its name, logo, colours, footer links and default language, from one JSON file named
by LAB_BRAND_FILE, read once at start. The gateway serves the same file to the web lab as /config.json (and the
logo beside it under /brand/), the services put the name in their emails and share previews. Without the file, the
lab is "Idea Lab" in its own colours.

    {"name": "Le Lab", "logo": "logo.svg", "default_language": "fr",
     "colours": {"brand": "#7a1f5c", "brand_dark": "#5a1744"},
     "footer_links": [{"label": {"fr": "Confidentialité", "en": "Privacy"}, "href": "https://bank.example/privacy"}]}

A colour a member could not read is refused at start: the brand colour is link text on the lab's white and light
grey backgrounds and the background of white button text, so each must reach WCAG AA's 4.5:1 against them (the
browser tests check the pages themselves with axe)."""
import functools
import json
import os
from dataclasses import dataclass, field

from marshmallow import Schema, ValidationError, fields, validate, validates

LANGUAGES = ("fr", "en", "es")  # the lab's: of its texts written in several, its emails, its default
HEX = validate.Regexp(r"^#[0-9a-fA-F]{6}\Z", error="a colour as #rrggbb")
# The lab's own backgrounds (web/src/styles.css: --paper, --wash) and its button text.
BACKGROUNDS = ("#ffffff", "#f3f5f8")
AA = 4.5


def luminance(colour: str) -> float:
    """WCAG 2's relative luminance of a #rrggbb colour."""
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast(a: str, b: str) -> float:
    """WCAG 2's contrast ratio of two colours, from 1 to 21."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def unreadable(colours: dict[str, str]) -> list[str]:
    """What fails AA among the configured colours, said in words; empty when every pairing is readable."""
    return [f"{name} {colour} on {background} is {contrast(colour, background):.2f}:1, under {AA}:1"
            for name, colour in colours.items() for background in BACKGROUNDS
            if contrast(colour, background) < AA]


class _Colours(Schema):
    brand = fields.String(validate=HEX)
    brand_dark = fields.String(validate=HEX)


class _Link(Schema):
    label = fields.Raw(required=True, metadata={"description": "a text, or one per language"})
    href = fields.String(required=True, validate=validate.Regexp(r"^(https?://|/)[^\s\"<>]{0,2000}\Z",
                                                                  error="an http(s) address or a path of the lab"))

    @validates("label")
    def _label(self, value, **_kwargs):
        texts = value.values() if isinstance(value, dict) else [value]
        if (isinstance(value, dict) and not set(value) <= set(LANGUAGES)) or not value \
                or not all(isinstance(t, str) and 0 < len(t) <= 80 for t in texts):
            raise ValidationError("a text of 1-80 characters, or one per language (fr, en, es)")


class _Brand(Schema):
    name = fields.String(validate=validate.Length(min=1, max=60))
    logo = fields.String(validate=validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\Z",
                                                  error="a file name beside the brand file"))
    default_language = fields.String(validate=validate.OneOf(LANGUAGES))
    colours = fields.Nested(_Colours)
    footer_links = fields.List(fields.Nested(_Link), validate=validate.Length(max=10))


@dataclass(frozen=True)
class Brand:
    name: str = "Idea Lab"
    logo: str | None = None  # served by the gateway as /brand/<logo>
    default_language: str = "en"
    colours: dict = field(default_factory=dict)
    footer_links: list = field(default_factory=list)

    @property
    def logo_path(self) -> str | None:
        return f"/brand/{self.logo}" if self.logo else None


def parse(raw: dict) -> Brand:
    """The brand of a configuration's JSON; ValueError saying what is wrong (shape or contrast)."""
    try:
        data = _Brand().load(raw)
    except ValidationError as exc:
        raise ValueError(f"the brand configuration is invalid: {exc.messages}") from None
    problems = unreadable(data.get("colours", {}))
    if problems:
        raise ValueError(f"the brand's colours are not readable enough: {'; '.join(problems)}")
    return Brand(**data)


def load(path: str | None) -> Brand:
    if not path:
        return Brand()
    with open(path, encoding="utf-8") as file:
        return parse(json.load(file))


@functools.cache
def current() -> Brand:
    """The lab's brand from LAB_BRAND_FILE, read once per process."""
    return load(os.environ.get("LAB_BRAND_FILE"))
