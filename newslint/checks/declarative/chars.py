"""Character classes for the phrase rules' prefilter (declarative_prefilter):
what a one-character element of a `regex` pattern can match, widened and
written for stdlib `re`, never holding a newline."""
from __future__ import annotations

import functools
import re
from typing import Any

import regex
from regex import _regex

try:  # Python 3.11+
    from re import _constants as sre
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as sre  # type: ignore[no-redef]

#: a character range longer than this is widened to any character
MAX_RANGE = 1024
#: Unicode's White_Space characters but the newline (`re`'s \s also holds
#: \x1c-\x1f), kept when the installed `regex` agrees: the ones its \s matches
#: and none of its letters, digits or marks, so "not one of these" holds every
#: character \S or \p{L} matches, whatever `regex`'s Unicode version. A space
#: `regex` adds is caught in the text (see untranslated).
SPACES = "".join(c for c in "\t\x0b\x0c\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B)))
                 + "\u2028\u2029\u202f\u205f\u3000"
                 if regex.match(r"\s", c) and not regex.match(r"[\w\p{L}\p{N}\p{M}]", c))
SPACE = "".join(f"\\U{ord(c):08x}" for c in SPACES)
#: `re`'s \d, plus the planes where Unicode versions newer than Python's add digits
DIGIT = "\\d\\U00010000-\\U0010ffff"
ANY_CHAR, NOT_SPACE, SYMBOL_CHAR = "[^\\n]", f"[^{SPACE}\\n]", "[^\\w\\s]"
#: characters that full case folding turns into several (ß -> ss)
EXPANDING = frozenset(_regex.get_expand_on_folding())
#: finds one of them
EXPANDING_RE = re.compile("[" + "".join(f"\\U{ord(c):08x}" for c in sorted(EXPANDING)) + "]")
#: the first bytes of their UTF-8 forms become NUL (as NUL stays NUL)
_FIRST_BYTES = bytes(sorted({c.encode("utf-8")[0] for c in EXPANDING}))
EXPANDING_FIRST_BYTES = bytes.maketrans(_FIRST_BYTES, b"\x00" * len(_FIRST_BYTES))

#: While `re` parses a pattern, each \p{..}, \w, \S... escape stands for a
#: private-use character of its own (a set holding two escapes must stay a set
#: of two: see CharSet.expands); the character's code modulo 4 says what it
#: matches: (widened class, whether it may hold a character that folds to several)
PLACEHOLDER_KINDS = ((NOT_SPACE, True), (NOT_SPACE, False), (SYMBOL_CHAR, False), (ANY_CHAR, True))
LETTERS, OTHERS, SYMBOLS, ANYTHING = range(4)  # \p{L}; \p{N} and \p{M}; \p{So}; the rest
FIRST_PLACEHOLDER, LAST_PLACEHOLDER = 0xF0000, 0xFFFFD


def placeholder(code: int) -> tuple[str, bool] | None:
    """The PLACEHOLDER_KINDS entry of a placeholder character, None for others."""
    if FIRST_PLACEHOLDER <= code <= LAST_PLACEHOLDER:
        return PLACEHOLDER_KINDS[(code - FIRST_PLACEHOLDER) % 4]
    return None


class CharSet:
    """Characters and character kinds, rendered as one `re` element."""

    def __init__(self, ignore_case: bool) -> None:
        self.ignore_case = ignore_case
        self.codes: set[int] = set()
        self.kinds: set[str] = set()
        self.expands = False  # holds a character that folds to several
        self.letters = False  # holds a class of letters, which may hold such characters

    def add(self, low: int, high: int) -> None:
        kind = placeholder(low)
        if kind is not None and low == high:
            self.kinds.add(kind[0])
            self.letters |= kind[1]
            return
        self.expands |= chr(low) in EXPANDING if low == high else any(
            low <= ord(c) <= high for c in EXPANDING)
        if high - low > MAX_RANGE or kind is not None or placeholder(high) is not None:
            self.kinds.add(ANY_CHAR)
            self.letters = True
            return
        for code in range(low, high + 1):
            if self.ignore_case:
                self.codes.update(_regex.get_all_cases(regex.V1 | regex.IGNORECASE, code))
            self.codes.add(code)

    def merge(self, other: CharSet) -> CharSet:
        self.codes |= other.codes
        self.kinds |= other.kinds
        return self

    def category(self, category: Any) -> None:
        # \w, \S, \D and \W are placeholders by now (see re_source)
        self.kinds.add(SPACE if category is sre.CATEGORY_SPACE else DIGIT)

    def source(self) -> str:
        self.codes.discard(10)  # a stripped line holds no newline
        spaces = SPACE in self.kinds or any(chr(c).isspace() for c in self.codes)
        if ANY_CHAR in self.kinds or (NOT_SPACE in self.kinds and spaces):
            return ANY_CHAR
        if NOT_SPACE in self.kinds:
            return NOT_SPACE
        listed = "".join(_ranges(sorted(self.codes))) + "".join(
            k for k in (SPACE, DIGIT) if k in self.kinds)
        if SYMBOL_CHAR in self.kinds:
            return f"(?:{SYMBOL_CHAR}|[{listed}])" if listed else SYMBOL_CHAR
        return f"[{listed}]" if listed else "(?!)"


def has_expanding(text: str) -> bool:
    """Whether `text` holds a character that folds to several (then a rule
    that ignores case cannot use its prefilter). Searching for them costs
    8 ns a character; their UTF-8 first bytes are found 5x faster, and make
    the search needed only for a text with one of them (é is one: C3 A9)."""
    if text.isascii():
        return False
    data = text.encode("utf-8", "surrogatepass").translate(EXPANDING_FIRST_BYTES)
    return b"\x00" in data and EXPANDING_RE.search(text) is not None


#: the `regex` classes a lead writes with data that is not `regex`'s own: a list
#: made from one Unicode version (\s), or `re`'s classes, which follow Python's
#: Unicode version (\d, and \p{So} as "neither \w nor \s"); with each, its `re`
#: form. The two engines' Unicode versions differ (Python 3.11 has 14.0, `regex`
#: 2026.12.2 has 17.0): a character they disagree on is caught in the text.
TRANSLATED = ((r"\s", f"[{SPACE}]"), (r"\d", f"[{DIGIT}]"), (r"\p{So}", SYMBOL_CHAR))


class Agreement:
    """Which characters the `re` forms of `classes` hold whenever `regex`
    holds them, judged a range of code points at a time as texts bring them.
    A text's UTF-8 lead bytes say which ranges it uses (64 code points for a
    2-byte lead, 4,096 for a 3-byte one); a text with a 4-byte character, or
    with a lead byte whose range holds a disagreeing character, is searched
    character by character (blocks of 256 code points)."""

    def __init__(self, classes: tuple[tuple[str, str], ...] = TRANSLATED) -> None:
        self.classes = [(regex.compile(p, regex.V1), re.compile(s), re.compile(s, re.IGNORECASE))
                        for p, s in classes]
        self.disagreeing: set[int] = set()  # code points
        # lead bytes: 1 judged agreeing (or ASCII, continuation, unused), 0 not
        self.leads = bytearray(1 if b < 0xC2 or b > 0xF4 else 0 for b in range(256))
        self.bad_leads: set[int] = set()
        self.blocks: set[int] = set()
        self.search = re.compile("[^\n]")  # a character of a block not judged yet, or disagreeing
        self.ascii_disagrees = bool(self._disagreeing_in(0, 127))

    def _disagreeing_in(self, low: int, high: int) -> set[int]:
        text = "".join(chr(c) for c in range(low, high + 1) if not 0xD800 <= c < 0xE000)
        found = {ord(c) for exact, plain, folded in self.classes for c in exact.findall(text)
                 if c != "\n" and not (plain.fullmatch(c) and folded.fullmatch(c))}
        self.disagreeing |= found
        return found

    def holds_disagreeing(self, text: str) -> bool:
        """Whether `text` holds a character one of the classes matches in
        `regex` but not in its `re` form."""
        if self.ascii_disagrees:
            return self._search(text)
        if text.isascii():
            return False
        data = text.encode("utf-8", "surrogatepass")
        while (at := data.translate(self.leads).find(0)) >= 0:
            lead = data[at]
            if lead >= 0xF0 or lead in self.bad_leads:
                return self._search(text)
            low, size = ((lead & 0x1F) << 6, 64) if lead < 0xE0 else ((lead & 0x0F) << 12, 4096)
            if self._disagreeing_in(low, low + size - 1):
                self.bad_leads.add(lead)
            else:
                self.leads[lead] = 1
        return False

    def _search(self, text: str) -> bool:
        found = self.search.search(text)
        while found is not None:
            code = ord(found.group())
            if code in self.disagreeing:
                return True
            self.blocks.add(code >> 8)
            self._disagreeing_in(code & ~0xFF, code | 0xFF)
            agreeing = [c for b in sorted(self.blocks) for c in range(b << 8, (b + 1) << 8)
                        if c not in self.disagreeing and c != 10]
            self.search = re.compile("[^\n" + "".join(_ranges(agreeing)) + "]")
            found = self.search.search(text, found.start())
        return False


_AGREEMENT: list[Agreement] = []


def untranslated(text: str) -> bool:
    """Whether `text` holds a character `regex` adds to \\s, \\d or \\p{So}
    and the class's `re` form lacks (then the prefilter is not used on it)."""
    if not _AGREEMENT:
        _AGREEMENT.append(Agreement())
    return _AGREEMENT[0].holds_disagreeing(text)


@functools.cache
def literal(code: int, ignore_case: bool) -> str:
    """A literal character, matched with re.IGNORECASE when `ignore_case`:
    written as itself when `re` then matches all its cases that `regex`
    matches, else as a class that adds the ones `re` misses."""
    if code == 10:
        return "(?!)"  # a stripped line holds no newline
    if not ignore_case:
        return re.escape(chr(code))
    missing = [case for case in _regex.get_all_cases(regex.V1 | regex.IGNORECASE, code)
               if not re.fullmatch(re.escape(chr(code)), chr(case), re.IGNORECASE)]
    if not missing:
        return re.escape(chr(code))
    return "[" + "".join(_ranges(sorted({code, *missing}))) + "]"


def _ranges(codes: list[int]) -> list[str]:
    out, i = [], 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        out.append(_class_char(codes[i]) + (f"-{_class_char(codes[j])}" if j > i else ""))
        i = j + 1
    return out


def _class_char(code: int) -> str:
    """One character written for a `re` class: itself when it is a plain letter
    or digit (short patterns compile faster), else an escape."""
    c = chr(code)
    return c if c.isalnum() and c.isprintable() else f"\\U{code:08x}"
