"""The roadmap's Atom feed (RFC 4287), with no I/O: entries in, a feed document out."""
import re
from datetime import datetime
from xml.etree import ElementTree

ATOM = "http://www.w3.org/2005/Atom"
# What XML 1.0 cannot hold at all, even escaped; a public message may contain it (a text field takes any character).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
STATUS_NAMES = {"open": "open", "under_review": "under review", "planned": "planned", "in_progress": "in progress",
                "launched": "launched", "declined": "declined", "duplicate": "merged into another idea"}


def entry(kind: str, subject_id: str, title: str, change: dict) -> dict:
    """One feed entry: an idea's or an initiative's latest change (`change`: a history entry)."""
    announced = change.get("from") is None and kind == "initiatives"
    verb = "announced" if announced else f"now {STATUS_NAMES[change['to']]}"
    return {"id": f"urn:idealab:{kind}:{subject_id}:{change['at'].isoformat()}", "title": f"{title}: {verb}",
            "summary": change["message"], "updated": change["at"], "path": f"/{kind}/{subject_id}"}


def atom(entries: list[dict], base_url: str, now: datetime) -> bytes:
    """The feed of `entries`, newest first; `base_url` makes their links absolute."""
    ElementTree.register_namespace("", ATOM)
    feed = ElementTree.Element(f"{{{ATOM}}}feed")
    entries = sorted(entries, key=lambda e: e["updated"], reverse=True)
    _text(feed, "id", f"{base_url}/roadmap")
    _text(feed, "title", "Idea Lab: roadmap changes")
    _text(feed, "updated", (entries[0]["updated"] if entries else now).isoformat())
    ElementTree.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href=f"{base_url}/roadmap")
    _text(ElementTree.SubElement(feed, f"{{{ATOM}}}author"), "name", "Idea Lab")
    for e in entries:
        item = ElementTree.SubElement(feed, f"{{{ATOM}}}entry")
        _text(item, "id", e["id"])
        _text(item, "title", e["title"])
        _text(item, "updated", e["updated"].isoformat())
        ElementTree.SubElement(item, f"{{{ATOM}}}link", rel="alternate", href=base_url + e["path"])
        _text(item, "summary", e["summary"])
    return ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)


def _text(parent: ElementTree.Element, name: str, text: str) -> None:
    ElementTree.SubElement(parent, f"{{{ATOM}}}{name}").text = NOT_XML.sub("", text)
