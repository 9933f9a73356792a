"""python -m notifications.cli: the operator jobs every service has, over the notifications service, and
`failed-emails`, the email jobs given up and why (`--help` lists them)."""
import json
import sys

from idealab.cli import Commands
from idealab.mongo import connect

from . import config, handlers
from .store import NotificationStore


def main(argv: list[str] | None = None) -> int:
    settings = config.load()
    store = NotificationStore(connect(settings.mongodb_uri, settings.database))
    commands = Commands(settings, "notifications", handlers.event_handlers(store))

    @commands.add("failed-emails", "list the email jobs given up, and why (one JSON object a line)")
    def failed_emails(_args) -> int:
        for job in store.failed_emails():
            print(json.dumps({k: job.get(k) for k in ("_id", "user_id", "idea_id", "attempts", "reason")}))
        return 0

    return commands.main(argv)


if __name__ == "__main__":
    sys.exit(main())
