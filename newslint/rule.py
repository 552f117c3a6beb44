"""What a rule is: identity, documentation, examples, options, and how it reports.

Two scopes:
- `ArticleRule.check(article, options)` looks at one article and yields findings.
- `CorpusRule` sees every article of the corpus: `summarize(article, options)`
  turns an article into a small cacheable value (bytes), and `report(corpus,
  options)` turns all summaries into findings for the target articles.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Iterable, Iterator, Protocol

from newslint.model import SEVERITIES, Article, Block, Finding, Fix

CODE_RE = re.compile(r"^NL\d{3}$")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
DOC_SECTIONS = ("what", "why", "example", "fix", "options")


class RuleDefinitionError(ValueError):
    """A rule (usually a rule file) is not well formed."""


@dataclass
class Example:
    """An article text a rule must flag (`fail`) or must leave alone (`pass`).

    `text` is loaded with the loader for `format` (default plain text). For
    corpus rules an example is a list of such texts: one corpus.
    """

    text: str | list[str]
    format: str = "txt"


class Rule:
    """Base of all rules. Subclasses set the class attributes or pass them in."""

    code: str = ""
    name: str = ""
    level: str = "warning"
    scope: str = "article"
    summary: str = ""
    docs: dict[str, str] = {}
    options: dict[str, Any] = {}
    examples: dict[str, list[Example]] = {}
    fix_safety: str | None = None  # "safe", "unsafe" or None (no fix)
    default_enabled: bool = True
    origin: str = "builtin"
    #: the range of a numeric option, (lowest, highest), None for no bound; a
    #: numeric option not listed must be >= 0 (they are counts, sizes, fractions)
    option_ranges: dict[str, tuple[float | None, float | None]] = {}

    def __init__(self, **attrs: Any):
        for key, value in attrs.items():
            setattr(self, key, value)
        self.options = dict(self.options)
        self.validate()

    # -- identity ---------------------------------------------------------
    def validate(self) -> None:
        where = f"rule {self.code or '?'} ({self.origin})"
        if not CODE_RE.match(self.code or ""):
            raise RuleDefinitionError(f"{where}: field 'code' must be NL followed by 3 digits")
        if not NAME_RE.match(self.name or ""):
            raise RuleDefinitionError(f"{where}: field 'name' must be kebab-case")
        if self.level not in SEVERITIES:
            raise RuleDefinitionError(f"{where}: field 'level' must be one of {', '.join(SEVERITIES)}")
        if self.scope not in ("article", "corpus"):
            raise RuleDefinitionError(f"{where}: field 'scope' must be 'article' or 'corpus'")
        if not self.summary:
            raise RuleDefinitionError(f"{where}: field 'summary' is required")
        missing = [s for s in ("what", "why") if not self.docs.get(s)]
        if missing:
            raise RuleDefinitionError(f"{where}: field 'docs.{missing[0]}' is required")

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.code} {self.name}>"

    def check_options(self, options: dict[str, Any]) -> None:
        """Raise ValueError naming the first option out of its range. Called
        before a run starts, so a bad option is a configuration error (exit 2)
        rather than a rule that fails in the middle of the run."""
        for key, value in options.items():
            low, high = self.option_ranges.get(key, (0, None))
            for number in value if isinstance(value, list) else [value]:
                if isinstance(number, bool) or not isinstance(number, (int, float)):
                    continue
                if (low is not None and number < low) or (high is not None and number > high):
                    bounds = " and ".join(t for t in (low is not None and f">= {low}",
                                                      high is not None and f"<= {high}") if t)
                    raise ValueError(f"option {key} must be {bounds} (got {value!r})")

    # -- reporting helpers --------------------------------------------------
    def finding(
        self, article: Article, message: str, *, line: int | None = None,
        column: int = 1, end_line: int | None = None, end_column: int | None = None,
        fix: Fix | None = None, level: str | None = None, data: dict[str, Any] | None = None,
    ) -> Finding:
        line = line if line is not None else (article.title_line or 1)
        if article.record_line is not None:
            line, end_line, column, end_column = article.record_line, article.record_line, 1, 1
        return Finding(
            path=article.path, line=line, column=column,
            end_line=end_line if end_line is not None else line,
            end_column=end_column if end_column is not None else column,
            code=self.code, rule=self.name, severity=level or self.level, message=message,
            fix=fix, article=article.id if article.record is not None else None,
            data=tuple(sorted((data or {}).items())),
        )

    def at_block(self, article: Article, block: Block, message: str, **kw: Any) -> Finding:
        kw.setdefault("end_line", block.end_line)
        return self.finding(article, message, line=block.line, **kw)

    def at_span(self, article: Article, start: int, end: int, message: str, **kw: Any) -> Finding:
        """A finding covering source[start:end] (offsets into article.source)."""
        line, column = article.position(start)
        end_line, end_column = article.position(end)
        return self.finding(article, message, line=line, column=column,
                            end_line=end_line, end_column=end_column, **kw)

    # -- documentation ------------------------------------------------------
    def doc_markdown(self) -> str:
        titles = {"what": "What it does", "why": "Why is this bad?", "example": "Example",
                  "fix": "Fix", "options": "Options"}
        out = [f"# {self.name} ({self.code})", "", f"Level: {self.level}. Scope: {self.scope}. "
               f"Fix: {self.fix_safety or 'none'}.", "", self.summary, ""]
        for section in DOC_SECTIONS:
            text = self.docs.get(section)
            if section == "options" and self.options:
                opts = "\n".join(f"- `{k}` (default `{v!r}`)" for k, v in self.options.items())
                text = f"{text}\n\n{opts}" if text else opts
            if text:
                out += [f"## {titles[section]}", "", text.strip(), ""]
        return "\n".join(out).rstrip() + "\n"

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "level": self.level, "scope": self.scope,
                "summary": self.summary, "fix": self.fix_safety, "origin": self.origin,
                "default": self.default_enabled, "options": self.options}


class ArticleRule(Rule):
    scope = "article"

    def check(self, article: Article, options: dict[str, Any]) -> Iterable[Finding]:
        raise NotImplementedError


class CorpusRule(Rule):
    """A rule that needs the whole corpus.

    `summarize` runs once per article (and is cached by content, keyed by
    `summary_version`); `report` gets `(ref, summary)` pairs for the whole
    corpus and yields findings for the targets only (`ref.is_target`).
    """

    scope = "corpus"
    summary_version: str = "1"
    #: True: `report` is called with `memo=`, a `Memo` (or None without a
    #: cache) where the rule keeps values that are costly to compute again and
    #: stay true while their key does (a similarity keyed by both texts' hashes)
    remembers: bool = False
    #: True: `report` is called with `spread=`, a function like `map` that runs
    #: its calls in the run's worker processes (None when the run has none);
    #: the function it maps must be importable (a module's top-level function)
    uses_workers: bool = False

    def summarize(self, article: Article, options: dict[str, Any]) -> bytes:
        raise NotImplementedError

    def report(self, corpus: Iterable[tuple["ArticleRef", bytes]],
               options: dict[str, Any]) -> Iterator[Finding]:
        raise NotImplementedError


class Memo(Protocol):
    """Numbers a corpus rule remembers between runs (see `CorpusRule.remembers`)."""

    def get_many(self, keys: Iterable[str]) -> dict[str, float]: ...

    def put_many(self, values: dict[str, float]) -> None: ...


@dataclass(frozen=True, slots=True)
class ArticleRef:
    """What a corpus rule knows of an article without loading it again."""

    id: str
    path: str
    record: int | None
    line: int           # the line findings about the whole article point at
    is_target: bool
    title: str | None = None
    length: int = 0     # characters of body text

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "path": self.path, "record": self.record, "line": self.line,
                "is_target": self.is_target, "title": self.title, "length": self.length}

    def finding(self, rule: Rule, message: str, *, line: int | None = None,
                data: dict[str, Any] | None = None, level: str | None = None) -> Finding:
        line = line or self.line
        return Finding(path=self.path, line=line, column=1, end_line=line, end_column=1,
                       code=rule.code, rule=rule.name, severity=level or rule.level,
                       message=message, article=self.id if self.record is not None else None,
                       data=tuple(sorted((data or {}).items())))


def parse_examples(raw: Any, where: str) -> dict[str, list[Example]]:
    """Examples from a rule file or class: {'pass': [...], 'fail': [...]}."""
    if not isinstance(raw, dict) or not raw.get("pass") or not raw.get("fail"):
        raise RuleDefinitionError(f"{where}: field 'examples' needs non-empty 'pass' and 'fail' lists")
    out: dict[str, list[Example]] = {}
    for kind in ("pass", "fail"):
        items = raw[kind]
        if not isinstance(items, list):
            raise RuleDefinitionError(f"{where}: field 'examples.{kind}' must be a list")
        out[kind] = [_example(item, f"{where}: examples.{kind}") for item in items]
    return out


def _example(item: Any, where: str) -> Example:
    if isinstance(item, Example):
        return item
    if isinstance(item, (str, list)):
        return Example(item)
    if isinstance(item, dict) and "text" in item:
        return Example(item["text"], item.get("format", "txt"))
    raise RuleDefinitionError(f"{where}: an example is a string, a list or {{text, format}}")


def rules_in(*modules: ModuleType) -> list[Rule]:
    """One instance of every rule class that `modules` define (a class with a
    code, not one imported from elsewhere), in code order. A rule family's
    plugin registers what its modules define, so a new rule is one class in one
    file."""
    found = {obj for module in modules for obj in vars(module).values()
             if isinstance(obj, type) and issubclass(obj, Rule) and obj.code
             and obj.__module__ == module.__name__}
    return [cls() for cls in sorted(found, key=lambda cls: cls.code)]
