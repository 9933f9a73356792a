"""The lab's data as a benchmark needs it: ideas submitted through the API, voters with signed tokens, and votes
spread over ideas the way real labs see them (a few hot ideas, a long tail)."""
import random
import time
from collections import Counter

import requests

from . import open_loop
from .lab import Lab

ZIPF_EXPONENT = 1.1


def submit_ideas(lab: Lab, count: int) -> list[str]:
    """`count` ideas through the gateway, each by an author of its own (the gateway limits writes per token),
    returned once the votes service accepts votes on every one of them."""
    session = requests.Session()
    ids = []
    for n in range(count):
        author = {"Authorization": f"Bearer {lab.signer.token(f'bench-author-{n}')}"}
        answer = session.post(f"{lab.url}/api/ideas", timeout=10, headers=author, json={
            "title": f"Benchmark idea number {n}", "description": "Load for the benchmarks.", "category": "bench"})
        answer.raise_for_status()
        ids.append(answer.json()["id"])
    deadline = time.monotonic() + 120
    for idea_id in ids:
        while session.get(f"{lab.url}/api/votes/ideas/{idea_id}", timeout=10).status_code != 200:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the votes service did not learn of idea {idea_id} within 120 s")
            time.sleep(0.2)
    return ids


class Votes:
    """Picks (idea, voter) pairs: ideas by a Zipf law over their rank; voters in turn, so a member's votes are far
    apart (the gateway limits writes per token, as it would a member clicking) and nobody votes twice for an idea
    (every vote is a new one, answered 201)."""

    def __init__(self, idea_ids: list[str], voters: int, seed: int = 4):
        self.idea_ids = idea_ids
        self.voters = voters
        self.random = random.Random(seed)
        self.weights = [1 / rank ** ZIPF_EXPONENT for rank in range(1, len(idea_ids) + 1)]
        self.voted: list[set[int]] = [set() for _ in range(voters)]
        self.picked = 0

    def pick(self) -> tuple[int, int]:
        """(idea index, voter index) of the next vote."""
        voter = self.picked % self.voters
        self.picked += 1
        mine = self.voted[voter]
        for _ in range(100):
            idea = self.random.choices(range(len(self.idea_ids)), self.weights)[0]
            if idea not in mine:
                break
        else:  # this voter has voted for the hot ideas already: any idea they have not voted for
            idea = self.random.choice([i for i in range(len(self.idea_ids)) if i not in mine])
        mine.add(idea)
        return idea, voter

    def schedule(self, rate: float, seconds: float) -> list:
        """The next votes, open loop at `rate` for `seconds`, as bench.open_loop sends them."""
        requests = []
        for due in open_loop.constant_rate(rate, seconds):
            idea, voter = self.pick()
            requests.append([due, "POST", f"/api/votes/ideas/{self.idea_ids[idea]}", voter])
        return requests

    def hottest_share(self) -> float:
        return round(self.weights[0] / sum(self.weights), 3)


def voter_tokens(lab: Lab, voters: int) -> list[str]:
    return [lab.signer.token(f"bench-voter-{n}") for n in range(voters)]


class Ledger:
    """What the tallies must show once every vote is counted: per idea, the votes accepted (201), give or take those
    whose fate the voter cannot know (no answer, or a 5xx: the vote may have been stored before the failure)."""

    def __init__(self, idea_ids: list[str]):
        self.idea_ids = idea_ids
        self.accepted: Counter = Counter()
        self.unsure: Counter = Counter()

    def add(self, schedule: list, answers: list) -> None:
        for i, outcome, *_ in answers:
            idea = schedule[i][2].rsplit("/", 1)[1]
            if outcome == "201":
                self.accepted[idea] += 1
            elif outcome in ("timeout", "error", "open") or outcome.startswith("5"):
                self.unsure[idea] += 1

    def exact(self, idea: str, count: int | None) -> bool:
        return count is not None and self.accepted[idea] <= count <= self.accepted[idea] + self.unsure[idea]

    def wait_exact(self, lab: Lab, timeout: float) -> float | None:
        """Seconds until the tally of every idea, as the votes API shows it, is exact; None after `timeout`. Counts
        only grow, so an idea found exact is not asked again."""
        session, started = requests.Session(), time.monotonic()
        pending = set(self.idea_ids)
        while True:
            pending = {idea for idea in pending if not self.exact(idea, _tally(session, lab, idea))}
            if not pending:
                return round(time.monotonic() - started, 1)
            if time.monotonic() - started > timeout:
                return None
            time.sleep(0.2)


def _tally(session: requests.Session, lab: Lab, idea_id: str) -> int | None:
    try:
        return session.get(f"{lab.url}/api/votes/ideas/{idea_id}", timeout=10).json()["count"]
    except (requests.RequestException, ValueError, KeyError):
        return None  # not answered (a loaded gateway's 502 is no JSON): not exact yet
