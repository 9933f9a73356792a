"""Operators' commands:

    python -m accounts.cli grant-role EMAIL ROLE    # e.g. the first admin (the event goes out through the outbox)
    python -m accounts.cli rotate-keys              # a new signing key, published now, signing after
                                                    # KEY_PUBLISH_AHEAD_SECONDS; the old one retires by itself
    python -m accounts.cli purge-expired            # removes expired links, tokens and sign-in attempts (cron:
                                                    # FerretDB has no TTL index)
    python -m accounts.cli publish-contacts         # every verified address to the contacts topic again (once,
                                                    # on moving from user.email_verified v1, which carried them)
"""
import argparse
import sys
from datetime import datetime, timezone

from werkzeug.exceptions import NotFound

from idealab.auth import ROLES
from idealab.mongo import connect

from . import config
from .handlers import access, erasure
from .handlers.keys import Keys
from .store import AccountStore


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m accounts.cli")
    commands = parser.add_subparsers(dest="command", required=True)
    grant = commands.add_parser("grant-role", help="give an account a role")
    grant.add_argument("email")
    grant.add_argument("role", choices=ROLES)
    commands.add_parser("rotate-keys", help="add a new signing key (published first, signing later)")
    commands.add_parser("purge-expired", help="remove expired links, refresh tokens and sign-in attempts")
    commands.add_parser("publish-contacts", help="mark every verified address for the contacts topic (the worker "
                                                 "publishes them)")
    args = parser.parse_args(argv)

    cfg = config.load()
    store = AccountStore(connect(cfg.settings.mongodb_uri, cfg.settings.database))
    store.ensure_indexes()
    if args.command == "grant-role":
        try:
            user = access.grant_role(store, args.email, args.role)
        except NotFound as exc:
            print(exc.description, file=sys.stderr)
            return 1
        print(f"{user['email']} ({user['_id']}) now has the roles {', '.join(user['roles'])}")
    elif args.command == "publish-contacts":
        print(f"{store.republish_contacts(datetime.now(timezone.utc))} contact records to publish")
    elif args.command == "purge-expired":
        removed = erasure.purge_expired(store, cfg)
        print(", ".join(f"{count} {what}" for what, count in removed.items()) + " removed")
    else:
        keys = Keys(store, cfg)
        keys.ensure_first()
        kid = keys.rotate()
        print(f"key {kid} is published now and signs from {cfg.key_publish_ahead_seconds} s from now")
    return 0


if __name__ == "__main__":
    sys.exit(main())
