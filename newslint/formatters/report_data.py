"""What the HTML report shows, computed from a run: the summary figures, the
chart series, and the compact tables the page's script reads (findings,
articles, their text, near-duplicate clusters).

The tables are lists of lists indexed by position, with each distinct
message stored once:

    rules      [code, name, severity]
    messages   [message]
    articles   [id, path (null: same as id), title, date, site, score, findings]
    findings   [article, line, end_line, rule, message, fix (0 no, 1 safe, 2 unsafe),
                [highlighted block, ...] (-1: the title)] + [[block, start, end]]
               when the finding points at characters inside its first block
    texts      per article: null, or {title, title_line, record, cut,
                blocks: [[line, end_line, text, boilerplate 0/1] or null (cut), ...]}
    clusters   [kept article, [[copy article, similarity to the kept one], ...]]

Article text is only what the caller loaded (`extras["articles"]`, within
its text budget): members of near-duplicate clusters first, then articles
with findings.
"""
from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from typing import Any
from urllib.parse import urlsplit

from newslint.model import Article, Finding, Metadata
from newslint.results import RunResult, quality_score

#: an article's text beyond this many characters keeps only the blocks
#: around its findings (a 10 MB scrape must not make a 10 MB report row)
MAX_ARTICLE_CHARS = 60_000
#: blocks kept either side of a finding in a cut article
CUT_CONTEXT = 3
#: sites shown in the per-site chart (the rest are summed as "other sites")
TOP_SITES = 25
SCORE_BINS = [(0, 49), (50, 59), (60, 69), (70, 79), (80, 89), (90, 99), (100, 100)]
_ISO = re.compile(r"(\d{4})-(\d{2})")


def article_id(f: Finding) -> str:
    return f.article or f.path


def site_of(meta: Metadata | None) -> str:
    """The outlet the loaders detected, else the URL's host, else unknown."""
    if meta is None:
        return "(unknown)"
    if meta.outlet:
        return meta.outlet
    if meta.url:
        host = urlsplit(meta.url).hostname or ""
        return host.removeprefix("www.") or "(unknown)"
    return "(unknown)"


def build(result: RunResult, extras: dict[str, Any] | None = None) -> dict[str, Any]:
    """`summary`, `charts` (series for the SVG charts) and `data` (the JSON
    the page's script reads)."""
    extras = extras or {}
    texts: dict[str, Article] = extras.get("articles", {})
    clusters = extras.get("clusters", [])
    by_article: dict[str, list[Finding]] = defaultdict(list)
    for f in result.findings:
        by_article[article_id(f)].append(f)
    scores = {key: quality_score(by_article.get(key, ())) for key in result.metadata}
    scores.update((key, quality_score(found)) for key, found in by_article.items() if key not in scores)
    table = _Tables(result, by_article, scores, texts)
    for f in result.findings:
        table.add_finding(f)
    for cluster in clusters:
        table.add_cluster(cluster)
    summary = _summary(result, scores, clusters, len(texts), extras.get("text_budget"))
    summary["listed_articles"] = len(table.rows)
    charts = {"rules": _rule_series(result), "sites": _site_series(result, by_article),
              "scores": _score_series(scores), "timeline": _timeline(result, scores)}
    return {"summary": summary, "charts": charts, "data": table.data()}


class _Tables:
    """The findings, articles, texts and clusters as position-indexed lists."""

    def __init__(self, result: RunResult, by_article, scores, texts):
        self.result, self.by_article, self.scores, self.texts = result, by_article, scores, texts
        self.rules: dict[tuple, int] = {}
        self.articles: dict[str, int] = {}
        self.rows: list[list] = []
        self.findings: list[list] = []
        self.text_rows: list[Any] = []
        self.clusters: list[list] = []
        self.messages: dict[str, int] = {}

    def article(self, key: str, path: str | None = None) -> int:
        index = self.articles.get(key)
        if index is not None:
            return index
        index = self.articles[key] = len(self.rows)
        loaded = self.texts.get(key)
        meta = self.result.metadata.get(key)
        path = loaded.path if loaded else (path or key)
        self.rows.append([key, None if path == key else path, loaded.title if loaded else None,
                          meta.date if meta else None, site_of(meta),
                          self.scores.get(key, 100), len(self.by_article.get(key, ()))])
        self.text_rows.append(_text(loaded, self.by_article.get(key, [])) if loaded else None)
        return index

    def add_finding(self, f: Finding) -> None:
        rule = self.rules.setdefault((f.code, f.rule, f.severity), len(self.rules))
        fix = 0 if f.fix is None else (1 if f.fix.safe else 2)
        loaded = self.texts.get(article_id(f))
        message = self.messages.setdefault(f.message, len(self.messages))
        marks = _highlights(loaded, f) if loaded else []
        row = [self.article(article_id(f), f.path), f.line, f.end_line, rule, message, fix, marks]
        span = _span(loaded, f, marks) if marks else None
        self.findings.append(row + [span] if span else row)

    def add_cluster(self, cluster: dict[str, Any]) -> None:
        similarity = {}
        for pair in cluster.get("pairs", []):
            for a, b in ((pair["a"], pair["b"]), (pair["b"], pair["a"])):
                if a == cluster["keep"]:
                    similarity[b] = 1.0 if pair.get("exact") else round(pair["similarity"], 3)
        copies = [[self.article(m), similarity.get(m)] for m in cluster["members"]
                  if m != cluster["keep"]]
        self.clusters.append([self.article(cluster["keep"]), copies])

    def data(self) -> dict[str, Any]:
        rules = [list(key) for key in sorted(self.rules, key=self.rules.__getitem__)]
        return {"rules": rules, "messages": list(self.messages), "articles": self.rows,
                "findings": self.findings, "texts": self.text_rows, "clusters": self.clusters}


def _highlights(article: Article, f: Finding) -> list[int]:
    """Indices of the blocks a finding points at (-1: the title). A record
    of a JSON file sits on one file line: its fix's offsets say which block."""
    if article.record_line is not None:
        spans = [(e.start, e.end) for e in f.fix.edits] if f.fix else []
        return [i for i, b in enumerate(article.blocks) if b.start is not None
                and any(_overlaps(b.start, b.end, s, e) for s, e in spans)]
    out = [-1] if article.title_line and f.line <= article.title_line <= f.end_line else []
    out += [i for i, b in enumerate(article.blocks) if b.line <= f.end_line and b.end_line >= f.line]
    return out


def _span(article: Article, f: Finding, marks: list[int]) -> list[int] | None:
    """[block, start, end]: the characters a one-line finding points at inside
    its block, when that block is the source text verbatim (so offsets in it
    are offsets in the file); None when the whole block is the point."""
    if article.source is None or marks[0] < 0:
        return None
    block = article.blocks[marks[0]]
    if block.start is None or article.source[block.start:block.end] != block.text:
        return None
    if article.record_line is not None:
        if f.fix is None:
            return None
        start, end = f.fix.edits[0].start, f.fix.edits[0].end
    elif f.line == f.end_line and f.end_column > f.column:
        article.position(0)     # fills the line starts
        starts = article.extra["_line_starts"]
        index = f.line - 1 - article.line_offset
        if not 0 <= index < len(starts):
            return None
        start = starts[index] + f.column - 1
        end = start + f.end_column - f.column
    else:
        return None
    if not block.start <= start <= end <= block.end or end - start >= len(block.text):
        return None
    return [marks[0], start - block.start, max(end, start + 1) - block.start]


def _overlaps(start: int, end: int, s: int, e: int) -> bool:
    """Does the edit [s, e) touch the block [start, end)? An insertion (s == e)
    touches the block it is inside or at the end of."""
    return start <= s <= end if s == e else s < end and e > start


def _text(article: Article, findings: list[Finding]) -> dict[str, Any]:
    """The article as the page shows it: title, and blocks as [line, end_line,
    text, boilerplate?]; an over-long article keeps only its findings' context."""
    boiler = {i for f in findings if f.rule.startswith("boilerplate") for i in _highlights(article, f)}
    blocks = [[b.line, b.end_line, b.text, 1 if i in boiler else 0]
              for i, b in enumerate(article.blocks)]
    cut = 0
    if sum(len(b.text) for b in article.blocks) > MAX_ARTICLE_CHARS:
        near = {j for f in findings for i in _highlights(article, f)
                for j in range(i - CUT_CONTEXT, i + CUT_CONTEXT + 1)}
        cut = sum(1 for i in range(len(blocks)) if i not in near)
        blocks = [b if i in near else None for i, b in enumerate(blocks)]
    return {"title": article.title, "title_line": article.title_line, "blocks": blocks,
            "record": article.record_line is not None, "cut": cut}


def _summary(result: RunResult, scores: dict[str, int], clusters, with_text: int,
             budget: int | None) -> dict[str, Any]:
    severities = Counter(f.severity for f in result.findings)
    fixable = sum(1 for f in result.findings if f.fix is not None)
    flagged = {article_id(f) for f in result.findings}
    values = list(scores.values()) or [100]
    dated = sum(1 for m in result.metadata.values() if m.date)
    return {"files": result.files, "articles": result.articles, "input_errors": len(result.errors),
            "findings": len(result.findings), "error": severities.get("error", 0),
            "warning": severities.get("warning", 0), "info": severities.get("info", 0),
            "fixable": fixable, "flagged_articles": len(flagged),
            "score_mean": statistics.fmean(values), "score_median": statistics.median(values),
            "clusters": len(clusters), "in_clusters": sum(len(c["members"]) for c in clusters),
            "dropped": sum(len(c["members"]) - 1 for c in clusters),
            "dated": dated, "undated": len(result.metadata) - dated, "with_text": with_text,
            "text_budget": budget,
            "errors": [(e.path, e.line, e.message) for e in result.errors]}


def _rule_series(result: RunResult) -> list[tuple[str, int, str]]:
    counts = Counter((f.code, f.rule, f.severity) for f in result.findings)
    return [(f"{code} {name}", n, severity) for (code, name, severity), n in
            sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _site_series(result: RunResult, by_article) -> list[tuple[str, int, str]]:
    counts = Counter()
    for key, found in by_article.items():
        counts[site_of(result.metadata.get(key))] += len(found)
    top = counts.most_common(TOP_SITES)
    rest = sum(counts.values()) - sum(n for _, n in top)
    out = [(site, n, f"{n:,} findings") for site, n in top]
    if rest:
        out.append((f"{len(counts) - len(top):,} other sites", rest, f"{rest:,} findings"))
    return out


def _score_series(scores: dict[str, int]) -> list[tuple[str, int]]:
    values = list(scores.values())
    return [(str(lo) if lo == hi else f"{lo}-{hi}", sum(1 for v in values if lo <= v <= hi))
            for lo, hi in SCORE_BINS]


def _timeline(result: RunResult, scores: dict[str, int]) -> dict[str, Any]:
    """Articles per month of publication (per year when the dates span more
    than ten years), with their mean quality score; undated and unreadable
    dates counted apart."""
    periods: dict[str, list[int]] = defaultdict(list)
    missing = unreadable = 0
    for key, meta in result.metadata.items():
        match = _ISO.match(meta.date or "")
        if not meta.date:
            missing += 1
        elif not match:
            unreadable += 1
        else:
            periods[match.group(0)].append(scores.get(key, 100))
    by_year = bool(periods) and int(max(periods)[:4]) - int(min(periods)[:4]) > 10
    if by_year:
        years: dict[str, list[int]] = defaultdict(list)
        for month, values in periods.items():
            years[month[:4]].extend(values)
        periods = years
    series = [(p, len(periods[p]), statistics.fmean(periods[p]) if periods[p] else None)
              for p in _every_period(sorted(periods), by_year)]
    return {"series": series, "missing": missing, "unreadable": unreadable,
            "total": len(result.metadata)}


def _every_period(periods: list[str], by_year: bool) -> list[str]:
    """Every month (or year) from the first to the last, empty ones included,
    so the columns are a time axis."""
    if not periods:
        return []
    if by_year:
        return [str(y) for y in range(int(periods[0]), int(periods[-1]) + 1)]
    year, month = int(periods[0][:4]), int(periods[0][5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= periods[-1]:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out
