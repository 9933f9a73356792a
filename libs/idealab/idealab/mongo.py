"""The MongoDB connection every service opens the same way (short timeouts: an API answers 503, never hangs)."""
from datetime import datetime

from pymongo import MongoClient
from pymongo.database import Database


def connect(uri: str, database: str) -> Database:
    client = MongoClient(uri, serverSelectionTimeoutMS=3000, connectTimeoutMS=3000, socketTimeoutMS=10000,
                         tz_aware=True)
    return client[database]


def as_stored(when: datetime) -> datetime:
    """`when` as the database keeps it: BSON dates hold milliseconds, so compare and answer at that precision."""
    return when.replace(microsecond=when.microsecond // 1000 * 1000)
