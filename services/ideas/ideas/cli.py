"""python -m ideas.cli: the operator jobs every service has, over the ideas service, and `purge-unused-images`
(`--help` lists them)."""
import sys

from idealab.cli import Commands
from idealab.mongo import connect

from . import config, handlers
from .store import IdeaStore


def main(argv: list[str] | None = None) -> int:
    settings = config.load()
    store = IdeaStore(connect(settings.mongodb_uri, settings.database))
    commands = Commands(settings, "ideas", handlers.handlers(store))

    @commands.add("purge-unused-images", "remove the images no idea uses, once kept their grace period (as the "
                  "worker does hourly)")
    def purge(_args) -> int:
        print(f"removed {handlers.purge_unused_images(store, config.images())} unused images")
        return 0

    return commands.main(argv)


if __name__ == "__main__":
    sys.exit(main())
