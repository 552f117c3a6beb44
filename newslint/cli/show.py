"""`newslint show PATH...`: the articles as newslint reads them, so a user sees
what the linter takes for the article: the title, the metadata it detected
and where each value came from, and the body blocks with their file lines.

    newslint show page.html
    newslint show feed.jsonl --format json

JSON: `{"articles": [{"path", "id", "format", "title", "title_line", "meta",
"blocks": [{"line", "end_line", "text"}]}], "errors": [...]}`; each `meta`
value is `{"value", "source", "line"}` (`line` null when it is not known).
"""
from __future__ import annotations

import json
import re
import sys
from typing import Any, Iterator

from newslint.cli.common import EXIT_FINDINGS, EXIT_OK, config_args, make_engine, output
from newslint.model import Article, InputError
from newslint.run.files import discover
from newslint.text.safe import escaped, one_line

FIELDS = ("date", "authors", "outlet", "url", "language")
#: where a loader's value comes from when the value itself does not say
FORMAT_SOURCE = {"txt": "text", "md": "front matter", "html": "markup", "json": "record field",
                 "jsonl": "record field"}


def add_parser(sub) -> None:
    p = sub.add_parser("show", help="show the articles as newslint reads them",
                       description="Print each article as newslint reads it: title, detected "
                       "metadata and where each value came from, body blocks with their file "
                       "lines. Nothing is checked.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--output-file", metavar="FILE", help="write to FILE instead of stdout")
    config_args(p)


def run(args) -> int:
    engine = make_engine(args)
    errors: list[InputError] = []
    articles = []
    for path in discover(args.paths, engine.settings, engine.registry, errors):
        for item in read(engine, path):
            (errors if isinstance(item, InputError) else articles).append(item)
    records = [article_record(a) for a in articles]
    with output(args) as out:
        if args.format == "json":
            json.dump({"articles": records, "errors": [e.to_dict() for e in errors]}, out,
                      ensure_ascii=False, indent=1)
            out.write("\n")
        else:
            for record in records:
                out.write(as_text(record))
    for error in errors:
        where = f":{error.line}" if error.line else ""
        print(f"{escaped(error.path)}{where}: error: {one_line(error.message)}", file=sys.stderr)
    return EXIT_FINDINGS if errors else EXIT_OK


def read(engine, path: str) -> Iterator[Article | InputError]:
    try:
        data = engine.read(path)
    except OSError as exc:
        yield InputError(path, f"cannot read: {exc.strerror or exc}")
        return
    except Exception as exc:  # LoadError: over the size limit
        yield InputError(path, getattr(exc, "message", str(exc)))
        return
    yield from engine.load(path, data)


def article_record(article: Article) -> dict[str, Any]:
    lines = source_lines(article)
    meta = article.meta
    values = {"date": meta.date, "authors": list(meta.authors), "outlet": meta.outlet,
              "url": meta.url, "language": meta.language}
    out_meta: dict[str, Any] = {}
    for name in FIELDS:
        value = values[name]
        if name == "authors":
            out_meta[name] = [provenance(article, lines, v) for v in value]
        elif value:
            source = meta.date_source if name == "date" and meta.date_source else None
            out_meta[name] = provenance(article, lines, value, source)
        else:
            out_meta[name] = None
    return {"path": article.path, "id": article.id, "format": article.format,
            "title": article.title, "title_line": article.title_line, "meta": out_meta,
            "blocks": [{"line": b.line, "end_line": b.end_line, "text": b.text}
                       for b in article.blocks]}


def source_lines(article: Article) -> list[str]:
    """The file's lines (for HTML, whose article has no editable source, read
    again), to find the line a metadata value was read from."""
    if article.record_line is not None:
        return []
    if article.source is not None and article.line_offset == 0:
        return article.source.split("\n")
    try:
        with open(article.path, encoding="utf-8", errors="replace") as fh:
            return fh.read().split("\n")
    except OSError:
        return []


def provenance(article: Article, lines: list[str], value: str,
               source: str | None = None) -> dict[str, Any]:
    """{"value", "source", "line"}: the first file line holding the value, and
    what that line is (a <meta> tag, JSON-LD, front matter, the body text)."""
    if article.record_line is not None:
        return {"value": value, "source": source or "record field", "line": article.record_line}
    pattern = re.compile(rf"(?<!\w){re.escape(value)}(?![a-z0-9])")  # "2025-11-20T08:30"
    holding = [i + 1 for i, text in enumerate(lines) if value in text and pattern.search(text)]
    if article.format == "html":  # a <meta> tag first: that is where loaders look first
        holding.sort(key=lambda n: "<meta" not in lines[n - 1])
    line = holding[0] if holding else None
    if source is None:
        source = _kind_of_line(article, lines, line)
    return {"value": value, "source": source, "line": line}


def _kind_of_line(article: Article, lines: list[str], line: int | None) -> str:
    if line is None:
        return "derived" if article.format != "html" else "markup"
    text = lines[line - 1]
    if article.format == "html":
        if "<meta" in text:
            return "meta tag"
        before = "\n".join(lines[:line])
        if before.rfind("application/ld+json") > before.rfind("</script>"):
            return "json-ld"
        return "markup" if "<time" not in text else "time"
    body_start = article.blocks[0].line if article.blocks else None
    if article.format == "md" and body_start is not None and line < body_start:
        return "front matter"
    return "text"


def as_text(record: dict[str, Any]) -> str:
    out = [escaped(record["id"])]
    title_line = f" (line {record['title_line']})" if record["title_line"] else ""
    out.append(f"  title: {one_line(record['title'] or '(none)')}{title_line}")
    for name in FIELDS:
        value = record["meta"][name]
        items = value if isinstance(value, list) else [value] if value else []
        shown = ", ".join(f"{one_line(str(v['value']))} ({v['source']}"
                          + (f", line {v['line']})" if v["line"] else ")") for v in items)
        out.append(f"  {name}: {shown or '(none)'}")
    out.append(f"  body: {len(record['blocks'])} block{'s' if len(record['blocks']) != 1 else ''}")
    for block in record["blocks"]:
        where = (f"{block['line']}" if block["line"] == block["end_line"]
                 else f"{block['line']}-{block['end_line']}")
        text = "\n            ".join(escaped(line) for line in block["text"].split("\n"))
        out.append(f"    {where:>7} {text}")
    return "\n".join(out) + "\n\n"
