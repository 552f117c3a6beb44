"""Per connected component, in one task: the near-duplicate findings of its
articles and the choice of the article to keep, with the single-machine code.

A component holds every article linked to another by a verified edge or an
identical shingle set, so everything `matching.matches_per_target` looks at
for one article (its own set's copies and the sets it has an edge to) is in
the same component. The members are put in path order (path, record, id:
`Member.order`), the order `newslint dedup` sorts by.
"""
from __future__ import annotations

from typing import Any, Iterator

import numpy as np
import pyarrow as pa

from newslint.dedup.clusters import Member, choose_keep
from newslint.integrations.spark.worker import NEAR, Spec, engine_for, finding_to_json
from newslint.rule import ArticleRef

MEMBERS_FIELDS = "id, path, record, line, length, sk, th, problems"
CLUSTERED = pa.schema([("id", pa.string()), ("cluster", pa.string()), ("drop", pa.bool_()),
                       ("duplicate_of", pa.string()), ("similarity", pa.float64()),
                       ("finding", pa.string())])
CLUSTERED_DDL = ("id string, cluster string, drop boolean, duplicate_of string, "
                 "similarity double, finding string")


def assemble(batches: Iterator[pa.RecordBatch], spec: Spec, keep: str
             ) -> Iterator[pa.RecordBatch]:
    """mapInArrow over (comp, members, edges) rows -> CLUSTERED rows."""
    engine = engine_for(spec)
    rule, options = engine.registry.rules[NEAR], engine.options[NEAR]
    for batch in batches:
        out: dict[str, list] = {name: [] for name in CLUSTERED.names}
        for row in batch.to_pylist():
            for values in component_rows(row["members"], row["edges"] or [], rule, options, keep):
                for name, value in zip(CLUSTERED.names, values):
                    out[name].append(value)
        yield pa.RecordBatch.from_pydict(out, schema=CLUSTERED)


def component_rows(members: list[dict[str, Any]], edges: list[dict[str, Any]], rule,
                   options: dict[str, Any], keep: str) -> Iterator[tuple]:
    from newslint.dedup.matching import Corpus, matches_per_target
    members = sorted(members, key=lambda m: (m["path"], m["record"] or 0, m["id"]))
    refs = [ArticleRef(m["id"], m["path"], m["record"], m["line"], True, None, m["length"])
            for m in members]
    keys = sorted({m["sk"] for m in members})
    group_of = {key: g for g, key in enumerate(keys)}
    group = np.array([group_of[m["sk"]] for m in members], dtype=np.int64)
    corpus = Corpus(index=np.arange(len(members)), signatures=np.empty((0, 0), np.uint32),
                    set_key=np.array(keys, np.int64)[group].view(np.uint64),
                    text_hash=np.array([m["th"] for m in members], np.int64).view(np.uint64),
                    targets=np.ones(len(members), dtype=bool))
    local = [(group_of[e["a"]], group_of[e["b"]], e["sim"], e["est"]) for e in edges]
    matches = matches_per_target(corpus, group, np.ones(len(keys), dtype=bool), local)
    best = _best_similarity(group, local)
    kept = choose_keep([Member(m["id"], m["path"], m["record"], m["length"], m["problems"] or 0)
                        for m in members], keep)
    kept_group = int(group[next(i for i, m in enumerate(members) if m["id"] == kept.id)])
    direct = {(min(g1, g2), max(g1, g2)): s for g1, g2, s, _ in local}
    cluster = members[0]["id"]
    for position, m in enumerate(members):
        found = matches.get(position)
        finding = None if found is None else finding_to_json(
            rule.finding_for(refs[position], found[0], found[1], refs, options))
        is_kept = m["id"] == kept.id
        g = int(group[position])
        # the similarity to the kept article when the two match directly, else
        # (and for the kept one) the article's best match
        similarity = best.get(g, 0.0) if is_kept else 1.0 if g == kept_group else \
            direct.get((min(g, kept_group), max(g, kept_group)), best.get(g, 0.0))
        yield (m["id"], cluster, not is_kept, None if is_kept else kept.id, similarity, finding)


def _best_similarity(group: np.ndarray, edges: list[tuple[int, int, float, bool]]) -> dict:
    """Per group, the highest similarity to another article: 1.0 with a copy of
    its own set, else its best edge."""
    sizes = np.bincount(group)
    best = {g: 1.0 for g in np.flatnonzero(sizes > 1).tolist()}
    for g1, g2, similarity, _ in edges:
        for g in (g1, g2):
            best[g] = max(best.get(g, 0.0), similarity)
    return best
