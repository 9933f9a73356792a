"""Use cases and event handlers of the ideas service."""
from datetime import datetime, timezone

from marshmallow import ValidationError
from werkzeug.exceptions import Conflict, Forbidden, NotFound, UnprocessableEntity, UnsupportedMediaType

from idealab.auth import Principal, can_see
from idealab.events import Event
from idealab.mongo import as_stored

from . import domain
from .store import IdeaStore


def submit_idea(store: IdeaStore, fields: dict, author: Principal) -> dict:
    if not author.can_see(fields.get("space")):
        raise Forbidden("only members of this space may post in it")
    image_id = fields.get("image_id")
    if image_id and store.image_owner(image_id) != author.user_id:
        raise ValidationError({"image_id": [f"no image {image_id} uploaded by you"]})
    idea, event = domain.submit(fields, author.user_id, _now(), image_id)
    store.add(idea, event)
    return idea


def upload_image(store: IdeaStore, data: bytes, owner: Principal) -> dict:
    try:
        image = domain.new_image(data, owner.user_id, _now())
    except domain.NotAnImage as exc:
        raise UnsupportedMediaType(str(exc)) from exc
    store.add_image(image)
    return image


def visible_image(store: IdeaStore, image_id: str, principal: Principal | None) -> tuple[dict, bool]:
    """The image and whether anyone may see it. One shown only in spaces the caller is not in does not exist for
    them, as those ideas do not; one no idea shows yet is known to its uploader only."""
    image, spaces = store.image(image_id), store.image_spaces(image_id)
    if image is None or (spaces and not any(can_see(principal, s) for s in spaces)):
        raise NotFound(f"no image {image_id}")
    return image, not spaces or None in spaces


# What a hidden idea or comment shows readers nothing of (an idea's image may be what was wrong with it).
IDEA_TEXT, COMMENT_TEXT = ("title", "description", "image"), ("text",)


def _now() -> datetime:
    # What is answered, stored and announced all say the same time, at the database's precision.
    return as_stored(datetime.now(timezone.utc))


def visible_idea(store: IdeaStore, idea_id: str, principal: Principal | None) -> dict:
    """The idea as the caller may see it. One of a space the caller is not in answers as if it did not exist: its
    existence is not told either."""
    idea = store.get(idea_id)
    if idea is None or not can_see(principal, idea.get("space")):
        raise NotFound(f"no idea {idea_id}")
    return domain.as_shown(idea, _is_staff(principal), IDEA_TEXT)


def post_comment(store: IdeaStore, idea_id: str, fields: dict, author: Principal) -> dict:
    idea = visible_idea(store, idea_id, author)
    if idea["hidden"] is not None:
        raise Conflict("this idea was hidden by a moderator: it takes no more comments")
    if fields.get("reply_to") and store.comment(idea_id, fields["reply_to"]) is None:
        raise UnprocessableEntity(f"reply_to: no comment {fields['reply_to']} on this idea")
    comment, event = domain.post_comment(idea, fields, author.user_id, _now())
    store.add_comment(comment, event)
    return comment


def comments(store: IdeaStore, idea_id: str, viewer: Principal | None, limit: int, offset: int) -> list[dict]:
    visible_idea(store, idea_id, viewer)
    staff = _is_staff(viewer)
    return [domain.as_shown(c, staff, COMMENT_TEXT) for c in store.comments_of(idea_id, limit, offset)]


def moderate(store: IdeaStore, idea_id: str, comment_id: str | None, action: str, reason: str,
             moderator: Principal) -> dict:
    """Hides or restores an idea (comment_id None) or one of its comments."""
    kind = "idea" if comment_id is None else "comment"
    item = store.get(idea_id) if comment_id is None else store.comment(idea_id, comment_id)
    if item is None:
        raise NotFound(f"no {kind} {comment_id or idea_id}")
    try:
        changes, entry, event = domain.moderate(item, kind, action, reason, moderator.user_id, _now())
    except domain.ModerationConflict as exc:
        raise Conflict(str(exc)) from exc
    if not store.moderate(kind, item["_id"], item.get("hidden") is not None, changes, entry, event):
        raise Conflict(f"this {kind} was moderated by someone else meanwhile; reload and try again")
    return {**item, **changes, "moderation": [*item.get("moderation", []), entry]}


def search(store: IdeaStore, words: str, sort: str, limit: int, offset: int, spaces: list[str | None] | None,
           staff: bool, filters: dict) -> list[dict]:
    """The ideas matching `words` as typed (any accents, any case, any of the three languages' word forms)."""
    folded = " ".join(dict.fromkeys(domain.terms(words)))
    if not folded:
        return []
    found = store.search(folded, sort, limit, offset, spaces, staff, filters)
    return [domain.as_shown(i, staff, IDEA_TEXT) for i in found]


def set_tags(store: IdeaStore, idea_id: str, tags: list[str], staff: Principal) -> dict:
    visible_idea(store, idea_id, staff)
    store.set_tags(idea_id, domain.tags(tags))
    return visible_idea(store, idea_id, staff)


def merge(store: IdeaStore, idea_id: str, into: str, staff: Principal) -> dict:
    """Merges the idea into the original `into`; both must be ideas the staff member may see."""
    duplicate = visible_idea(store, idea_id, staff)
    try:
        original = visible_idea(store, into, staff)
    except NotFound as exc:
        raise UnprocessableEntity(f"into: no idea {into}") from exc
    try:
        changes, event = domain.merge(duplicate, original, staff.user_id, _now())
    except domain.MergeRefused as exc:
        raise Conflict(str(exc)) from exc
    if not store.merge(idea_id, changes, event):
        raise Conflict("this idea was merged meanwhile")
    return {**duplicate, **changes}


def follow(store: IdeaStore, idea_id: str, member: Principal, following: bool) -> dict:
    """Follows or unfollows an idea the member may see: announced, for notifications keeps the subscriptions. A
    vote or comment stays as it is."""
    visible_idea(store, idea_id, member)
    choice, event = domain.follow(idea_id, member.user_id, following, _now())
    store.choose_to_follow(choice, event)
    return choice


def follow_choice(store: IdeaStore, idea_id: str, member: Principal) -> dict:
    """The member's latest explicit choice on the idea (`following` None: none made; voting, commenting or writing
    it follows it)."""
    visible_idea(store, idea_id, member)
    choice = store.follow_choice(idea_id, member.user_id)
    return choice or {"idea_id": idea_id, "user_id": member.user_id, "following": None, "at": None}


def my_data(store: IdeaStore, user_id: str) -> dict:
    return {"ideas": store.by_author(user_id), "comments": store.comments_by(user_id),
            "images": store.images_by(user_id)}


def _is_staff(principal: Principal | None) -> bool:
    return principal is not None and principal.is_staff


def on_idea_submitted(store: IdeaStore, event: Event) -> None:
    store.add_list(event.data["space"])


def on_comments_changed(store: IdeaStore, event: Event) -> None:
    store.recount_comments(event.data["idea_id"])


def on_tally_changed(store: IdeaStore, event: Event) -> None:
    store.set_tally(event.data["idea_id"], event.data["count"], event.data["version"], event.time)


def on_status_changed(store: IdeaStore, event: Event) -> None:
    store.set_status(event.data["idea_id"], event.data["to_status"], event.data["changed_at"])


def on_user_deleted(store: IdeaStore, event: Event) -> None:
    store.forget_author(event.data["user_id"])


def handlers(store: IdeaStore) -> dict:
    return {
        "user.deleted": lambda e: on_user_deleted(store, e),
        "idea.submitted": lambda e: on_idea_submitted(store, e),
        "comment.posted": lambda e: on_comments_changed(store, e),
        "comment.hidden": lambda e: on_comments_changed(store, e),
        "comment.restored": lambda e: on_comments_changed(store, e),
        "tally.changed": lambda e: on_tally_changed(store, e),
        "idea.status_changed": lambda e: on_status_changed(store, e),
    }
