"""Exact shingle sets for the few articles in candidate pairs.

A corpus rule gets only summaries, so to show an exact Jaccard similarity the
articles of candidate pairs are loaded again (the plugins' loaders, with the
configuration found from the file upward; enrichers only when the text does
not match without them, as they rarely touch it), shingled the same
way with the boilerplate lines the summary recorded, and accepted only when
the result matches the summary's shingle count and set fingerprint. Anything
else (stdin input, a file changed since, a custom loader) gives None, and the
caller falls back to the MinHash estimate.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from newslint.dedup.minhash import Summary
from newslint.dedup.shingles import Shingles, body_text, shingle
from newslint.model import Article
from newslint.text.lines import body_lines


def article_shingles(article: Article, skipped: Iterable[int], k_words: int,
                     k_chars: int) -> Shingles:
    """The shingle set of an article's body, leaving out the `skipped` body lines
    (positions in `body_lines`)."""
    lines = enumerate(line.text for line in body_lines(article))
    return shingle(body_text(lines, frozenset(skipped)), k_words, k_chars)


def _matching(article: Article, summary: Summary) -> np.ndarray | None:
    """The article's shingle hashes if they are the set the summary describes."""
    found = article_shingles(article, summary.skipped, summary.k_words, summary.k_chars)
    if len(found) == summary.shingles and found.set_hash() == summary.set_hash:
        return found.hashes
    return None


class ExactSets:
    """Loads the exact shingle sets of articles named by id (each file once)."""

    def __init__(self) -> None:
        self._loaders: dict[str, tuple[str, Callable]] | None = None
        self._enrichers: list[Callable] = []
        self._settings_by_folder: dict[str, object] = {}
        self.files_read = 0

    def load(self, wanted: dict[str, tuple[str, Summary]]) -> dict[str, np.ndarray]:
        """{article id: sorted shingle hashes} for the articles that could be
        reloaded exactly; `wanted` maps id -> (path, summary)."""
        by_path: dict[str, dict[str, Summary]] = {}
        for article_id, (path, summary) in wanted.items():
            by_path.setdefault(path, {})[article_id] = summary
        out: dict[str, np.ndarray] = {}
        for path, summaries in by_path.items():
            out.update(self._from_file(path, summaries))
        return out

    def _from_file(self, path: str, summaries: dict[str, Summary]) -> dict[str, np.ndarray]:
        name, load = self._loader_for(path)
        data = self._read(path) if load is not None else None
        if data is None:
            return {}
        settings = self._settings(path)
        found: dict[str, np.ndarray] = {}
        if name == "jsonl":  # only the records wanted: each line is a record of its own
            lines = data.split(b"\n")
            for article_id, summary in summaries.items():
                number = article_id[len(path) + 1:]
                if article_id[len(path):len(path) + 1] == ":" and number.isdigit() \
                        and 0 < int(number) <= len(lines):
                    for article in self._loaded(path, lines[int(number) - 1], load, settings):
                        self._match(article, summary, settings, article_id, found)
            summaries = {k: v for k, v in summaries.items() if k not in found}
        if summaries:
            for article in self._loaded(path, data, load, settings):
                if article.id in summaries:
                    self._match(article, summaries[article.id], settings, article.id, found)
        return found

    def _match(self, article: Article, summary: Summary, settings, article_id: str,
               found: dict[str, np.ndarray]) -> None:
        hashes = _matching(article, summary)
        if hashes is None and self._enrichers:  # an enricher may have changed the text
            hashes = _matching(self._enrich(article, settings), summary)
        if hashes is not None:
            found[article_id] = hashes

    def _read(self, path: str) -> bytes | None:
        try:
            if os.stat(path).st_size > self._settings(path).max_file_size:
                return None
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError:  # gone or unreadable now: the caller uses the estimate
            return None
        self.files_read += 1
        return data

    @staticmethod
    def _loaded(path: str, data: bytes, load: Callable, settings) -> list[Article]:
        try:
            return [a for a in load(path, data, settings) if isinstance(a, Article)]
        except Exception:  # a loader failing now: the caller uses the estimate
            return []

    def _loader_for(self, path: str) -> tuple[str, Callable | None]:
        """(name, load) of the plugins' loader for the file's extension (no whole
        Engine: no rules are needed)."""
        if self._loaders is None:
            self._loaders = {}
            try:
                from newslint.plugins import get_plugin_manager
                pm = get_plugin_manager()
            except Exception:  # a broken third-party plugin: no reloading, estimates only
                return "", None

            def register(name: str, extensions: Iterable[str], load: Callable) -> None:
                for ext in extensions:
                    self._loaders[ext.lower()] = (name, load)
            pm.hook.newslint_register_loaders(register=register)
            self._enrichers = [impl.function for impl in
                               reversed(pm.hook.newslint_enrich_article.get_hookimpls())]
        lower = path.lower()
        ext = next((e for e in sorted(self._loaders, key=len, reverse=True) if lower.endswith(e)),
                   None)
        return self._loaders[ext] if ext else ("", None)

    def _enrich(self, article: Article, settings) -> Article:
        try:
            for enrich in self._enrichers:
                changed = enrich(article=article, settings=settings)
                article = changed if changed is not None else article
        except Exception:  # as in the engine, a failing enricher changes nothing
            pass
        return article

    def _settings(self, path: str):
        """The settings of the configuration found from the file upward (loaders
        read JSON field names from them); defaults when it cannot be read."""
        from newslint.config import ConfigError, Settings, find_config, load_settings
        folder = os.path.dirname(os.path.abspath(path))
        if folder not in self._settings_by_folder:
            try:
                config = find_config(Path(folder))
                self._settings_by_folder[folder] = load_settings(config) if config else Settings()
            except ConfigError:
                self._settings_by_folder[folder] = Settings()
        return self._settings_by_folder[folder]
