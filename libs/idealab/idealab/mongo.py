"""The MongoDB connection every service opens the same way (short timeouts: an API answers 503, never hangs)."""
import re
from collections.abc import Callable
from datetime import datetime
from functools import cmp_to_key

from pymongo import DESCENDING, MongoClient, monitoring
from pymongo.collection import Collection
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError


API_SOCKET_TIMEOUT_MS = 10_000
# A worker's bulk writes (a fan-out chunk on a busy server) may take longer than any API request should.
WORKER_SOCKET_TIMEOUT_MS = 60_000


def connect(uri: str, database: str, socket_timeout_ms: int = API_SOCKET_TIMEOUT_MS) -> Database:
    client = MongoClient(uri, serverSelectionTimeoutMS=3000, connectTimeoutMS=3000, socketTimeoutMS=socket_timeout_ms,
                         tz_aware=True)
    return client[database]


def inserted(collection: Collection, document: dict) -> bool:
    """Inserts the document; False, writing nothing, when one with the same unique key is there already. For an
    insert that may meet its twin (a replayed event, a concurrent request): on FerretDB v2 the duplicate key is the
    one race signal we get, as racing upserts lose changes silently (deploy/README.md, what the engine lacks)."""
    try:
        collection.insert_one(document)
        return True
    except DuplicateKeyError:
        return False


def as_stored(when: datetime) -> datetime:
    """`when` as the database keeps it: BSON dates hold milliseconds, so compare and answer at that precision."""
    return when.replace(microsecond=when.microsecond // 1000 * 1000)


# A scan whose only condition is the collection's shard key (DocumentDB's `_id_` index) reads every row.
_SHARD_KEY_ONLY = re.compile(r"shard_key_value = '\d+'::bigint|AND|[\s()]")


def full_scans(explain: dict) -> list[str]:
    """The full scans in an `explain` answer of either engine: MongoDB's COLLSCAN in the winning plan; PostgreSQL's
    (FerretDB with DocumentDB, under `queryPlanner.Plan`) Seq Scan, and index scans whose only condition is the
    shard key, which read every row just as well. Empty for a plan that reads only by index conditions."""
    found: list[str] = []

    def walk(node) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        if not isinstance(node, dict):
            return
        kind = node.get("Node Type", "")
        if node.get("stage") == "COLLSCAN":
            found.append("COLLSCAN")
        elif kind == "Seq Scan":
            found.append(f"Seq Scan of {node.get('Relation Name')}")
        elif "Index" in kind and not _SHARD_KEY_ONLY.sub("", node.get("Index Cond", "")):
            found.append(f"{kind} of {node.get('Index Name')} by the shard key alone")
        for key, value in node.items():
            if key not in ("rejectedPlans", "command"):  # plans not run; the command as sent
                walk(value)

    walk(explain)
    return found


class ReadCommands(monitoring.CommandListener):
    """Keeps the read commands a client sends (`MongoClient(..., event_listeners=[reads])`), to explain each exactly
    as the application sent it: `reads.full_scans(db)`."""
    READS = ("find", "aggregate", "count", "distinct")

    def __init__(self):
        self.commands: list[dict] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name in self.READS:
            self.commands.append(dict(event.command))

    def succeeded(self, event) -> None:
        pass

    def failed(self, event) -> None:
        pass

    def full_scans(self, db: Database) -> list[tuple[dict, str]]:
        """(command, full scan) for every full scan in the plans of the commands kept so far."""
        return [(command, scan) for command in self.commands for scan in full_scans(explain(db, command))]


def explain(db: Database, command: dict) -> dict:
    """The plan of a read command as it was sent (less its session and routing fields)."""
    sent = {k: v for k, v in command.items() if not k.startswith("$") and k != "lsid"}
    return db.command("explain", sent, verbosity="queryPlanner")


# Ranked lists. This engine (DocumentDB) never reads an index in order: a find sorted on an indexed field reads and
# sorts every document the filter matches. A large list is therefore read above a floor: the sort key found at a
# given depth of the list, kept by the service's worker (its ranked read model). The floor bounds the read to an
# index range of about that many documents; the page is checked to be whole, so a stale floor costs a slower read,
# never a wrong page.
Sort = list[tuple[str, int]]
# A page at depth d reads about the next depth's documents; a page past the deepest reads its whole list (past page
# 150 of 20: no hot path, and keeping deeper floors would cost every refresh a sort of that many).
DEPTHS = (100, 300, 1_000, 3_000)


def at_or_before(sort: Sort, key: dict) -> dict:
    """The filter of the documents that come no later than `key` in `sort`'s order. `key` holds the values of every
    field of `sort` but the last, a unique tie-break, so that documents tied with it on all the others are kept."""
    fields = sort[:-1]
    branches = []
    for i, (name, direction) in enumerate(fields):
        op = ("$gt" if direction == DESCENDING else "$lt") + ("e" if i == len(fields) - 1 else "")
        branches.append({**{f: key[f] for f, _ in fields[:i]}, name: {op: key[name]}})
    return branches[0] if len(branches) == 1 else {"$or": branches}


def ranked(collection: Collection, query: dict, sort: Sort, skip: int, limit: int, floors: list[dict],
           projection: dict | None = None) -> list[dict]:
    """`limit` documents of `query` after the first `skip`, in `sort`'s order, read above the shallowest of `floors`
    ({depth, key}, as `floors_of` finds them) that is deep enough and still holds (the page read above it is whole);
    the whole list is read when none does."""
    for floor in (f["key"] for f in floors if f["depth"] >= skip + limit):
        page = list(collection.find({**query, **at_or_before(sort, floor)}, projection).sort(sort)
                    .skip(skip).limit(limit))
        if len(page) == limit:  # all of the `skip + limit` first come at or before the floor: the page is exact
            return page
    return list(collection.find(query, projection).sort(sort).skip(skip).limit(limit))


def floors_of(collection: Collection, query: dict, sort: Sort, known: list[dict]) -> list[dict]:
    """The floors of a list: the key of its document at each of DEPTHS it reaches, in one read of its sort keys down
    to the deepest (above the deepest floor `known` before, while it holds)."""
    listed = ranked(collection, query, sort, 0, DEPTHS[-1], known, {name: 1 for name, _ in sort})
    return [{"depth": depth, "key": {name: listed[depth - 1].get(name) for name, _ in sort[:-1]}}
            for depth in DEPTHS if depth <= len(listed)]


# A reader's lists are the spaces they see, by their ids, plus these two (space ids are letters, digits, - and _).
PUBLIC, EVERY_SPACE = "(public)", "(every space)"


def list_ids(spaces: list[str | None] | None) -> list[str]:
    """The ranking ids of the lists of `spaces` (None in it: the public lab; the argument None: every space)."""
    return [EVERY_SPACE] if spaces is None else [PUBLIC if s is None else s for s in spaces]


def in_list(list_id: str) -> dict:
    """The filter of the documents of a list, by their `space` field."""
    return {} if list_id == EVERY_SPACE else {"space": None if list_id == PUBLIC else list_id}


def in_order(sort: Sort) -> Callable[[dict], object]:
    """A key for Python's sorted() that orders documents as `sort` does (to merge lists read apart)."""
    def compare(a: dict, b: dict) -> int:
        for name, direction in sort:
            if a[name] != b[name]:
                return direction if a[name] > b[name] else -direction
        return 0
    return cmp_to_key(compare)
