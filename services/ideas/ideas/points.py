"""Points, levels and leaderboards: the rules, the read model the `ideas.points` consumer keeps, and its reads.

Owned by the ideas service because what earns points is its content: ideas and comments, their authors, their
spaces and whether a moderator hid them. When an event comes, however late or early against another topic's, the
handler reads the idea or comment as it stands in this service's own database, so a hide read before the
threshold event, or a helpful mark undone, always ends with the same awards. The profile page lists a member's
ideas and comments, which are this service's too, with the same space filter as its lists. From accounts it needs
only what its events say to everyone: display names (user.registered), bans and erasures.

The read model (recomputable: `python -m ideas.cli replay-points` rebuilds it from the topics):
- `awards`: one document per thing that may earn points, its `_id` named by the rule and what earned it
  (`submitted:<idea>`, `vote:<idea>:<voter>`, ...), so an event handled twice writes the same document. It counts
  while `live` (a vote not withdrawn, a helpful mark not undone) and not `hidden` (its idea or comment shown).
  A vote is one award per (idea, voter), the newest `vote_version` kept: casting and withdrawing a hundred times
  earns what one vote does, and nothing once withdrawn.
- `scores`: a member's points on one board (the public lab or a space) in one period (all time, an ISO week, a
  month), recounted from their awards after each change of them; only differing documents are written (a vote
  changes three). A leaderboard is one index range, {board, period} in points order.
- `members`: display names, and who was banned (off every board) or erased (nothing kept, nothing earned again).
- `boards`: one document per board, with the floors of its current periods (`idealab.mongo.ranked`): the points
  found 100, 300, 1,000 and 3,000 members deep, refreshed by the worker every few seconds, so a leaderboard reads an
  index range of about a hundred scores above a floor, not every member of the board (this engine sorts every row
  a filter matches). A stale floor only makes a read slower: the page is checked to be whole above it.

Every time is the fact's (submitted_at, cast_at, the threshold event's time...), so a replay files each award in
the same week and month.
"""
from dataclasses import dataclass
from datetime import datetime, timezone

from pymongo import ASCENDING, DESCENDING
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError
from werkzeug.exceptions import Conflict, NotFound

from idealab import auth, events, mongo, outbox
from idealab.events import Event, new_event

# What the consumer group `ideas.points` reads.
TOPICS = [events.IDEAS_TOPIC, events.VOTES_TOPIC, events.ROADMAP_TOPIC, events.ACCOUNTS_TOPIC]
# The rules, in one place: what earns how much.
RULES = {"submitted": 10, "threshold": 20, "planned": 30, "launched": 50, "helpful": 15, "vote": 1}
# The author's, lost while the idea is hidden; a vote for it keeps its point (the voter did nothing wrong).
IDEA_AWARDS = ("submitted", "threshold", "planned", "launched")
PLANNED = ("planned", "in_progress", "launched")  # an idea moved past these was planned, even if it skipped it
PERIODS = ("week", "month", "all")
ALL_TIME = "all"
LEADERBOARD_ORDER = [("points", DESCENDING), ("member_id", ASCENDING)]


@dataclass(frozen=True)
class Level:
    name: str
    points: int  # from this many points (all time)


def levels_from(text: str) -> list[Level]:
    """Levels from "Name:points,Name:points" (the LEVELS setting), lowest first; the first starts at 0."""
    found = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, points = part.rpartition(":")
        if not name.strip() or not points.strip().isdigit():
            raise ValueError(f"LEVELS: {part!r} is not Name:points")
        found.append(Level(name.strip(), int(points)))
    found.sort(key=lambda level: level.points)
    if not found or found[0].points != 0:
        raise ValueError("LEVELS: the first level starts at 0 points")
    return found


def level_of(points: int, levels: list[Level]) -> tuple[Level, Level | None]:
    """The level reached with `points`, and the next one (None at the top)."""
    reached = [level for level in levels if level.points <= points]
    later = [level for level in levels if level.points > points]
    return reached[-1], (later[0] if later else None)


def now() -> datetime:
    return mongo.as_stored(datetime.now(timezone.utc))


def board_of(space: str | None) -> str:
    [board] = mongo.list_ids([space])
    return board


def period_keys(at: datetime) -> list[str]:
    """The periods an award at `at` counts in: its ISO week, its month (UTC) and all time."""
    year, week, _ = at.isocalendar()
    return [f"week:{year}-W{week:02d}", f"month:{at:%Y-%m}", ALL_TIME]


def period_key(period: str, now: datetime) -> str:
    """The key of the current `period` (week, month or all)."""
    return ALL_TIME if period == ALL_TIME else next(k for k in period_keys(now) if k.startswith(period))


def totals(awards: list[dict]) -> dict[tuple[str, str], int]:
    """(board, period) → points of the counting `awards`."""
    found: dict[tuple[str, str], int] = {}
    for award in awards:
        for period in period_keys(award["at"]):
            key = (board_of(award["space"]), period)
            found[key] = found.get(key, 0) + award["points"]
    return found


def _award(kind: str, key: str, member_id: str, idea: dict, at: datetime, **fields) -> dict:
    return {"_id": f"{kind}:{key}", "kind": kind, "member_id": member_id, "idea_id": idea["_id"],
            "space": idea.get("space"), "points": RULES[kind], "at": at, **fields}


class PointsStore:
    """Every pymongo call of points; reads the service's ideas and comments, writes its own three collections."""

    def __init__(self, db: Database):
        self.ideas = db["ideas"]
        self.comments = db["comments"]
        self.awards = db["awards"]
        self.scores = db["scores"]
        self.members = db["members"]
        self.boards = db["boards"]

    def ensure_indexes(self) -> None:
        self.awards.create_index([("member_id", ASCENDING), ("live", ASCENDING)])
        self.awards.create_index("idea_id")
        self.scores.create_index([("board", ASCENDING), ("period", ASCENDING), *LEADERBOARD_ORDER])
        self.scores.create_index([("member_id", ASCENDING), ("period", ASCENDING)])
        # A profile: a member's ideas and comments, newest first.
        self.ideas.create_index([("author_id", ASCENDING), ("submitted_at", DESCENDING)])
        self.comments.create_index([("author_id", ASCENDING), ("posted_at", DESCENDING)])

    # -- the consumer's writes --
    def award(self, award: dict) -> None:
        """Writes an award of an idea or comment, with whether it counts as the item stands now."""
        member = self.members.find_one({"_id": award["member_id"]}, {"erased": 1})
        if member is not None and member.get("erased"):
            return
        # Dated by the first time it was earned (planned, then launched: planned when it was planned), whatever order
        # the events come in.
        fields = {k: v for k, v in award.items() if k != "at"}
        self.awards.update_one({"_id": award["_id"]}, {"$set": fields, "$min": {"at": award["at"]}}, upsert=True)
        self.recount(award["member_id"])

    def award_vote(self, award: dict, version: int) -> None:
        """Keeps the newest state of one member's vote on one idea (by `vote_version`): replays and stale copies
        change nothing."""
        member = self.members.find_one({"_id": award["member_id"]}, {"erased": 1})
        if member is not None and member.get("erased"):
            return
        try:
            self.awards.update_one({"_id": award["_id"], "$or": [{"version": {"$lt": version}},
                                                                 {"version": {"$exists": False}}]},
                                   {"$set": {**award, "version": version}}, upsert=True)
        except DuplicateKeyError:
            return  # a newer state of this vote is kept already
        self.recount(award["member_id"])

    def set_hidden(self, query: dict, hidden: bool) -> None:
        for member_id in self.awards.distinct("member_id", query):
            self.awards.update_many({**query, "member_id": member_id}, {"$set": {"hidden": hidden}})
            self.recount(member_id)

    def recount(self, member_id: str) -> None:
        """Rewrites the member's scores that differ from the sum of their counting awards (none when banned)."""
        member = self.members.find_one({"_id": member_id}) or {}
        counting = [] if member.get("banned") or member.get("erased") else list(self.awards.find(
            {"member_id": member_id, "live": True, "hidden": False}, {"space": 1, "points": 1, "at": 1}))
        wanted = totals(counting)
        kept = {(s["board"], s["period"]): s for s in self.scores.find({"member_id": member_id})}
        for board in {b for b, _ in wanted} - {b for b, _ in kept}:
            self.boards.update_one({"_id": board}, {"$setOnInsert": {"floors": {}}}, upsert=True)
        for (board, period), points in wanted.items():
            if kept.get((board, period), {}).get("points") != points:
                self.scores.update_one({"_id": f"{board}|{period}|{member_id}"}, {"$set": {
                    "board": board, "period": period, "member_id": member_id, "points": points}}, upsert=True)
        gone = [s["_id"] for key, s in kept.items() if key not in wanted]
        if gone:
            self.scores.delete_many({"_id": {"$in": gone}})

    def rank(self, now: datetime) -> None:
        """Finds again the floors of every board's current periods (the worker's job)."""
        current = [period_key(p, now) for p in PERIODS]
        for board in self.boards.find():
            floors = {key: mongo.floors_of(self.scores, {"board": board["_id"], "period": key}, LEADERBOARD_ORDER,
                                           board.get("floors", {}).get(key, [])) for key in current}
            self.boards.update_one({"_id": board["_id"]}, {"$set": {"floors": floors}})

    def name(self, member_id: str, display_name: str) -> None:
        self.members.update_one({"_id": member_id}, {"$set": {"display_name": display_name}}, upsert=True)

    def ban(self, member_id: str) -> None:
        self.members.update_one({"_id": member_id}, {"$set": {"banned": True}}, upsert=True)
        self.recount(member_id)

    def erase(self, member_id: str) -> None:
        """GDPR erasure: their name, awards and scores go; a replay of their old events earns nothing again."""
        self.members.replace_one({"_id": member_id}, {"erased": True}, upsert=True)
        self.awards.delete_many({"member_id": member_id})
        self.scores.delete_many({"member_id": member_id})

    # -- reads --
    def idea(self, idea_id: str) -> dict | None:
        return self.ideas.find_one({"_id": idea_id}, {"author_id": 1, "space": 1, "hidden": 1})

    def comment(self, comment_id: str) -> dict | None:
        return self.comments.find_one({"_id": comment_id}, {"author_id": 1, "idea_id": 1, "space": 1, "hidden": 1,
                                                            "helpful": 1})

    def comment_on(self, idea_id: str, comment_id: str) -> dict | None:
        return self.comments.find_one({"_id": comment_id, "idea_id": idea_id}, {"outbox": 0})

    def mark(self, comment_id: str, mark: dict | None, event: dict) -> bool:
        """Sets or clears a comment's helpful mark with its event, only if nobody did meanwhile."""
        was = {"helpful": None} if mark is not None else {"helpful": {"$ne": None}}
        return self.comments.update_one({"_id": comment_id, **was},
                                        outbox.recording({"$set": {"helpful": mark}}, event)).modified_count == 1

    def awarded(self, award_id: str) -> bool:
        return self.awards.find_one({"_id": award_id}, {"_id": 1}) is not None

    def leaderboard(self, board: str, period: str, limit: int) -> list[dict]:
        """The board's `limit` first members in `period`, read above the shallowest floor deep enough."""
        found = self.boards.find_one({"_id": board}, {f"floors.{period}": 1}) or {}
        return mongo.ranked(self.scores, {"board": board, "period": period}, LEADERBOARD_ORDER, 0, limit,
                            found.get("floors", {}).get(period, []), {"member_id": 1, "points": 1})

    def all_time(self, member_ids: list[str], boards: list[str] | None) -> dict[str, int]:
        """Each member's all-time points over `boards` (None: every board)."""
        query = {"member_id": {"$in": member_ids}, "period": ALL_TIME}
        if boards is not None:
            query["board"] = {"$in": boards}
        found: dict[str, int] = {}
        for score in self.scores.find(query, {"member_id": 1, "points": 1}):
            found[score["member_id"]] = found.get(score["member_id"], 0) + score["points"]
        return found

    def names(self, member_ids: list[str]) -> dict[str, dict]:
        return {m["_id"]: m for m in self.members.find({"_id": {"$in": member_ids}})}

    def ideas_by(self, member_id: str, spaces: list[str | None] | None, limit: int) -> list[dict]:
        return list(self.ideas.find(_shown_to(member_id, spaces), {"outbox": 0, "search": 0})
                    .sort([("submitted_at", DESCENDING), ("_id", ASCENDING)]).limit(limit))

    def comments_by(self, member_id: str, spaces: list[str | None] | None, limit: int) -> list[dict]:
        return list(self.comments.find(_shown_to(member_id, spaces), {"outbox": 0})
                    .sort([("posted_at", DESCENDING), ("_id", ASCENDING)]).limit(limit))


def _shown_to(member_id: str, spaces: list[str | None] | None) -> dict:
    """A member's items a reader of `spaces` (None: every space) sees on their profile: never hidden ones."""
    query = {"author_id": member_id, "hidden": None}
    if spaces is not None:
        query["space"] = {"$in": spaces}
    return query


# -- the staff's action --
def mark_helpful(points: PointsStore, idea_id: str, comment_id: str, helpful: bool, staff: auth.Principal,
                 now: datetime) -> dict:
    """Marks a comment helpful (or takes the mark back), with its event, once: marking it again changes nothing."""
    comment = points.comment_on(idea_id, comment_id)
    if comment is None or not staff.can_see(comment.get("space")):
        raise NotFound(f"no comment {comment_id}")
    if (comment.get("helpful") is not None) == helpful:
        return comment
    mark = {"by": staff.user_id, "at": now} if helpful else None
    event = new_event("comment.marked_helpful" if helpful else "comment.unmarked_helpful", {
        "idea_id": idea_id, "comment_id": comment_id, "author_id": comment.get("author_id"), "by": staff.user_id,
        "at": now}, source="/ideas", subject=idea_id)
    if not points.mark(comment_id, mark, event):
        raise Conflict("this comment's mark was changed by someone else meanwhile; reload and try again")
    return {**comment, "helpful": mark}


# -- the reads of the API --
def leaderboard(points: PointsStore, principal: auth.Principal | None, space: str | None, period: str, limit: int,
                levels: list[Level], now: datetime) -> dict:
    """The board of the public lab or of a space (its members and staff only: 404 to anyone else) in the current
    `period`, each member with the level of their all-time points the reader may see."""
    if not auth.can_see(principal, space):
        raise NotFound(f"no space {space}")
    rows = points.leaderboard(board_of(space), period_key(period, now), limit)
    ids = [row["member_id"] for row in rows]
    names, all_time = points.names(ids), points.all_time(ids, _boards(principal))
    return {"space": space, "period": period, "entries": [
        {"rank": n, "member_id": row["member_id"], "points": row["points"],
         "display_name": names.get(row["member_id"], {}).get("display_name"),
         "level": level_of(all_time.get(row["member_id"], 0), levels)[0].name}
        for n, row in enumerate(rows, start=1)]}


def names(points: PointsStore, member_ids: list[str], principal: auth.Principal | None,
          levels: list[Level]) -> list[dict]:
    """Members' names with their level beside them (of the points the reader may see), for lists of comments and the
    like; unknown and erased members are left out."""
    ids = list(dict.fromkeys(member_ids))
    found, all_time = points.names(ids), points.all_time(ids, _boards(principal))
    return [{"member_id": i, "display_name": found[i]["display_name"],
             "level": level_of(all_time.get(i, 0), levels)[0].name}
            for i in ids if "display_name" in found.get(i, {}) and not found[i].get("erased")]


def profile(points: PointsStore, member_id: str, principal: auth.Principal | None, levels: list[Level],
            limit: int) -> dict:
    """A member's page as the reader may see it: their points on the boards the reader sees (all of them for
    themselves), the level those reach, and their ideas and comments shown in those spaces. Never a private thread,
    never anything hidden."""
    member = points.names([member_id]).get(member_id)
    if member is None or member.get("erased") or "display_name" not in member:
        raise NotFound(f"no member {member_id}")
    spaces = auth.readable_lists(principal, None)
    total = points.all_time([member_id], _boards(principal)).get(member_id, 0)
    level, following = level_of(total, levels)
    return {"member_id": member_id, "display_name": member["display_name"], "points": total, "level": level,
            "next_level": following, "ideas": points.ideas_by(member_id, spaces, limit),
            "comments": points.comments_by(member_id, spaces, limit)}


def _boards(principal: auth.Principal | None) -> list[str] | None:
    spaces = auth.readable_lists(principal, None)
    return None if spaces is None else mongo.list_ids(spaces)


# -- the consumer: one handler per event type, each idempotent and indifferent to the order of topics --
def on_idea_submitted(points: PointsStore, event: Event) -> None:
    _award_idea(points, event.data["idea_id"], "submitted", event.data["submitted_at"])


def on_threshold_reached(points: PointsStore, event: Event) -> None:
    _award_idea(points, event.data["idea_id"], "threshold", event.time)


def on_status_changed(points: PointsStore, event: Event) -> None:
    to, at = event.data["to_status"], event.data["changed_at"]
    if to in PLANNED:
        _award_idea(points, event.data["idea_id"], "planned", at)
    if to == "launched":
        _award_idea(points, event.data["idea_id"], "launched", at)


def _award_idea(points: PointsStore, idea_id: str, kind: str, at: datetime) -> None:
    idea = points.idea(idea_id)
    if idea is None or not idea.get("author_id"):
        return  # not an idea of this lab, or its author deleted their account
    points.award(_award(kind, idea_id, idea["author_id"], idea, at, live=True, hidden=idea.get("hidden") is not None))


def on_idea_moderated(points: PointsStore, event: Event) -> None:
    idea = points.idea(event.data["idea_id"])
    if idea is not None:
        points.set_hidden({"idea_id": idea["_id"], "kind": {"$in": list(IDEA_AWARDS)}},
                          idea.get("hidden") is not None)


def on_comment_changed(points: PointsStore, event: Event) -> None:
    """A helpful mark made or undone, or the comment hidden or restored: its award as the comment stands now."""
    comment = points.comment(event.data["comment_id"])
    if comment is None or not comment.get("author_id"):
        return
    helpful = comment.get("helpful")
    if helpful is None and not points.awarded(f"helpful:{comment['_id']}"):
        return  # never marked: nothing to award or take back
    idea = {"_id": comment["idea_id"], "space": comment.get("space")}
    points.award(_award("helpful", comment["_id"], comment["author_id"], idea,
                        helpful["at"] if helpful else event.time, comment_id=comment["_id"],
                        live=helpful is not None, hidden=comment.get("hidden") is not None))


def on_vote(points: PointsStore, event: Event) -> None:
    idea = points.idea(event.data["idea_id"])
    if idea is None:
        return
    cast = event.type == "vote.cast"
    at = event.data["cast_at"] if cast else event.data["withdrawn_at"]
    voter = event.data["voter_id"]
    points.award_vote(_award("vote", f"{idea['_id']}:{voter}", voter, idea, at, live=cast, hidden=False),
                      event.data["vote_version"])


def event_handlers(points: PointsStore) -> dict:
    return {
        "user.registered": lambda e: points.name(e.data["user_id"], e.data["display_name"]),
        "user.banned": lambda e: points.ban(e.data["user_id"]),
        "user.deleted": lambda e: points.erase(e.data["user_id"]),
        "idea.submitted": lambda e: on_idea_submitted(points, e),
        "idea.threshold_reached": lambda e: on_threshold_reached(points, e),
        "idea.status_changed": lambda e: on_status_changed(points, e),
        "idea.hidden": lambda e: on_idea_moderated(points, e),
        "idea.restored": lambda e: on_idea_moderated(points, e),
        "comment.marked_helpful": lambda e: on_comment_changed(points, e),
        "comment.unmarked_helpful": lambda e: on_comment_changed(points, e),
        "comment.hidden": lambda e: on_comment_changed(points, e),
        "comment.restored": lambda e: on_comment_changed(points, e),
        "vote.cast": lambda e: on_vote(points, e),
        "vote.withdrawn": lambda e: on_vote(points, e),
    }
