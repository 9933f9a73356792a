"""python -m ideas.worker: the outbox relay, the consumer keeping vote counts and statuses up to date, the
ranking of the idea lists, and the clean-up of images no idea uses."""
from datetime import datetime, timezone

from idealab import events, worker
from idealab.mongo import WORKER_SOCKET_TIMEOUT_MS, connect

from . import config, entries, handlers, points
from .store import IdeaStore


# The lists' floors drift as ideas come and tallies move, and a stale floor only makes a read slower: found
# again every ten seconds, by every instance (the same answer: no lease needed).
RANKING_SECONDS = 10
# Unused images are removed a day after their upload (config.Images): looked for hourly, by every instance (a
# removal is conditional, so two instances never remove anything in use).
IMAGE_CLEAN_UP_SECONDS = 3600


def main() -> None:
    settings, images = config.load(), config.images()
    store = IdeaStore(connect(settings.mongodb_uri, settings.database, WORKER_SOCKET_TIMEOUT_MS))
    worker.run(settings, [store.ideas, store.comments, store.follows, store.questions, store.answers,
                          store.threads], [
        worker.Consumer("ideas", [events.IDEAS_TOPIC, events.VOTES_TOPIC, events.ROADMAP_TOPIC,
                                  events.ACCOUNTS_TOPIC], handlers.event_handlers(store)),
        # Points in a group of their own: a slow recount never holds up the lists' tallies, and a replay of the
        # points (cli replay-points) rebuilds them alone.
        worker.Consumer("ideas.points", points.TOPICS, points.event_handlers(store.points)),
    ], ensure_indexes=store.ensure_indexes, jobs={
        "ranking": worker.every(RANKING_SECONDS, store.rank),
        "leaderboards": worker.every(RANKING_SECONDS, lambda: store.points.rank(points.now())),
        "unused-images": worker.every(IMAGE_CLEAN_UP_SECONDS, lambda: handlers.purge_unused_images(store, images)),
        "unused-videos": worker.every(IMAGE_CLEAN_UP_SECONDS, lambda: entries.purge_unused_videos(
            store, images, datetime.now(timezone.utc))),
    })


if __name__ == "__main__":
    main()
