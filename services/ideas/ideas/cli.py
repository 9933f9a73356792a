"""python -m ideas.cli: the operator jobs every service has, over the ideas service (`--help` lists them)."""
import sys

from idealab.cli import Commands
from idealab.mongo import connect

from . import config, handlers
from .store import IdeaStore


def main(argv: list[str] | None = None) -> int:
    settings = config.load()
    store = IdeaStore(connect(settings.mongodb_uri, settings.database))
    return Commands(settings, "ideas", handlers.handlers(store)).main(argv)


if __name__ == "__main__":
    sys.exit(main())
