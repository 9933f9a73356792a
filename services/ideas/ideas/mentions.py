"""Rules of mentions, with no I/O: `@name` in a comment tells that member, once, if they may see the comment.

A name is a member's display name as accounts knows it (user.registered), folded into a handle: no case, no accents,
no spaces or punctuation, so "@AliceMartin", "@alice_martin" and "@alicemartin" all name "Alice Martin". A handle
two members share names no one (who was meant cannot be told, so no one is told rather than the wrong person).
Only comments mention: a private thread's words reach no one but its member and the team, whatever they say.
"""
import re
import unicodedata

from idealab.auth import STAFF

MENTION = re.compile(r"(?<![\w@])@([^\W_][\w.\-]{0,79})")
MAX_MENTIONS = 10  # people told by one comment: more is a broadcast, not a mention


def handle(name: str) -> str:
    """A display name as it is typed after @: "Élodie D'Arc" → "elodiedarc"."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(c))
    return "".join(c for c in folded if c.isalnum())


def handles(text: str) -> list[str]:
    """The handles `text` mentions, each once, in the order they come."""
    return list(dict.fromkeys(h for h in (handle(m) for m in MENTION.findall(text)) if h))[:MAX_MENTIONS]


def may_see(member: dict, space: str | None) -> bool:
    """Whether a member (as the directory knows them) may see content of `space` (None: the public lab): staff see
    every space, others the spaces they were added to and not removed from since."""
    if member.get("banned"):
        return False
    if space is None or set(member.get("roles", ())) & STAFF:
        return True
    membership = member.get("spaces", {}).get(space, {})
    added, removed = membership.get("added_at"), membership.get("removed_at")
    return added is not None and (removed is None or removed < added)


def mentioned(text: str, members_by_handle: dict[str, list[dict]], space: str | None, author_id: str) -> list[str]:
    """The ids of the members `text` mentions who may see content of `space`, the author aside; a handle with more
    than one member names no one."""
    found = []
    for h in handles(text):
        members = members_by_handle.get(h, [])
        if len(members) == 1 and members[0]["_id"] != author_id and may_see(members[0], space):
            found.append(members[0]["_id"])
    return list(dict.fromkeys(found))
