"""Ratings of what was built (the Crédit Agricole Store's): members rate a launched idea or initiative 1 to 5 stars,
with a review if they like; the average and the distribution are shown; moderators hide a review as they hide a
comment (its stars still count, its text is withheld with the public reason); product teams see every launch's.

The roadmap service owns them because it owns what was launched: an item's or an initiative's status says whether it
may be rated, and its space who may see and rate it, without asking anyone. One document per (launch, member), its
`_id` from both: rating again edits it, so a member counts once. The average and distribution are counted from the
ratings of the launch when read (one $group over an index range of that launch): exact by construction, nothing to
keep in step, and a launch has hundreds or thousands of ratings, not millions.
"""
from datetime import datetime, timezone

from pymongo import ASCENDING, DESCENDING, ReturnDocument
from pymongo.database import Database
from werkzeug.exceptions import Conflict, NotFound

from idealab import auth, mongo
from idealab.events import Event

STARS = (1, 2, 3, 4, 5)
KINDS = {"ideas": "idea", "initiatives": "initiative"}  # the URL's word → the target's kind
REVIEW_ORDER = [("updated_at", DESCENDING), ("_id", ASCENDING)]
HIDE, RESTORE = "hide", "restore"
LAUNCHES_SHOWN = 100


def target_key(kind: str, target_id: str) -> str:
    return f"{KINDS[kind]}:{target_id}"


def rating_id(target: str, member_id: str) -> str:
    return f"{target}|{member_id}"


def summary(counts: dict[int, int]) -> dict:
    """The count, the average (two decimals; None with no rating) and the distribution of stars 1 to 5."""
    distribution = {str(s): counts.get(s, 0) for s in STARS}
    count = sum(counts.get(s, 0) for s in STARS)
    average = round(sum(s * counts.get(s, 0) for s in STARS) / count, 2) if count else None
    return {"count": count, "average": average, "distribution": distribution}


def as_shown(rating: dict, staff: bool) -> dict:
    """What a reader sees of a rating: a hidden review says that it was and why, not its text; staff see it all."""
    if staff:
        return rating
    shown = {k: v for k, v in rating.items() if k != "moderation"}
    if rating.get("hidden") is None:
        return shown
    return {**shown, "review": None, "hidden": {k: rating["hidden"][k] for k in ("reason", "at")}}


class RatingStore:
    """Every pymongo call of ratings; reads the roadmap's items and initiatives."""

    def __init__(self, db: Database):
        self.ratings = db["ratings"]
        self.items = db["items"]
        self.initiatives = db["initiatives"]

    def ensure_indexes(self) -> None:
        self.ratings.create_index([("target", ASCENDING), ("stars", ASCENDING)])  # a launch's counts
        self.ratings.create_index([("target", ASCENDING), ("has_review", ASCENDING), *REVIEW_ORDER])
        self.ratings.create_index("member_id")

    def target(self, kind: str, target_id: str) -> dict | None:
        collection = self.items if kind == "ideas" else self.initiatives
        return collection.find_one({"_id": target_id}, {"title": 1, "space": 1, "status": 1, "announced": 1})

    def rate(self, target: str, member_id: str, space: str | None, stars: int, review: str | None,
             now: datetime) -> tuple[dict, bool]:
        """Sets the member's rating of the launch; (the rating, whether it is new)."""
        found = self.ratings.find_one_and_update(
            {"_id": rating_id(target, member_id)},
            {"$set": {"stars": stars, "review": review, "has_review": review is not None, "updated_at": now},
             "$setOnInsert": {"target": target, "member_id": member_id, "space": space, "rated_at": now,
                              "hidden": None, "moderation": []}},
            upsert=True, return_document=ReturnDocument.AFTER)
        return found, found["rated_at"] == now

    def rating(self, target: str, member_id: str) -> dict | None:
        return self.ratings.find_one({"_id": rating_id(target, member_id)})

    def counts(self, targets: list[str]) -> dict[str, dict[int, int]]:
        """Per launch, how many ratings gave each number of stars."""
        found: dict[str, dict[int, int]] = {t: {} for t in targets}
        for row in self.ratings.aggregate([{"$match": {"target": {"$in": targets}}},
                                           {"$group": {"_id": {"target": "$target", "stars": "$stars"},
                                                       "n": {"$sum": 1}}}]):
            found[row["_id"]["target"]][row["_id"]["stars"]] = row["n"]
        return found

    def reviews(self, target: str, limit: int, offset: int) -> list[dict]:
        return list(self.ratings.find({"target": target, "has_review": True}).sort(REVIEW_ORDER)
                    .skip(offset).limit(limit))

    def moderate(self, rating: dict, was_hidden: bool, hidden: dict | None, entry: dict) -> bool:
        """Hides or restores a review, only if nobody moderated it meanwhile."""
        state = {"hidden": {"$ne": None}} if was_hidden else {"hidden": None}
        return self.ratings.update_one({"_id": rating["_id"], **state},
                                       {"$set": {"hidden": hidden}, "$push": {"moderation": entry}}
                                       ).modified_count == 1

    def by_member(self, member_id: str) -> list[dict]:
        return list(self.ratings.find({"member_id": member_id}).sort("updated_at", DESCENDING))

    def forget(self, member_id: str) -> None:
        """A deleted account's ratings and reviews go (GDPR erasure): the launch's counts no longer hold them."""
        self.ratings.delete_many({"member_id": member_id})

    def launched(self, spaces: list[str | None] | None, limit: int) -> list[tuple[str, dict]]:
        """The launched ideas and initiatives of `spaces` (as the board's lists), the latest first."""
        found = []
        for list_id in mongo.list_ids(spaces):
            shown = mongo.in_list(list_id)
            found += [("ideas", i) for i in self.items.find({"status": "launched", **shown},
                                                            {"title": 1, "space": 1, "updated_at": 1})
                      .sort([("updated_at", DESCENDING), ("_id", ASCENDING)]).limit(limit)]
            found += [("initiatives", i) for i in self.initiatives.find(
                {"status": "launched", **shown, "announced": True}, {"title": 1, "space": 1, "updated_at": 1})
                .sort([("updated_at", DESCENDING), ("_id", ASCENDING)]).limit(limit)]
        found.sort(key=lambda pair: pair[1]["updated_at"], reverse=True)
        return found[:limit]


def _now() -> datetime:
    return mongo.as_stored(datetime.now(timezone.utc))


def _visible(kind: str, target: dict | None, principal: auth.Principal | None) -> bool:
    if target is None:
        return False
    if principal is not None and principal.is_staff:
        return True
    known = target.get("announced") if kind == "initiatives" else "title" in target
    return bool(known) and auth.can_see(principal, target.get("space"))


def visible_target(store: RatingStore, kind: str, target_id: str, principal: auth.Principal | None) -> dict:
    target = store.target(kind, target_id)
    if not _visible(kind, target, principal):
        raise NotFound(f"no {KINDS[kind]} {target_id}")
    return target


def rate(store: RatingStore, kind: str, target_id: str, stars: int, review: str | None,
         member: auth.Principal) -> tuple[dict, bool]:
    """Rates a launched idea or initiative the member may see, or edits their rating of it."""
    target = visible_target(store, kind, target_id, member)
    if target.get("status") != "launched":
        raise Conflict(f"only what was launched can be rated: this {KINDS[kind]} is {target.get('status')}")
    return store.rate(target_key(kind, target_id), member.user_id, target.get("space"), stars, review, _now())


def ratings(store: RatingStore, kind: str, target_id: str, principal: auth.Principal | None, limit: int,
            offset: int) -> dict:
    """A launch's average and distribution, its reviews (newest first) and the caller's own rating."""
    visible_target(store, kind, target_id, principal)
    key = target_key(kind, target_id)
    staff = principal is not None and principal.is_staff
    mine = store.rating(key, principal.user_id) if principal is not None else None
    mine = as_shown(mine, staff) if mine is not None else None
    return {"summary": summary(store.counts([key])[key]), "mine": mine,
            "reviews": [as_shown(r, staff) for r in store.reviews(key, limit, offset)], "offset": offset}


def moderate(store: RatingStore, kind: str, target_id: str, member_id: str, action: str, reason: str,
             moderator: auth.Principal) -> dict:
    """Hides or restores a member's review, with a public reason; nothing is deleted."""
    visible_target(store, kind, target_id, moderator)
    rating = store.rating(target_key(kind, target_id), member_id)
    if rating is None or rating.get("review") is None:
        raise NotFound(f"no review by {member_id}")
    was_hidden = rating.get("hidden") is not None
    if (action == HIDE) == was_hidden:
        raise Conflict(f"this review is {'hidden' if was_hidden else 'shown'} already")
    now = _now()
    hidden = {"reason": reason, "by": moderator.user_id, "at": now} if action == HIDE else None
    entry = {"action": action, "reason": reason, "by": moderator.user_id, "at": now}
    if not store.moderate(rating, was_hidden, hidden, entry):
        raise Conflict("this review was moderated by someone else meanwhile; reload and try again")
    return store.rating(rating["target"], member_id)


def launches(store: RatingStore, spaces: list[str | None] | None) -> list[dict]:
    """For the product teams: each launch they may see with its ratings' count, average and distribution."""
    found = store.launched(spaces, LAUNCHES_SHOWN)
    counts = store.counts([target_key(kind, t["_id"]) for kind, t in found])
    return [{"kind": KINDS[kind], "id": t["_id"], "title": t.get("title"), "space": t.get("space"),
             "launched_at": t["updated_at"], **summary(counts[target_key(kind, t["_id"])])} for kind, t in found]


def on_user_deleted(store: RatingStore, event: Event) -> None:
    store.forget(event.data["user_id"])
