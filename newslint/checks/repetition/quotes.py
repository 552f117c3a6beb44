"""Finding pull quotes: short blocks whose words occur, in order, inside a
longer paragraph of the same article (`duplicate-paragraph-pull-quote`)."""
from __future__ import annotations

from newslint.checks.repetition.tokens import Para

#: up to this many quotes (or blocks that may be quotes) are searched for one
#: by one, with a fast substring search over the whole text each: linear
FEW_QUOTES = 16


def quote_sources(paras: list[Para], quotes: list[Para], k: int) -> dict[int, Para]:
    """For each quote, the first paragraph at least 5 words longer that
    contains its words in order (found: `quotes` are at least k words long)."""
    if len(quotes) > FEW_QUOTES:
        return _sources_by_windows(paras, quotes, k)
    found: dict[int, Para] = {}
    if not quotes:
        return found
    # A quote occurring once in the whole text (in itself) is nowhere else.
    padded = [b" " + p.key + b" " for p in paras]
    whole = b"\x00".join(padded)
    for quote in quotes:
        needle = b" " + quote.key + b" "
        if whole.count(needle) < 2:
            continue
        for other, text in zip(paras, padded):
            if other.size >= quote.size + 5 and needle in text:
                found[quote.index] = other
                break
    return found


def _sources_by_windows(paras: list[Para], quotes: list[Para], k: int) -> dict[int, Para]:
    """`quote_sources` for many quotes. Linear: quotes are looked up by their
    first k words while each paragraph's k-word windows are scanned once."""
    by_start: dict[tuple[bytes, ...], list[Para]] = {}
    for quote in quotes:
        by_start.setdefault(tuple(quote.key.split(b" ")[:k]), []).append(quote)
    found: dict[int, Para] = {}
    for other in paras:
        words = other.key.split(b" ")
        padded = b" " + other.key + b" "
        for i in range(len(words) - k + 1):
            for quote in by_start.get(tuple(words[i:i + k]), ()):
                if quote.index not in found and other.size >= quote.size + 5 \
                        and b" " + quote.key + b" " in padded:
                    found[quote.index] = other
    return found
