"""python -m ideas.cli: the operator jobs every service has, over the ideas service, and its own:
`purge-unused-images`, `backfill-discovery` and `replay-points` (`--help` lists them)."""
import sys

from tqdm import tqdm

from idealab.cli import Commands, replay
from idealab.mongo import connect

from . import config, handlers, points
from .store import IdeaStore


def main(argv: list[str] | None = None) -> int:
    settings = config.load()
    store = IdeaStore(connect(settings.mongodb_uri, settings.database))
    commands = Commands(settings, "ideas", handlers.event_handlers(store))

    @commands.add("purge-unused-images", "remove the images no idea uses, once kept their grace period (as the "
                  "worker does hourly)")
    def purge(_args) -> int:
        print(f"removed {handlers.purge_unused_images(store, config.images())} unused images")
        return 0

    @commands.add("backfill-discovery", "give the ideas stored before the trending order and search existed their "
                  "trending score and search text, from the ideas and their comments (running it again finds none)")
    def backfill(_args) -> int:
        ideas = store.stored_before_discovery()
        for idea_id in tqdm(ideas, desc="backfilling", unit="idea"):
            store.recount_comments(idea_id)  # rewrites both from the stored idea and its visible comments
        print(f"backfilled {len(ideas)} ideas")
        return 0

    @commands.add("replay-points", "rebuild the points and leaderboards from the topics' beginning (handlers are "
                  "idempotent: running it over a kept read model changes nothing)")
    def replay_points(_args) -> int:
        outcomes = replay(settings.kafka_bootstrap_servers, [settings.namespace + t for t in points.TOPICS],
                          points.event_handlers(store.points))
        print(", ".join(f"{n} {what}" for what, n in sorted(outcomes.items())) or "nothing to replay")
        return 0

    return commands.main(argv)


if __name__ == "__main__":
    sys.exit(main())
