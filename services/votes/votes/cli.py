"""python -m votes.cli: the votes service's operator jobs, besides those every service has (`--help` lists them)."""
import csv
import sys

from tqdm import tqdm

from idealab.cli import Commands
from idealab.mongo import connect

from . import config, handlers
from .store import VoteStore

RECOUNT_COLUMNS = ("idea_id", "tally", "live", "wrong")


def main(argv: list[str] | None = None) -> int:
    cfg = config.load()
    store = VoteStore(connect(cfg.settings.mongodb_uri, cfg.settings.database))
    commands = Commands(cfg.settings, "votes", handlers.event_handlers(store, cfg.threshold))

    @commands.add("reconcile-tallies", "every idea's tally beside its live votes, as CSV on stdout; exits 1 if one "
                  "differs (on a busy lab, maybe votes whose events are on their way: run it again)",
                  lambda p: p.add_argument("--repair", action="store_true",
                                           help="recount each differing tally, as the worker does"))
    def reconcile(args) -> int:
        recounts = handlers.reconcile_tallies(store, cfg.threshold, args.repair)
        out = csv.writer(sys.stdout)
        out.writerow(RECOUNT_COLUMNS)
        for r in recounts:
            out.writerow([r.idea_id, r.tally, r.live, r.wrong])
        wrong = sum(r.wrong for r in recounts)
        print(f"{len(recounts)} ideas, {wrong} wrong tallies{' repaired' if wrong and args.repair else ''}",
              file=sys.stderr)
        return 1 if wrong and not args.repair else 0

    @commands.add("export-tallies", "every idea's tally as CSV on stdout")
    def export(_args) -> int:
        out = csv.writer(sys.stdout)
        out.writerow(("idea_id", "count", "threshold_reached"))
        for tally in tqdm(store.all_tallies(), desc="exporting tallies", unit="idea"):
            out.writerow((tally.idea_id, tally.count, tally.threshold_reached))
        return 0

    return commands.main(argv)


if __name__ == "__main__":
    sys.exit(main())
