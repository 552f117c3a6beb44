"""Declarative rules: one YAML file per rule in `rules/` (or a user's folder).

Common fields: code, name, kind, level, summary, message, docs (what, why,
example, fix, options), examples (pass, fail), options, fix. The `kind` picks
the check; kinds are a closed set registered through the plugin hook
`newslint_register_rule_kinds`, and each kind validates its own fields.

Kind `phrase`: `patterns` (regular expressions, `regex` module syntax) tried on
every body line (and the title with `title: true`); `match: line` needs the
whole stripped line to match, `match: search` anywhere in it. `followed_by: N`
also flags the next N non-empty lines (the neighbouring headline after a
"Next Article" link). `fix: remove-line` deletes the flagged lines.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import regex

from ..fixes import remove_lines
from ..hookspecs import hookimpl
from ..model import Article, Finding
from ..rule import ArticleRule, RuleDefinitionError, parse_examples
from ..text import Line, body_lines

#: seconds one pattern may spend on one line before the rule reports a timeout
MATCH_TIMEOUT = 0.25
COMMON_FIELDS = ("code", "name", "kind", "level", "summary", "message", "docs",
                 "examples", "options", "fix", "default")


def builtin_rules_dir() -> Path:
    """The rules/ folder: shipped in the wheel as `newslint.rules`, or beside
    the package in a source checkout."""
    try:
        from importlib.resources import files
        folder = Path(str(files("newslint.rules")))
        if folder.is_dir():
            return folder
    except (ModuleNotFoundError, TypeError):
        pass
    return Path(__file__).resolve().parents[2] / "rules"


def common_fields(data: dict[str, Any], origin: str) -> dict[str, Any]:
    """Validate and extract the fields every declarative rule has."""
    def need(field: str, kind: type) -> Any:
        value = data.get(field)
        if not isinstance(value, kind) or (isinstance(value, str) and not value.strip()):
            raise RuleDefinitionError(f"{origin}: field '{field}' is required ({kind.__name__})")
        return value

    docs = need("docs", dict)
    for section in ("what", "why"):
        if not isinstance(docs.get(section), str):
            raise RuleDefinitionError(f"{origin}: field 'docs.{section}' is required (str)")
    options = data.get("options") or {}
    if not isinstance(options, dict):
        raise RuleDefinitionError(f"{origin}: field 'options' must be a mapping")
    return dict(
        code=need("code", str), name=need("name", str), level=data.get("level", "warning"),
        summary=need("summary", str), docs=docs, options=options, origin=origin,
        examples=parse_examples(data.get("examples"), origin),
        default_enabled=bool(data.get("default", True)),
    )


def compile_patterns(raw: Any, origin: str, ignore_case: bool) -> list[regex.Pattern]:
    if not isinstance(raw, list) or not raw or not all(isinstance(p, str) for p in raw):
        raise RuleDefinitionError(f"{origin}: field 'patterns' must be a non-empty list of strings")
    flags = regex.V1 | (regex.IGNORECASE if ignore_case else 0)
    out = []
    for i, pattern in enumerate(raw):
        try:
            out.append(regex.compile(pattern, flags))
        except regex.error as exc:
            raise RuleDefinitionError(f"{origin}: field 'patterns[{i}]' is not a valid pattern: {exc}") from None
    return out


class PhraseRule(ArticleRule):
    """Flags body lines that match one of a list of patterns."""

    patterns: list[regex.Pattern] = []
    match: str = "line"
    followed_by: int = 0
    title: bool = False
    message: str = "{match}"

    def check(self, article: Article, options: dict[str, Any]) -> Iterator[Finding]:
        lines = list(body_lines(article))
        flagged: set[int] = set()
        for i, line in enumerate(lines):
            if i in flagged:
                continue
            try:
                hit = self._match(line.text)
            except TimeoutError:
                yield self.finding(article, f"rule {self.code} ({self.name}): a pattern took longer "
                                   f"than {MATCH_TIMEOUT}s on this line and was stopped",
                                   line=line.line, level="error")
                continue
            if hit is None:
                continue
            flagged.add(i)
            group = [line] + self._following(lines, i, flagged)
            yield self._finding(article, group, hit)

    def _match(self, text: str):
        stripped = text.strip()
        for pattern in self.patterns:
            if self.match == "line":
                hit = pattern.fullmatch(stripped, timeout=MATCH_TIMEOUT)
            else:
                hit = pattern.search(stripped, timeout=MATCH_TIMEOUT)
            if hit:
                return hit
        return None

    def _following(self, lines: list[Line], i: int, flagged: set[int]) -> list[Line]:
        out = []
        for j in range(i + 1, len(lines)):
            if len(out) >= self.followed_by:
                break
            if lines[j].text.strip():
                out.append(lines[j])
                flagged.add(j)
        return out

    def _finding(self, article: Article, group: list[Line], hit) -> Finding:
        first, last = group[0], group[-1]
        quoted = " / ".join(ln.text.strip() for ln in group)
        message = self.message.format(match=hit.group(0), line=first.text.strip(), lines=quoted)
        fix = None
        if self.fix_safety and first.start is not None:
            fix = remove_lines(article, first.start, last.end, f"remove {self.name} line",
                               safe=self.fix_safety == "safe")
        lead = len(first.text) - len(first.text.lstrip())
        return self.finding(article, message, line=first.line, column=lead + 1,
                            end_line=last.line, end_column=len(last.text.rstrip()) + 1, fix=fix)


def build_phrase_rule(data: dict[str, Any], origin: str) -> PhraseRule:
    unknown = set(data) - set(COMMON_FIELDS) - {"patterns", "match", "followed_by",
                                                 "ignore_case", "title"}
    if unknown:
        raise RuleDefinitionError(f"{origin}: unknown field '{sorted(unknown)[0]}'")
    match = data.get("match", "line")
    if match not in ("line", "search"):
        raise RuleDefinitionError(f"{origin}: field 'match' must be 'line' or 'search'")
    followed_by = data.get("followed_by", 0)
    if not isinstance(followed_by, int) or not 0 <= followed_by <= 5:
        raise RuleDefinitionError(f"{origin}: field 'followed_by' must be a whole number 0-5")
    fix = data.get("fix")
    if fix not in (None, "remove-line"):
        raise RuleDefinitionError(f"{origin}: field 'fix' must be 'remove-line' or absent")
    message = data.get("message")
    if not isinstance(message, str) or not message:
        raise RuleDefinitionError(f"{origin}: field 'message' is required (str)")
    fields = common_fields(data, origin)
    return PhraseRule(
        **fields, message=message, match=match, followed_by=followed_by,
        patterns=compile_patterns(data.get("patterns"), origin, data.get("ignore_case", True)),
        fix_safety="safe" if fix else None,
    )


@hookimpl
def newslint_register_rule_kinds(register):
    register("phrase", build_phrase_rule)


@hookimpl
def newslint_rule_dirs():
    return [builtin_rules_dir()]
