"""`newslint check -`: articles from standard input.

With `--stdin-format jsonl` the input is streamed: each line is checked as it
arrives and, for the streaming output formats (jsonl, text, github), its
findings are written at once, so memory stays bounded and a scraper's pipe
sees results immediately. Near-duplicates are found as the articles arrive,
against the stream so far, `--index` and `--corpus` (`stdin_dedup`); repeated
template lines, which are learned from a whole corpus, are not run on stdin.
"""
from __future__ import annotations

import sys

from newslint.cli.common import output, warn
from newslint.cli.stdin_dedup import StreamDuplicates
from newslint.cli.stdin_limits import bounded_lines, parse_record, read_input
from newslint.model import InputError, LoadError
from newslint.results import FileResult, RunResult
from newslint.run.runner import final_findings

STREAMING = ("jsonl", "text", "github")


def check_stdin(engine, args, formatter, options) -> int:
    result = RunResult(rules=engine.rules, files=1)
    stream_out = (args.format or "text") in STREAMING and not args.output_file
    path = args.stdin_filename
    if args.stdin_format == "jsonl":
        items = _jsonl_results(engine, path, bounded_lines(sys.stdin.buffer,
                                                           engine.settings.max_file_size))
    else:
        items = [read_input(engine, path, sys.stdin.buffer, args.stdin_format)]
    failed = False
    counts = {"articles": 0, "findings": 0, "errors": 0}
    duplicates = StreamDuplicates.open(engine)  # None unless near-duplicate is selected
    with output(args) as out:
        for file_result in items:
            part = _collect(engine, file_result, duplicates)
            failed = failed or part.fails(getattr(args, "fail_level", "warning"))
            if stream_out:  # write now, keep only counts: memory stays bounded
                part.rules = engine.rules
                formatter(part, out, {**options, "quiet": True, "statistics": False})
                out.flush()
                for key, value in (("articles", part.articles), ("findings", len(part.findings)),
                                   ("errors", len(part.errors))):
                    counts[key] += value
            else:
                _merge(result, part)
        if not stream_out:
            formatter(result, out, options)
        elif (args.format or "text") == "text" and not args.quiet:
            out.write(f"Checked {counts['articles']} articles from stdin: {counts['findings']} "
                      f"findings; {counts['errors']} input errors.\n")
    if duplicates is not None:
        duplicates.close()
    for notice in engine.notices:
        warn(notice)
    return 1 if failed and not args.exit_zero else 0


def _jsonl_results(engine, path: str, stream):
    from newslint.loaders.records import article_from_record
    fields = engine.settings.fields or None
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        result = FileResult(path)
        try:
            record = parse_record(raw, engine.settings.max_file_size)
            if not isinstance(record, dict):
                raise LoadError("a JSON Lines record must be an object")
            article = engine.enrich(article_from_record(record, path, number, fields, "jsonl"))
            result.articles.append(engine.article_result(article))
        except (ValueError, LoadError, RecursionError) as exc:
            message = exc.message if isinstance(exc, LoadError) else (
                "nested too deeply" if isinstance(exc, RecursionError) else f"invalid JSON: {exc}")
            result.errors.append(InputError(path, f"line {number}: {message}", number))
        yield result


def _collect(engine, file_result: FileResult, duplicates: StreamDuplicates | None = None
             ) -> RunResult:
    part = RunResult()
    part.errors.extend(file_result.errors)
    for item in file_result.articles:
        part.articles += 1
        part.metadata[item.ref.id] = item.meta
        found = item.findings + (duplicates.findings(item) if duplicates is not None else [])
        item.summaries = {}
        part.findings.extend(sorted(final_findings(engine, item, found),
                                    key=lambda f: f.sort_key()))
    return part


def _merge(total: RunResult, part: RunResult) -> None:
    total.articles += part.articles
    total.findings.extend(part.findings)
    total.errors.extend(part.errors)
    total.metadata.update(part.metadata)
