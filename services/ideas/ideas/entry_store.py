"""Every pymongo call about contest entries (ideas.entries): the contests' windows, the videos, a contest's entries."""
from datetime import datetime

from pymongo import ASCENDING
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError


class EntryStore:
    def __init__(self, db: Database):
        self.contests = db["contests"]  # read model: each contest's rounds and their entry windows, newest revision
        # One document per video (at most 8 MB, below BSON's 16 MB): stored by one write, never half stored.
        self.videos = db["videos"]
        self.ideas = db["ideas"]

    def ensure_indexes(self) -> None:
        self.videos.create_index("owner_id")
        self.videos.create_index([("attached", ASCENDING), ("uploaded_at", ASCENDING)])  # the unused, oldest first
        self.ideas.create_index("video.id", sparse=True)  # a video's entries, whose spaces say who may see it
        # A contest's entries, round by round, in their order of submission.
        self.ideas.create_index([("contest.id", ASCENDING), ("contest.round", ASCENDING),
                                 ("submitted_at", ASCENDING)], sparse=True)

    def keep_contest(self, contest_id: str, revision: int, title: dict, space: str | None, rounds: list[dict]) -> None:
        try:
            self.contests.update_one({"_id": contest_id, "revision": {"$lt": revision}}, {"$set": {
                "revision": revision, "title": title, "space": space, "rounds": rounds}}, upsert=True)
        except DuplicateKeyError:
            pass  # a newer revision is kept already

    def contest(self, contest_id: str) -> dict | None:
        return self.contests.find_one({"_id": contest_id})

    def entries(self, contest_id: str, round_number: int | None, limit: int) -> list[dict]:
        query = {"contest.id": contest_id}
        if round_number is not None:
            query["contest.round"] = round_number
        found = self.ideas.find(query, {"outbox": 0, "outbox_pending": 0, "search": 0})
        return list(found.sort([("contest.round", ASCENDING), ("submitted_at", ASCENDING)]).limit(limit))

    def add_video(self, video: dict) -> None:
        self.videos.insert_one(video)

    def video(self, video_id: str) -> dict | None:
        return self.videos.find_one({"_id": video_id})

    def video_spaces(self, video_id: str) -> list[str | None]:
        return [i["space"] for i in self.ideas.find({"video.id": video_id}, {"space": 1})]

    def remove_unused_videos(self, uploaded_before: datetime) -> int:
        """Removes the clips uploaded before `uploaded_before` that no entry uses; how many. As for images, the
        removal is conditional on the clip being still unattached, so an entry submitted meanwhile keeps its clip."""
        removed = 0
        for video in self.videos.find({"attached": None, "uploaded_at": {"$lt": uploaded_before}}, {"_id": 1}):
            removed += self.videos.delete_one({"_id": video["_id"], "attached": None}).deleted_count
        return removed

    def attach_video(self, video_id: str, owner_id: str) -> dict | None:
        """Marks the owner's video as used by an entry; None when the owner has no such video."""
        return self.videos.find_one_and_update({"_id": video_id, "owner_id": owner_id},
                                               {"$set": {"attached": True}}, {"data": 0})
