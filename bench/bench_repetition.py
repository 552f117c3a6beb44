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

import argparse
import os
import statistics
import time
from collections import Counter

from newslint.config import Settings
from newslint.run.engine import Engine

FAMILY = ("NL201", "NL202", "NL203", "NL204", "NL205")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder")
    parser.add_argument("--limit", type=int, default=1500)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    files = sorted(os.path.join(d, f) for d, _, names in os.walk(args.folder) for f in names
                   if f.endswith((".txt", ".md", ".jsonl", ".json", ".html")))[:args.limit]
    engine = Engine(Settings())
    rules = [r for r in engine.article_rules if r.code in FAMILY]
    times, found = [], Counter()
    for _ in range(args.runs):
        articles = [a for path in files for a in engine.load(path, engine.read(path))
                    if not hasattr(a, "message")]  # InputErrors are skipped
        found.clear()
        start = time.process_time()
        for article in articles:
            for rule in rules:
                for finding in rule.check(article, engine.options[rule.code]) or ():
                    found[finding.code] += 1
        times.append((time.process_time() - start) * 1e6 / len(articles))
    print(f"| articles | runs | median CPU us/article | lowest | findings |\n|---|---|---|---|---|\n"
          f"| {len(articles)} | {args.runs} | {statistics.median(times):.0f} | {min(times):.0f} | "
          f"{', '.join(f'{code} {n}' for code, n in sorted(found.items())) or 'none'} |")


if __name__ == "__main__":
    main()
