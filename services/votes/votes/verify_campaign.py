"""python -m votes.verify_campaign EXPORT [--digest HEX]: recounts a closed campaign from its ballot export and
recomputes its audit digest, with nothing but the export (and the standard library's SHA-256 through
votes.campaigns.digest, the same code that published it; the rule is short enough to check by hand: SHA-256 of the
JSON list of [ballot_id, {option_id: points}] sorted by ballot id, keys sorted, no spaces).

EXPORT is the JSON export (GET /api/votes/campaigns/<id>/export): its counts and digest are checked against the
recount. Or the CSV export (…?format=csv): the recount and digest are printed, and checked against --digest, the one
published with the result. Exits 0 when everything agrees, 1 otherwise."""
import argparse
import csv
import json
import sys

from .campaigns import digest


def ballots_from_csv(path: str) -> list[dict]:
    ballots: dict[str, dict[str, int]] = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            ballots.setdefault(row["ballot_id"], {})[row["option_id"]] = int(row["points"])
    return [{"ballot_id": b, "choices": choices} for b, choices in ballots.items()]


def recount(ballots: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for ballot in ballots:
        for option_id, points in ballot["choices"].items():
            counts[option_id] = counts.get(option_id, 0) + points
    return counts


def verify(path: str, published_digest: str | None = None) -> list[str]:
    """What does not agree (empty: the export, its counts and its digest agree), and the recount on stdout."""
    problems = []
    if path.endswith(".csv"):
        ballots, published = ballots_from_csv(path), None
    else:
        with open(path, encoding="utf-8") as f:
            published = json.load(f)
        ballots = published["ballot_export"]
        published_digest = published_digest or published["digest"]
    counts, computed = recount(ballots), digest(ballots)
    print(json.dumps({"ballots": len(ballots), "counts": counts, "digest": computed}, indent=2))
    if published_digest is not None and computed != published_digest:
        problems.append(f"digest {computed} is not the published {published_digest}")
    if published is not None:
        if published["ballots"] != len(ballots):
            problems.append(f"{len(ballots)} ballots exported, {published['ballots']} published")
        for option in published["options"]:
            if counts.get(option["option_id"], 0) != option["count"]:
                problems.append(f"option {option['option_id']}: {counts.get(option['option_id'], 0)} counted, "
                                f"{option['count']} published")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m votes.verify_campaign", description=__doc__.split("\n\n")[0])
    parser.add_argument("export", help="the campaign's export, .json or .csv")
    parser.add_argument("--digest", help="the digest published with the result (needed for a CSV export)")
    args = parser.parse_args(argv)
    problems = verify(args.export, args.digest)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
