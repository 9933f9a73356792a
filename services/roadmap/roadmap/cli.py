"""python -m roadmap.cli: the operator jobs every service has, over the roadmap service (`--help` lists them)."""
import sys

from idealab.cli import Commands
from idealab.mongo import connect

from . import config, handlers
from .store import RoadmapStore


def main(argv: list[str] | None = None) -> int:
    settings = config.load()
    store = RoadmapStore(connect(settings.mongodb_uri, settings.database))
    return Commands(settings, "roadmap", handlers.event_handlers(store)).main(argv)


if __name__ == "__main__":
    sys.exit(main())
