"""`newslint check --index PATH|redis://...`: compare the checked articles
with a persistent or shared near-duplicate index too, and add them to it, so
separate runs and machines see each other's articles."""
from __future__ import annotations

import os
from typing import Iterable

from newslint.dedup.index import NearDupIndex
from newslint.dedup.minhash import decode
from newslint.model import Finding
from newslint.rule import ArticleRef, Rule


def index_key(ref: ArticleRef, root: str) -> str:
    """The path relative to the project root (plus the record), so machines
    sharing one index agree on names."""
    try:
        path = os.path.relpath(os.path.abspath(ref.path), root)
    except ValueError:
        path = ref.path
    path = path.replace(os.sep, "/")
    return f"{path}:{ref.record}" if ref.record is not None else path


def index_findings(rule: Rule, options: dict, spec: str, root: str,
                   corpus: Iterable[tuple[ArticleRef, dict[str, bytes]]], warn) -> dict[str, list[Finding]]:
    """Findings for targets that match an indexed article outside this run.
    Raises IndexUnavailable (a configuration error, exit 2) when the index
    cannot be used: a silent miss would lose duplicates."""
    corpus = list(corpus)
    local = {index_key(ref, root) for ref, _ in corpus}
    out: dict[str, list[Finding]] = {}
    with NearDupIndex.open(spec, options["threshold"], options["num_perm"], warn=warn) as index:
        for ref, summaries in corpus:
            summary = decode(summaries.get(rule.code, b"")) if ref.is_target else None
            if summary is None or summary.shingles < options["min_shingles"]:
                continue
            key = index_key(ref, root)
            candidates = [c for c in index.insert_and_query(key, summary.signature)
                          if c != key and c not in local]
            similar = index.similar(summary.signature, candidates)
            if similar:
                names = ", ".join(f"{k} (≈{s:.2f}, estimated)" for k, s in similar[:5])
                more = f" and {len(similar) - 5} more" if len(similar) > 5 else ""
                out.setdefault(ref.id, []).append(ref.finding(
                    rule, f"near-duplicate of indexed article {names}{more}",
                    data={"indexed": [[k, round(s, 3)] for k, s in similar]}))
    return out
