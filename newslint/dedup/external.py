"""`newslint check --index PATH|redis://...`: compare the checked articles
with a persistent or shared near-duplicate index too, and add them to it, so
separate runs and machines see each other's articles.

Each checked article is stored under its canonical id (`identity`: its URL,
else `namespace:path` relative to the corpus root), in the order of the run,
with what it duplicates (`NearDupIndex.check_in`): articles of this run are
compared with each other exactly by the near-duplicate rule, so only matches
outside the run become findings here; matches inside it are recorded (the
first of a pair is the original) so that a later run over the original alone
never reports it as a copy of its own copy."""
from __future__ import annotations

from typing import Iterable, Mapping

from newslint.dedup.identity import article_key, default_namespace, path_id
from newslint.dedup.index import NearDupIndex
from newslint.dedup.minhash import decode
from newslint.model import Finding
from newslint.rule import ArticleRef, Rule
from newslint.text.safe import encodable

NAMED = 5


def index_key(ref: ArticleRef, url: str | None, root: str, namespace: str) -> str:
    """The article's canonical id: its URL, else `namespace:relative/path[:record]`
    (a file name's bytes that are not UTF-8 escaped: the index stores text)."""
    return encodable(article_key(url, None, path_id(ref.path, root, namespace, ref.record),
                                 namespace))


def index_findings(rule: Rule, options: dict, spec: str, root: str, namespace: str | None,
                   corpus: Iterable[tuple[ArticleRef, dict[str, bytes]]],
                   urls: Mapping[str, str | None], warn) -> dict[str, list[Finding]]:
    """Findings for targets that match an indexed article outside this run.
    Raises IndexUnavailable (a configuration error, exit 2) when the index
    cannot be used: a silent miss would lose duplicates."""
    namespace = namespace or default_namespace(root)
    targets = [(ref, summaries) for ref, summaries in corpus if ref.is_target]
    keys = {ref.id: index_key(ref, urls.get(ref.id), root, namespace) for ref, _ in targets}
    local = set(keys.values())
    out: dict[str, list[Finding]] = {}
    with NearDupIndex.open(spec, options["threshold"], options["num_perm"], warn=warn) as index:
        for ref, summaries in targets:
            summary = decode(summaries.get(rule.code, b""))
            if summary is None or summary.shingles < options["min_shingles"]:
                continue
            outside = [(k, s) for k, s in index.check_in(keys[ref.id], summary.signature)
                       if k not in local]
            if outside:
                names = ", ".join(f"{k} (≈{s:.2f}, estimated)" for k, s in outside[:NAMED])
                more = f" and {len(outside) - NAMED} more" if len(outside) > NAMED else ""
                out.setdefault(ref.id, []).append(ref.finding(
                    rule, f"near-duplicate of indexed article {names}{more}",
                    data={"indexed": [[k, round(s, 3)] for k, s in outside]}))
    return out
