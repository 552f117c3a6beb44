"""The library API: `Linter` checks articles one at a time, as a scraper or a
data pipeline produces them.

    from newslint import Linter
    linter = Linter(select=["NL1", "NL4"], drop_on={"duplicate", "error"})
    result = linter.check({"title": "...", "text": "...", "url": "..."})
    if result.dropped: ...

Each check runs the article-scope rules (`Engine.check_article`), applies the
article's suppressions, and looks the article up in a near-duplicate index
that grows with every article checked: in memory by default, persistent with
`index="path/to/folder"` (SQLite) or shared between processes and machines
with `index="redis://host:port/db"`. Corpus rules that need the whole corpus
at once (template lines learned from many articles) are left to
`newslint check` over files.

A `Linter` is safe to share between threads: rules run in parallel, and the
index look-up and insertion happen together under one lock, so of two
near-duplicates checked at the same moment exactly one is reported.
"""
from __future__ import annotations

import threading
import uuid
import warnings
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from newslint.run.duplicates import DuplicateIndex
from newslint.api.quality import DropPolicy, quality_score
from newslint.api.result import CheckResult
from newslint.config import ConfigError, Settings, load_settings, settings_from_dict
from newslint.dedup.identity import article_key
from newslint.model import Article, Finding, Fix, InputError, LoadError
from newslint.plugins import PluginError
from newslint.results import ArticleResult
from newslint.rule import RuleDefinitionError
from newslint.run.engine import Engine, article_ref
from newslint.run.runner import final_findings


class Linter:
    """Check articles one by one; see the module docstring.

    `config`: a newslint.toml or pyproject.toml to start from. `select`,
    `ignore`: rule selectors. `options`: per-rule options
    {code_or_name: {option: value}}. `index`: None (in memory), a folder
    (persistent: a SQLite file in it), or "redis://host:port/db" (shared). `drop_on`, `min_score`:
    the drop policy (see `DropPolicy`). Other keyword arguments are settings
    (`fields`, `rule_dirs`, `extend_select`, ...), as in `[tool.newslint]`.
    """

    def __init__(self, config: str | Path | None = None, select: Iterable[str] | None = None,
                 ignore: Iterable[str] | None = None, options: Mapping[str, Mapping] | None = None,
                 index: str | Path | None = None, drop_on: Iterable[str] = (),
                 min_score: int | float | None = None, **settings: Any):
        self.settings = _settings(config, select, ignore, index, settings)
        self.engine = _engine(self.settings, options)
        self.policy = DropPolicy(drop_on, min_score, self.engine)
        self._lock = threading.Lock()
        self._count = 0
        self._run = uuid.uuid4().hex[:12]  # unique per Linter: id-less items never collide
        self.index = DuplicateIndex.open(self.settings.index, self.engine)

    # -- checking --------------------------------------------------------------------
    def check(self, item: Article | Mapping[str, Any] | str) -> CheckResult:
        """Check one article: an `Article`, a dict with the JSON Lines field
        names (text/content/body, title, date, authors, url, source, id...),
        or a plain-text string (first line the title when it is headline-shaped)."""
        article = self.article(item)
        findings = self.engine.check_article(article)
        duplicates: list[tuple[str, float]] = []
        if self.index is not None:
            self.engine.mark_boilerplate(article, findings)
            duplicates = self.index.check_and_add(article, self._lock)
            findings = findings + self.index.findings(article, duplicates)
        item_result = ArticleResult(ref=article_ref(article), findings=findings, summaries={},
                                    suppressions=list(article.suppressions), meta=article.meta)
        kept = final_findings(self.engine, item_result, findings)
        kept.sort(key=Finding.sort_key)
        result = CheckResult(id=article.id, findings=kept, metadata=article.meta,
                             score=quality_score(kept), duplicates=duplicates, article=article)
        result.drop_reasons = self.policy.reasons(result)
        result.dropped = bool(result.drop_reasons)
        return result

    def minhash(self, item: Article | Mapping[str, Any] | str):
        """The article's MinHash signature as a `datasketch.LeanMinHash`, bit for
        bit what the index stores (the text the near-duplicate rule compares:
        boilerplate lines left out), for your own `datasketch.MinHashLSH`.
        Needs `pip install newslint[datasketch]`; raises ConfigError when the
        near-duplicate rule is not selected."""
        from newslint.dedup.minhash import decode, lean_minhash
        if self.index is None:
            raise ConfigError("Linter.minhash needs the near-duplicate rule (NL601) selected")
        article = self.article(item)
        self.engine.mark_boilerplate(article, self.engine.check_article(article))
        summary = decode(self.index.rule.summarize(article, self.index.options))
        return lean_minhash(summary.signature)

    def check_many(self, items: Iterable[Article | Mapping[str, Any] | str]
                   ) -> Iterator[CheckResult]:
        """Check a stream of articles lazily: one result per item, in order,
        holding no more than one article at a time."""
        for item in items:
            yield self.check(item)

    def fix(self, item: Article | Mapping[str, Any] | str,
            unsafe: bool = False) -> tuple[str, list[Fix]]:
        """The article's text with the safe fixes (and the unsafe ones with
        `unsafe=True`) applied, and the fixes applied. For a dict, the text is
        the value of its text field; for HTML, which has no editable text, the
        extracted body and no fixes."""
        from newslint.run.fixer import fix_article
        article = self.article(item)
        if article.source is None:
            return article.text, []
        if article.record is None:
            return fix_article(self.engine, article, unsafe)
        return self._fix_record(dict(item), article, unsafe)

    def _fix_record(self, record: dict[str, Any], article: Article,
                    unsafe: bool) -> tuple[str, list[Fix]]:
        """`fix_article`'s rounds for a record: after each round the record is
        read again with the fixed text in its text field."""
        from newslint.fixes import apply_edits, fixable
        from newslint.loaders.records import merge_fields
        from newslint.run.fixer import MAX_ROUNDS
        names = merge_fields(self.settings.fields or None)["text"]
        text_field = next(n for n in names if record.get(n) not in (None, "", []))
        source, applied = article.source or "", []
        for _ in range(MAX_ROUNDS):
            fixes = fixable(self.engine.check_article(article), unsafe)
            new_source, used = apply_edits(source, fixes)
            if not fixes or new_source == source:
                break
            applied.extend(used)
            source = new_source
            if not source.strip():
                break
            article = self._record_article({**record, text_field: source}, article.record or 0)
        if not str(record[text_field]).endswith("\n"):
            source = source.rstrip("\n")  # removing the last paragraph leaves its newline
        return source, applied

    # -- articles -----------------------------------------------------------------------
    def article(self, item: Article | Mapping[str, Any] | str) -> Article:
        """The enriched `Article` for an item: a dict is read like a JSON Lines
        record (its id: its URL, normalised, else its `id` field, else
        `item-N`, or `item-N@RUN` with a stored index, RUN unique to this
        Linter); a string like a .txt file (first line the title when headline-shaped; id `item-N`)."""
        if isinstance(item, Article):
            return self.engine.enrich(item)
        if not isinstance(item, (Mapping, str)):
            raise TypeError(f"Linter.check takes an Article, a dict or a str, "
                            f"not {type(item).__name__}")
        with self._lock:
            self._count += 1
            number = self._count
        if isinstance(item, str):
            from newslint.loaders.plaintext import article_from_text
            try:
                return self.engine.enrich(article_from_text(self._unnamed(number), item))
            except LoadError as exc:
                raise InvalidItem(self._unnamed(number), exc.message) from None
        return self._record_article(dict(item), number)

    def _unnamed(self, number: int) -> str:
        return f"item-{number}" if self.settings.index is None else f"item-{number}@{self._run}"

    def _record_article(self, record: dict[str, Any], number: int) -> Article:
        from newslint.loaders.records import article_from_record
        unnamed = self._unnamed(number)
        try:
            article = article_from_record(record, unnamed, number, self.settings.fields or None, "jsonl")
        except LoadError as exc:
            raise InvalidItem(unnamed, exc.message) from None
        key = article_key(article.meta.url, article.extra.get("record_id"), unnamed,
                          self.settings.index_namespace)
        return self.engine.enrich(replace(article, id=key, path=key))

    def close(self) -> None:
        if self.index is not None:
            self.index.close()

    def __enter__(self) -> "Linter":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def lint(item: Article | Mapping[str, Any] | str, **linter_args: Any) -> CheckResult:
    """Check one article with a new `Linter(**linter_args)`: for a one-off
    check. Building a Linter loads every rule, so keep one for many articles."""
    with Linter(**linter_args) as linter:
        return linter.check(item)


class InvalidItem(ValueError):
    """An item that is not an article (no text field, wrong types)."""

    def __init__(self, key: str, message: str):
        super().__init__(f"{key}: {message}")
        self.error = InputError(key, message)


def _engine(settings: Settings, options: Mapping[str, Mapping] | None) -> Engine:
    """The engine for `settings` with `options` over the configured rule
    options: both are keyed by rule code here, so an option given by code
    overrides one configured by name and the other way round."""
    try:
        engine = Engine(settings)
        if not options:
            return engine
        given = settings_from_dict({"rules": dict(options)}, "Linter(options=)").rules
        tables: dict[str, dict[str, Any]] = {}
        for source in (settings.rules, given):
            for key, table in sorted(source.items(), key=lambda kv: kv[0] != kv[0].upper()):
                rule = engine.registry.rule(key)
                if rule is None and source is given:
                    raise ConfigError(f"Linter(options=): no rule named {key!r}")
                tables.setdefault(rule.code if rule else key, {}).update(table)
        settings.rules = tables
        return Engine(settings, pm=engine.pm, registry=engine.registry)
    except (RuleDefinitionError, PluginError) as exc:
        raise ConfigError(str(exc)) from None


def _settings(config, select, ignore, index, extra: dict[str, Any]) -> Settings:
    settings = load_settings(Path(config)) if config is not None else Settings(root=Path.cwd())
    for notice in settings.notices:  # what a repository's config may not set (newslint.trust)
        warnings.warn(notice, stacklevel=3)
    given = dict(extra)
    for name, value in (("select", select), ("ignore", ignore)):
        if value is not None:
            given[name] = value if isinstance(value, str) else list(value)
    if index is not None:
        given["index"] = str(index)
    checked = settings_from_dict(given, "Linter()")
    for key in given:
        setattr(settings, key.replace("-", "_"), getattr(checked, key.replace("-", "_")))
    return settings
