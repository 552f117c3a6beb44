"""Damage to spacing around punctuation: sentences glued together
("sanctions.Source") and spaces before punctuation ("doing ,and")."""
from __future__ import annotations

import re
from typing import Any, Iterator

import regex

from newslint.checks.damage.common import at_line, context, spacing_marks
from newslint.fixes import replace_span
from newslint.lazy import lazy
from newslint.model import Article, Finding
from newslint.rule import ArticleRule, parse_examples
from newslint.text.lines import Line, body_lines, list_rows

#: two lower-case letters, sentence punctuation, then a capitalised word
GLUED_RE = lazy(r"(?<=\p{Ll}\p{M}*\p{Ll}\p{M}*)[.!?]\u201d?(?=\p{Lu}\p{Ll})")
#: what every GLUED_RE match holds, in stdlib `re`: sentence punctuation, an
#: optional closing quote, then a character that may be a capital (A-Z or
#: not ASCII, and not the closing quote: no capital is one). A look-behind
#: tried at every position made GLUED_RE cost 7 microseconds a line; this
#: search rules out nearly every line for 0.3 (no match crosses a newline,
#: so it is tried on whole blocks first)
GLUED_HINT_RE = re.compile(r"[.!?](?:\u201d[A-Z\x80-\U0010ffff]|[A-Z\x80-\u201c\u201e-\U0010ffff])")
#: tokens that are addresses, code or paths rather than prose
CODE_LIKE = ("://", "www.", "@", "/", "\\", "`", "=", "_", "(", ")", "[", "]", "{", "}", "|",
             "<", ">", "*", ":")
MAX_TOKEN = 80
TRAILING = ".,;:!?\"'\u201d\u2019)"
#: a capital inside the next word: `tkinter.TkVersion`, `File.SaveAs` (code or menus)
CAMEL_CASE_RE = lazy(r"\p{Lu}\p{Ll}+\p{Lu}")
INNER_CAPITAL_RE = lazy(r"\p{Ll}\p{Lu}")  # `ToolBar.Open`, `iPhone.Apple`


class GluedSentences(ArticleRule):
    code = "NL502"
    name = "damage-glued-sentences"
    level = "warning"
    fix_safety = "safe"
    summary = "Two sentences run together with no space after the full stop."
    docs = {
        "what": "Flags a lower-case word, sentence punctuation (`.`, `!`, `?`, optionally a "
                "closing quote) and a capitalised word with no space between them, as in "
                "`sanctions.Source attribution`. Precision first: at least two lower-case letters "
                "must come before the punctuation and the next word must continue in lower case, "
                "so `U.S.`, `e.g.`, `J.R.R.`, `ASP.NET`, `Node.js` and version numbers are not "
                "flagged; tokens that look like addresses, paths or code (`://`, `www.`, `@`, "
                "`/`, brackets, backticks, more than one dot, camel case as in `ToolBar.Open` "
                "or `module.ClassName`) are skipped.",
        "why": "Scrapers drop the whitespace between HTML elements, so the last sentence of one "
               "paragraph runs into the first of the next. Readers, sentence splitters and "
               "search indexes then see one garbled word.",
        "example": "The EU announced new sanctions.Source attribution: Reuters.",
        "fix": "Safe: insert a space after the punctuation (`sanctions. Source`).",
    }
    examples = parse_examples({
        "fail": ["Talks end\n\nThe ministers agreed on new sanctions.Source attribution was "
                 "unclear, officials said."],
        "pass": ["Talks end\n\nThe U.S. and e.g. ASP.NET or Node.js users met J.R.R. Tolkien "
                 "fans at example.com/News.Today in version 2.Five."],
    }, "NL502")

    def check(self, article: Article, options: dict[str, Any]) -> Iterator[Finding]:
        if b".A" not in spacing_marks(article):
            return  # no . ! ? before a capital or a non-ASCII character: no line matches
        if not any(GLUED_HINT_RE.search(block.text) for block in article.blocks):
            return  # (nor any line: body_lines makes objects for them)
        for line in body_lines(article):
            if not GLUED_HINT_RE.search(line.text):
                continue
            for m in GLUED_RE.finditer(line.text):
                bounds = _prose_token(line.text, m)
                if bounds is None:
                    continue
                token = line.text[bounds[0]:bounds[1]].rstrip(TRAILING)
                fix = None
                if line.start is not None and article.source is not None:
                    at = line.start + m.end()
                    fix = replace_span(at, at, " ", "insert a space between the sentences")
                yield at_line(self, article, line, *bounds,
                              f"missing space after {m.group()!r} in {token!r}", fix=fix)


def _prose_token(text: str, m) -> tuple[int, int] | None:
    """Bounds of the token holding the glued punctuation `m`, or None when the
    token looks like code, an address or a name rather than two sentences."""
    bounds = _token_bounds(text, m.start())
    if bounds is None:
        return None
    token = text[bounds[0]:bounds[1]].rstrip(TRAILING)
    if any(mark in token for mark in CODE_LIKE) or token.count(".") > 1 \
            or CAMEL_CASE_RE.match(text, m.end()) or INNER_CAPITAL_RE.search(text, bounds[0], m.start()):
        return None
    return bounds


def _token_bounds(text: str, at: int) -> tuple[int, int] | None:
    """The whitespace-delimited token around text[at], or None when it is
    longer than any word (a run of glued text, a hash, a URL)."""
    start = at
    while start > 0 and not text[start - 1].isspace():
        start -= 1
        if at - start > MAX_TOKEN:
            return None
    end = at
    while end < len(text) and not text[end].isspace():
        end += 1
        if end - at > MAX_TOKEN:
            return None
    return start, end


#: spaces, then one punctuation mark, after a letter, digit or closing mark
STRAY_RE = lazy(r"(?<=[\p{L}\p{M}\p{N})\]\u201d\u2019])[ \t]+([,.;:!?])")
#: STRAY_RE in two steps (see _strays), 30x faster: its spaces and mark, in
#: stdlib `re` (no Unicode classes), then its look-behind, on those matches only
SPACED_MARK_RE = re.compile(r"[ \t]+([,.;:!?])")
WORD_END_RE = lazy(r"[\p{L}\p{M}\p{N})\]\u201d\u2019]")
#: characters of code and markup that news prose does not use (stdlib `re`:
#: plain ASCII characters, matched the same, and 10x faster on a long line)
CODE_LINE_RE = re.compile(r"[`{}=<>\\|~^]")
CLOSING = "\"'\u201d\u2019\u00bb)]"
FRENCH_SPACED = ";:!?"


class SpaceBeforePunctuation(ArticleRule):
    code = "NL503"
    name = "damage-space-before-punctuation"
    level = "warning"
    fix_safety = "safe"
    summary = "A stray space before a comma, full stop or other punctuation mark."
    docs = {
        "what": "Flags spaces before `,` `.` `;` `:` `!` `?` after a word, as in "
                "`doing ,and` or `the end .`. Not flagged: ellipses (`wait ...`, `. . .`), "
                "numbers (`.5`), file extensions and names (`the .NET runtime`), emoticons, "
                "a label and its number or price (`VIP : 60,000₩`), rows of a list or table "
                "(three or more short lines in a row), "
                "lines that look like code (backticks, `{ } = < > \\ | ~ ^`), and in French "
                "text (language `fr`, text using « guillemets », or text where most `; : ! ?` "
                "have a space before them) the space before `;` `:` `!` `?` that French "
                "typography requires.",
        "why": "A space before punctuation is the mark of text re-assembled from fragments "
               "(the comma was a separate element); it looks sloppy and can break a line before "
               "the comma.",
        "example": "China knew exactly what it was doing ,and wanted the world to see it.",
        "fix": "Safe: remove the space; when a letter follows the comma or semicolon directly, "
               "put the space after it instead (`doing, and`).",
        "options": "`french_languages`: language codes whose typography puts a space before "
                   "`; : ! ?`.",
    }
    options = {"french_languages": ["fr"]}
    examples = parse_examples({
        "fail": ["Talks\n\nChina knew exactly what it was doing ,and wanted the world to see it.",
                 "Talks\n\nThe talks ended in Moscow .",
                 "Talks\n\nWhat did they agree ? Nobody knows. Why? What next?"],
        "pass": ["Talks\n\nThey waited ... and waited. Growth was .5 percent on the .NET stack.",
                 {"text": "---\nlanguage: fr\n---\n# Pourquoi ?\n\nIl a dit : « Non ! »\n",
                  "format": "md"},
                 "Élections\n\nPas le temps de lire ? Les bureaux ont ouvert : tout va bien !",
                 "Concert tickets\n\nSeats went on sale on Monday.\n\nVIP : 60,000₩\n\n"
                 "Standing : 40,000₩\n\nBalcony : 30,000₩"],
    }, "NL503")

    def check(self, article: Article, options: dict[str, Any]) -> Iterator[Finding]:
        french = _French(article, options)
        marks = spacing_marks(article)
        if b" ," not in marks and b" ." not in marks:
            return  # no space or tab before a mark: no line matches SPACED_MARK_RE
        if not any(next(_strays(block.text), None) for block in article.blocks):
            return  # no stray in a block (a newline is no word's end), nor in a line
        lines = list(body_lines(article))
        rows = None
        for n, line in enumerate(lines):
            strays = list(_strays(line.text))
            if not strays or CODE_LINE_RE.search(line.text):
                continue
            rows = list_rows([ln.text for ln in lines]) if rows is None else rows
            if n in rows:
                continue  # a row of a list or table: "Chat icon selector ?", "VIP : 60,000₩"
            for m in strays:
                mark = m.group(1)
                after = line.text[m.end():m.end() + 1]
                if mark in FRENCH_SPACED and french.typography() or not _is_stray(line.text, m, after) \
                        or mark == ":" and VALUE_AFTER_RE.match(line.text, m.end()):
                    continue
                yield self._finding(article, line, m, mark, after)

    def _finding(self, article: Article, line: Line, m, mark: str, after: str) -> Finding:
        replacement = mark + " " if mark in ",;" and after.isalpha() else mark
        fix = None
        if line.start is not None and article.source is not None:
            fix = replace_span(line.start + m.start(), line.start + m.end(), replacement,
                               f"remove the space before {mark!r}")
        return at_line(self, article, line, m.start(), m.end(),
                       f"space before {mark!r}: {context(line.text, m.start(), m.end())!r}", fix=fix)


#: a table's label-value separator: "VIP : 60,000₩", "Prix : 12 €"
VALUE_AFTER_RE = lazy(r"\s*[\p{Sc}\d]")
#: `; : ! ?` before a space or a line end; what precedes it is looked at in
#: `_spaces_before_marks` (a pattern starting with a look-behind is tried at
#: every position and cost 5x as much)
MARK_RE = lazy(r"[;:!?](?=\s|$)", regex.MULTILINE)
NOT_SPACE_RE = lazy(r"\S")
SPACES_BEFORE_MARK = " \t\u00a0\u202f"


def _strays(text: str) -> Iterator[re.Match]:
    """The matches of STRAY_RE in `text`. A match of SPACED_MARK_RE starts a
    run of spaces (finditer is leftmost), and is one of STRAY_RE when the
    character before the run ends a word; no match of STRAY_RE starts anywhere
    else in it, inside the run (a space before) or at the mark (not a space)."""
    for m in SPACED_MARK_RE.finditer(text):
        if m.start() and WORD_END_RE.match(text, m.start() - 1):
            yield m


class _French:
    """Whether an article uses French typography (see `typography`). The
    language test runs at once, where it did (it reads the options); the
    count of marks in the text, on first need: only a line with a stray
    `; : ! ?` needs it."""

    def __init__(self, article: Article, options: dict[str, Any]):
        self.article = article
        language = (article.meta.language or "").lower().replace("_", "-").split("-")[0]
        self.language = bool(language) and language in [str(x).lower()
                                                        for x in options["french_languages"]]
        self.text: bool | None = None

    def typography(self) -> bool:
        """The language says so, the text uses « », or most `; : ! ?` marks in
        it have a space before them (a house style, not a slip)."""
        if self.language:
            return True
        if self.text is None:
            self.text = _french_text(self.article)
        return self.text


def _french_text(article: Article) -> bool:
    if any("\u00ab" in b.text or "\u00bb" in b.text for b in article.blocks):
        return True
    spaces = [space for b in article.blocks for space in _spaces_before_marks(b.text)]
    return sum(1 for s in spaces if s) > sum(1 for s in spaces if not s)


def _spaces_before_marks(text: str) -> Iterator[str]:
    """For each `; : ! ?` after a word, the space before it ("" when none): the
    matches of `(?<=\\S)([ \\t\\u00a0\\u202f]?)[;:!?](?=\\s|$)`, group 1."""
    for m in MARK_RE.finditer(text):
        i = m.start()
        if i and text[i - 1] in SPACES_BEFORE_MARK:
            if i > 1 and NOT_SPACE_RE.match(text, i - 2):
                yield text[i - 1]
        elif i and NOT_SPACE_RE.match(text, i - 1):
            yield ""


def _is_stray(text: str, m, after: str) -> bool:
    """Whether the space before m.group(1) is an error, judged by what follows."""
    mark = m.group(1)
    ends = after == "" or after.isspace()
    if mark == ".":
        spaced_ellipsis = text.startswith(" .", m.end())  # "wait . . . then"
        return (ends or after in CLOSING) and not spaced_ellipsis
    if mark in ",;":
        return ends or after.isalpha()
    if mark == ":":
        return ends
    return ends or after in CLOSING  # ! and ?
