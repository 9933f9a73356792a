"""The MongoDB connection every service opens the same way (short timeouts: an API answers 503, never hangs)."""
from datetime import datetime

from pymongo import MongoClient
from pymongo.database import Database


API_SOCKET_TIMEOUT_MS = 10_000
# A worker's bulk writes (a fan-out chunk on a busy server) may take longer than any API request should.
WORKER_SOCKET_TIMEOUT_MS = 60_000


def connect(uri: str, database: str, socket_timeout_ms: int = API_SOCKET_TIMEOUT_MS) -> Database:
    client = MongoClient(uri, serverSelectionTimeoutMS=3000, connectTimeoutMS=3000, socketTimeoutMS=socket_timeout_ms,
                         tz_aware=True)
    return client[database]


def as_stored(when: datetime) -> datetime:
    """`when` as the database keeps it: BSON dates hold milliseconds, so compare and answer at that precision."""
    return when.replace(microsecond=when.microsecond // 1000 * 1000)
