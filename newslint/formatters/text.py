"""Human output in the style of ruff: `path:line:col: CODE [rule] message`."""
from __future__ import annotations

import os
from typing import IO, Any

from newslint.results import RunResult
from newslint.text.safe import escaped, one_line

COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
BOLD, DIM, RESET = "\033[1m", "\033[2m", "\033[0m"


def use_color(stream: IO[str]) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


#: characters of a long line shown around the finding's column (--output-format full)
CONTEXT_WIDTH = 100


def format_text(result: RunResult, stream: IO[str], options: dict[str, Any]) -> None:
    """The findings (not with `statistics`: then the tables alone), input
    errors, the statistics, the summary line. `output_format` "full" puts
    the finding's line under it, with a caret at the column."""
    color = use_color(stream)
    paint = (lambda code, text: f"{code}{text}{RESET}") if color else (lambda code, text: text)
    context = _Context() if options.get("output_format") == "full" else None
    for f in [] if options.get("statistics") else result.findings:
        where = paint(BOLD, f"{escaped(f.path)}:{f.line}:{f.column}:")
        record = f" ({_one_line(f.article)})" if f.article and options.get("show_record", True) else ""
        fixable = " [*]" if f.fix is not None else ""
        stream.write(f"{where} {paint(COLORS.get(f.severity, ''), f.code)}{fixable} "
                     f"[{f.rule}] {_one_line(f.message)}{paint(DIM, record)}\n")
        if context is not None:
            stream.write(context.show(f.path, f.line, f.column, paint))
    for e in result.errors:
        line = f":{e.line}" if e.line else ""
        stream.write(f"{paint(BOLD, f'{escaped(e.path)}{line}:')} {paint(COLORS['error'], 'error')}: "
                     f"{_one_line(e.message)}\n")
    if options.get("statistics"):
        write_statistics(result, stream)
    if not options.get("quiet"):
        stream.write(summary_line(result) + "\n")


def write_statistics(result: RunResult, stream: IO[str]) -> None:
    counts: dict[tuple[str, str], int] = {}
    fixable: dict[str, int] = {}
    for f in result.findings:
        counts[(f.code, f.rule)] = counts.get((f.code, f.rule), 0) + 1
        if f.fix is not None:
            fixable[f.code] = fixable.get(f.code, 0) + 1
    for (code, rule), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        mark = " [*]" if fixable.get(code) else ""
        stream.write(f"{n:>7}  {code}  {rule}{mark}\n")
    outlets = result.by_outlet()
    if len(outlets) > 1 or "(unknown)" not in outlets:
        stream.write("\nby source/site:\n")
        for outlet, n in outlets.items():
            stream.write(f"{n:>7}  {_one_line(outlet)}\n")


def summary_line(result: RunResult) -> str:
    s = result.summary()
    sev = s["by_severity"]
    parts = [f"{sev.get(k, 0)} {k}{'s' if sev.get(k, 0) != 1 else ''}" for k in ("error", "warning", "info")]
    text = (f"Checked {s['articles']} article{'s' if s['articles'] != 1 else ''} in "
            f"{s['files']} file{'s' if s['files'] != 1 else ''}: {s['findings']} finding"
            f"{'s' if s['findings'] != 1 else ''} ({', '.join(parts)})")
    if result.errors:
        text += f"; {len(result.errors)} input error{'s' if len(result.errors) != 1 else ''}"
    fixable = sum(1 for f in result.findings if f.fix is not None and f.fix.safe)
    if fixable:
        text += f"; {fixable} fixable with --fix"
    if result.fixed:
        text += f"; fixed {result.fixed}"
    return text + "."


def _one_line(text: str) -> str:
    """One line, with control characters (terminal escapes), bidi overrides
    and undecodable file-name bytes shown as escapes (newslint.text.safe)."""
    return one_line(text)


class _Context:
    """The source lines under findings, each file read once."""

    def __init__(self) -> None:
        self.files: dict[str, list[str]] = {}

    def show(self, path: str, line: int, column: int, paint) -> str:
        if path not in self.files:
            try:
                with open(path, "rb") as fh:
                    self.files[path] = fh.read().decode("utf-8", "replace").splitlines()
            except OSError:
                self.files[path] = []
        lines = self.files[path]
        if not 0 < line <= len(lines):
            return ""
        text = lines[line - 1].expandtabs(1)
        start = max(0, min(column - 1 - CONTEXT_WIDTH // 2, len(text) - CONTEXT_WIDTH))
        shown = text[start:start + CONTEXT_WIDTH]
        lead = "\u2026" if start else ""
        tail = "\u2026" if start + CONTEXT_WIDTH < len(text) else ""
        caret = " " * (len(lead) + max(0, column - 1 - start)) + "^"
        gutter = f"{line:>5} | "
        return (f"{paint(DIM, gutter)}{_one_line(lead + shown + tail)}\n"
                f"{paint(DIM, ' ' * 6 + '| ')}{paint(BOLD, caret)}\n")
