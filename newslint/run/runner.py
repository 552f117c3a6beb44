"""One `newslint check` run: discover files, check them (cached, in parallel),
let corpus rules see the whole corpus, apply suppressions, sort.

Two levels of cache: a file's result is reused while its stat is unchanged,
and a whole run's result while no file of the run (targets and corpus) has
changed and the rules and options are the same: a warm rerun over an
unchanged corpus then reads one row instead of one per file."""
from __future__ import annotations

import dataclasses
import hashlib
import os
from typing import Callable, Iterable, Iterator

from newslint.model import Finding, Suppression
from newslint.results import ArticleResult, FileResult, RunResult
from newslint.run.cache import Cache, CachedFile
from newslint.run.files import discover
from newslint.run.fingerprint import digest
from newslint.run.payload import (
    PAYLOAD_ERRORS,
    corpus_result,
    from_payload,
    respelled,
    run_from_payload,
    run_to_payload,
    ship,
    unship,
)
from newslint.run.snapshot import SLACK, Snapshot
from newslint.run.snapshot import encode as encode_snapshot
from newslint.run.snapshot import entry as snapshot_entry
from newslint.run.summaries import SummaryStore
from newslint.run.suppress import apply_suppressions

PARALLEL_MIN_FILES = 200   # below this, starting workers costs more than it saves
CACHE_BATCH = 500
CHUNK_MAX = 32             # files per task sent to a worker (fewer when there are few files)

FileStat = tuple[str, str, "os.stat_result | None"]  # path, cache key, stat (None: unreadable)
NO_SUMMARIES: dict[str, bytes] = {}  # never written to: shared by every article whose summaries are stored

_WORKER = None


def _init_worker(engine_class, settings) -> None:
    """Give the worker process its engine. A forked worker already holds the
    parent's (modules imported, rules built, patterns compiled), so it starts
    at once; a spawned one builds its own."""
    global _WORKER
    if _WORKER is None or _WORKER.settings is not settings:
        _WORKER = engine_class(settings)
    _WORKER.notices = []


def _work(job: tuple[str, bool]) -> tuple[tuple, list[str]]:
    """Check one file in a worker; its result travels back as `payload.ship`
    makes it (text and bytes: cheap to send, and what the cache stores), its
    notices with it."""
    result = ship(_WORKER.process_file(*job))
    notices, _WORKER.notices = _WORKER.notices, []
    return result, notices


def file_key(path: str, cwd: str | None = None) -> str:
    """The cache's key for a file: its absolute path (`os.path.abspath`, with
    the working folder passed in when known: 10,000 getcwd calls add up)."""
    return os.path.normcase(os.path.normpath(os.path.join(cwd or os.getcwd(), path)))


class Runner:
    def __init__(self, engine, progress: Callable[[int], None] | None = None):
        self.engine = engine
        self.settings = engine.settings
        self.progress = progress
        self.cache: Cache | None = None
        self.findings_fp = engine.findings_fingerprint()
        self.summary_fp = engine.summary_fingerprint() if engine.corpus_rules else None
        self._keys: dict[str, str] = {}  # path -> file_key(path)
        self._cwd = os.getcwd()
        self._unsettled = False  # a file could not be read, or changed while it was checked
        self._pool = None        # the worker processes, once a part of the run needs them

    def _key(self, path: str) -> str:
        key = self._keys.get(path)
        if key is None:
            key = self._keys[path] = file_key(path, self._cwd)
        return key

    def run(self, paths: Iterable[str]) -> RunResult:
        result = RunResult(rules=self.engine.rules)
        targets = self._files(discover(paths, self.settings, self.engine.registry, result.errors))
        self._expect(len(targets))
        if self.settings.cache and (targets or self.settings.corpus):
            self.cache = Cache(self.settings.cache_path(), result.notices.append)
        try:
            others = self._corpus_files(targets) if self.engine.corpus_rules else []
            key = self._run_key(targets, others) if not result.errors else None
            recalled = self._recall(key, len(targets) + len(others))
            if recalled is not None:
                recalled.notices = result.notices + self.engine.notices
                return recalled
            self._check(targets, others, result)
            if key is not None and not (result.notices or self.engine.notices or self._unsettled):
                self.cache.put_run(key, run_to_payload(result))
        finally:
            if self.cache is not None:
                self.cache.close()
            if self._pool is not None:
                self._pool.shutdown()
                self._pool = None
        result.notices.extend(self.engine.notices)
        return result

    def _check(self, targets: list[FileStat], others: list[FileStat], result: RunResult) -> None:
        articles: list[ArticleResult] = []
        store = SummaryStore([rule.code for rule in self.engine.corpus_rules]) \
            if self.engine.corpus_rules else None
        for file_result in self._results(targets, target=True):
            result.files += 1
            result.errors.extend(file_result.errors)
            articles.extend(_stored(file_result, store) if store is not None else
                            file_result.articles)
        corpus_findings = self._corpus_findings(store, articles, others) if store is not None else {}
        del store
        for position, item in enumerate(articles):
            articles[position] = None  # let each article's record go once its findings are out
            result.articles += 1
            result.metadata[item.ref.id] = item.meta
            if item.meta.outlet:
                result.outlets[item.ref.id] = item.meta.outlet
            found = item.findings + corpus_findings.get(item.ref.id, [])
            result.findings.extend(final_findings(self.engine, item, found))
        result.findings.sort(key=Finding.sort_key)
        result.errors.sort(key=lambda e: (e.path, e.line or 0))

    def _files(self, paths: Iterable[str]) -> list[FileStat]:
        """Each path with its cache key and stat; without a cache nothing needs
        the stat (it tells the cache whether a file changed), so it is not taken."""
        if not self.settings.cache:
            return [(path, self._key(path), None) for path in paths]
        return [(path, self._key(path), _stat(path)) for path in paths]

    # -- a whole run remembered: every file as it was, the same rules and options ------
    def _run_key(self, targets: list[FileStat], others: list[FileStat]) -> str | None:
        """What a run's result depends on, digested; None when it depends on
        something outside (an external index) or a file could not be stat'ed.
        Each file's change time (ctime) counts as well as its mtime: a copy
        that keeps the mtime (cp -p, rsync -a) or a chmod still changes it."""
        if self.cache is None or self.settings.index or any(
                st is None for _, _, st in targets + others):
            return None
        settings = digest([self.findings_fp, self.summary_fp, self._cwd, _user(),
                            [r.code for r in self.engine.rules], self.settings.per_file_ignores,
                            sorted(self.engine.levels.items()),
                            self.settings.max_file_size])
        files = "".join([f"{path}\0{key}\0{_stamp(st)}\n" for path, key, st in targets]
                        + ["\0corpus\n"] + [f"{key}\0{_stamp(st)}\n" for _, key, st in others])
        return hashlib.sha256(f"{settings}\n{files}".encode("utf-8", "surrogatepass")).hexdigest()[:32]

    def _recall(self, key: str | None, files: int) -> RunResult | None:
        payload = self.cache.get_run(key) if key is not None else None
        if payload is None:
            return None
        try:
            result = run_from_payload(payload, self.engine.rules)
        except PAYLOAD_ERRORS as exc:
            self.engine.notices.append(f"unreadable run result in the cache ({exc!r}); "
                                       "checking the files")
            return None
        if self.progress is not None:
            self.progress(files)
        return result

    # -- per file: cache hits first, then the misses (in workers when worth it) -----
    def _results(self, files: list[FileStat], target: bool,
                 snapshot: Snapshot | None = None) -> Iterator[FileResult]:
        """Each file's result: from `snapshot` (corpus files), from its cache
        row, or checked; in that order: first those found, then the others."""
        misses: list[tuple[str, os.stat_result | None]] = []
        for start in range(0, len(files), CACHE_BATCH):
            batch = files[start:start + CACHE_BATCH]
            known = {key: found for path, key, stat in batch if snapshot is not None
                     and (found := snapshot.result(path, key, stat)) is not None}
            rows = self._rows([f for f in batch if f[1] not in known], target)
            for path, key, stat in batch:
                cached = known.get(key) or self._cached(path, rows.get(key), target)
                if cached is not None:
                    self._tick()
                    yield cached
                else:
                    misses.append((path, stat))
        pending = []
        for (path, stat), (file_result, shipped) in zip(
                misses, self._compute([p for p, _ in misses], target)):
            self._tick()
            if file_result.unread or (stat is not None and _changed(path, stat)):
                self._unsettled = True  # unread, or changed while being checked: not cached
            elif stat is not None and self.cache is not None and _cacheable(file_result):
                text, refs, packed, _ = shipped or ship(file_result)
                pending.append((self._key(path), stat, self.findings_fp if target else None,
                                self.summary_fp, text, refs, packed))
                if len(pending) >= CACHE_BATCH:
                    self.cache.put_many(pending)
                    pending = []
            yield file_result
        if pending:
            self.cache.put_many(pending)

    def _rows(self, batch: list[tuple[str, str, os.stat_result | None]], target: bool
              ) -> dict[str, CachedFile]:
        """Cache rows of the batch's unchanged files; for corpus files (not
        targets) only their article references and summaries are read."""
        if self.cache is None:
            return {}
        return self.cache.get_many([(key, st) for _, key, st in batch if st is not None],
                                   full=target)

    def _cached(self, path: str, row: CachedFile | None, target: bool) -> FileResult | None:
        if row is None or row.summary_fp != self.summary_fp or (target and row.findings_fp != self.findings_fp):
            return None
        try:
            if row.payload is None and all(ref[1] == path for ref in row.refs):
                return corpus_result(path, row.refs, row.summaries)
            payload = row.payload if row.payload is not None else {"errors": [], "articles": [
                [ref, [], [], None] for ref in row.refs]}
            return from_payload(path, respelled(payload, path), row.summaries, target)
        except PAYLOAD_ERRORS as exc:
            self.engine.notices.append(f"{path}: unreadable cache entry ({exc!r}); checking it again")
            return None

    def _compute(self, paths: list[str], target: bool) -> Iterator[tuple[FileResult, tuple | None]]:
        """(result, the result as `payload.ship` made it in a worker, else None) per path."""
        jobs = self.settings.jobs or os.cpu_count() or 1
        if jobs <= 1 or len(paths) < PARALLEL_MIN_FILES or self.engine.extra_plugins:
            for path in paths:
                yield self.engine.process_file(path, target), None
            return
        chunk = max(1, min(CHUNK_MAX, len(paths) // (jobs * 4)))
        for path, (shipped, notices) in zip(paths, self._workers(jobs).map(
                _work, [(p, target) for p in paths], chunksize=chunk)):
            self.engine.notices.extend(notices)
            yield unship(path, shipped, target), shipped

    def _workers(self, jobs: int):
        """The run's worker processes, started on first use and kept to the end
        of the run: the corpus rules use them too (`CorpusRule.uses_workers`)."""
        if self._pool is None:
            from concurrent.futures import (
                ProcessPoolExecutor,  # here: 13 ms a one-file run skips
            )
            global _WORKER
            _WORKER = self.engine  # what a forked worker starts from (see _init_worker)
            self._pool = ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                                             initargs=(type(self.engine), self.settings))
        return self._pool

    def _tick(self) -> None:
        if self.progress is not None:
            self.progress(1)

    def _expect(self, files: int) -> None:
        """Tell a progress display that can show a total (`expect`) how many files come."""
        expect = getattr(self.progress, "expect", None)
        if expect is not None:
            expect(files)

    def _index_findings(self, corpus, urls: dict[str, str | None]) -> dict[str, list[Finding]]:
        rule = self.engine.registry.rules.get("NL601")
        if not self.settings.index or rule not in self.engine.corpus_rules:
            return {}
        from newslint.dedup.external import index_findings
        return index_findings(rule, self.engine.options[rule.code], self.settings.index,
                              str(self.settings.root), self.settings.index_namespace, corpus,
                              urls, self.engine.notices.append)

    # -- corpus rules ------------------------------------------------------------------
    def _extras(self, rule) -> dict:
        """The `memo=` argument of a rule that asks for one (`remembers`), and
        `spread=` for one that can use the workers (`uses_workers`)."""
        out = {}
        if getattr(rule, "remembers", False):
            out["memo"] = self.cache.memo(rule.code) if self.cache is not None else None
        if getattr(rule, "uses_workers", False):
            out["spread"] = self._pool.map if self._pool is not None else None
        return out

    def _snapshot(self, others: list[FileStat]) -> tuple[Snapshot | None, str | None]:
        """The corpus snapshot of this corpus (run/snapshot.py) and its key;
        (None, None) without a cache or corpus files."""
        if self.cache is None or not others:
            return None, None
        key = digest([self.summary_fp, self._cwd, _user(), self.settings.corpus])
        data = self.cache.get_corpus(key)
        try:
            return (Snapshot(data) if data else None), key
        except ValueError as exc:
            self.engine.notices.append(f"{exc}; reading the corpus files' own cache entries")
            return None, key

    def _corpus_files(self, targets: list[FileStat]) -> list[FileStat]:
        """The corpus files (`--corpus`) that are not targets."""
        if not self.settings.corpus:
            return []
        seen = {key for _, key, _ in targets}
        others = self._files(p for p in discover(self.settings.corpus, self.settings,
                                                 self.engine.registry, []) if self._key(p) not in seen)
        self._expect(len(others))
        return others

    def _corpus_findings(self, store: SummaryStore, articles: list[ArticleResult],
                         others: list[FileStat]) -> dict[str, list[Finding]]:
        """The corpus rules' findings; `store` holds the targets' summaries and
        gets the other corpus files' too."""
        snapshot, key = self._snapshot(others)
        remember = key is not None and _worth_writing(snapshot, others)
        entries, stats = [], {file_key: stat for _, file_key, stat in others} if remember else {}
        for file_result in self._results(others, False, snapshot):
            stat = stats.get(self._key(file_result.path))
            if stat is not None and not file_result.unread and _cacheable(file_result):
                entries.append(snapshot_entry(self._key(file_result.path), stat, file_result))
            _stored(file_result, store)
        if remember and not self._unsettled:
            self.cache.put_corpus(key, encode_snapshot(entries))
        out: dict[str, list[Finding]] = self._index_findings(
            store.pairs(), {a.ref.id: getattr(a.meta, "url", None) for a in articles})
        for rule in self.engine.corpus_rules:
            try:
                found = list(rule.report(store.corpus(rule.code), self.engine.options[rule.code],
                                         **self._extras(rule)))
            except Exception as exc:
                self.engine.notices.append(f"rule {rule.code} ({rule.name}) failed: {exc!r}")
                continue
            for finding in found:
                out.setdefault(finding.article or finding.path, []).append(finding)
        return out



def _worth_writing(snapshot: Snapshot | None, others: list[FileStat]) -> bool:
    """Whether more than SLACK of the corpus files are not in the snapshot as they are now."""
    stale = len(others) if snapshot is None else sum(
        not snapshot.fresh(key, stat) for _, key, stat in others)
    return stale > SLACK * len(others)


def _stored(file_result: FileResult, store: SummaryStore) -> list[ArticleResult]:
    """The file's articles, their summaries moved into `store` (packed)."""
    for item in file_result.articles:
        if item.summaries:
            store.add(item.ref, item.summaries)
            item.summaries = NO_SUMMARIES
        else:
            store.add(item.ref, NO_SUMMARIES)
    return file_result.articles


def final_findings(engine, item: ArticleResult, findings: list[Finding]) -> list[Finding]:
    """Apply per-file ignores, the article's suppressions and the levels the
    settings give rules; report unused suppressions."""
    from newslint.run.selection import ignored_here
    findings = [f for f in findings if not ignored_here(
        engine.settings, f.path, f.code, f.rule, engine.registry)]
    if engine.levels:
        findings = [relevel(f, engine) for f in findings]
    unused = engine.registry.rules.get("NL001")
    report = None
    if unused is not None and unused in engine.rules:
        def report(sup: Suppression, selector: str) -> Finding:
            return item.ref.finding(unused, f"suppression '{selector}' suppressed no finding",
                                    line=sup.line)
    return apply_suppressions(findings, item.suppressions, engine.registry, report)


def relevel(finding: Finding, engine) -> Finding:
    """The finding at the level the settings give its rule, when it has the
    rule's own level (a rule's error about itself, a timeout, stays an error)."""
    level = engine.levels.get(finding.code)
    rule = engine.registry.rules.get(finding.code)
    if level is None or rule is None or finding.severity != rule.level:
        return finding
    return dataclasses.replace(finding, severity=level)


def _cacheable(file_result: FileResult) -> bool:
    """A file that gave only errors is not cached: the cause may be outside the
    file (permissions, max-file-size, a file replaced mid-run) and its stat
    would not change when that is fixed. Reading it again is cheap."""
    return bool(file_result.articles) or not file_result.errors


def _stat(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def _stamp(stat: os.stat_result) -> tuple[int, int, int]:
    return stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size


def _user() -> int | None:
    """Who runs newslint: what another user can read differs."""
    return os.geteuid() if hasattr(os, "geteuid") else None


def _changed(path: str, stat: os.stat_result) -> bool:
    """True if the file changed while it was being checked (then it is not cached)."""
    try:
        now = os.stat(path)
    except OSError:
        return True
    return (now.st_mtime_ns, now.st_size) != (stat.st_mtime_ns, stat.st_size)
