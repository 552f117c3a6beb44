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

from ..model import Article
from ..text import body_lines
from .minhash import Summary
from .shingles import Shingles, body_text, shingle


def article_shingles(article: Article, skipped: Iterable[int], k_words: int,
                     k_chars: int) -> Shingles:
    """The shingle set of an article's body, leaving out the `skipped` file lines."""
    lines = ((line.line, line.text) for line in body_lines(article))
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
        self._loaders: dict[str, Callable] | None = None
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
            for article in self._articles(path):
                summary = summaries.get(article.id)
                if summary is None:
                    continue
                found = _matching(article, summary)
                if found is None and self._enrichers:  # an enricher may have changed the text
                    found = _matching(self._enrich(article, self._settings(path)), summary)
                if found is not None:
                    out[article.id] = found
        return out

    def _articles(self, path: str) -> list[Article]:
        load = self._loader_for(path)
        if load is None or not os.path.isfile(path):
            return []
        settings = self._settings(path)
        try:
            if os.stat(path).st_size > settings.max_file_size:
                return []
            with open(path, "rb") as fh:
                data = fh.read()
            self.files_read += 1
            return [a for a in load(path, data, settings) if isinstance(a, Article)]
        except Exception:  # unreadable or unloadable now: the caller uses the estimate
            return []

    def _loader_for(self, path: str) -> Callable | None:
        """The plugins' loader for the file's extension (no whole Engine: no rules needed)."""
        if self._loaders is None:
            self._loaders = {}
            try:
                from ..plugins import get_plugin_manager
                pm = get_plugin_manager()
            except Exception:  # a broken third-party plugin: no reloading, estimates only
                return None

            def register(name: str, extensions: Iterable[str], load: Callable) -> None:
                for ext in extensions:
                    self._loaders[ext.lower()] = load
            pm.hook.newslint_register_loaders(register=register)
            self._enrichers = [impl.function for impl in
                               reversed(pm.hook.newslint_enrich_article.get_hookimpls())]
        name = path.lower()
        ext = next((e for e in sorted(self._loaders, key=len, reverse=True) if name.endswith(e)),
                   None)
        return self._loaders.get(ext) if ext else None

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
        from ..config import ConfigError, Settings, find_config, load_settings
        folder = os.path.dirname(os.path.abspath(path))
        if folder not in self._settings_by_folder:
            try:
                config = find_config(Path(folder))
                self._settings_by_folder[folder] = load_settings(config) if config else Settings()
            except ConfigError:
                self._settings_by_folder[folder] = Settings()
        return self._settings_by_folder[folder]
