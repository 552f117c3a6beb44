"""The library API's near-duplicate look-up: one article at a time against
an index that grows as articles are checked."""
from __future__ import annotations

import logging
import threading
from typing import Any

from newslint.config import ConfigError
from newslint.model import Article, Finding
from newslint.rule import ArticleRef
from newslint.run.engine import Engine, article_ref

logger = logging.getLogger("newslint")


class DuplicateIndex:
    """The near-duplicate rule (NL601), one article at a time, over a
    `NearDupIndex`. Similarities are MinHash estimates: the index keeps
    signatures, not the articles, so they cannot be verified exactly as
    `newslint check` does."""

    CODE = "NL601"

    def __init__(self, rule, options: dict[str, Any], store):
        self.rule, self.options, self.store = rule, options, store

    @classmethod
    def open(cls, spec: str | None, engine: Engine) -> "DuplicateIndex | None":
        """None when the near-duplicate rule is not selected."""
        from newslint.dedup.index import NearDupIndex
        from newslint.dedup.rule import check_options
        rule = next((r for r in engine.corpus_rules if r.code == cls.CODE), None)
        if rule is None:
            return None
        options = engine.options[rule.code]
        try:
            check_options(options)
        except ValueError as exc:
            raise ConfigError(f"rules.{rule.code}: {exc}") from None
        def warn(message: str) -> None:  # kept for the caller, and logged
            engine.notices.append(message)
            logger.warning("newslint: %s", message)
        store = NearDupIndex.open(spec, options["threshold"], options["num_perm"], warn=warn)
        return cls(rule, options, store)

    def check_and_add(self, article: Article, lock: threading.Lock) -> list[tuple[str, float]]:
        """Articles in the index this one is a near-duplicate of (id,
        similarity), most similar first; then this one is stored under its id
        as a duplicate of them (see `newslint.dedup.index`)."""
        from newslint.dedup.minhash import decode
        summary = decode(self.rule.summarize(article, self.options))
        if summary is None or summary.shingles < self.options["min_shingles"]:
            return []
        with lock:  # atomic in the index too: this lock is for the in-memory one
            return self.store.check_in(article.id, summary.signature)

    def findings(self, article: Article, duplicates: list[tuple[str, float]]) -> list[Finding]:
        from newslint.dedup.matching import Match
        from newslint.dedup.rule import message
        if not duplicates:
            return []
        refs = [ArticleRef(id=key, path=key, record=None, line=1, is_target=False)
                for key, _ in duplicates]
        matches = [Match(i, similarity, False, True) for i, (_, similarity) in enumerate(duplicates)]
        text = message(matches, len(matches), refs, self.options["num_perm"])
        data = {"count": len(matches), "duplicates": [
            {"id": key, "similarity": round(similarity, 4), "estimated": True}
            for key, similarity in duplicates]}
        return [article_ref(article).finding(self.rule, text, data=data)]

    def close(self) -> None:
        self.store.close()
