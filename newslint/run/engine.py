"""The engine: files -> articles -> rules -> findings.

`Engine.run(paths)` is what `newslint check` does; `Engine.check_article` is the
single-article path the library API builds on. Per-file work is a pure
function of the file (`process_file`), so it can run in worker processes and
be cached; corpus rules then see a summary of every article in the corpus.
"""
from __future__ import annotations

import os
import stat
from collections import Counter
from dataclasses import replace
from datetime import date
from typing import Any, Callable, Iterable, Iterator

from newslint.config import Settings
from newslint.model import Article, Block, Finding, InputError, LoadError
from newslint.plugins import get_plugin_manager
from newslint.registry import Registry
from newslint.results import ArticleResult, FileResult, RunResult
from newslint.rule import ArticleRef, Rule
from newslint.text.lines import body_lines
from newslint.run.fingerprint import code_stamp, definition_digest, digest
from newslint.run.selection import enabled_rules, rule_level, rule_options
from newslint.version import __version__


class Engine:
    def __init__(self, settings: Settings | None = None, pm=None, registry: Registry | None = None,
                 extra_plugins: Iterable[Any] = ()):
        self.settings = settings or Settings()
        self.extra_plugins = tuple(extra_plugins)
        self.pm = pm or get_plugin_manager(self.extra_plugins)
        self.registry = registry or Registry(self.pm, self.settings.rule_dirs)
        self.rules: list[Rule] = enabled_rules(self.settings, self.registry)
        self.options = {r.code: rule_options(self.settings, r) for r in self.rules}
        #: levels the settings give rules (`[rules.NAME] level = "info"`), where they differ
        self.levels = {r.code: level for r in self.rules
                       if (level := rule_level(self.settings, r)) != r.level}
        self.article_rules = [r for r in self.rules if r.scope == "article"]
        self.corpus_rules = [r for r in self.rules if r.scope == "corpus"]
        self.boilerplate_rules = [r for r in self.article_rules if r.name.startswith("boilerplate")]
        self._enrichers = [impl.function for impl in
                           reversed(self.pm.hook.newslint_enrich_article.get_hookimpls())]
        self.notices: list[str] = []

    # -- fingerprints: what a cached result depends on ---------------------------
    def findings_fingerprint(self) -> str:
        return digest([__version__, code_stamp(), date.today().isoformat(), [(r.code, r.origin, definition_digest(r.origin),
                                       self.options[r.code]) for r in self.article_rules],
                        self.settings.fields])

    def summary_fingerprint(self) -> str:
        return digest([__version__, code_stamp(), [(r.code, getattr(r, "summary_version", ""),
                                       definition_digest(r.origin), self.options[r.code])
                                      for r in self.corpus_rules],
                        self.settings.fields])

    # -- loading -----------------------------------------------------------------------
    def read(self, path: str) -> bytes:
        """The file's bytes. A file that is not a regular file (a FIFO would
        block the run, a device never end) or is over max-file-size is a
        LoadError; it is opened without blocking and checked again once open."""
        self._check_readable(os.stat(path))
        fd = os.open(path, _READ_FLAGS)
        try:
            info = os.fstat(fd)
            self._check_readable(info)
            return _read_all(fd, info.st_size, self.settings.max_file_size + 1)
        finally:
            os.close(fd)

    def _check_readable(self, info: os.stat_result) -> None:
        if not stat.S_ISREG(info.st_mode):
            raise LoadError(f"not a regular file ({_file_kind(info.st_mode)}); skipped")
        if info.st_size > self.settings.max_file_size:
            raise LoadError(f"file is {info.st_size:,} bytes, over the limit of "
                            f"{self.settings.max_file_size:,} (setting max-file-size)")

    def load(self, path: str, data: bytes, fmt: str | None = None) -> Iterator[Article | InputError]:
        loader = self.registry.loaders.get(fmt) if fmt else self.registry.loader_for(path)
        if loader is None:
            yield InputError(path, f"no loader for format {fmt or os.path.splitext(path)[1]!r}")
            return
        try:
            for item in loader.load(path, data, self.settings):
                if isinstance(item, LoadError):
                    yield InputError(path, item.message, item.line)
                else:
                    yield self.enrich(item)
        except LoadError as exc:
            yield InputError(path, exc.message, exc.line)
        except RecursionError:
            yield InputError(path, "input nested too deeply to parse")
        except Exception as exc:  # a loader bug must not end the run
            yield InputError(path, f"internal error in the {loader.name} loader: {exc!r}")

    def enrich(self, article: Article) -> Article:
        for enrich in self._enrichers:
            try:
                changed = enrich(article=article, settings=self.settings)
            except Exception as exc:
                self.notices.append(f"{article.id}: enricher {enrich.__module__} failed: {exc!r}")
                continue
            if changed is not None:
                article = changed
        return article

    # -- checking ------------------------------------------------------------------------
    def check_article(self, article: Article) -> list[Finding]:
        """Article-scope findings for one article, before suppressions. A rule
        that fails reports an internal error instead of the findings it had
        given so far; the other rules still run. (The loop is written out, no
        wrapper per rule: it runs 35 times per article.)"""
        out: list[Finding] = []
        options = self.options
        for rule in self.article_rules:
            done = len(out)
            try:
                found = rule.check(article, options[rule.code])
                if found:
                    out.extend(found)
            except Exception as exc:  # report, never crash: the other rules still run
                del out[done:]
                out.append(internal_error(rule, article, exc))
        return out

    def summarize(self, article: Article) -> dict[str, bytes]:
        out = {}
        for rule in self.corpus_rules:
            try:
                out[rule.code] = rule.summarize(article, self.options[rule.code])
            except Exception as exc:
                self.notices.append(f"{article.id}: rule {rule.code} could not summarize: {exc!r}")
        return out

    def _run_rule(self, rule: Rule, article: Article) -> list[Finding]:
        """One rule's findings for `article` (an internal error if it fails)."""
        try:
            return list(rule.check(article, self.options[rule.code]) or ())
        except Exception as exc:  # report, never crash: the other rules still run
            return [internal_error(rule, article, exc)]

    def article_result(self, article: Article, target: bool = True) -> ArticleResult:
        findings = self.check_article(article) if target else []
        summaries: dict[str, bytes] = {}
        if self.corpus_rules:
            if not target:
                findings_for_lines = [f for rule in self.boilerplate_rules
                                      for f in self._run_rule(rule, article)]
            else:
                findings_for_lines = findings
            self.mark_boilerplate(article, findings_for_lines)
            summaries = self.summarize(article)
        return ArticleResult(ref=article_ref(article, target), findings=findings,
                             suppressions=list(article.suppressions), summaries=summaries,
                             meta=article.meta)

    def mark_boilerplate(self, article: Article, findings: Iterable[Finding]) -> None:
        """Tell corpus rules which lines boilerplate rules flagged: the file lines
        (`boilerplate_lines`) and the body lines, by position in `body_lines`
        (`boilerplate_positions`), which near-duplicates leave out. Where one
        file line holds several body lines (a one-line HTML page, a JSON record),
        each of them is checked alone by the boilerplate rules, so only the
        boilerplate lines are left out, never the whole article."""
        flagged = boilerplate_lines(findings)
        article.extra["boilerplate_lines"] = flagged
        article.extra["boilerplate_positions"] = self._boilerplate_positions(article, flagged)

    def _boilerplate_positions(self, article: Article, flagged: frozenset[int]) -> frozenset[int]:
        if not flagged:
            return frozenset()
        body = list(body_lines(article))
        shared = Counter(line.line for line in body)
        return frozenset(position for position, line in enumerate(body)
                         if line.line in flagged and line.text.strip()
                         and (shared[line.line] == 1 or self._is_boilerplate(article, line.text)))

    def _is_boilerplate(self, article: Article, text: str) -> bool:
        """Whether a boilerplate rule flags `text` as a one-line article of its own."""
        block = Block(text=text, line=1, end_line=1)
        probe = replace(article, blocks=(block,), source=None, title=None, title_line=None,
                        record=None, record_line=None, suppressions=(), extra={})
        return any("internal error" not in f.message
                   for rule in self.boilerplate_rules
                   for f in self._run_rule(rule, probe))

    def process_file(self, path: str, target: bool = True) -> FileResult:
        try:
            data = self.read(path)
        except LoadError as exc:
            return FileResult(path, errors=[InputError(path, exc.message)], unread=True)
        except OSError as exc:
            return FileResult(path, errors=[InputError(path, f"cannot read: {exc.strerror or exc}")],
                              unread=True)
        return self.process_bytes(path, data, target=target)

    def process_bytes(self, path: str, data: bytes, fmt: str | None = None,
                      target: bool = True) -> FileResult:
        result = FileResult(path)
        for item in self.load(path, data, fmt):
            if isinstance(item, InputError):
                result.errors.append(item)
            else:
                result.articles.append(self.article_result(item, target))
        return result

    # -- a whole run -------------------------------------------------------------------
    def run(self, paths: Iterable[str], progress: Callable[[int], None] | None = None) -> RunResult:
        """Check `paths` as `newslint check` does (see `runner.Runner`)."""
        from newslint.run.runner import Runner
        return Runner(self, progress).run(paths)


#: read-only, without blocking (a FIFO that slipped past the first check), not
#: inherited by child processes
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) \
    | getattr(os, "O_BINARY", 0)


def _read_all(fd: int, size: int, limit: int) -> bytes:
    """Up to `limit` bytes of an open file, to its end: one read of the size
    `fstat` gave, then reads until the end (a file that grew meanwhile), with
    no buffered file object around the descriptor."""
    chunks = [os.read(fd, min(size + 1, limit))]
    total = len(chunks[0])
    while chunks[-1] and total < limit:
        chunks.append(os.read(fd, min(max(size, 1 << 16), limit - total)))
        total += len(chunks[-1])
    return b"".join(chunks)


def _file_kind(mode: int) -> str:
    for test, kind in ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISDIR, "a folder")):
        if test(mode):
            return kind
    return "not a file"


def internal_error(rule: Rule, article: Article, exc: Exception) -> Finding:
    return rule.finding(article, f"internal error in rule {rule.code} ({rule.name}): {exc!r}; "
                        "please report it", level="error")


def article_ref(article: Article, target: bool = True) -> ArticleRef:
    return ArticleRef(id=article.id, path=article.path, record=article.record,
                      line=article.record_line or article.title_line or 1, is_target=target,
                      title=article.title, length=sum(len(b.text) for b in article.blocks))


def boilerplate_lines(findings: Iterable[Finding]) -> frozenset[int]:
    """File lines that boilerplate rules flagged: corpus rules (near-duplicates)
    leave them out, so two articles sharing a site template do not match."""
    return frozenset(line for f in findings if f.rule.startswith("boilerplate")
                     for line in range(f.line, f.end_line + 1))
