"""HTTP routes of the ideas service: load the request schema, run the use case, dump the response schema."""
from flask import Blueprint, current_app, request
from marshmallow import ValidationError

from idealab import auth, openapi
from idealab.web import load, store

from . import config, domain, entry_api, handlers, points, schemas, uploads
from .conversations import ANSWERERS, COMMENT, IDEA, QUESTION
from .promise_api import in_language
from .store import SORT_KEYS

bp = Blueprint("ideas", __name__)
MODERATORS = ("moderator", "admin")
STAFF = ("product_team", "moderator", "admin")
HELPFUL_MARKERS = ("product_team", "adviser", "moderator", "admin")
IMAGE_TYPES = ("image/png", "image/jpeg", "image/webp", "image/gif")


@bp.post("")
@auth.require("member", "product_team")
@openapi.operation(body=schemas.IdeaSubmission, answer=schemas.Idea, status=201)
def submit():
    fields = in_language(load(schemas.IdeaSubmission()))
    idea = handlers.submit_idea(store(), fields, auth.current_principal())
    return schemas.Idea().dump(idea), 201, {"Location": f"/api/ideas/{idea['_id']}"}


@bp.post("/images")
@auth.require("member", "product_team")
@openapi.operation(answer=schemas.Image, status=201, **uploads.declared(
    "image", "a PNG, JPEG, WebP or GIF image of at most 2 MB", too_large="the image is over 2 MB",
    wrong_type="the file is not a PNG, JPEG, WebP or GIF image",
    at_quota="the member's uploads of the day (UTC) are at their quota (20 images and 20 MB by default); "
             "Retry-After says when the day ends"))
def upload_image():
    """Uploads an image for an idea. Its type is read from its bytes; send its id as the idea's `image_id`."""
    data = uploads.received("image", domain.MAX_IMAGE_BYTES, "an image may be at most 2 MB")
    image = handlers.upload_image(store(), data, auth.current_principal(), current_app.extensions["ideas.images"])
    return schemas.Image().dump(image), 201, {"Location": domain.image_url(image["_id"])}


@bp.put("/images/<image_id>/kept")
@auth.require("product_team", "admin")
@openapi.operation(answer=None, status=204)
def keep_image(image_id: str):
    """Keeps an uploaded image that a campaign's option shows: the clean-up of images no idea uses leaves it."""
    handlers.keep_image(store(), image_id)
    return "", 204


@bp.get("/images/<image_id>")
@openapi.operation(answer=None, optional_sign_in=True, responses={"200": {
    "description": "the image's bytes, as uploaded", "content": uploads.binary(IMAGE_TYPES)}})
def image(image_id: str):
    """An idea's image: one of an invite-only space's idea only for its members and staff (404 to anyone else)."""
    return uploads.served(*handlers.visible_image(store(), image_id, auth.current_principal()))


@bp.get("")
@openapi.operation(query=schemas.IdeaListQuery, answer=schemas.IdeaPage, optional_sign_in=True)
def list_ideas():
    """Ideas I may see, in an order, filtered; with `q`, those matching its words (accents, case and word forms in
    French, English and Spanish do not matter), best match first unless another order is asked for."""
    query = schemas.IdeaListQuery().load(request.args)
    principal = auth.current_principal()
    spaces = auth.readable_lists(principal, query["space"])
    staff = principal is not None and principal.is_staff
    filters = {k: v for k, v in (("category", query["category"]), ("status", query["status"]),
                                 ("tags", query["tag"])) if v is not None}
    sort, next_cursor = query["sort"] or (domain.RELEVANCE if query["q"] else "newest"), None
    if query["q"] is None and sort == domain.RELEVANCE:
        raise ValidationError({"sort": ["relevance orders a search: give `q`"]})
    keys = domain.SEARCH_POSITION if sort == domain.RELEVANCE else SORT_KEYS[sort]
    try:
        after = query["after"] and domain.after(query["after"], keys)
    except domain.BadCursor as exc:
        raise ValidationError({"after": [str(exc)]}) from exc
    if query["q"] is not None:
        ideas = handlers.search(store(), query["q"], sort, query["limit"], query["offset"], spaces, staff, filters,
                                after or None)
    else:
        ideas = store().list(sort, query["limit"], query["offset"], spaces, staff, filters, after or None)
    if len(ideas) == query["limit"]:
        start = after["position"] if after and sort == domain.RELEVANCE else query["offset"]
        last = {"position": start + len(ideas)} if sort == domain.RELEVANCE else ideas[-1]
        next_cursor = domain.cursor(last, keys)
    return schemas.IdeaPage().dump({"ideas": ideas, "sort": sort, "offset": query["offset"], "next": next_cursor})


@bp.get("/similar")
@openapi.operation(query=schemas.SimilarQuery, answer=schemas.IdeaPage, optional_sign_in=True)
def similar_ideas():
    """Ideas like a title being typed (to find one to back instead of posting it again), best match first."""
    query = schemas.SimilarQuery().load(request.args)
    principal = auth.current_principal()
    spaces = auth.readable_lists(principal, query["space"])
    found = handlers.search(store(), query["title"], domain.RELEVANCE, query["limit"], 0, spaces, False,
                            {"merged_into": None})
    return schemas.IdeaPage(only=("ideas",)).dump({"ideas": found})


# Points, levels and leaderboards (ideas.points).
@bp.get("/leaderboard")
@openapi.operation(query=schemas.LeaderboardQuery, answer=schemas.Leaderboard, optional_sign_in=True)
def leaderboard():
    """The most active members of the public lab or of a space (its members and staff only) this week, this month
    or of all time, each with their level."""
    query = schemas.LeaderboardQuery().load(request.args)
    board = points.leaderboard(store().points, auth.current_principal(), query["space"], query["period"],
                               query["limit"], config.levels(), points.now())
    return schemas.Leaderboard().dump(board)


@bp.get("/levels")
@openapi.operation(answer=schemas.Levels)
def levels():
    """The lab's levels, lowest first: the points from which each is reached."""
    return schemas.Levels().dump({"levels": config.levels()})


@bp.get("/members")
@openapi.operation(query=schemas.NamesQuery, answer=schemas.MemberNames, optional_sign_in=True)
def member_names():
    """Members' names, each with their level beside it (`ids`: up to 100, comma-separated); unknown ones left out."""
    query = schemas.NamesQuery().load(request.args)
    found = points.names(store().points, query["ids"], auth.current_principal(), config.levels())
    return schemas.MemberNames().dump({"members": found})


@bp.get("/members/<member_id>")
@openapi.operation(query=schemas.ProfileQuery, answer=schemas.Profile, optional_sign_in=True)
def profile(member_id: str):
    """A member's profile: their level, points and latest ideas and comments, of what the reader may see."""
    query = schemas.ProfileQuery().load(request.args)
    found = points.profile(store().points, member_id, auth.current_principal(), config.levels(), query["limit"])
    return schemas.Profile().dump(found)


@bp.put("/<idea_id>/comments/<comment_id>/helpful")
@auth.require(*HELPFUL_MARKERS)
@openapi.operation(answer=schemas.Comment)
def mark_helpful(idea_id: str, comment_id: str):
    """Marks a comment helpful: its author earns points for it (again: nothing changes)."""
    return _helpful(idea_id, comment_id, True)


@bp.delete("/<idea_id>/comments/<comment_id>/helpful")
@auth.require(*HELPFUL_MARKERS)
@openapi.operation(answer=schemas.Comment)
def unmark_helpful(idea_id: str, comment_id: str):
    """Takes the helpful mark back, and the points it earned."""
    return _helpful(idea_id, comment_id, False)


def _helpful(idea_id: str, comment_id: str, helpful: bool):
    comment = points.mark_helpful(store().points, idea_id, comment_id, helpful, auth.current_principal(),
                                  points.now())
    return schemas.Comment().dump(comment)


@bp.get("/me/data")
@auth.require()
@openapi.operation(answer=schemas.MyData)
def my_data():
    """What this service holds about the caller, for their data download (GDPR)."""
    return schemas.MyData().dump(handlers.my_data(store(), auth.current_principal().user_id))


@bp.post("/questions")
@auth.require("member", "product_team")
@openapi.operation(body=schemas.QuestionSubmission, answer=schemas.Question, status=201)
def ask_question():
    """Asks the team a question, in the public lab or one of my spaces."""
    question = handlers.ask_question(store(), in_language(load(schemas.QuestionSubmission())),
                                     auth.current_principal())
    return schemas.Question().dump(question), 201, {"Location": f"/api/ideas/questions/{question['_id']}"}


@bp.get("/questions")
@openapi.operation(query=schemas.QuestionListQuery, answer=schemas.QuestionPage, optional_sign_in=True)
def list_questions():
    """Questions I may see, newest first, each with the team's answer when one is pinned."""
    query = schemas.QuestionListQuery().load(request.args)
    principal = auth.current_principal()
    found = handlers.questions(store(), auth.readable_lists(principal, query["space"]), principal, query["limit"],
                               query["offset"])
    return schemas.QuestionPage().dump({"questions": found, "offset": query["offset"]})


@bp.get("/questions/<question_id>")
@openapi.operation(answer=schemas.Question, optional_sign_in=True)
def get_question(question_id: str):
    return schemas.Question().dump(handlers.visible_question(store(), question_id, auth.current_principal()))


@bp.get("/questions/<question_id>/answers")
@openapi.operation(answer=schemas.AnswerList, optional_sign_in=True)
def question_answers(question_id: str):
    """The team's public answers to the question, oldest first (never the private ones)."""
    found = handlers.answers(store(), QUESTION, question_id, auth.current_principal())
    return schemas.AnswerList().dump({"answers": found})


@bp.post("/questions/<question_id>/answers")
@auth.require(*ANSWERERS)
@openapi.operation(body=schemas.AnswerSubmission, answer=schemas.Answer, status=201)
def answer_question(question_id: str):
    """Answers the question in public for the bank; `pin` makes it the team's answer at its top."""
    fields = load(schemas.AnswerSubmission())
    found = handlers.post_answer(store(), QUESTION, question_id, fields, auth.current_principal())
    return schemas.Answer().dump(found), 201


@bp.put("/questions/<question_id>/team-answer")
@auth.require(*ANSWERERS)
@openapi.operation(body=schemas.Pin, answer=schemas.Question)
def pin_question_answer(question_id: str):
    """Pins one of the question's answers at its top as the team's answer."""
    answer_id = load(schemas.Pin())["answer_id"]
    pinned = handlers.pin_answer(store(), QUESTION, question_id, answer_id, auth.current_principal())
    return schemas.Question().dump(pinned)


@bp.post("/questions/<question_id>/private-replies")
@auth.require(*ANSWERERS)
@openapi.operation(body=schemas.PrivateText, answer=schemas.PrivateThread, status=201)
def reply_to_question_privately(question_id: str):
    """Answers the question's author in their private thread about it; the question only says that the team did."""
    text = load(schemas.PrivateText())["text"]
    thread = handlers.reply_privately(store(), QUESTION, question_id, None, text, auth.current_principal())
    return schemas.PrivateThread().dump(thread), 201


@bp.get("/private-threads")
@auth.require()
@openapi.operation(query=schemas.CommentListQuery, answer=schemas.PrivateThreadList)
def list_threads():
    """My private threads with the team, latest first; for the team (product team, advisers, admins), everyone's."""
    query = schemas.CommentListQuery().load(request.args)
    found = handlers.threads(store(), auth.current_principal(), query["limit"], query["offset"])
    return schemas.PrivateThreadList().dump({"threads": found, "offset": query["offset"]})


@bp.post("/private-threads")
@auth.require("member")
@openapi.operation(body=schemas.PrivateText, answer=schemas.PrivateThread, status=201)
def open_thread():
    """Opens a private conversation with the advisers, from my account."""
    fields = in_language(load(schemas.PrivateText()))
    thread = handlers.open_thread(store(), fields["text"], auth.current_principal(), fields["language"])
    return schemas.PrivateThread().dump(thread), 201


@bp.get("/private-threads/<thread_id>")
@auth.require()
@openapi.operation(answer=schemas.PrivateThread)
def get_thread(thread_id: str):
    """A private thread, for its member and the team only (404 to anyone else)."""
    return schemas.PrivateThread().dump(handlers.visible_thread(store(), thread_id, auth.current_principal()))


@bp.post("/private-threads/<thread_id>/messages")
@auth.require()
@openapi.operation(body=schemas.PrivateText, answer=schemas.PrivateThread, status=201)
def write_in_thread(thread_id: str):
    """Writes in a private thread: its member, or the team answering them."""
    fields = in_language(load(schemas.PrivateText()))
    thread = handlers.write_in_thread(store(), thread_id, fields["text"], auth.current_principal(),
                                      fields["language"])
    return schemas.PrivateThread().dump(thread), 201


@bp.get("/<idea_id>")
@openapi.operation(answer=schemas.Idea, optional_sign_in=True)
def get_idea(idea_id: str):
    return schemas.Idea().dump(handlers.visible_idea(store(), idea_id, auth.current_principal()))


@bp.post("/<idea_id>/comments")
@auth.require("member", "product_team")
@openapi.operation(body=schemas.CommentSubmission, answer=schemas.Comment, status=201)
def post_comment(idea_id: str):
    fields = load(schemas.CommentSubmission())
    comment = handlers.post_comment(store(), idea_id, fields, auth.current_principal())
    return schemas.Comment().dump(comment), 201


@bp.get("/<idea_id>/comments")
@openapi.operation(query=schemas.CommentListQuery, answer={"type": "object", "properties": {
    "comments": {"type": "array", "items": schemas.Comment}, "offset": {"type": "integer"}}}, optional_sign_in=True)
def list_comments(idea_id: str):
    query = schemas.CommentListQuery().load(request.args)
    found = handlers.comments(store(), idea_id, auth.current_principal(), query["limit"], query["offset"])
    return {"comments": schemas.Comment(many=True).dump(found), "offset": query["offset"]}


@bp.put("/<idea_id>/tags")
@auth.require(*STAFF)
@openapi.operation(body=schemas.Tags, answer=schemas.Idea)
def set_tags(idea_id: str):
    """Replaces the idea's tags (its author sets them when submitting)."""
    tags = load(schemas.Tags())["tags"]
    return schemas.Idea().dump(handlers.set_tags(store(), idea_id, tags, auth.current_principal()))


@bp.post("/<idea_id>/merge")
@auth.require(*STAFF)
@openapi.operation(body=schemas.Merge, answer=schemas.Idea)
def merge(idea_id: str):
    """Merges this idea, a duplicate, into the original `into`: its page points there, its voters and followers
    move there (each voter counted once), the roadmap marks it duplicate."""
    into = load(schemas.Merge())["into"]
    return schemas.Idea().dump(handlers.merge(store(), idea_id, into, auth.current_principal()))


@bp.get("/<idea_id>/follow")
@auth.require()
@openapi.operation(answer=schemas.FollowChoice)
def follow_choice(idea_id: str):
    """My latest choice to follow this idea or not."""
    return schemas.FollowChoice().dump(handlers.follow_choice(store(), idea_id, auth.current_principal()))


@bp.put("/<idea_id>/follow")
@auth.require()
@openapi.operation(answer=schemas.FollowChoice)
def follow(idea_id: str):
    """Follows the idea: its status changes reach my inbox."""
    return schemas.FollowChoice().dump(handlers.follow(store(), idea_id, auth.current_principal(), True))


@bp.delete("/<idea_id>/follow")
@auth.require()
@openapi.operation(answer=schemas.FollowChoice)
def unfollow(idea_id: str):
    """Stops following the idea, whatever made me follow it; my vote and comments stay."""
    return schemas.FollowChoice().dump(handlers.follow(store(), idea_id, auth.current_principal(), False))


@bp.get("/<idea_id>/answers")
@openapi.operation(answer=schemas.AnswerList, optional_sign_in=True)
def idea_answers(idea_id: str):
    """The team's public answers on the idea, oldest first (never the private ones)."""
    return schemas.AnswerList().dump({"answers": handlers.answers(store(), IDEA, idea_id, auth.current_principal())})


@bp.post("/<idea_id>/answers")
@auth.require(*ANSWERERS)
@openapi.operation(body=schemas.AnswerSubmission, answer=schemas.Answer, status=201)
def answer_idea(idea_id: str):
    """Answers the idea in public for the bank; `pin` makes it the team's answer at its top."""
    fields = load(schemas.AnswerSubmission())
    found = handlers.post_answer(store(), IDEA, idea_id, fields, auth.current_principal())
    return schemas.Answer().dump(found), 201


@bp.put("/<idea_id>/team-answer")
@auth.require(*ANSWERERS)
@openapi.operation(body=schemas.Pin, answer=schemas.Idea)
def pin_idea_answer(idea_id: str):
    """Pins one of the idea's answers at its top as the team's answer."""
    answer_id = load(schemas.Pin())["answer_id"]
    return schemas.Idea().dump(handlers.pin_answer(store(), IDEA, idea_id, answer_id, auth.current_principal()))


@bp.post("/<idea_id>/private-replies")
@auth.require(*ANSWERERS)
@openapi.operation(body=schemas.PrivateText, answer=schemas.PrivateThread, status=201)
def reply_to_idea_privately(idea_id: str):
    """Answers the idea's author in their private thread about it; the idea only says that the team did."""
    text = load(schemas.PrivateText())["text"]
    thread = handlers.reply_privately(store(), IDEA, idea_id, idea_id, text, auth.current_principal())
    return schemas.PrivateThread().dump(thread), 201


@bp.post("/<idea_id>/comments/<comment_id>/private-replies")
@auth.require(*ANSWERERS)
@openapi.operation(body=schemas.PrivateText, answer=schemas.PrivateThread, status=201)
def reply_to_comment_privately(idea_id: str, comment_id: str):
    """Answers the comment's author in their private thread about it; the comment only says that the team did."""
    text = load(schemas.PrivateText())["text"]
    thread = handlers.reply_privately(store(), COMMENT, comment_id, idea_id, text, auth.current_principal())
    return schemas.PrivateThread().dump(thread), 201


# Moderation hides and restores, with a public reason; there is no route that deletes an idea or a comment.
@bp.post("/<idea_id>/hide")
@auth.require(*MODERATORS)
@openapi.operation(body=schemas.Moderation, answer=schemas.Idea)
def hide_idea(idea_id: str):
    return _moderate(idea_id, None, domain.HIDE, schemas.Idea())


@bp.post("/<idea_id>/restore")
@auth.require(*MODERATORS)
@openapi.operation(body=schemas.Moderation, answer=schemas.Idea)
def restore_idea(idea_id: str):
    return _moderate(idea_id, None, domain.RESTORE, schemas.Idea())


@bp.post("/<idea_id>/comments/<comment_id>/hide")
@auth.require(*MODERATORS)
@openapi.operation(body=schemas.Moderation, answer=schemas.Comment)
def hide_comment(idea_id: str, comment_id: str):
    return _moderate(idea_id, comment_id, domain.HIDE, schemas.Comment())


@bp.post("/<idea_id>/comments/<comment_id>/restore")
@auth.require(*MODERATORS)
@openapi.operation(body=schemas.Moderation, answer=schemas.Comment)
def restore_comment(idea_id: str, comment_id: str):
    return _moderate(idea_id, comment_id, domain.RESTORE, schemas.Comment())


def _moderate(idea_id: str, comment_id: str | None, action: str, shape):
    reason = load(schemas.Moderation())["reason"]
    return shape.dump(handlers.moderate(store(), idea_id, comment_id, action, reason, auth.current_principal()))


# Contest entries' videos and lists (ideas.entries), under the same prefix.
bp.register_blueprint(entry_api.bp)
