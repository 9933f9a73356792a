"""Waits until Kafka answers a metadata request and the MongoDB server answers a ping (used by servers.sh)."""
import argparse
import sys
import time

from kafka import KafkaAdminClient
from pymongo import MongoClient


def wait(what, check, deadline):
    while True:
        try:
            check()
            return
        except Exception as exc:  # noqa: BLE001 - any failure means "not yet"
            if time.monotonic() > deadline:
                sys.exit(f"{what} not ready: {exc}")
            time.sleep(0.5)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kafka", required=True)
    parser.add_argument("--mongodb", required=True)
    parser.add_argument("--timeout", type=float, default=90)
    args = parser.parse_args()
    deadline = time.monotonic() + args.timeout

    def kafka_ready():
        admin = KafkaAdminClient(bootstrap_servers=args.kafka, request_timeout_ms=3000)
        try:
            admin.list_topics()
        finally:
            admin.close()

    wait("MongoDB server", lambda: MongoClient(args.mongodb, serverSelectionTimeoutMS=1000).admin.command("ping"),
         deadline)
    wait("Kafka", kafka_ready, deadline)


if __name__ == "__main__":
    main()
