"""newslint on Apache Spark: `pip install 'newslint[spark]'` (PySpark, and a
Java 17+ runtime on the machine).

    from newslint.integrations.spark import dedup, lint
    findings = lint(df, text="body", title="headline", url="url", date="published")
    deduped = dedup(df, threshold=0.5, keep="best")

Both give the results `newslint check` and `newslint dedup` give on the same
articles; `newslint spark check|dedup INPUT OUTPUT` runs them on Parquet or
JSON Lines (and every format newslint reads) and writes Parquet.

How it runs (Spark does the scheduling, shuffles and retries):
1. per article, in Arrow batches (`mapInArrow`), with one newslint engine per
   Python worker process: load, article rules, the summaries of the corpus
   rules (`articles.py`); kept with MEMORY_AND_DISK;
2. repeated template lines (NL120): counts of distinct articles per line
   hash, a distributed aggregation (`lines.py`);
3. near-duplicates (NL601): the single-machine MinHash signatures; LSH
   banding as a shuffle on (band, key); candidate pairs prefiltered by their
   MinHash estimate and verified with the exact Jaccard similarity
   (`near.py`); connected components by large-star/small-star
   (`components.py`); per component, the findings and the article kept, by
   the single-machine code (`clusters.py`);
4. per article, its own and its corpus findings with suppressions and
   per-file ignores applied (`pipeline.py`).
"""
from __future__ import annotations

from newslint.integrations.spark.api import LintResult, dedup, lint, lint_source, make_settings

__all__ = ["LintResult", "dedup", "lint", "lint_source", "make_settings"]
