"""CPU time of the core (NL0xx), boilerplate and phrase (NL1xx, with NL120's
corpus summary) and damage (NL5xx) rules run together, as the engine runs
them, per article.

    python bench/bench_text_rules.py DIR [--limit 1500] [--runs 5]

DIR is a folder of articles (a corpus made by `gen_corpus.py`, or real pages);
the first `--limit` files, in name order, are loaded (not timed), then the
rules check (and NL120 summarizes) every article in turn; each run loads the
articles afresh, so nothing cached on an article is reused. It prints the
median and the lowest process CPU time per article over `--runs` runs, and the
findings and a digest of the summaries (which must not change when the rules
are made faster). On a shared machine compare two versions side by side, run
after run (PYTHONPATH=<other checkout>), and trust the ratio more than the times.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import time
from collections import Counter

from newslint.config import Settings
from newslint.run.engine import Engine

FAMILIES = ("NL0", "NL1", "NL5")


def time_rules(folder: str, limit: int, runs: int, prefixes: tuple[str, ...]):
    """Check (and summarize, for corpus rules) the first `limit` articles of
    `folder` with the default rules whose code starts with one of `prefixes`,
    `runs` times: (articles, CPU us per article of each run, findings per code,
    digest of the summaries)."""
    files = sorted(os.path.join(d, f) for d, _, names in os.walk(folder) for f in names
                   if f.endswith((".txt", ".md", ".jsonl", ".json", ".html")))[:limit]
    engine = Engine(Settings())
    rules = [r for r in engine.article_rules if r.code.startswith(prefixes)]
    summaries = [r for r in engine.corpus_rules if r.code.startswith(prefixes)]
    times, found, digest = [], Counter(), hashlib.sha1()
    for _ in range(runs):
        articles = [a for path in files for a in engine.load(path, engine.read(path))
                    if not hasattr(a, "message")]  # InputErrors are skipped
        found.clear()
        digest = hashlib.sha1()
        start = time.process_time()
        for article in articles:
            for rule in rules:
                for finding in rule.check(article, engine.options[rule.code]) or ():
                    found[finding.code] += 1
            for rule in summaries:
                digest.update(rule.summarize(article, engine.options[rule.code]))
        times.append((time.process_time() - start) * 1e6 / len(articles))
    return len(articles), times, found, digest.hexdigest()[:12]


def arguments(doc: str, runs: int) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("folder")
    parser.add_argument("--limit", type=int, default=1500)
    parser.add_argument("--runs", type=int, default=runs)
    return parser.parse_args()


def found_text(found: Counter) -> str:
    return ", ".join(f"{code} {n}" for code, n in sorted(found.items())) or "none"


def main() -> None:
    args = arguments(__doc__, runs=5)
    count, times, found, digest = time_rules(args.folder, args.limit, args.runs, FAMILIES)
    print(f"| articles | runs | median CPU us/article | lowest | findings | summaries |\n"
          f"|---|---|---|---|---|---|\n"
          f"| {count} | {args.runs} | {statistics.median(times):.0f} | {min(times):.0f} | "
          f"{found_text(found)} | {digest} |")


if __name__ == "__main__":
    main()
