"""Rules about ideas, with no I/O."""
import base64
import json
import math
import re
import unicodedata
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import snowballstemmer

from idealab.events import new_event
from idealab.windows import window_of

SORTS = ("newest", "most_voted", "most_discussed", "trending")
RELEVANCE = "relevance"  # a search's own order, best match first
MAX_TAGS = 5
HIDE, RESTORE = "hide", "restore"
MAX_IMAGE_BYTES = 2 * 1024 * 1024
UPLOAD_DAY = timedelta(days=1)  # a member's upload quota is counted per UTC day
# What a file is, by its first bytes: the name and Content-Type a browser sends are the sender's word, not a fact.
IMAGE_SIGNATURES = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"),
                    (b"GIF87a", "image/gif"), (b"GIF89a", "image/gif"))


class ModerationConflict(Exception):
    """Hiding what is hidden already, or restoring what is shown."""


IMAGE_REFUSAL = "not an image: PNG, JPEG, WebP or GIF only"


class NotTaken(Exception):
    """Bytes of a kind the lab does not take; the message says which it takes."""


def image_type(data: bytes) -> str | None:
    """The content type of an image, read from its first bytes; None for anything else."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return next((kind for signature, kind in IMAGE_SIGNATURES if data.startswith(signature)), None)


def image_url(image_id: str) -> str:
    return f"/api/ideas/images/{image_id}"


def new_upload(data: bytes, owner_id: str, now: datetime, type_of: Callable[[bytes], str | None],
               refusal: str) -> dict:
    """An uploaded image or video, to be attached by its owner. Its type is read from its bytes by `type_of` (none:
    refused with `refusal`, which says what is taken). Its id is random: it is the only key to it."""
    content_type = type_of(data)
    if content_type is None:
        raise NotTaken(refusal)
    return {"_id": uuid.uuid4().hex, "owner_id": owner_id, "content_type": content_type, "size": len(data),
            "data": data, "uploaded_at": now, "attached": None}


def upload_day(member_id: str, now: datetime) -> tuple[str, datetime]:
    """The counter of the member's uploads today, and when today ends (when they may upload again)."""
    start, end = window_of(now, UPLOAD_DAY)
    return f"{member_id}:{start.date().isoformat()}", end


# Search. The lab's text is French, English and Spanish, often typed without accents. Each word is stemmed by the
# three languages' Snowball stemmers (which know accented spellings) and each stem then folded (accents and case
# removed): "Épargnes", "épargne" and "epargnes" all give "epargn". An idea keeps the folded stems of its title and
# of its description and visible comments; a query is stemmed and folded the same way.
STEMMERS = [snowballstemmer.stemmer(language) for language in ("french", "english", "spanish")]
WORD = re.compile(r"\w+")
MAX_TERMS = 2000  # an idea's body terms, distinct: a long discussion adds few new words after a while


def fold(text: str) -> str:
    """`text` without accents or case: "Épargne" → "epargne"."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def terms(text: str) -> list[str]:
    """The distinct folded stems of `text`'s words in the three languages, in the order they first come."""
    found: dict[str, None] = {}
    for word in WORD.findall(text.casefold()):
        for stemmer in STEMMERS:
            found[fold(stemmer.stemWord(word))] = None
    return list(found)[:MAX_TERMS]


def search_fields(title: str, texts: list[str]) -> dict:
    """What an idea's search index holds: the terms of its title, and those of its description and comments."""
    return {"search": {"title": " ".join(terms(title)), "body": " ".join(terms(" ".join(texts)))}}


# Trending: activity weighted against age, as one number that needs no refreshing while time passes:
#     trending = log2(1 + votes + 2 × comments) + (last active − TRENDING_EPOCH) / TRENDING_DAY
# where "last active" is the latest of the idea's submission, its latest comment and its latest tally change. A day
# of recency is worth doubling the activity: an idea active today with 10 votes ranks above one last active
# yesterday with 20 (log2 11 + 1 > log2 21), and an old idea with a burst of votes today climbs back. Comparing two
# ideas' scores at any later moment gives the same order as an exponential decay with a one-day half-life would, so
# the score is written once per change and read through an index like the other orders.
TRENDING_EPOCH = datetime(2024, 1, 1, tzinfo=timezone.utc)
TRENDING_DAY = timedelta(days=1)
COMMENT_WEIGHT = 2


def trending(votes: int, comments: int, last_active_at: datetime) -> float:
    activity = 1 + votes + COMMENT_WEIGHT * comments
    return round(math.log2(activity) + (last_active_at - TRENDING_EPOCH) / TRENDING_DAY, 9)


# A relevance page's cursor: how many results came before the next page (as far as an offset may go).
SEARCH_POSITION = [("position", 1)]
MAX_POSITION = 100_000


class BadCursor(ValueError):
    """A cursor this list did not give."""


def cursor(idea: dict, sort: list[tuple[str, int]]) -> str:
    """The cursor after `idea` in a list ordered by `sort`: its sort key, as opaque URL-safe text."""
    values = [idea.get(name).isoformat() if isinstance(idea.get(name), datetime) else idea.get(name)
              for name, _ in sort]
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode()


def after(text: str, sort: list[tuple[str, int]]) -> dict:
    """The sort key a cursor holds, its dates read back as dates."""
    try:
        values = json.loads(base64.urlsafe_b64decode(text.encode()))
        if not isinstance(values, list) or len(values) != len(sort):
            raise BadCursor("not a cursor of this order")
        if sort == SEARCH_POSITION and not (type(values[0]) is int and 0 <= values[0] <= MAX_POSITION):
            raise BadCursor("not a cursor of this order")
        return {name: datetime.fromisoformat(v) if name.endswith("_at") else v
                for (name, _), v in zip(sort, values, strict=True)}
    except (ValueError, TypeError) as exc:
        raise BadCursor("not a cursor of this order") from exc


def tags(values: list[str]) -> list[str]:
    """Tags as stored: trimmed, lower case, each once, in the order given."""
    return list(dict.fromkeys(v.strip().casefold() for v in values))[:MAX_TAGS]


class MergeRefused(Exception):
    """A merge that would not leave one original: into itself, into a duplicate, across spaces, or twice."""


def merge(duplicate: dict, original: dict, by: str, now: datetime) -> tuple[dict, dict]:
    """Marks `duplicate` as merged into `original` and announces it: the votes service counts its voters for the
    original (each once), notifications moves its followers, the roadmap marks it duplicate."""
    if duplicate["_id"] == original["_id"]:
        raise MergeRefused("an idea cannot be merged into itself")
    if duplicate.get("merged_into"):
        raise MergeRefused("this idea was merged already")
    if original.get("merged_into"):
        raise MergeRefused("the original was itself merged: merge into the idea it points to")
    if duplicate.get("space") != original.get("space"):
        raise MergeRefused("both ideas must be in the same space")
    changes = {"merged_into": original["_id"], "merged_at": now}
    event = new_event("idea.merged", {"idea_id": duplicate["_id"], "into": original["_id"], "by": by,
                                      "merged_at": now}, source="/ideas", subject=duplicate["_id"])
    return changes, event


def follow(idea_id: str, user_id: str, following: bool, now: datetime) -> tuple[dict, dict]:
    """A member's explicit choice to follow an idea or not (the latest one counts), and its event."""
    choice = {"_id": f"{idea_id}:{user_id}", "idea_id": idea_id, "user_id": user_id, "following": following,
              "at": now}
    event = new_event("idea.followed" if following else "idea.unfollowed",
                      {"idea_id": idea_id, "user_id": user_id, "at": now}, source="/ideas", subject=idea_id)
    return choice, event


def submit(fields: dict, author_id: str, now: datetime, image_id: str | None = None) -> tuple[dict, dict]:
    """A new idea, open for votes, and the event announcing it (`space`: an invite-only panel, or None; `image_id`:
    an image its author uploaded, or None)."""
    idea = {
        "_id": uuid.uuid4().hex,
        "title": fields["title"].strip(),
        "description": fields["description"].strip(),
        "category": fields["category"],
        "author_id": author_id,
        "space": fields.get("space"),
        "language": fields.get("language"),  # the team answers in it (ideas.promise)
        "submitted_at": now,
        "status": "open",
        "vote_count": 0,
        "tally_version": 0,
        "comment_count": 0,
        "hidden": None,
        "image": {"id": image_id, "url": image_url(image_id)} if image_id else None,
        "tags": tags(fields.get("tags", [])),
        "last_active_at": now,
        "trending": trending(0, 0, now),
        # A contest entry's contest and round, video or video link (ideas.entries); absent from other ideas.
        **{k: fields[k] for k in ("contest", "video", "video_link") if fields.get(k)},
    }
    idea.update(search_fields(idea["title"], [idea["description"]]))
    event = new_event("idea.submitted", {
        "idea_id": idea["_id"], "title": idea["title"], "description": idea["description"],
        "category": idea["category"], "author_id": author_id, "submitted_at": now,
        "space": idea["space"],
        **({"contest_id": idea["contest"]["id"], "round": idea["contest"]["round"]} if "contest" in idea else {}),
    }, source="/ideas", subject=idea["_id"])
    return idea, event


def post_comment(idea: dict, fields: dict, author_id: str, now: datetime,
                 mentioned: list[str] = ()) -> tuple[dict, dict]:
    """A comment (or a reply to one, `reply_to`) on `idea`, and the event announcing it, naming the members it
    mentions who may see it (`mentioned`, ideas.mentions)."""
    comment = {
        "_id": uuid.uuid4().hex,
        "idea_id": idea["_id"],
        "space": idea.get("space"),
        "author_id": author_id,
        "text": fields["text"].strip(),
        "reply_to": fields.get("reply_to"),
        "posted_at": now,
        "hidden": None,
        "moderation": [],
    }
    event = new_event("comment.posted", {
        "comment_id": comment["_id"], "idea_id": idea["_id"], "author_id": author_id,
        "reply_to": comment["reply_to"], "posted_at": now, "mentioned": list(mentioned)}, source="/ideas",
        subject=idea["_id"])
    return comment, event


def moderate(item: dict, kind: str, action: str, reason: str, by: str, now: datetime) -> tuple[dict, dict, dict]:
    """Hides or restores an idea or a comment (`kind`): never a deletion, and the reason is shown to everyone.

    Returns the changes to store, the entry for the item's moderation history, and the event."""
    hidden = item.get("hidden") is not None
    if (action == HIDE) == hidden:
        raise ModerationConflict(f"this {kind} is {'hidden' if hidden else 'shown'} already")
    entry = {"action": action, "reason": reason.strip(), "by": by, "at": now}
    changes = {"hidden": {"reason": entry["reason"], "by": by, "at": now} if action == HIDE else None}
    idea_id = item["idea_id"] if kind == "comment" else item["_id"]
    event = new_event(f"{kind}.{'hidden' if action == HIDE else 'restored'}", {
        "idea_id": idea_id, "comment_id": item["_id"] if kind == "comment" else None,
        "reason": entry["reason"], "by": by, "at": now}, source="/ideas", subject=idea_id)
    return changes, entry, event


def as_shown(item: dict, staff: bool, text_fields: tuple[str, ...]) -> dict:
    """What a reader sees of an idea or comment: if hidden, that it was and why, not its text; staff see it all,
    with the moderation history (the audit log)."""
    if staff:
        return item
    shown = {k: v for k, v in item.items() if k != "moderation"}
    if item.get("hidden") is None:
        return shown
    # A flagged item hidden pending review says so; one upheld says for which of the listed reasons (ideas.moderation).
    public = ("reason", "at", "pending_review", "category", "note")
    return {**shown, **dict.fromkeys(text_fields), "hidden": {k: v for k, v in item["hidden"].items() if k in public}}
