"""CPU time of the repetition rule family (NL201-NL205) run together, as the
engine runs them, per article.

    python bench/bench_repetition.py DIR [--limit 1500] [--runs 3]

DIR is a folder of articles (a corpus made by `gen_corpus.py`, or real pages);
the first `--limit` files, in name order, are loaded (not timed), then the five
rules check every article in turn; each run loads the articles afresh, so
nothing cached on an article is reused. It prints the median and the lowest
process CPU time per article over `--runs` runs, and the findings (which must
not change when the rules are made faster). On a shared machine compare two
versions side by side, run after run, and trust the ratio more than the times.
"""
from __future__ import annotations

import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_text_rules import arguments, found_text, time_rules  # noqa: E402

FAMILY = ("NL201", "NL202", "NL203", "NL204", "NL205")


def main() -> None:
    args = arguments(__doc__, runs=3)
    count, times, found, _ = time_rules(args.folder, args.limit, args.runs, FAMILY)
    print(f"| articles | runs | median CPU us/article | lowest | findings |\n|---|---|---|---|---|\n"
          f"| {count} | {args.runs} | {statistics.median(times):.0f} | {min(times):.0f} | "
          f"{found_text(found)} |")


if __name__ == "__main__":
    main()
