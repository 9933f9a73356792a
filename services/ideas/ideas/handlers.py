"""Use cases and event handlers of the ideas service."""
from datetime import datetime, timedelta, timezone

from marshmallow import ValidationError
from werkzeug.exceptions import (Conflict, Forbidden, NotFound, TooManyRequests, UnprocessableEntity,
                                 UnsupportedMediaType)

from idealab.auth import Principal, can_see
from idealab.events import Event
from idealab.mongo import as_stored
from idealab.windows import seconds_until

from . import conversations, directory, domain, entries, promise_handlers
from .config import Images
from .conversations import ACCOUNT, COMMENT, IDEA
from .store import IdeaStore


def submit_idea(store: IdeaStore, fields: dict, author: Principal) -> dict:
    if not author.can_see(fields.get("space")):
        raise Forbidden("only members of this space may post in it")
    now = _now()
    fields = entries.entry_fields(store, fields, author, now)  # a contest entry's round, space and video
    image_id = fields.get("image_id")
    if image_id and not store.attach_image(image_id, author.user_id):
        raise ValidationError({"image_id": [f"no image {image_id} uploaded by you"]})
    idea, event = domain.submit(fields, author.user_id, now, image_id)
    store.add(idea, event)
    return idea


def upload_image(store: IdeaStore, data: bytes, owner: Principal, quota: Images) -> dict:
    return _upload(store, data, owner, quota, domain.image_type, domain.IMAGE_REFUSAL, store.add_image)


def upload_video(store: IdeaStore, data: bytes, owner: Principal, quota: Images) -> dict:
    """A contest entry's clip, counted in the owner's uploads of the day like an image."""
    return _upload(store, data, owner, quota, entries.video_type, entries.VIDEO_REFUSAL, store.entries.add_video)


def _upload(store: IdeaStore, data: bytes, owner: Principal, quota: Images, type_of, refusal: str, add) -> dict:
    """Stores the upload if its bytes are of a kind `type_of` knows (415 with `refusal` if not) and the owner's
    uploads of today leave room for it (429 beyond)."""
    now = _now()
    try:
        upload = domain.new_upload(data, owner.user_id, now, type_of, refusal)
    except domain.NotTaken as exc:
        raise UnsupportedMediaType(str(exc)) from exc
    counter, day_ends = domain.upload_day(owner.user_id, now)
    if upload["size"] > quota.bytes_per_member_per_day or not store.count_upload(
            counter, upload["size"], quota.per_member_per_day, quota.bytes_per_member_per_day, day_ends):
        raise TooManyRequests(
            f"at most {quota.per_member_per_day} uploads and {quota.bytes_per_member_per_day / 2 ** 20:g} MB a "
            f"day may be uploaded; try again tomorrow (UTC)", retry_after=seconds_until(now, day_ends))
    add(upload)
    return upload


def keep_image(store: IdeaStore, image_id: str) -> None:
    """Staff keep an uploaded image that a campaign's option shows (issue 12): the clean-up of unused images leaves
    it. Who sees it stays as for any image: whoever holds its random id, unless an idea of a space shows it."""
    if not store.keep_image(image_id):
        raise NotFound(f"no image {image_id}")


def purge_unused_images(store: IdeaStore, quota: Images) -> int:
    """Removes the images no idea uses once kept long enough for their uploader to attach them; how many."""
    return store.remove_unused_images(_now() - timedelta(seconds=quota.unused_kept_seconds))


def visible_image(store: IdeaStore, image_id: str, principal: Principal | None) -> tuple[dict, bool]:
    """The image and whether anyone may see it. One shown only in spaces the caller is not in does not exist for
    them, as those ideas do not; one no idea shows yet is known to its uploader only."""
    image, spaces = store.image(image_id), store.image_spaces(image_id)
    if image is None or (spaces and not any(can_see(principal, s) for s in spaces)):
        raise NotFound(f"no image {image_id}")
    return image, not spaces or None in spaces


# What a hidden idea or comment shows readers nothing of (an idea's image may be what was wrong with it).
IDEA_TEXT, COMMENT_TEXT = ("title", "description", "image"), ("text",)
QUESTION_TEXT = ("title", "body")


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
    mentioned = directory.mentioned_in(store.directory, fields["text"], idea.get("space"), author.user_id)
    comment, event = domain.post_comment(idea, fields, author.user_id, _now(), mentioned)
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
           staff: bool, filters: dict, after: dict | None = None) -> list[dict]:
    """The ideas matching `words` as typed (any accents, any case, any of the three languages' word forms)."""
    folded = " ".join(dict.fromkeys(domain.terms(words)))
    if not folded:
        return []
    found = store.search(folded, sort, limit, offset, spaces, staff, filters, after)
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
    """Mine only: my private threads (with the team's answers to me), never the threads of others I answered."""
    return {"ideas": store.by_author(user_id), "comments": store.comments_by(user_id),
            "images": store.images_by(user_id), "questions": store.questions_by(user_id),
            "answers": store.answers_by(user_id), "private_threads": store.threads_with(user_id),
            "flags": store.moderation.flags_by(user_id)}


# Questions, the team's answers and private threads (rules in ideas.conversations).
def ask_question(store: IdeaStore, fields: dict, author: Principal) -> dict:
    if not author.can_see(fields.get("space")):
        raise Forbidden("only members of this space may ask in it")
    question, event = conversations.ask(fields, author.user_id, _now())
    store.ask(question, event)
    return question


def visible_question(store: IdeaStore, question_id: str, principal: Principal | None) -> dict:
    """The question as the caller may see it; one of a space they are not in does not exist for them."""
    question = store.question(question_id)
    if question is None or not can_see(principal, question.get("space")):
        raise NotFound(f"no question {question_id}")
    return domain.as_shown(question, _is_staff(principal), QUESTION_TEXT)


def questions(store: IdeaStore, spaces: list[str | None] | None, principal: Principal | None, limit: int,
              offset: int) -> list[dict]:
    staff = _is_staff(principal)
    return [domain.as_shown(q, staff, QUESTION_TEXT) for q in store.questions_in(spaces, limit, offset, staff)]


def _answered(store: IdeaStore, about: str, about_id: str, principal: Principal | None) -> dict:
    """The idea or question answered, as the caller may see it."""
    return (visible_idea if about == IDEA else visible_question)(store, about_id, principal)


def post_answer(store: IdeaStore, about: str, about_id: str, fields: dict, staff: Principal) -> dict:
    """The team's public answer on an idea or question; pinned at its top as the team's answer when asked."""
    item = _answered(store, about, about_id, staff)
    found, event = conversations.answer(about, item, fields["text"], staff.user_id, _now())
    store.add_answer(found, event)
    if fields["pin"]:
        store.set_answers(about, about_id, {"team_answer": conversations.team_answer(found)})
    return found


def pin_answer(store: IdeaStore, about: str, about_id: str, answer_id: str, staff: Principal) -> dict:
    item = _answered(store, about, about_id, staff)
    found = store.answer(about_id, answer_id)
    if found is None:
        raise UnprocessableEntity(f"answer_id: no answer {answer_id} on this {about}")
    pinned = conversations.team_answer(found)
    store.set_answers(about, about_id, {"team_answer": pinned})
    return {**item, "team_answer": pinned}


def answers(store: IdeaStore, about: str, about_id: str, principal: Principal | None) -> list[dict]:
    _answered(store, about, about_id, principal)
    return store.answers_of(about_id)


def reply_privately(store: IdeaStore, about: str, about_id: str, idea_id: str | None, text: str,
                    staff: Principal) -> dict:
    """Staff answer the author of an idea, a question or a comment in their private thread about it (opened by
    this first answer). The item then says the team answered privately, and nothing more."""
    if about == COMMENT:
        visible_idea(store, idea_id, staff)
        item = store.comment(idea_id, about_id)
        if item is None:
            raise NotFound(f"no comment {about_id}")
    else:
        item = _answered(store, about, about_id, staff)
    if not item.get("author_id"):
        raise Conflict(f"this {about}'s author deleted their account: there is no one to answer privately")
    thread = store.thread(conversations.thread_id(about, about_id, item["author_id"])) or conversations.new_thread(
        item["author_id"], about, about_id, idea_id or (about_id if about == IDEA else None), item.get("space"),
        _now())
    found = _write(store, thread, text, staff)
    store.set_answers(about, about_id, {"answered_privately": True})
    return found


def open_thread(store: IdeaStore, text: str, member: Principal, language: str) -> dict:
    """A member's own private conversation with the advisers, from their account."""
    thread = conversations.new_thread(member.user_id, ACCOUNT, None, None, None, _now())
    return _write(store, thread, text, member, language)


def write_in_thread(store: IdeaStore, thread_id: str, text: str, principal: Principal, language: str) -> dict:
    """A message in a thread: the member's, in `language`, or the team's answer."""
    return _write(store, visible_thread(store, thread_id, principal), text, principal, language)


def _write(store: IdeaStore, thread: dict, text: str, author: Principal, language: str | None = None) -> dict:
    try:
        found, event = conversations.message(thread, author, text, _now(), language)
    except conversations.ThreadFull as exc:
        raise Conflict(str(exc)) from exc
    if not store.write_in_thread(thread, found, event):
        raise Conflict("this conversation is full: open a new one from your account")
    return store.thread(thread["_id"])


def visible_thread(store: IdeaStore, thread_id: str, principal: Principal | None) -> dict:
    """The thread, for its member and the team only: anyone else is told it does not exist."""
    thread = store.thread(thread_id)
    if not conversations.may_read(thread, principal):
        raise NotFound(f"no private thread {thread_id}")
    return thread


def threads(store: IdeaStore, principal: Principal, limit: int, offset: int) -> list[dict]:
    """The team's: every thread active lately; a member's: their own, all of them."""
    member = None if conversations.may_answer(principal) else principal.user_id
    return store.threads_of(member, limit, offset, _now() - conversations.TEAM_LIST_WINDOW)


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
    store.directory.forget(event.data["user_id"])
    store.moderation.forget(event.data["user_id"])


def event_handlers(store: IdeaStore) -> dict:
    return promise_handlers.joined({
        "user.deleted": lambda e: on_user_deleted(store, e),
        "idea.submitted": lambda e: on_idea_submitted(store, e),
        "comment.posted": lambda e: on_comments_changed(store, e),
        "comment.hidden": lambda e: on_comments_changed(store, e),
        "comment.restored": lambda e: on_comments_changed(store, e),
        "tally.changed": lambda e: on_tally_changed(store, e),
        "idea.status_changed": lambda e: on_status_changed(store, e),
        **directory.event_handlers(store),  # who members are, for mentions (ideas.directory)
        "contest.scheduled": lambda e: entries.on_contest_scheduled(store, e),
    }, promise_handlers.event_handlers(store))  # the response-time promise's
