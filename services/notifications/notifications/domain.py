"""Notification rules, with no I/O."""
from datetime import datetime, timedelta

from idealab.events import Event
from idealab.mongo import as_stored

from . import templates

# Why someone is subscribed to an idea; a subscription lasts while at least one reason remains.
AUTHOR, VOTER, COMMENTER = "author", "voter", "commenter"
# Asked to follow (idea.followed), or followed the duplicate merged into this idea (idea.merged).
FOLLOWER, MERGED = "follower", "merged"

STATUS_NAMES = {
    "open": "open", "under_review": "under review", "planned": "planned", "in_progress": "in progress",
    "launched": "launched", "declined": "declined", "duplicate": "merged into another idea",
}


def status_change(event: Event, title: str | None, now: datetime) -> dict:
    """The one record of a status change, which every subscriber's inbox shows: keyed by the event, so a replay
    records nothing new. `recorded_at` is when this service learnt of it (read marks go by it); its email walk
    starts before the first subscriber."""
    data = event.data
    name = title or "An idea you follow"
    return {
        "_id": event.id,
        "kind": "idea.status_changed",
        "idea_id": data["idea_id"],
        "title": f"{name} is now {STATUS_NAMES[data['to_status']]}",
        "name": title,  # the emails say it in the member's language (`templates`)
        "message": data["message"],
        "from": data["from_status"],
        "to": data["to_status"],
        "created_at": data["changed_at"],
        "recorded_at": now,
        "emails_queued": False,
    }


# Voters in a campaign follow it under this key, beside the ideas they follow (the subscriptions' idea_id).
BALLOT = "ballot"


def campaign_key(campaign_id: str) -> str:
    return f"campaign:{campaign_id}"


def campaign_closed(event: Event, now: datetime) -> dict:
    """The one record of a campaign's close, which everyone who voted in it sees (as a status change's): its result
    per option, and the link to the campaign's page. The inbox shows it in English; the emails say it in the
    member's language from its parts (`name`, `result`)."""
    data = event.data
    name = next((data["title"][lang] for lang in ("en", "fr", "es") if lang in data["title"]), "A campaign")
    result = {"ballots": data["ballots"], "currency": data["budget"] and data["budget"]["currency"],
              "options": [{k: option[k] for k in ("name", "count", "amount")} for option in data["options"]]}
    return {
        "_id": event.id,
        "kind": "campaign.closed",
        "idea_id": campaign_key(data["campaign_id"]),
        "title": templates.WORDS["en"]["campaign.closed"].format(name=name),
        "name": data["title"],
        "message": templates.campaign_result(result, "en"),
        "result": result,
        "from": "open",
        "to": "closed",
        "created_at": data["closed_at"],
        "recorded_at": now,
        "emails_queued": False,
        "path": f"/campaigns/{data['campaign_id']}",
        "why": "You voted in this campaign.",
    }


# The recipient of a private answer follows a key of their own, which no one else can follow: its records are
# theirs alone, in the inbox and by email.
PRIVATE = "private"


def private_key(user_id: str) -> str:
    return f"{PRIVATE}:{user_id}"


# A member mentioned (@name) in a comment follows a key of their own too: the ideas service named them only if they
# may see the comment, and no one else reads their mentions.
MENTIONED = "mentioned"


def mention_key(user_id: str) -> str:
    return f"{MENTIONED}:{user_id}"


def mention(event: Event, user_id: str, title: str | None, now: datetime) -> dict:
    """The one record of a member mentioned in a comment, under their own key (keyed by the event and the member:
    a replay records nothing new): where, not what was said."""
    data = event.data
    return {
        "_id": f"{event.id}:{user_id}",
        "kind": "comment.mentioned",
        "idea_id": mention_key(user_id),
        "title": f"You were mentioned in a comment on {title}" if title else "You were mentioned in a comment",
        "name": title,
        "message": "A member mentioned you in a comment. Read it on the lab.",
        "from": "posted",
        "to": "mentioned",
        "created_at": data["posted_at"],
        "recorded_at": now,
        "emails_queued": False,
        "path": f"/ideas/{data['idea_id']}#comment-{data['comment_id']}",
        "why": "You get this because a member mentioned you by name (@) in a comment you may read.",
    }


def private_answer(event: Event, now: datetime) -> dict:
    """The one record of a private answer, under its recipient's own key: that the team answered and where to read
    it (signed in, on the lab), never what it said — the event carries no text, and neither do the inbox or email."""
    data = event.data
    return {
        "_id": event.id,
        "kind": "answer.posted",
        "idea_id": private_key(data["recipient_id"]),
        "title": "You have a private answer from the team",
        "message": "The team answered you privately. Sign in to the lab to read it: only you can.",
        "from": "asked",
        "to": "answered",
        "created_at": data["posted_at"],
        "recorded_at": now,
        "emails_queued": False,
        "path": f"/private/{data['thread_id']}",
        "why": "You get this because the team answered you privately; no one else is told.",
    }


def initiative_key(initiative_id: str) -> str:
    return f"initiative:{initiative_id}"


def initiative_change(event: Event, now: datetime) -> dict:
    """The one record of an initiative announced or moved, under its own key, naming its ideas (`idea_ids`): whoever
    follows any of them sees it, once (`inbox`, `email_jobs` keyed by change and member), not once per idea."""
    data = event.data
    name = next(data["title"][lang] for lang in ("en", "fr", "es") if data["title"].get(lang))
    announced = event.type == "initiative.announced"
    to = data["status"] if announced else data["to_status"]
    return {
        "_id": event.id,
        "kind": event.type,
        "idea_id": initiative_key(data["initiative_id"]),
        "idea_ids": data["idea_ids"],
        "title": f"{name}: announced, {STATUS_NAMES[to]}" if announced else f"{name} is now {STATUS_NAMES[to]}",
        "name": data["title"],
        "message": data["message"],
        "from": "announced" if announced else data["from_status"],
        "to": to,
        "created_at": data["announced_at"] if announced else data["changed_at"],
        "recorded_at": now,
        "emails_queued": False,
        "path": f"/initiatives/{data['initiative_id']}",
        "why": "You follow an idea this initiative answers.",
    }


def followed_since(change: dict, since: dict[str, datetime | None]) -> datetime | None:
    """Since when the member follows what `change` is about: its idea, or the earliest followed of an initiative's
    ideas (None, a subscription kept before its start was, comes first)."""
    starts = [since[i] for i in change.get("idea_ids", [change["idea_id"]]) if i in since]
    return None if None in starts else min(starts)


def sees(change: dict, since: datetime | None) -> bool:
    """A subscriber sees a change made once they followed the idea, whenever the events saying so are read (ideas,
    votes and status changes travel on different topics, whose order between them is not kept): one who followed
    after it does not, even in a replay. Compared in milliseconds, as the database keeps times; within the same
    millisecond the follower is told rather than missed. A subscription kept before its start was (`since` None)
    sees every change."""
    return since is None or as_stored(since) <= change["created_at"]


def inbox(changes: list[dict], since: dict[str, datetime | None], marks: dict) -> list[dict]:
    """A member's inbox, newest first: the changes of the ideas they follow (`since` by idea) that they see, each
    read or not by their `marks`."""
    entries = [{**c, "read": is_read(c, marks)} for c in changes if sees(c, followed_since(c, since))]
    return sorted(entries, key=lambda e: (e["created_at"], e["_id"]), reverse=True)


def is_read(change: dict, marks: dict) -> bool:
    up_to = marks.get("up_to")
    return (up_to is not None and change["recorded_at"] <= up_to) or change["_id"] in marks.get("ids", ())


# "Everything read" is a watermark on when changes were recorded, set this far back: a change recorded just before
# the member's click may not be visible yet (its write still on the way, another machine's clock), so the changes
# recorded since the watermark are marked one by one, by what the member was shown.
READ_MARGIN = timedelta(minutes=1)


def all_read(entries: list[dict], now: datetime) -> dict:
    """The read marks of a member who read every one of `entries` at `now`."""
    up_to = now - READ_MARGIN
    return {"up_to": up_to, "ids": [e["_id"] for e in entries if e["recorded_at"] > up_to]}


# Email jobs: queued by each change's walk over its subscribers, sent by the worker's sender, retried with a
# growing wait, then given up.
EMAIL = "email"
QUEUED, SENT, FAILED = "queued", "sent", "failed"
DIGEST = "digest"  # held for the member's daily digest (`email_choices`), due at their next morning
MAX_ATTEMPTS = 5
FIRST_RETRY = timedelta(seconds=30)
# A job claimed by a sender that died before recording the outcome is given up after this long, not sent again.
SENDING_HOLD = timedelta(minutes=5)
IN_DOUBT = "the sender stopped while sending it: it may have gone out, so it is not sent again"


def email_jobs(change: dict, subscribers: list[dict], emailable: set[str], now: datetime) -> list[dict]:
    """One job per subscriber who sees the change and may be emailed; keyed by (change, subscriber), so a walk
    resumed over the same subscribers queues nothing twice. The address is looked up when sending, so an erasure or
    an unsubscribe meanwhile is obeyed."""
    return [{"_id": f"{change['_id']}:{s['user_id']}:{EMAIL}", "user_id": s["user_id"], "channel": EMAIL,
             "idea_id": change["idea_id"], "title": change["title"], "message": change["message"],
             "state": QUEUED, "attempts": 0, "queued_at": now, "next_attempt_at": now,
             # a campaign's link and wording; what the templates say in the member's language
             **{k: change[k] for k in ("path", "why", "kind", "name", "to", "result", "created_at") if k in change}}
            for s in subscribers if s["user_id"] in emailable and sees(change, s.get("since"))]


def after_failure(attempts: int, now: datetime) -> dict:
    """The job's changes after its `attempts`-th failed try: tried again later, or given up."""
    if attempts >= MAX_ATTEMPTS:
        return {"state": FAILED, "attempts": attempts}
    return {"attempts": attempts, "next_attempt_at": now + FIRST_RETRY * 2 ** (attempts - 1)}
