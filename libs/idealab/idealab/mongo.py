"""The MongoDB connection every service opens the same way (short timeouts: an API answers 503, never hangs)."""
from pymongo import MongoClient
from pymongo.database import Database


def connect(uri: str, database: str) -> Database:
    client = MongoClient(uri, serverSelectionTimeoutMS=3000, connectTimeoutMS=3000, socketTimeoutMS=10000,
                         tz_aware=True)
    return client[database]
