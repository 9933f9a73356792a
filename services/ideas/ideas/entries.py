"""Contest entries: ideas submitted into a contest's open round, with a text, an image, an uploaded short video or a
link to a hosted one. The votes service owns contests; this service keeps what it needs of them (`contest.scheduled`:
the windows in which each round takes entries) and tags each entry with its contest and round, which
`idea.submitted` carries to the votes service. Rules and use cases; the pymongo calls are in entry_store."""
from datetime import datetime, timedelta

from marshmallow import ValidationError
from werkzeug.exceptions import Conflict, NotFound

from idealab.auth import Principal, can_see
from idealab.events import Event

from . import domain
from .config import Images

# A short clip: big enough for a minute of phone video at a modest bitrate, small enough to be one document (BSON
# holds 16 MB), served whole or by ranges from it.
MAX_VIDEO_BYTES = 8 * 1024 * 1024
VIDEO_TYPES = ("video/mp4", "video/webm")
EBML = b"\x1a\x45\xdf\xa3"
VIDEO_REFUSAL = "not a video: MP4 or WebM only"


def video_type(data: bytes) -> str | None:
    """The content type of a video, read from its first bytes (never the name or type the browser sent): MP4, an
    ISO media file whose first box is `ftyp` (not QuickTime's `qt  ` brand); WebM, an EBML file whose doctype is
    `webm` (not any other Matroska)."""
    if data[4:8] == b"ftyp" and data[8:12] != b"qt  ":
        return "video/mp4"
    if data.startswith(EBML) and b"\x42\x82\x84webm" in data[:64]:
        return "video/webm"
    return None


def video_url(video_id: str) -> str:
    return f"/api/ideas/videos/{video_id}"


def entry_round(contest: dict, now: datetime) -> int | None:
    """The round taking entries at `now`, from its opening instant (included) to its closing one (excluded)."""
    return next((r["round"] for r in contest["rounds"] if r["opens_at"] <= now < r["closes_at"]), None)


def on_contest_scheduled(store, event: Event) -> None:
    """Keeps the newest revision of the contest's windows (an older one, replayed or late, changes nothing)."""
    data = event.data
    store.entries.keep_contest(data["contest_id"], data["revision"], data["title"], data["space"], data["rounds"])


def entry_fields(store, fields: dict, author: Principal, now: datetime) -> dict:
    """The submission's fields with what makes it an entry: its contest and round (409 when no round takes
    entries now), its contest's space, its video (one the author uploaded) or video link."""
    out = {**fields}
    if fields.get("video_id") and fields.get("video_link"):
        raise ValidationError({"video_id": ["an uploaded video or a link to one, not both"]})
    contest_id = fields.get("contest_id")
    if contest_id is not None:
        contest = store.entries.contest(contest_id)
        if contest is None or not can_see(author, contest["space"]):
            raise ValidationError({"contest_id": [f"no contest {contest_id}"]})
        if fields.get("space") not in (None, contest["space"]):
            raise ValidationError({"space": ["an entry is in its contest's space"]})
        number = entry_round(contest, now)
        if number is None:
            raise Conflict("this contest takes no entries now: each round takes them from its opening to its close")
        out.update(space=contest["space"], contest={"id": contest_id, "round": number})
    if fields.get("video_id"):
        video = store.entries.attach_video(fields["video_id"], author.user_id)
        if video is None:
            raise ValidationError({"video_id": [f"no video {fields['video_id']} uploaded by you"]})
        out["video"] = {"id": video["_id"], "url": video_url(video["_id"]), "content_type": video["content_type"]}
    return out


def purge_unused_videos(store, quota: Images, now: datetime) -> int:
    """Removes the clips no entry uses once kept as long as unused images are (their uploader's time to attach them)."""
    return store.entries.remove_unused_videos(now - timedelta(seconds=quota.unused_kept_seconds))


def visible_video(store, video_id: str, principal: Principal | None) -> tuple[dict, bool]:
    """The video and whether anyone may see it: as an image, one of an entry in a space the caller is not in does
    not exist for them."""
    video, spaces = store.entries.video(video_id), store.entries.video_spaces(video_id)
    if video is None or (spaces and not any(can_see(principal, s) for s in spaces)):
        raise NotFound(f"no video {video_id}")
    return video, not spaces or None in spaces


def entries_of(store, contest_id: str, round_number: int | None, viewer: Principal | None, staff: bool,
               limit: int) -> list[dict]:
    contest = store.entries.contest(contest_id)
    if contest is None or not can_see(viewer, contest["space"]):
        raise NotFound(f"no contest {contest_id}")
    return [domain.as_shown(i, staff, ("title", "description", "image", "video", "video_link"))
            for i in store.entries.entries(contest_id, round_number, limit)]
