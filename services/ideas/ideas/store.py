"""Every pymongo call of the ideas service.

The idea lists are read from a ranked read model the worker keeps: for each list (the public lab, each space, and
every space for staff) and each order, the sort key found 100, 300, 1,000 and 3,000 ideas deep (`idealab.mongo.ranked`).
A page is read from the ideas themselves, by an index range above the shallowest of those floors deep enough, so
the first pages read about a hundred ideas, not the whole lab (this engine sorts every row a filter matches; it
never reads an index in order). Chosen over a ranking document holding the top ids because:
- a page is exact and fresh by construction: a new idea or a tally shows at once, a stale floor only costs a slower
  read (the page is checked to be whole above it), never a missing or misplaced idea;
- nothing on the vote path: floors change slowly, so the worker refreshes them every ten seconds (one bounded read
  per list and order), with no read-modify-write of a hot ranking document at a thousand tallies a second, and no
  refill when an idea drops out of a top-N list;
- recomputable: floors are a function of the ideas, found again each round; the lists to rank come from
  idea.submitted (a replay brings them back).
Privacy is the filter's: a list reads only its own space, and a reader's page merges only the lists they may see.
A cursor (the sort key of the last idea shown) reads the next page after that key instead of after a count: an idea
that votes move up or down meanwhile cannot make another idea show twice or be skipped.

Search is MongoDB's `$text` over a folded copy of each idea's text (`domain.terms`: stemmed in French, English and
Spanish, then accents and case removed; the index's language is "none", so the engine only splits words), in one
text index weighting the title above the description and comments. Chosen over a term index of our own because the
engine then does what it does well, on both engines alike: one index lookup per word, relevance (`textScore`) and the
other filters in the same query, without a second collection of postings to keep in step with every comment. The
price is the copy, rewritten when an idea's comments change.
"""
from datetime import datetime

from pymongo import ASCENDING, DESCENDING
from pymongo.errors import DuplicateKeyError
from pymongo.database import Database

from idealab import mongo, outbox

from . import conversations, domain
from .directory import Directory
from .moderation_store import ModerationStore
from .entry_store import EntryStore
from .points import PointsStore

SORT_KEYS = {
    "newest": [("submitted_at", DESCENDING), ("_id", ASCENDING)],
    "most_voted": [("vote_count", DESCENDING), ("submitted_at", DESCENDING), ("_id", ASCENDING)],
    "most_discussed": [("comment_count", DESCENDING), ("submitted_at", DESCENDING), ("_id", ASCENDING)],
    "trending": [("trending", DESCENDING), ("submitted_at", DESCENDING), ("_id", ASCENDING)],
}
SEARCH_WEIGHTS = {"search.title": 3, "search.body": 1}
SCORE = {"score": {"$meta": "textScore"}}
COMMENT_ORDER = [("posted_at", ASCENDING), ("_id", ASCENDING)]
NOT_HIDDEN = {"hidden": None}
QUESTION_ORDER = [("asked_at", DESCENDING), ("_id", ASCENDING)]
ANSWER_ORDER = [("posted_at", ASCENDING), ("_id", ASCENDING)]
THREAD_ORDER = [("last_message_at", DESCENDING), ("_id", ASCENDING)]


class IdeaStore:
    def __init__(self, db: Database):
        self.ideas = db["ideas"]
        self.comments = db["comments"]
        # One document per image (at most 2 MB, far below BSON's 16 MB): stored by one write, so never half stored,
        # which GridFS (chunks, then the file's document, with no transaction on FerretDB) cannot promise.
        self.images = db["images"]
        self.uploads = db["uploads"]  # images and bytes each member uploaded each day (UTC): the upload quota
        # The ranked read model: one document per list, {_id: its ranking id, <sort>: its floors}.
        self.rankings = db["rankings"]
        # Members' explicit choices to follow an idea or not, {_id: "idea:member", following}, with their events.
        self.follows = db["follows"]
        # Questions beside the ideas, and the team's public answers on ideas and questions.
        self.questions = db["questions"]
        self.answers = db["answers"]
        # Private threads, one document each with its messages; no list, count or search of the lab reads them.
        self.threads = db["private_threads"]
        # Flags, reports and moderators' reviews (ideas.moderation), and the members directory mentions read.
        self.moderation = ModerationStore(db)
        self.directory = Directory(db)
        # The response-time promise (ideas.promise, ideas.promise_store): what waits for the team, and the targets.
        self.promises = db["promises"]  # one per member's post the team owes an answer, with its due times
        self.promise_targets = db["promise_targets"]  # per space (or the public lab): minutes to acknowledge, answer
        # Points, levels and leaderboards: awards, scores and members (ideas.points), kept by their own consumer.
        self.points = PointsStore(db)
        self.entries = EntryStore(db)  # contest entries' contests and videos (ideas.entries)

    def ensure_indexes(self) -> None:
        for keys in SORT_KEYS.values():
            self.ideas.create_index(keys)  # every space
            self.ideas.create_index([("space", ASCENDING), *keys])  # one space, or the public lab
        self.comments.create_index([("idea_id", ASCENDING), *COMMENT_ORDER])
        self.images.create_index("owner_id")
        self.images.create_index([("attached", ASCENDING), ("uploaded_at", ASCENDING)])  # the unused, oldest first
        self.uploads.create_index("expires_at", expireAfterSeconds=0)  # a day's counter goes with the day
        self.ideas.create_index("image.id")  # an image's ideas, whose spaces say who may see it
        self.ideas.create_index([(field, "text") for field in SEARCH_WEIGHTS], weights=SEARCH_WEIGHTS,
                                default_language="none", name="search")
        for keys in (QUESTION_ORDER, [("space", ASCENDING), *QUESTION_ORDER]):
            self.questions.create_index(keys)
        self.questions.create_index("author_id")
        self.answers.create_index([("about_id", ASCENDING), *ANSWER_ORDER])
        self.answers.create_index("author_id")
        self.threads.create_index([("member_id", ASCENDING), *THREAD_ORDER])  # a member's threads
        self.threads.create_index(THREAD_ORDER)  # staff's: every thread, latest first
        self.moderation.ensure_indexes()
        self.directory.ensure_indexes()
        self.promises.create_index([("answered_at", ASCENDING), ("posted_at", ASCENDING)])  # the team's queue
        self.promises.create_index([("space", ASCENDING), ("posted_at", ASCENDING)])  # a space's month of figures
        self.promises.create_index("thread_id")  # a thread's messages, answered by the team's next one
        for collection in (self.ideas, self.comments, self.follows, self.questions, self.answers, self.threads):
            outbox.ensure_indexes(collection)
        self.points.ensure_indexes()
        self.entries.ensure_indexes()

    def add(self, idea: dict, event: dict) -> None:
        self.ideas.insert_one(outbox.with_events(idea, event))

    def add_image(self, image: dict) -> None:
        self.images.insert_one(image)

    def image(self, image_id: str) -> dict | None:
        return self.images.find_one({"_id": image_id})

    def image_spaces(self, image_id: str) -> list[str | None]:
        """The spaces of the ideas showing the image (None: the public lab)."""
        return [i["space"] for i in self.ideas.find({"image.id": image_id}, {"space": 1})]

    def count_upload(self, counter: str, size: int, images: int, size_allowed: int, expires_at: datetime) -> bool:
        """Counts an upload of `size` bytes in the member's day if it stays within `images` and `size_allowed`
        bytes, in one write; False (nothing counted) beyond either."""
        room = {"_id": counter, "images": {"$lt": images}, "bytes": {"$lte": size_allowed - size}}
        update = {"$inc": {"images": 1, "bytes": size}, "$setOnInsert": {"expires_at": expires_at}}
        try:  # the day's first upload makes the counter
            self.uploads.update_one(room, update, upsert=True)
            return True
        except DuplicateKeyError:  # the counter exists and has no room, or another upload made it meanwhile
            return self.uploads.update_one(room, update).modified_count == 1

    def attach_image(self, image_id: str, owner_id: str) -> bool:
        """Marks the owner's image as used by an idea, so the clean-up never removes it; False when the owner has no
        such image (never uploaded, someone else's, or removed as unused)."""
        return self.images.update_one({"_id": image_id, "owner_id": owner_id},
                                      {"$set": {"attached": True}}).matched_count == 1

    def keep_image(self, image_id: str) -> bool:
        """Marks an image as used outside ideas (a campaign's option), so the clean-up never removes it; False when
        there is no such image."""
        return self.images.update_one({"_id": image_id}, {"$set": {"attached": True}}).matched_count == 1

    def remove_unused_images(self, uploaded_before: datetime) -> int:
        """Removes the images uploaded before `uploaded_before` that no idea uses (hidden and merged ideas use
        theirs); returns how many. The removal is conditional on the image still being unattached, so an idea
        submitted meanwhile keeps its image (or, when the removal came first, is refused it)."""
        removed = 0
        for image in self.images.find({"attached": None, "uploaded_at": {"$lt": uploaded_before}}, {"_id": 1}):
            if self.ideas.find_one({"image.id": image["_id"]}, {"_id": 1}) is not None:
                # Attached before images were marked: marked now, and not looked at again.
                self.images.update_one({"_id": image["_id"]}, {"$set": {"attached": True}})
            else:
                removed += self.images.delete_one({"_id": image["_id"], "attached": None}).deleted_count
        return removed

    def images_by(self, owner_id: str) -> "list[dict]":
        return list(self.images.find({"owner_id": owner_id}, {"data": 0}).sort("uploaded_at", ASCENDING))

    def get(self, idea_id: str) -> dict | None:
        return self.ideas.find_one({"_id": idea_id}, {outbox.FIELD: 0, "search": 0})

    def set_tags(self, idea_id: str, tags: list[str]) -> None:
        self.ideas.update_one({"_id": idea_id}, {"$set": {"tags": tags}})

    def merge(self, duplicate_id: str, changes: dict, event: dict) -> bool:
        """Marks the duplicate merged with its event, only if it was not merged meanwhile."""
        result = self.ideas.update_one({"_id": duplicate_id, "merged_into": None},
                                       outbox.recording({"$set": changes}, event))
        return result.modified_count == 1

    def choose_to_follow(self, choice: dict, event: dict) -> None:
        self.follows.update_one({"_id": choice["_id"]}, outbox.recording({"$set": choice}, event), upsert=True)

    def follow_choice(self, idea_id: str, user_id: str) -> dict | None:
        return self.follows.find_one({"_id": f"{idea_id}:{user_id}"}, {outbox.FIELD: 0})

    def list(self, sort: str, limit: int, offset: int, spaces: list[str | None] | None,
             include_hidden: bool = False, filters: dict | None = None, after: dict | None = None) -> list[dict]:
        """A page of the ideas in `spaces` (None: the public lab; the argument None: every space); hidden ideas
        only for staff, who review them; `filters` by field (category, status, tags); `after`: the sort key of the
        previous page's last idea (a cursor; then `offset` is not used). Each list is read above its floors; pages
        of several lists are merged."""
        keys, shown = SORT_KEYS[sort], {} if include_hidden else NOT_HIDDEN
        if after is not None:
            shown, offset = {**shown, **_after(keys, after)}, 0
        shown = {**shown, **(filters or {})}
        ids = mongo.list_ids(spaces)
        floors = {r["_id"]: r.get(sort, []) for r in self.rankings.find({"_id": {"$in": ids}}, {sort: 1})}

        def page(ranking_id: str, skip: int, count: int) -> "list[dict]":
            return mongo.ranked(self.ideas, {**mongo.in_list(ranking_id), **shown}, keys, skip, count,
                                floors.get(ranking_id, []), {outbox.FIELD: 0})

        if len(ids) == 1:
            return page(ids[0], offset, limit)
        merged = sorted((idea for i in ids for idea in page(i, 0, offset + limit)), key=mongo.in_order(keys))
        return merged[offset:offset + limit]

    def search(self, words: str, sort: str, limit: int, offset: int, spaces: "list[str | None] | None",
               include_hidden: bool = False, filters: dict | None = None, after: dict | None = None) -> "list[dict]":
        """The ideas of `spaces` (as in `list`) matching any of `words` (terms already folded), best match first
        (`sort` relevance) or in one of the list orders. One query, served by the text index. `after`: a cursor, the
        previous page's last sort key in a list order, or how many results came before in relevance order (a match's
        score depends on its text alone, not on votes, so the position holds while votes move ideas)."""
        query = {"$text": {"$search": words}, **({} if include_hidden else NOT_HIDDEN), **(filters or {})}
        if after is not None and sort == "relevance":
            offset = after["position"]
        elif after is not None:
            query, offset = {**query, **_after(SORT_KEYS[sort], after)}, 0
        if spaces is not None:
            query["space"] = {"$in": spaces}
        order = [("score", SCORE["score"]), *SORT_KEYS["newest"]] if sort == "relevance" else SORT_KEYS[sort]
        # The page's ids first: this engine projects nothing but the score beside a $meta. Then those ideas, by _id.
        ids = [i["_id"] for i in self.ideas.find(query, {"_id": 1, **SCORE}).sort(order).skip(offset).limit(limit)]
        ideas = {i["_id"]: i for i in self.ideas.find({"_id": {"$in": ids}}, {outbox.FIELD: 0, "search": 0})}
        return [ideas[i] for i in ids if i in ideas]

    def add_list(self, space: str | None) -> None:
        """Ranks the list of `space` from now on (its first idea was submitted)."""
        [list_id] = mongo.list_ids([space])
        self.rankings.update_one({"_id": list_id}, {"$setOnInsert": {"space": space}}, upsert=True)

    def rank(self) -> None:
        """Finds again the floors of every list in each order, over the ideas readers see (staff's lists hold more,
        so the floors hold for them too)."""
        known = {r["_id"]: r for r in self.rankings.find()}  # one per space: small
        for ranking_id in {mongo.EVERY_SPACE, *known}:
            query = {**mongo.in_list(ranking_id), **NOT_HIDDEN}
            floors = {sort: mongo.floors_of(self.ideas, query, keys, known.get(ranking_id, {}).get(sort, []))
                      for sort, keys in SORT_KEYS.items()}
            self.rankings.update_one({"_id": ranking_id}, {"$set": floors}, upsert=True)

    def by_author(self, author_id: str) -> "list[dict]":  # quoted: `list` here is the method above
        return list(self.ideas.find({"author_id": author_id}, {outbox.FIELD: 0}).sort(SORT_KEYS["newest"]))

    def forget_author(self, author_id: str) -> None:
        # Ideas and comments stay (honesty: nothing is deleted), attributed to nobody: "deleted member".
        for collection in (self.ideas, self.comments, self.questions, self.answers):
            collection.update_many({"author_id": author_id}, {"$set": {"author_id": None}})
        # A deleted member's private threads are theirs alone: their messages go, so no one reads them any more.
        self.threads.delete_many({"member_id": author_id})
        self.images.update_many({"owner_id": author_id}, {"$set": {"owner_id": None}})

    def add_comment(self, comment: dict, event: dict) -> None:
        self.comments.insert_one(outbox.with_events(comment, event))

    def comment(self, idea_id: str, comment_id: str) -> dict | None:
        return self.comments.find_one({"_id": comment_id, "idea_id": idea_id}, {outbox.FIELD: 0})

    def comments_of(self, idea_id: str, limit: int, offset: int) -> "list[dict]":
        return list(self.comments.find({"idea_id": idea_id}, {outbox.FIELD: 0})
                    .sort(COMMENT_ORDER).skip(offset).limit(limit))

    def comments_by(self, author_id: str) -> "list[dict]":
        return list(self.comments.find({"author_id": author_id}, {outbox.FIELD: 0}).sort(COMMENT_ORDER))

    def moderate(self, kind: str, item_id: str, was_hidden: bool, changes: dict, entry: dict, event: dict) -> bool:
        """Applies a hide or restore with its event, only if nobody moderated the item meanwhile."""
        collection = self.comments if kind == "comment" else self.ideas
        state = {"hidden": {"$ne": None}} if was_hidden else NOT_HIDDEN
        result = collection.update_one({"_id": item_id, **state},
                                       outbox.recording({"$set": changes, "$push": {"moderation": entry}}, event))
        return result.modified_count == 1

    def recount_comments(self, idea_id: str) -> None:
        """Counts the idea's visible comments again and rewrites its searchable text and trending score from them: a
        recount, not an increment, so replays and reordered events land on the same idea."""
        idea = self.ideas.find_one({"_id": idea_id}, {"title": 1, "description": 1, "vote_count": 1,
                                                      "submitted_at": 1, "last_active_at": 1})
        if idea is None:
            return
        visible = list(self.comments.find({"idea_id": idea_id, **NOT_HIDDEN}, {"text": 1, "posted_at": 1}))
        last_active = max([_last_active(idea), *(c["posted_at"] for c in visible)])
        self.ideas.update_one({"_id": idea_id}, {"$set": {
            "comment_count": len(visible), "last_active_at": last_active,
            "trending": domain.trending(idea["vote_count"], len(visible), last_active),
            **domain.search_fields(idea["title"], [idea["description"], *(c["text"] for c in visible)])}})

    def stored_before_discovery(self) -> "list[str]":
        """The ideas stored before their trending score and search text existed (for the operator's backfill: a
        scan, once)."""
        return [i["_id"] for i in self.ideas.find({"$or": [{"trending": {"$exists": False}},
                                                            {"search": {"$exists": False}}]}, {"_id": 1})]

    def set_tally(self, idea_id: str, count: int, version: int, changed_at: datetime) -> None:
        # Only a newer tally replaces the one shown: replays and out-of-order copies change nothing.
        idea = self.ideas.find_one({"_id": idea_id, "tally_version": {"$lt": version}},
                                   {"comment_count": 1, "submitted_at": 1, "last_active_at": 1})
        if idea is None:
            return
        last_active = max(_last_active(idea), changed_at)
        self.ideas.update_one({"_id": idea_id, "tally_version": {"$lt": version}}, {"$set": {
            "vote_count": count, "tally_version": version, "last_active_at": last_active,
            "trending": domain.trending(count, idea["comment_count"], last_active)}})

    def set_status(self, idea_id: str, status: str, changed_at: datetime) -> None:
        self.ideas.update_one({"_id": idea_id, "$or": [{"status_changed_at": {"$lte": changed_at}},
                                                 {"status_changed_at": {"$exists": False}}]},
                              {"$set": {"status": status, "status_changed_at": changed_at}})

    # Questions, answers and private threads (ideas.conversations).
    def ask(self, question: dict, event: dict) -> None:
        self.questions.insert_one(outbox.with_events(question, event))

    def question(self, question_id: str) -> dict | None:
        return self.questions.find_one({"_id": question_id}, {outbox.FIELD: 0})

    def questions_in(self, spaces: "list[str | None] | None", limit: int, offset: int,
                     include_hidden: bool = False) -> "list[dict]":
        """The questions of `spaces` (as in `list`), newest first."""
        query = {} if include_hidden else dict(NOT_HIDDEN)
        if spaces is not None:
            query["space"] = {"$in": spaces}
        return list(self.questions.find(query, {outbox.FIELD: 0}).sort(QUESTION_ORDER).skip(offset).limit(limit))

    def questions_by(self, author_id: str) -> "list[dict]":
        return list(self.questions.find({"author_id": author_id}, {outbox.FIELD: 0}).sort(QUESTION_ORDER))

    def add_answer(self, answer: dict, event: dict) -> None:
        self.answers.insert_one(outbox.with_events(answer, event))

    def answer(self, about_id: str, answer_id: str) -> dict | None:
        return self.answers.find_one({"_id": answer_id, "about_id": about_id}, {outbox.FIELD: 0})

    def answers_of(self, about_id: str) -> "list[dict]":
        return list(self.answers.find({"about_id": about_id}, {outbox.FIELD: 0}).sort(ANSWER_ORDER))

    def answers_by(self, author_id: str) -> "list[dict]":
        return list(self.answers.find({"author_id": author_id}, {outbox.FIELD: 0}).sort(ANSWER_ORDER))

    def set_answers(self, about: str, about_id: str, changes: dict) -> None:
        """Sets what an idea or question shows of its answers: the pinned team's answer, a count, a private mark."""
        collection = self.ideas if about == "idea" else self.questions if about == "question" else self.comments
        collection.update_one({"_id": about_id}, {"$set": changes})

    def count_answers(self, about_id: str) -> int:
        return self.answers.count_documents({"about_id": about_id})

    def thread(self, thread_id: str) -> dict | None:
        return self.threads.find_one({"_id": thread_id}, {outbox.FIELD: 0})

    def write_in_thread(self, thread: dict, message: dict, event: dict | None) -> bool:
        """Adds a message to a thread, opening it with its first message; with its event, in one write. False when
        the thread is full (checked in the same write)."""
        opening = {k: v for k, v in thread.items() if k not in ("_id", "messages", "last_message_at", outbox.FIELD)}
        update = {"$setOnInsert": opening, "$push": {"messages": message},
                  "$set": {"last_message_at": message["at"]}}
        room = {f"messages.{conversations.MAX_MESSAGES - 1}": {"$exists": False}}
        try:
            self.threads.update_one({"_id": thread["_id"], **room},
                                    outbox.recording(update, event) if event else update, upsert=True)
        except DuplicateKeyError:  # the thread is there and full: the upsert tried to make it again
            return False
        return True

    def threads_of(self, member_id: str | None, limit: int, offset: int, active_since: datetime) -> "list[dict]":
        """A member's threads (None: every thread active since `active_since`, for the team: a range of the index,
        as this engine sorts every document a filter matches), latest message first, without their messages."""
        query = {"last_message_at": {"$gte": active_since}} if member_id is None else {"member_id": member_id}
        return list(self.threads.find(query, {outbox.FIELD: 0, "messages": 0}).sort(THREAD_ORDER)
                    .skip(offset).limit(limit))

    def threads_with(self, member_id: str) -> "list[dict]":
        """A member's threads with their messages, for their data download."""
        return list(self.threads.find({"member_id": member_id}, {outbox.FIELD: 0}).sort(THREAD_ORDER))


def _last_active(idea: dict) -> datetime:
    return idea.get("last_active_at") or idea["submitted_at"]  # ideas submitted before trending: their submission


def _after(sort: mongo.Sort, key: dict) -> dict:
    """The filter of the documents that come strictly after `key` (every field of `sort`, its unique tie-break
    included) in `sort`'s order."""
    branches = []
    for i, (name, direction) in enumerate(sort):
        op = "$lt" if direction == DESCENDING else "$gt"
        branches.append({**{f: key[f] for f, _ in sort[:i]}, name: {op: key[name]}})
    return {"$or": branches}
