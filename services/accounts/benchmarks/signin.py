"""How long the accounts service takes for what every person does: sign up, sign in, refresh, and what every
service does: read the JWKS. Prints figures (no assertion): run it on the machine you size.

    MONGODB_URI=mongodb://127.0.0.1:27017/ .cache/venv/bin/python services/accounts/benchmarks/signin.py [ROUNDS]

It uses a database of its own on that server (dropped at the end), argon2id at the production parameters (or
ARGON2_* from the environment), and a local SMTP server that accepts every mail.
"""
import logging
import os
import socket
import statistics
import sys
import time
import uuid

from aiosmtpd.controller import Controller
from pymongo import MongoClient

from accounts.app import create_app
from accounts.config import SERVICE, AccountsConfig, load
from idealab.config import Settings


class Sink:
    async def handle_DATA(self, server, session, envelope):
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def timed(label: str, rounds: int, action) -> None:
    took = []
    for i in range(rounds):
        start = time.perf_counter()
        action(i)
        took.append((time.perf_counter() - start) * 1000)
    took.sort()
    p95 = took[min(len(took) - 1, int(len(took) * 0.95))]
    print(f"{label:<34} n={rounds:<5} p50 {statistics.median(took):8.1f} ms   p95 {p95:8.1f} ms   "
          f"max {took[-1]:8.1f} ms")


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    logging.disable(logging.WARNING)
    uri = os.environ.get("MONGODB_URI", "mongodb://127.0.0.1:27017/")
    database = f"bench_accounts_{uuid.uuid4().hex[:8]}"
    smtp = Controller(Sink(), hostname="127.0.0.1", port=free_port())
    smtp.start()
    os.environ.setdefault("JWKS_URL", "file:///dev/null")  # accounts verifies its own tokens from its database
    production = load()
    cfg = AccountsConfig(Settings(SERVICE, uri, database, "127.0.0.1:9092", "file:///dev/null"),
                         smtp_port=smtp.port,
                         argon2_time_cost=production.argon2_time_cost,
                         argon2_memory_kib=production.argon2_memory_kib,
                         argon2_parallelism=production.argon2_parallelism,
                         # Every request comes from one address here: what is timed is the work, not the limit.
                         password_checks_per_client=10**9, sign_ups_per_client=10**9)
    try:
        app = create_app(cfg)
        client = app.test_client()
        keys, hasher = app.extensions["accounts.keys"], app.extensions["accounts.hasher"]
        print(f"argon2id t={cfg.argon2_time_cost} m={cfg.argon2_memory_kib} KiB p={cfg.argon2_parallelism}; "
              f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}")
        password = "correct horse battery staple"
        emails = [f"bench{i}@example.com" for i in range(rounds)]
        timed("sign-up (POST /users)", rounds, lambda i: client.post(
            "/api/accounts/users", json={"email": emails[i], "password": password, "display_name": "Bench"}))
        pairs = []
        timed("sign-in (POST /sessions)", rounds, lambda i: pairs.append(client.post(
            "/api/accounts/sessions", json={"email": emails[i], "password": password}).get_json()))
        timed("sign-in, unknown email (401)", rounds, lambda i: client.post(
            "/api/accounts/sessions", json={"email": f"nobody{i}@example.com", "password": password}))
        timed("refresh (POST /sessions/refresh)", rounds, lambda i: client.post(
            "/api/accounts/sessions/refresh", json={"refresh_token": pairs[i]["refresh_token"]}))
        headers = {"Authorization": f"Bearer {pairs[0]['access_token']}"}
        timed("GET /me (verify own token)", rounds * 5, lambda i: client.get("/api/accounts/me", headers=headers))
        timed("GET /.well-known/jwks.json", rounds * 5, lambda i: client.get("/api/accounts/.well-known/jwks.json"))
        claims = {"sub": "u", "roles": ["member"], "spaces": [], "iss": "idealab", "aud": "idealab"}
        timed("sign an access token (RS256)", rounds * 5, lambda i: keys.sign(claims))
        timed("argon2id hash alone", rounds, lambda i: hasher.hash(password))
    finally:
        smtp.stop()
        MongoClient(uri).drop_database(database)


if __name__ == "__main__":
    main()
