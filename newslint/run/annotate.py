"""`newslint check --add-suppressions`: write a `disable-next-line` marker
above each line with findings, in the comment form of the file's format (as
ruff's --add-noqa does), so a project adopting newslint starts clean and
removes the markers as it fixes what they hide:

    newslint: disable-next-line=NL503,NL502          (plain text: a line of its own)
    <!-- newslint: disable-next-line=NL503 -->       (Markdown)

Only single-article `.txt` and `.md` files are annotated (HTML is a page to
keep as it came, JSON records have the `newslint_disable` field); nothing is
written into Markdown front matter; `unused-suppression` is never suppressed.
Each file is written as --fix writes (temporary file, same mode, rename)."""
from __future__ import annotations

from collections import defaultdict

from newslint.model import Finding
from newslint.run.fixer import NotFixed, replace_file

#: the comment form of a marker, by file extension
FORMS = {".txt": "{indent}newslint: disable-next-line={codes}",
         ".text": "{indent}newslint: disable-next-line={codes}",
         ".md": "{indent}<!-- newslint: disable-next-line={codes} -->",
         ".markdown": "{indent}<!-- newslint: disable-next-line={codes} -->"}
NEVER = {"NL001"}


def add_suppressions(findings: list[Finding], notices: list[str]) -> tuple[int, int]:
    """Mark every finding's line; (markers written, files changed)."""
    by_path: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for finding in findings:
        if finding.article is None and finding.code not in NEVER and _form(finding.path):
            by_path[finding.path][finding.line].add(finding.code)
    markers = files = 0
    for path, lines in sorted(by_path.items()):
        try:
            written = _annotate(path, lines)
        except (NotFixed, OSError, UnicodeDecodeError) as exc:
            notices.append(f"{path}: suppressions not added: {exc}")
            continue
        markers += written
        files += bool(written)
    return markers, files


def _form(path: str) -> str | None:
    return next((form for ext, form in FORMS.items() if path.lower().endswith(ext)), None)


def _annotate(path: str, wanted: dict[int, set[str]]) -> int:
    with open(path, "rb") as fh:
        data = fh.read()
    text = data.decode("utf-8")
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(newline)
    start = _body_start(lines) if path.lower().endswith((".md", ".markdown")) else 0
    form = _form(path)
    written = 0
    for line in sorted(wanted, reverse=True):  # from the bottom: earlier line numbers hold
        if not start < line <= len(lines):
            continue
        target = lines[line - 1]
        indent = target[:len(target) - len(target.lstrip())]
        lines.insert(line - 1, form.format(indent=indent, codes=",".join(sorted(wanted[line]))))
        written += 1
    if written:
        replace_file(path, newline.join(lines).encode("utf-8"))
    return written


def _body_start(lines: list[str]) -> int:
    """The number of lines of a Markdown file's front matter (0 without)."""
    if not lines or lines[0].strip() != "---":
        return 0
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    return 0 if end is None else end + 1
