"""HTTP shapes of the ideas API."""
from marshmallow import Schema, fields, post_load, validate

from idealab.brand import LANGUAGES
from idealab.fields import OneLine, StrictBoolean, Text

from .domain import MAX_TAGS, RELEVANCE, SORTS, image_url
from .points import PERIODS


# \Z, not $: $ also matches before a final line break, so "ux\n" passed as a category.
SPACE = validate.Regexp(r"^[A-Za-z0-9_-]{1,64}\Z", error="a space id: letters, digits, - and _")
IMAGE_ID = validate.Regexp(r"^[0-9a-f]{32}\Z", error="the id of an image you uploaded")
CATEGORY = validate.Regexp(r"^[a-z0-9][a-z0-9-]{0,39}\Z", error="lower-case letters, digits and dashes, 1-40 long")
TAG = validate.Regexp(r"^[^\W_][\w-]{0,29}\Z", error="a word: letters, digits, - and _, 1-30 long")
STATUS = validate.OneOf(("open", "under_review", "planned", "in_progress", "launched", "declined", "duplicate"))
TAGS = fields.List(fields.String(validate=TAG), load_default=list, validate=validate.Length(max=MAX_TAGS))
# A post's language, which the team answers in (ideas.promise); left out: the language the member's lab speaks.
LANGUAGE = {"load_default": None, "validate": validate.OneOf(LANGUAGES)}
# A cursor: the sort key of the last idea of the previous page, as the list answered it (`next`).
CURSOR = validate.Regexp(r"^[A-Za-z0-9_=-]{1,400}\Z", error="the `next` of the previous page")


class IdeaSubmission(Schema):
    title = OneLine(required=True, validate=validate.Length(min=5, max=140))
    description = Text(required=True, validate=validate.Length(min=1, max=5000))
    category = fields.String(required=True, validate=CATEGORY)
    space = fields.String(load_default=None, validate=SPACE)
    image_id = fields.String(load_default=None, validate=IMAGE_ID)
    tags = TAGS
    language = fields.String(**LANGUAGE)
    # A contest entry (ideas.entries): its contest, and a video uploaded to /videos or a link to a hosted one.
    contest_id = fields.String(load_default=None, validate=validate.Length(min=1, max=64))
    video_id = fields.String(load_default=None, validate=IMAGE_ID)
    video_link = fields.Url(load_default=None, schemes={"https"}, validate=validate.Length(max=2000),
                            metadata={"description": "shown as a link: the lab loads nothing from outside"})


class IdeaListQuery(Schema):
    """`q`: words to search for (then the default order is relevance); `after`: a cursor, the previous page's
    `next` (pages stay whole while votes move ideas), instead of `offset`."""
    q = OneLine(load_default=None, validate=validate.Length(min=1, max=200))
    sort = fields.String(load_default=None, validate=validate.OneOf((*SORTS, RELEVANCE)))
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=100_000))
    after = fields.String(load_default=None, validate=CURSOR)
    space = fields.String(load_default=None, validate=SPACE)
    category = fields.String(load_default=None, validate=CATEGORY)
    status = fields.String(load_default=None, validate=STATUS)
    tag = fields.String(load_default=None, validate=TAG)


class SimilarQuery(Schema):
    title = OneLine(required=True, validate=validate.Length(min=1, max=140))
    space = fields.String(load_default=None, validate=SPACE)
    limit = fields.Integer(load_default=5, validate=validate.Range(min=1, max=20))


class Tags(Schema):
    tags = fields.List(fields.String(validate=TAG), required=True, validate=validate.Length(max=MAX_TAGS))


class Merge(Schema):
    into = fields.String(required=True, validate=validate.Length(min=1, max=64))


class FollowChoice(Schema):
    idea_id = fields.String()
    following = fields.Boolean(allow_none=True)  # null: no choice made (writing, voting or commenting follows)
    at = fields.AwareDateTime(allow_none=True)


class CommentSubmission(Schema):
    text = Text(required=True, validate=validate.Length(min=1, max=5000))
    reply_to = fields.String(load_default=None, validate=validate.Length(min=1, max=64))


class CommentListQuery(Schema):
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=100_000))


class Moderation(Schema):
    reason = Text(required=True, validate=validate.Length(min=3, max=500))


class Hidden(Schema):
    reason = fields.String()
    at = fields.AwareDateTime()
    pending_review = fields.Boolean()  # hidden by members' flags until a moderator reviews it (ideas.moderation)
    category = fields.String()  # upheld after review: which of the listed reasons
    note = fields.String()  # and the moderator's words, if any
    by = fields.String()  # staff only: readers see that and why, not who


class ModerationEntry(Schema):
    action = fields.String()
    reason = fields.String()
    by = fields.String()
    at = fields.AwareDateTime()


class Comment(Schema):
    id = fields.String(attribute="_id")
    idea_id = fields.String()
    author_id = fields.String()
    text = fields.String()
    reply_to = fields.String(allow_none=True)  # null: a comment on the idea itself
    posted_at = fields.AwareDateTime()
    answered_privately = fields.Boolean(dump_default=False)
    helpful = fields.Function(lambda c: c.get("helpful") is not None)  # marked helpful by staff
    hidden = fields.Nested(Hidden, allow_none=True)
    moderation = fields.List(fields.Nested(ModerationEntry))


class Image(Schema):
    id = fields.String(attribute="_id")
    url = fields.Function(lambda image: image_url(image["_id"]))
    content_type = fields.String()
    size = fields.Integer()


class ImageUpload(Image):
    """What the owner sees of their uploads (their data download)."""
    uploaded_at = fields.AwareDateTime()


class IdeaImage(Schema):
    id = fields.String()
    url = fields.String()


class TeamAnswer(Schema):
    """The answer pinned at the top of an idea or question: the bank's word on it."""
    id = fields.String(attribute="_id")
    text = fields.String()
    author_id = fields.String(allow_none=True)
    posted_at = fields.AwareDateTime()


class EntryOf(Schema):
    """The contest and round an entry was submitted in."""
    id = fields.String()
    round = fields.Integer()


class IdeaVideo(Schema):
    id = fields.String()
    url = fields.String()
    content_type = fields.String()


class Video(Schema):
    id = fields.String(attribute="_id")
    url = fields.Function(lambda video: f"/api/ideas/videos/{video['_id']}")
    content_type = fields.String()
    size = fields.Integer()


class EntryListQuery(Schema):
    round = fields.Integer(load_default=None, validate=validate.Range(min=1, max=100))
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))


class Idea(Schema):
    id = fields.String(attribute="_id")
    title = fields.String()
    description = fields.String()
    category = fields.String()
    author_id = fields.String()
    space = fields.String(allow_none=True)  # null: the public lab
    submitted_at = fields.AwareDateTime()
    language = fields.String(allow_none=True)
    status = fields.String()
    vote_count = fields.Integer()
    comment_count = fields.Integer()
    image = fields.Nested(IdeaImage, allow_none=True)
    tags = fields.List(fields.String())
    trending = fields.Float()
    merged_into = fields.String(allow_none=True)  # the original this duplicate was merged into
    team_answer = fields.Nested(TeamAnswer, allow_none=True, dump_default=None)
    answered_privately = fields.Boolean(dump_default=False)  # the team answered its author privately: no more
    hidden = fields.Nested(Hidden, allow_none=True)
    moderation = fields.List(fields.Nested(ModerationEntry))
    contest = fields.Nested(EntryOf, allow_none=True, dump_default=None)
    video = fields.Nested(IdeaVideo, allow_none=True, dump_default=None)
    video_link = fields.String(allow_none=True, dump_default=None)


class EntryList(Schema):
    entries = fields.List(fields.Nested(Idea))


class IdeaPage(Schema):
    ideas = fields.List(fields.Nested(Idea))
    sort = fields.String()
    offset = fields.Integer()
    next = fields.String(allow_none=True)  # the cursor of the next page (`after`); null on the last


class QuestionSubmission(Schema):
    title = OneLine(required=True, validate=validate.Length(min=5, max=140))
    body = Text(required=True, validate=validate.Length(min=1, max=5000))
    space = fields.String(load_default=None, validate=SPACE)
    language = fields.String(**LANGUAGE)


class QuestionListQuery(Schema):
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=100_000))
    space = fields.String(load_default=None, validate=SPACE)


class Question(Schema):
    id = fields.String(attribute="_id")
    title = fields.String()
    body = fields.String()
    author_id = fields.String(allow_none=True)
    space = fields.String(allow_none=True)  # null: the public lab
    language = fields.String(allow_none=True)
    asked_at = fields.AwareDateTime()
    team_answer = fields.Nested(TeamAnswer, allow_none=True)
    answered_privately = fields.Boolean()
    hidden = fields.Nested(Hidden, allow_none=True)
    moderation = fields.List(fields.Nested(ModerationEntry))


class QuestionPage(Schema):
    questions = fields.List(fields.Nested(Question))
    offset = fields.Integer()


class AnswerSubmission(Schema):
    text = Text(required=True, validate=validate.Length(min=1, max=5000))
    pin = StrictBoolean(load_default=False)  # pin it at the top as the team's answer


class Pin(Schema):
    answer_id = fields.String(required=True, validate=validate.Length(min=1, max=64))


class Answer(Schema):
    """A public answer from the team (product team, advisers): the bank's word."""
    id = fields.String(attribute="_id")
    about = fields.String()  # idea or question
    about_id = fields.String()
    author_id = fields.String(allow_none=True)
    text = fields.String()
    posted_at = fields.AwareDateTime()


class AnswerList(Schema):
    answers = fields.List(fields.Nested(Answer))


class PrivateText(Schema):
    text = Text(required=True, validate=validate.Length(min=1, max=5000))
    language = fields.String(**LANGUAGE)


class PrivateMessage(Schema):
    id = fields.String()
    author_id = fields.String(allow_none=True)
    from_team = fields.Boolean()
    text = fields.String()
    language = fields.String(allow_none=True)
    at = fields.AwareDateTime()


class PrivateThread(Schema):
    """A conversation between one member and the team, readable by them only."""
    id = fields.String(attribute="_id")
    member_id = fields.String()
    about = fields.String()  # idea, question, comment, or account (opened by the member)
    about_id = fields.String(allow_none=True)
    idea_id = fields.String(allow_none=True)  # the idea a comment is on, or the idea itself
    opened_at = fields.AwareDateTime()
    last_message_at = fields.AwareDateTime()
    messages = fields.List(fields.Nested(PrivateMessage))


class PrivateThreadList(Schema):
    threads = fields.List(fields.Nested(PrivateThread, exclude=("messages",)))
    offset = fields.Integer()


class MyData(Schema):
    ideas = fields.List(fields.Nested(Idea))
    comments = fields.List(fields.Nested(Comment))
    images = fields.List(fields.Nested(ImageUpload))
    questions = fields.List(fields.Nested(Question))
    answers = fields.List(fields.Nested(Answer))
    private_threads = fields.List(fields.Nested(PrivateThread))
    flags = fields.List(fields.Nested("MyFlag"))


class MyFlag(Schema):
    """A flag I raised (ideas.moderation), as my data download shows it."""
    report_id = fields.String()  # "<kind>:<item id>"
    reason = fields.String()
    at = fields.AwareDateTime()
    outcome = fields.String(allow_none=True)  # upheld, dismissed, or null while it waits
    decided_at = fields.AwareDateTime(allow_none=True)


# Points, levels and leaderboards (ideas.points).
class LeaderboardQuery(Schema):
    space = fields.String(load_default=None, validate=SPACE)  # none: the public lab's board
    period = fields.String(load_default="all", validate=validate.OneOf(PERIODS))
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class LevelShape(Schema):
    name = fields.String()
    points = fields.Integer()  # reached from this many points


class LeaderboardEntry(Schema):
    rank = fields.Integer()
    member_id = fields.String()
    display_name = fields.String(allow_none=True)
    points = fields.Integer()  # in the period, on this board
    level = fields.String()


class Leaderboard(Schema):
    space = fields.String(allow_none=True)
    period = fields.String()
    entries = fields.List(fields.Nested(LeaderboardEntry))


class NamesQuery(Schema):
    # Up to 100 member ids, comma-separated.
    ids = fields.String(required=True, validate=validate.Regexp(
        r"^[A-Za-z0-9_-]{1,64}(,[A-Za-z0-9_-]{1,64}){0,99}\Z", error="up to 100 member ids, comma-separated"))

    @post_load
    def split(self, data: dict, **_) -> dict:
        return {**data, "ids": data["ids"].split(",")}


class MemberName(Schema):
    member_id = fields.String()
    display_name = fields.String()
    level = fields.String()


class MemberNames(Schema):
    members = fields.List(fields.Nested(MemberName))


class ProfileQuery(Schema):
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class ProfileComment(Schema):
    id = fields.String(attribute="_id")
    idea_id = fields.String()
    text = fields.String()
    posted_at = fields.AwareDateTime()
    helpful = fields.Function(lambda c: c.get("helpful") is not None)


class Profile(Schema):
    """What anyone may see of a member: only what the reader may see (the spaces they share, nothing hidden, no
    private thread)."""
    member_id = fields.String()
    display_name = fields.String()
    points = fields.Integer()  # all time, on the boards the reader sees
    level = fields.Nested(LevelShape)
    next_level = fields.Nested(LevelShape, allow_none=True)
    ideas = fields.List(fields.Nested(Idea, only=("id", "title", "space", "submitted_at", "status", "vote_count",
                                                  "comment_count")))
    comments = fields.List(fields.Nested(ProfileComment))


class Levels(Schema):
    levels = fields.List(fields.Nested(LevelShape))
