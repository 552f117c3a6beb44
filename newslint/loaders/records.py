"""JSON (one object or a list of objects) and JSON Lines (one object per line).

Each record is an article. Field names are looked up in order from
`FIELD_DEFAULTS`, overridable per key through `settings.fields`. A record that
is not an object, has no text, or (JSON Lines) is not valid JSON becomes a
LoadError naming its line, and the other records still load. Every position in
a record maps to the line where the record starts (`Article.record_line`).
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from newslint.loaders.common import (
    decode,
    line_of,
    normalize_newlines,
    paragraph_blocks,
    selectors,
)
from newslint.model import Article, Block, LoadError, Metadata, Suppression

FIELD_DEFAULTS: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "body", "article", "maintext"),
    "title": ("title", "headline"),
    "date": ("date", "published", "publish_date", "date_publish", "pubDate"),
    "authors": ("author", "authors", "byline"),
    "url": ("url", "link"),
    "outlet": ("source", "site", "outlet", "publisher", "source_domain"),
    "language": ("language", "lang"),
    "id": ("id",),
    "disable": ("newslint_disable",),
}
NAME_SPLIT_RE = re.compile(r"\s*(?:[,;]|\band\b|&)\s*")


def load_jsonl(path: str, data: bytes, settings=None) -> Iterator[Article | LoadError]:
    text, warning = _read(data)
    fields = field_names(settings)
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = _parse(line, one_line=True)
            yield _with_warning(article_from_record(record, path, number, fields, "jsonl"), warning)
        except LoadError as exc:
            yield LoadError(f"line {number}: {exc.message}", line=number)


def load_json(path: str, data: bytes, settings=None) -> Iterator[Article | LoadError]:
    text, warning = _read(data)
    fields = field_names(settings)
    for index, line, record in json_records(text):
        try:
            article = article_from_record(record, path, line, fields, "json", index=index)
            yield _with_warning(article, warning)
        except LoadError as exc:
            error = LoadError(f"line {line}{_record_label(index)}: {exc.message}", line=line)
            if index is None:
                raise error from None  # the file's only record: the file is unusable
            yield error


def _record_label(index: int | None) -> str:
    return "" if index is None else f" (record #{index})"


def json_records(text: str) -> Iterator[tuple[int | None, int, Any]]:
    """(index or None for a lone object, start line, value) for each record.
    The whole file must be valid JSON: one object or a list of objects."""
    whole = _parse(text)
    decoder = json.JSONDecoder()
    start = len(text) - len(text.lstrip())
    if isinstance(whole, dict):
        yield None, line_of(text, start), whole
        return
    if not isinstance(whole, list):
        raise LoadError(f"a JSON file must hold an object or a list of objects, "
                        f"not {_kind(whole)}", line_of(text, start))
    pos, line = start + 1, line_of(text, start)
    for index in range(len(whole)):
        begin = _skip_separators(text, pos)
        line += text.count("\n", pos, begin)
        value, pos = decoder.raw_decode(text, begin)
        yield index, line, value
        line += text.count("\n", begin, pos)


def _skip_separators(text: str, pos: int) -> int:
    while pos < len(text) and (text[pos].isspace() or text[pos] == ","):
        pos += 1
    return pos


def _read(data: bytes) -> tuple[str, str | None]:
    text, warning = decode(data)
    text = normalize_newlines(text)[0]
    if not text.strip():
        raise LoadError("empty file: no records to check")
    return text, warning


def _parse(text: str, one_line: bool = False) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        if one_line:
            raise LoadError(f"invalid JSON: {exc.msg} (column {exc.colno})") from None
        raise LoadError(f"line {exc.lineno}: invalid JSON: {exc.msg} (column {exc.colno})",
                        exc.lineno) from None
    except RecursionError:
        raise LoadError("invalid JSON: nested too deeply") from None
    except ValueError as exc:  # e.g. integers too long to convert
        raise LoadError(f"invalid JSON: {exc}") from None


def _with_warning(article: Article, warning: str | None) -> Article:
    if warning:
        article.extra["encoding_warning"] = warning
    return article


def field_names(settings=None) -> dict[str, tuple[str, ...]]:
    """The defaults, with keys replaced by `settings.fields` where it names them."""
    return merge_fields(getattr(settings, "fields", None))


def merge_fields(configured: Mapping | None) -> dict[str, tuple[str, ...]]:
    """FIELD_DEFAULTS with the keys `configured` gives (a name or a list of names)."""
    names = dict(FIELD_DEFAULTS)
    if isinstance(configured, Mapping):
        for key, value in configured.items():
            if key in names and isinstance(value, (str, list, tuple)):
                names[key] = (value,) if isinstance(value, str) else tuple(str(v) for v in value)
    return names


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean",
            type(None): "null"}.get(type(value), "a number")


def _field(record: dict, names: tuple[str, ...]) -> Any:
    return next((record[n] for n in names if record.get(n) not in (None, "", [])), None)


def _string(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value).strip() or None
    return None


def _authors(value: Any) -> tuple[str, ...]:
    """'By A, B and C', ['A', {'name': 'B'}] -> ('A', 'B', ...)."""
    names: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        name = _string(item) or ""
        if isinstance(item, str):
            name = re.sub(r"^by\s+", "", name, flags=re.IGNORECASE)
            parts = NAME_SPLIT_RE.split(name)
        else:
            parts = [name]
        names.extend(p.strip() for p in parts if p.strip())
    return tuple(dict.fromkeys(names))


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def scrub_surrogates(value: Any) -> Any:
    """JSON may escape half of a UTF-16 pair (`"\\udfff"`); such text cannot be
    written as UTF-8, so it becomes U+FFFD, the replacement character."""
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [scrub_surrogates(v) for v in value]
    return value


def article_from_record(record: Any, path: str, line: int | None, fields=None,
                        fmt: str = "jsonl", *, index: int | None = None) -> Article:
    """One record (a dict) as an article. `line` is the file line of the record
    (None when it has none: then lines are counted inside the text itself);
    `index` its place in a JSON list. Raises LoadError for a bad record."""
    if not isinstance(record, dict):
        raise LoadError(f"a record must be a JSON object, not {_kind(record)}")
    record = {key: scrub_surrogates(value) for key, value in record.items()}
    names = merge_fields(fields)
    raw_text = _field(record, names["text"])
    if raw_text is None:
        raise LoadError(f"record has no text field (looked for: {', '.join(names['text'])})")
    if not isinstance(raw_text, str):
        raise LoadError(f"the text field must be a string, not {_kind(raw_text)}")
    source, newline = normalize_newlines(raw_text)
    if not source.strip():
        raise LoadError("empty text: nothing to check")
    blocks = paragraph_blocks(source, 0)
    if line is not None:
        blocks = [_at_line(b, line) for b in blocks]
    title = _string(_field(record, names["title"]))
    date = _string(_field(record, names["date"]))
    meta = Metadata(date=date, date_source="field" if date else None,
                    authors=_authors(_field(record, names["authors"])),
                    outlet=_string(_field(record, names["outlet"])),
                    url=_string(_field(record, names["url"])),
                    language=_string(_field(record, names["language"])))
    disable = _field(record, names["disable"])
    disable = [x for x in disable if isinstance(x, str)] if isinstance(disable, list) else disable
    suppressions = (Suppression(selectors(disable), line or 1),) \
        if isinstance(disable, (str, list)) and selectors(disable) else ()
    extra: dict[str, Any] = {"newline": newline}
    record_id = _string(_field(record, names["id"]))
    if record_id is not None:
        extra["record_id"] = record_id
    return Article(id=_article_id(path, line, index, fmt), path=path, format=fmt, title=title,
                   title_line=(line or 1) if title else None, blocks=tuple(blocks), meta=meta,
                   source=source, record=index if index is not None else line,
                   record_line=line,
                   suppressions=suppressions, extra=extra)


def _at_line(block: Block, line: int) -> Block:
    """`block` at the record's line (built directly: `dataclasses.replace` costs 5x more)."""
    return Block(block.text, line, line, block.start, block.end, block.kind)


def _article_id(path: str, line: int | None, index: int | None, fmt: str) -> str:
    if index is not None:
        return f"{path}#{index}"
    if line is not None and fmt == "jsonl":
        return f"{path}:{line}"
    return path
