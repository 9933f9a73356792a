"""Rules about conversations with the bank, with no I/O: questions beside the ideas, the team's answers, and private
threads between one member and staff.

A private thread is one document holding its messages, in a collection of its own: the lists, counts, search text
and exports of ideas, questions and comments are read from other collections, so a private reply cannot show up in
them by mistake. A thread is readable by its member and by staff only (`may_read`), checked wherever it is read.
Staff answering privately on an idea, a question or a comment write in the thread of (that item, its author), made
by that first answer; a member opens a thread of their own from their account. What is announced carries ids only.
"""
import uuid
from datetime import datetime, timedelta

from idealab.auth import Principal
from idealab.events import new_event

SOURCE = "/ideas"
# Who answers for the bank: their answers are the team's, and only they reply privately.
ANSWERERS = ("product_team", "adviser", "admin")
IDEA, QUESTION, COMMENT, ACCOUNT = "idea", "question", "comment", "account"
MAX_MESSAGES = 500  # a thread's messages, in one document: a conversation, far from the document size limit
TEAM_LIST_WINDOW = timedelta(days=90)  # the team's list of threads: those with a message in the last 90 days
THREADS = uuid.UUID("6f1c1b0e-4d7a-4a43-9c1e-1f0b7d3a9e52")  # names the thread of (item, member)


class ThreadFull(Exception):
    """A thread that holds as many messages as one document may."""


def ask(fields: dict, author_id: str, now: datetime) -> tuple[dict, dict]:
    """A member's question, in the public lab or one of their spaces, and its event."""
    question = {"_id": uuid.uuid4().hex, "title": fields["title"], "body": fields["body"], "author_id": author_id,
                "space": fields.get("space"), "language": fields.get("language"), "asked_at": now, "hidden": None,
                "team_answer": None, "answer_count": 0, "answered_privately": False}
    event = new_event("question.asked", {"question_id": question["_id"], "author_id": author_id, "asked_at": now,
                                         "space": question["space"]}, source=SOURCE, subject=question["_id"])
    return question, event


def answer(about: str, item: dict, text: str, author_id: str, now: datetime) -> tuple[dict, dict]:
    """A staff member's public answer on an idea or a question: the team's word, shown to everyone who sees the
    item. Its event says who answered what, not the words."""
    found = {"_id": uuid.uuid4().hex, "about": about, "about_id": item["_id"], "space": item.get("space"),
             "author_id": author_id, "text": text, "posted_at": now}
    event = new_event("answer.posted", {
        "answer_id": found["_id"], "about": about, "about_id": item["_id"], "idea_id": item["_id"] if about == IDEA
        else None, "author_id": author_id, "private": False, "posted_at": now}, source=SOURCE, subject=item["_id"])
    return found, event


def team_answer(answer_doc: dict) -> dict:
    """What an idea or question shows at its top once an answer is pinned as the team's."""
    return {k: answer_doc[k] for k in ("_id", "text", "author_id", "posted_at")}


def thread_id(about: str, about_id: str, member_id: str) -> str:
    """The one thread between a member and staff about an item they wrote."""
    return uuid.uuid5(THREADS, f"{about}:{about_id}:{member_id}").hex


def new_thread(member_id: str, about: str, about_id: str | None, idea_id: str | None, space: str | None,
               now: datetime) -> dict:
    """A private thread's fields, before its first message (`about` account: opened by the member)."""
    return {"_id": thread_id(about, about_id, member_id) if about_id else uuid.uuid4().hex, "member_id": member_id,
            "about": about, "about_id": about_id, "idea_id": idea_id, "space": space, "opened_at": now}


def message(thread: dict, author: Principal, text: str, now: datetime,
            language: str | None = None) -> tuple[dict, dict]:
    """A message in a thread, and its event: a staff answer names the member as its only recipient; a member's
    message (in `language`) is owed an answer by the team (ideas.promise), who are told. Neither carries text."""
    if len(thread.get("messages", ())) >= MAX_MESSAGES:
        raise ThreadFull("this conversation is full: open a new one from your account")
    from_staff = author.user_id != thread["member_id"]
    found = {"id": uuid.uuid4().hex, "author_id": author.user_id, "from_team": from_staff, "text": text, "at": now,
             "language": language}
    if not from_staff:
        return found, new_event("private_message.sent", {
            "message_id": found["id"], "thread_id": thread["_id"], "member_id": author.user_id,
            "space": thread.get("space"), "language": language, "sent_at": now}, source=SOURCE, subject=thread["_id"])
    event = new_event("answer.posted", {
        "answer_id": found["id"], "about": thread["about"], "about_id": thread["about_id"],
        "idea_id": thread["idea_id"], "author_id": author.user_id, "private": True,
        "recipient_id": thread["member_id"], "thread_id": thread["_id"], "posted_at": now},
        source=SOURCE, subject=thread["_id"])
    return found, event


def may_read(thread: dict | None, reader: Principal | None) -> bool:
    """Only the thread's member and those who answer for the bank read it (not moderators, whose work is the public
    lab); for anyone else it does not exist."""
    return thread is not None and reader is not None and (reader.user_id == thread["member_id"] or may_answer(reader))


def may_answer(principal: Principal) -> bool:
    return any(principal.has(role) for role in ANSWERERS)
