"""Near-duplicates one article at a time, against an index that grows as
articles arrive: the library's `Linter` and `newslint check -` (stdin) use it.

Each article is looked up and stored in one atomic step
(`NearDupIndex.check_in`, see `newslint.dedup.index` for the rules); with
`reference` (stdin's `--corpus`), it is also compared with a read-only index of
the corpus files. Similarities are MinHash estimates: the index keeps
signatures, not the articles, so they cannot be verified exactly as
`newslint check` over files does.
"""
from __future__ import annotations

import logging
import threading
from typing import Any, Iterable

from newslint.config import ConfigError
from newslint.model import Article, Finding
from newslint.rule import ArticleRef
from newslint.run.engine import Engine, article_ref

logger = logging.getLogger("newslint")


class DuplicateIndex:
    """The near-duplicate rule (NL601), one article at a time, over a `NearDupIndex`."""

    CODE = "NL601"

    def __init__(self, rule, options: dict[str, Any], store, reference=None):
        self.rule, self.options, self.store, self.reference = rule, options, store, reference
        self._lock = threading.Lock()

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

    def load_reference(self, engine: Engine, paths: Iterable[str]) -> int:
        """Compare what comes next with the articles of these files too (read
        only: they are not added to the store). Returns how many were loaded."""
        from newslint.dedup.entries import Entry
        from newslint.dedup.external import index_key
        from newslint.dedup.identity import default_namespace
        from newslint.dedup.index import NearDupIndex
        from newslint.run.files import discover
        settings = engine.settings
        namespace = settings.index_namespace or default_namespace(settings.root)
        self.reference = NearDupIndex.open(None, self.options["threshold"], self.options["num_perm"])
        for path in discover(paths, settings, engine.registry, []):
            for item in engine.process_file(path, target=False).articles:
                summary = self._summary(item.summaries.get(self.CODE, b""))
                if summary is not None:
                    key = index_key(item.ref, item.meta.url, str(settings.root), namespace)
                    self.reference.insert(Entry(key, summary.signature, 0.0))
        return len(self.reference)

    # -- checking -------------------------------------------------------------------------
    def check_and_add(self, article: Article, lock: threading.Lock | None = None
                      ) -> list[tuple[str, float]]:
        """Articles this one is a near-duplicate of (id, similarity), most
        similar first; it is then stored under its id as a duplicate of them."""
        return self.check_summary(article.id, self.rule.summarize(article, self.options), lock)

    def check_summary(self, key: str, blob: bytes, lock: threading.Lock | None = None
                      ) -> list[tuple[str, float]]:
        """`check_and_add` for an article summarised already (`blob`: its NL601 summary)."""
        summary = self._summary(blob)
        if summary is None:
            return []
        with lock or self._lock:  # atomic in the index too: the lock is for the in-memory one
            found = dict(self.store.check_in(key, summary.signature))
        if self.reference is not None:
            for other, similarity in self.reference.similar(summary.signature, exclude=key):
                found[other] = max(similarity, found.get(other, 0.0))
        return sorted(found.items(), key=lambda pair: (-pair[1], pair[0]))

    def _summary(self, blob: bytes):
        from newslint.dedup.minhash import decode
        summary = decode(blob)
        if summary is None or summary.shingles < self.options["min_shingles"]:
            return None
        return summary

    def findings(self, article: Article | ArticleRef, duplicates: list[tuple[str, float]]
                 ) -> list[Finding]:
        from newslint.dedup.matching import Match
        from newslint.dedup.rule import message
        if not duplicates:
            return []
        ref = article if isinstance(article, ArticleRef) else article_ref(article)
        refs = [ArticleRef(id=key, path=key, record=None, line=1, is_target=False)
                for key, _ in duplicates]
        matches = [Match(i, similarity, False, True) for i, (_, similarity) in enumerate(duplicates)]
        text = message(matches, len(matches), refs, self.options["num_perm"])
        data = {"count": len(matches), "duplicates": [
            {"id": key, "similarity": round(similarity, 4), "estimated": True}
            for key, similarity in duplicates]}
        return [ref.finding(self.rule, text, data=data)]

    def close(self) -> None:
        self.store.close()
        if self.reference is not None:
            self.reference.close()
