"""Reading a `regex` pattern with stdlib `re`'s parser, for the phrase rules'
prefilter (declarative_prefilter): only patterns whose meaning is the same
for both, with each class escape `re` lacks (\\p{..}) or reads differently
(\\w, \\S...) standing for a placeholder character (see declarative_chars)."""
from __future__ import annotations

import re
from typing import Any

from newslint.checks.declarative.chars import (
    ANYTHING,
    FIRST_PLACEHOLDER,
    LAST_PLACEHOLDER,
    LETTERS,
    OTHERS,
    SYMBOLS,
)

try:  # Python 3.11+
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse  # type: ignore[no-redef]

LETTER_PROPERTIES = {"l", "letter", "lu", "ll", "lt", "lm", "lo", "lc", "l&"}
OTHER_PROPERTIES = {"n", "number", "nd", "nl", "no", "m", "mark", "mn", "mc", "me"}
SYMBOL_PROPERTIES = {"so", "othersymbol"}
#: \w may hold a letter such as ß; \S too; \D and \W hold spaces (\W no letter)
CLASS_ESCAPES = {"w": LETTERS, "S": LETTERS, "D": ANYTHING, "W": ANYTHING}
ESCAPE_RE = re.compile(r"\\(?:([pP])(?:\{(\^?)([^}]*)\}|([A-Za-z]))|N\{[^}]*\}|([wSDW])|.)", re.DOTALL)
QUANTIFIER_RE = re.compile(r"\{(?:\d+(?:,\d*)?|,\d+)\}")
GROUP_OPENERS = ("(?:", "(?=", "(?!", "(?<=", "(?<!", "(?>", "(?P<", "(?P=")
SET_OPERATORS = ("--", "&&", "||", "~~")


def parsed(pattern: str) -> Any:
    """`re`'s parse of `pattern`, None when `re` may read it differently from
    `regex`, or cannot."""
    source = re_source(pattern)
    if source is None:
        return None
    try:
        return sre_parse.parse(source)
    except Exception:  # noqa: BLE001 - re cannot read it: no lead, which is always correct
        return None


def re_source(pattern: str) -> str | None:
    """`pattern` with its \\p{..}, \\w... escapes replaced by placeholders, for
    `re` to parse; None when it uses syntax `re` may read differently from `regex`."""
    if any(FIRST_PLACEHOLDER <= ord(c) <= LAST_PLACEHOLDER for c in pattern):
        return None
    out, i, n, class_from = [], 0, len(pattern), None
    while i < n:
        c = pattern[i]
        if c == "\\":
            escape = ESCAPE_RE.match(pattern, i)
            if escape is None:
                return None  # a pattern ending in a backslash
            kind = _escape_kind(escape)
            if kind is None:
                out.append(escape.group())
            else:
                code = FIRST_PLACEHOLDER + 4 * len(out) + kind
                if code > LAST_PLACEHOLDER:
                    return None
                out.append(chr(code))
            i = escape.end()
            continue
        if class_from is not None:  # inside [...]
            if c == "[" or pattern.startswith(SET_OPERATORS, i) or (c == "]" and i == class_from):
                return None  # V1 nested sets and set operations; `[]...]`
            if c == "]":
                class_from = None
        elif c == "[":
            class_from = i + 2 if pattern.startswith("[^", i) else i + 1
            out.append(pattern[i:class_from])
            i = class_from
            continue
        elif c == "{" and not QUANTIFIER_RE.match(pattern, i):
            return None  # fuzzy matching, or a literal brace: not worth the doubt
        elif pattern.startswith("(?", i) and not pattern.startswith(GROUP_OPENERS, i):
            return None  # inline flags, comments, branch reset, recursion...
        out.append(c)
        i += 1
    return "".join(out)


def _escape_kind(escape: re.Match) -> int | None:
    """The PLACEHOLDER_KINDS index standing for a class escape, None for others."""
    if escape.group(5):
        return CLASS_ESCAPES[escape.group(5)]
    if not escape.group(1):
        return None
    if escape.group(1) == "P" or escape.group(2):
        return ANYTHING
    name = re.sub(r"[\s_-]", "", escape.group(3) if escape.group(3) is not None
                  else escape.group(4)).lower()
    if name.startswith(("gc=", "generalcategory=")):
        name = name.split("=", 1)[1]
    if name in LETTER_PROPERTIES:
        return LETTERS
    if name in OTHER_PROPERTIES:
        return OTHERS
    return SYMBOLS if name in SYMBOL_PROPERTIES else ANYTHING
