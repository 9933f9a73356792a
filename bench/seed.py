"""Seeds a lab at a big bank's scale (Barclays "Your Bank": 2,600 ideas, 370,000 votes), with progress bars.

    python -m bench.seed [--mongodb URI] [--namespace NS] [--ideas 2600] [--votes 370000] [--comments 5000]

Bulk, straight into each service's database in the shapes its store writes (ideas built by ideas.domain.submit,
comments by ideas.domain.post_comment, tallies by votes.domain.Tally), as the lab holds them once every event has
been relayed and counted: no outbox events are left for the relays, every vote is counted in its tally and in its
idea's vote_count, every comment in its idea's comment_count. Going through the API instead would take hours at the
database's write speed (see bench.vote_intake). Votes and comments spread over the ideas by a Zipf law (a few
ideas hold most of them).
Without --namespace it seeds the lab `make up` runs.
"""
import argparse
import random
from dataclasses import asdict
from datetime import datetime, timedelta, timezone

from pymongo import MongoClient
from tqdm import tqdm

from ideas import domain as ideas_domain
from ideas.store import IdeaStore
from votes import domain as votes_domain
from votes.store import VoteStore

from .lab import SHARED_MONGODB
from .workload import ZIPF_EXPONENT

CHUNK = 5000
THRESHOLD = 10  # the lab's default VOTE_THRESHOLD: which tallies say the threshold was reached
CATEGORIES = ("cards", "app", "savings", "mortgages", "payments", "branches", "security", "business")


def vote_counts(ideas: int, votes: int) -> list[int]:
    """Votes per idea, by rank: a Zipf law adding up to `votes`."""
    weights = [1 / rank ** ZIPF_EXPONENT for rank in range(1, ideas + 1)]
    counts = [int(votes * w / sum(weights)) for w in weights]
    for rank in range(votes - sum(counts)):
        counts[rank % ideas] += 1
    return counts


def seed(client: MongoClient, namespace: str, ideas: int, votes: int, comments: int, voters: int,
         seed_value: int = 4) -> dict:
    rng = random.Random(seed_value)
    counts = vote_counts(ideas, votes)
    discussed = vote_counts(ideas, comments)
    if max(counts) > voters:
        raise SystemExit(f"the hottest idea needs {max(counts)} distinct voters; use --voters {max(counts)} or more")
    idea_store = IdeaStore(client[f"{namespace}idealab_ideas"])
    vote_store = VoteStore(client[f"{namespace}idealab_votes"])
    idea_store.ensure_indexes()
    vote_store.ensure_indexes()
    now = datetime.now(timezone.utc).replace(microsecond=0)
    rng.shuffle(counts)  # the hot ideas are not all the oldest
    ids = []
    for chunk in _chunks(tqdm(range(ideas), desc="ideas", unit="idea"), 500):
        made = []
        for n in chunk:
            submitted = now - timedelta(minutes=rng.randrange(0, 3 * 365 * 24 * 60))
            idea, _ = ideas_domain.submit({"title": f"Idea {n}: {rng.choice(CATEGORIES)} made simpler",
                                           "description": "Seeded for the read-path benchmark. " * 8,
                                           "category": rng.choice(CATEGORIES)}, f"member-{rng.randrange(voters)}",
                                          submitted)
            made.append(idea)
        said = []
        for idea in made:
            count = counts[len(ids)]
            idea |= {"vote_count": count, "tally_version": count, "comment_count": discussed[len(ids)]}
            said += [ideas_domain.post_comment(idea, {"text": f"Comment {k}: yes, and on the web too."},
                                               f"member-{rng.randrange(voters)}",
                                               idea["submitted_at"] + timedelta(hours=k))[0]
                     for k in range(discussed[len(ids)])]
            ids.append((idea["_id"], idea["submitted_at"], idea.get("space"), count))
        idea_store.ideas.insert_many(made)
        if said:
            idea_store.comments.insert_many(said)
    vote_store.ideas.insert_many([{"_id": i, "submitted_at": at, "space": space} for i, at, space, _ in ids])
    vote_store.tallies.insert_many([
        {"_id": i, **{k: v for k, v in asdict(votes_domain.Tally(i, count, count, count >= THRESHOLD)).items()
                      if k != "idea_id"}} for i, _, _, count in ids])
    with tqdm(total=votes, desc="votes", unit="vote") as progress:
        batch = []
        for idea_id, submitted, _, count in ids:
            first = rng.randrange(voters)
            for k in range(count):
                voter = f"member-{(first + k) % voters}"
                batch.append({"_id": votes_domain.vote_id(idea_id, voter), "idea_id": idea_id, "voter_id": voter,
                              "live": True, "version": 1, "cast_at": submitted + timedelta(seconds=k)})
                if len(batch) == CHUNK:
                    vote_store.votes.insert_many(batch)
                    progress.update(len(batch))
                    batch = []
        if batch:
            vote_store.votes.insert_many(batch)
            progress.update(len(batch))
    return {"ideas": ideas, "votes": votes, "comments": comments, "voters": voters, "hottest_idea_votes": max(counts),
            "idea_ids_by_votes": [i for i, *_ in sorted(ids, key=lambda x: -x[3])]}


def _chunks(items, size: int):
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mongodb", default=SHARED_MONGODB)
    parser.add_argument("--namespace", default="")
    parser.add_argument("--ideas", type=int, default=2600)
    parser.add_argument("--votes", type=int, default=370_000)
    parser.add_argument("--comments", type=int, default=5000)
    parser.add_argument("--voters", type=int, default=100_000)
    args = parser.parse_args()
    with MongoClient(args.mongodb, tz_aware=True) as client:
        seeded = seed(client, args.namespace, args.ideas, args.votes, args.comments, args.voters)
    print({k: v for k, v in seeded.items() if k != "idea_ids_by_votes"})


if __name__ == "__main__":
    main()
