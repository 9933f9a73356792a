"""Share previews (issue 12): an idea's page as the gateway serves it to a browser or a link preview (a social
network's or a chat app's crawler, which runs no script), with its Open Graph and Twitter card tags filled in on the
server: the web lab's index.html, the idea's title, a summary and its image. Rules with no I/O.

A preview is what anyone may see, so it is made for an anonymous reader whoever asks: an idea of an invite-only
space, a hidden idea or one that does not exist gets the lab's own tags only, the same for all three, so a preview
tells nothing of whether a private idea exists. Everything put in is HTML-escaped."""
from dataclasses import dataclass
from html import escape

from idealab.brand import Brand

SUMMARY_LENGTH = 200


@dataclass(frozen=True)
class Preview:
    title: str
    summary: str
    url: str
    image: str | None


def summary(text: str) -> str:
    """The first words of a text, on one line, at most SUMMARY_LENGTH characters."""
    line = " ".join(text.split())
    return line if len(line) <= SUMMARY_LENGTH else line[:SUMMARY_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def of_idea(idea: dict | None, brand: Brand, public_url: str, path: str) -> Preview:
    """The preview of an idea as an anonymous reader sees it (None: not theirs to see), else the lab's own."""
    if idea is None or idea.get("hidden") is not None or idea.get("space") is not None:
        return of_lab(brand, public_url, path)
    image = idea.get("image")
    return Preview(idea["title"], summary(idea["description"]), public_url + path,
                   public_url + image["url"] if image else _logo(brand, public_url))


def of_lab(brand: Brand, public_url: str, path: str) -> Preview:
    return Preview(brand.name, brand.name, public_url + path, _logo(brand, public_url))


def _logo(brand: Brand, public_url: str) -> str | None:
    return public_url + brand.logo_path if brand.logo_path else None


def tags(preview: Preview, brand: Brand) -> str:
    """The page's title and its preview tags, escaped."""
    title = preview.title if preview.title == brand.name else f"{preview.title} · {brand.name}"
    meta = [("name", "description", preview.summary), ("property", "og:site_name", brand.name),
            ("property", "og:type", "article"), ("property", "og:title", preview.title),
            ("property", "og:description", preview.summary), ("property", "og:url", preview.url),
            ("name", "twitter:card", "summary_large_image" if preview.image else "summary"),
            ("name", "twitter:title", preview.title), ("name", "twitter:description", preview.summary)]
    if preview.image:
        meta += [("property", "og:image", preview.image), ("name", "twitter:image", preview.image)]
    lines = [f"<title>{escape(title)}</title>"]
    lines += [f'<meta {kind}="{escape(key)}" content="{escape(value)}" />' for kind, key, value in meta]
    return "\n    ".join(lines)


def page(index_html: str, preview: Preview, brand: Brand) -> str:
    """The web lab's index.html with its <title> replaced by the preview's title and tags."""
    start, end = index_html.find("<title>"), index_html.find("</title>")
    if start < 0 or end < start:
        at = index_html.find("</head>")
        return index_html[:at] + tags(preview, brand) + "\n  " + index_html[at:]
    return index_html[:start] + tags(preview, brand) + index_html[end + len("</title>"):]
