"""How a file's result is stored in the cache: JSON (never pickle), in lists
rather than objects.

A warm rerun over 10,000 articles reads back 9,000 payloads and 22,000
findings; with one JSON object per finding, decoding the keys and building
the objects took 0.20 s, with these lists 0.09 s (and the payloads are half
the size). The layout, by position:

    payload    {"errors": [error, ...], "articles": [article, ...]}
    error      [path, message, line]
    article    [ref, [finding, ...], [[selectors, line], ...], meta]
    ref        [id, path, record, line, title, length]
    finding    [line, column, end_line, end_column, code, rule, severity, message]
               + [fix, article, data, path] when one of these is set (path
               only when it is not the article's path)
    fix        [description, safe, [[start, end, text], ...]]
    meta       null for no metadata, else [date, date_source, authors, outlet,
               url, language]

The corpus rules' summaries of a file's articles travel and are stored
packed (`pack_summaries`): per summary the article's position in the file,
the rule code and the bytes. A worker sends the main process its file's
result in these forms (`ship`), which the cache then stores as they are.

A run's result (`run_to_payload`) is {"files": n, "errors": [error, ...],
"articles": [[id, meta], ...], "findings": [[path, finding], ...]}. The cache's format version
(cache.FORMAT_VERSION) covers these layouts.
"""
from __future__ import annotations

import json
import struct
from typing import Any, Iterable

from newslint.model import Edit, Finding, Fix, InputError, Metadata, Suppression
from newslint.results import ArticleResult, FileResult, RunResult
from newslint.rule import ArticleRef

NO_META = Metadata()
#: what reading back a damaged or foreign payload raises (a list too short,
#: a string where a list belongs, ...): the caller checks the files instead
PAYLOAD_ERRORS = (KeyError, TypeError, ValueError, IndexError, AttributeError)


def to_payload(result: FileResult) -> dict[str, Any]:
    return {"errors": [[e.path, e.message, e.line] for e in result.errors],
            "articles": [[ref_to_list(a.ref), [_finding(f, a.ref.path) for f in a.findings],
                          [[list(s.selectors), s.line, s.first, s.last] for s in a.suppressions],
                          _meta(a.meta)]
                         for a in result.articles]}


def refs_of(payload: dict[str, Any]) -> list[list]:
    """The payload's article references (what a corpus file needs)."""
    return [article[0] for article in payload["articles"]]


def from_payload(path: str, payload: dict[str, Any], summaries: dict[int, dict[str, bytes]],
                 target: bool) -> FileResult:
    """`summaries`: {position of the article in the file: {rule code: summary}}."""
    articles = []
    for position, (ref_list, findings, suppressions, meta) in enumerate(payload["articles"]):
        ref = ref_from_list(ref_list, target)
        articles.append(ArticleResult(
            ref=ref, findings=[_finding_from(f, ref.path) for f in findings],
            suppressions=[Suppression(tuple(s[0]), *s[1:4]) for s in suppressions],
            summaries=summaries.get(position, {}),
            meta=NO_META if meta is None else _meta_from(meta)))
    errors = [InputError(e_path, message, line) for e_path, message, line in payload["errors"]]
    return FileResult(path, articles, errors)


def corpus_result(path: str, refs: list[list], summaries: dict[int, dict[str, bytes]]) -> FileResult:
    """A corpus file's cached result: what corpus rules see of its articles."""
    return FileResult(path, [ArticleResult(ref=ref_from_list(ref, False), findings=[],
                                           suppressions=[], summaries=summaries.get(position, {}),
                                           meta=NO_META) for position, ref in enumerate(refs)])


# -- a file's result as a worker sends it and the cache keeps it ---------------------------
#: one encoder: `json.dumps(value, separators=...)` builds a new one on every call
_encode = json.JSONEncoder(separators=(",", ":")).encode
_ENTRY = struct.Struct("<IBI")  # an article's position, the length of a rule code, of a summary


def ship(result: FileResult) -> tuple[str, str, bytes, bool]:
    """(the payload and the article references as JSON text, the summaries
    packed, whether the file was unread): what a worker sends for a file, and
    the cache stores. Pickling the objects instead cost the two processes
    about 0.11 ms of CPU per article, this about 0.04."""
    payload = to_payload(result)
    packed = pack_summaries((i, a.summaries) for i, a in enumerate(result.articles))
    return _encode(payload), _encode(refs_of(payload)), packed, result.unread


def unship(path: str, shipped: tuple[str, str, bytes, bool], target: bool) -> FileResult:
    """The FileResult `ship` was given."""
    text, _, packed, unread = shipped
    result = from_payload(path, json.loads(text), unpack_summaries(packed), target)
    result.unread = unread
    return result


def pack_summaries(summaries: Iterable[tuple[int, dict[str, bytes]]]) -> bytes:
    """(article position, {rule code: summary}) pairs as bytes: per summary the
    position and the lengths of the code and the summary (`_ENTRY`), then the two."""
    parts = []
    for position, per_rule in summaries:
        for rule, data in per_rule.items():
            code = rule.encode()
            parts += [_ENTRY.pack(position, len(code), len(data)), code, data]
    return b"".join(parts)


def unpack_summaries(packed: bytes) -> dict[int, dict[str, bytes]]:
    """What `pack_summaries` packed; ValueError when the bytes do not hold that."""
    out: dict[int, dict[str, bytes]] = {}
    position, end = 0, len(packed)
    try:
        while position < end:
            article, code_len, data_len = _ENTRY.unpack_from(packed, position)
            start = position + _ENTRY.size
            position = start + code_len + data_len
            if position > end:
                raise ValueError("summaries cut short")
            code = packed[start:start + code_len].decode()
            out.setdefault(article, {})[code] = packed[start + code_len:position]
    except (struct.error, UnicodeDecodeError) as exc:
        raise ValueError(f"unreadable summaries: {exc}") from None
    return out


def ref_to_list(ref: ArticleRef) -> list:
    return [ref.id, ref.path, ref.record, ref.line, ref.title, ref.length]


def ref_from_list(ref: list, target: bool) -> ArticleRef:
    return ArticleRef(ref[0], ref[1], ref[2], ref[3], target, ref[4], ref[5])


def respelled(payload: dict[str, Any], path: str) -> dict[str, Any]:
    """A cached result with the file's path as this run spells it: the row
    may come from a run given a relative path, or started in another folder
    (the cache is keyed by absolute path). Article ids start with the path."""
    spellings = [a[0][1] for a in payload["articles"]] + [e[0] for e in payload["errors"]]
    old = spellings[0] if spellings else path
    if old == path:
        return payload

    def fix(value: str | None) -> str | None:
        if value is None or value == old:
            return path if value is not None else None
        return path + value[len(old):] if value.startswith((old + ":", old + "#")) else value
    for ref, findings, _, _ in payload["articles"]:
        ref[0], ref[1] = fix(ref[0]), path
        for finding in findings:
            if len(finding) > 8:
                finding[9], finding[11] = fix(finding[9]), fix(finding[11])
    for error in payload["errors"]:
        error[0] = path
    return payload


def _finding(f: Finding, article_path: str) -> list:
    row = [f.line, f.column, f.end_line, f.end_column, f.code, f.rule, f.severity, f.message]
    other_path = f.path if f.path != article_path else None
    if f.fix is not None or f.article is not None or f.data or other_path is not None:
        fix = f.fix and [f.fix.description, f.fix.safe,
                         [[e.start, e.end, e.text] for e in f.fix.edits]]
        row += [fix, f.article, dict(f.data) if f.data else None, other_path]
    return row


def _finding_from(row: list, article_path: str) -> Finding:
    if len(row) == 8:
        return Finding(article_path, *row)
    fix, article, data, path = row[8:12]
    if fix is not None:
        fix = Fix(tuple(Edit(start, end, text) for start, end, text in fix[2]), fix[0], fix[1])
    return Finding(path or article_path, *row[:8], fix, article,
                   tuple(sorted(data.items())) if data else ())


def _meta(meta: Metadata) -> list | None:
    if meta == NO_META:
        return None
    return [meta.date, meta.date_source, list(meta.authors), meta.outlet, meta.url, meta.language]


# -- a whole run's result (the cache's `runs` table) ------------------------------------
def run_to_payload(result: RunResult) -> dict[str, Any]:
    """What `newslint check` reports of a run: the file count, every
    article's metadata, the final findings, the files' errors."""
    return {"files": result.files, "errors": [[e.path, e.message, e.line] for e in result.errors],
            "articles": [[key, _meta(meta)] for key, meta in result.metadata.items()],
            "findings": [[f.path, _finding(f, f.path)] for f in result.findings]}


def run_from_payload(payload: dict[str, Any], rules: list) -> RunResult:
    result = RunResult(rules=rules, files=payload["files"], articles=len(payload["articles"]))
    for key, meta in payload["articles"]:
        result.metadata[key] = NO_META if meta is None else _meta_from(meta)
        if meta is not None and meta[3]:
            result.outlets[key] = meta[3]
    result.findings = [_finding_from(row, path) for path, row in payload["findings"]]
    result.errors = [InputError(path, message, line) for path, message, line in payload["errors"]]
    return result


def _meta_from(meta: list) -> Metadata:
    return Metadata(meta[0], meta[1], tuple(meta[2]), *meta[3:6])
