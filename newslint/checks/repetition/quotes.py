"""Finding pull quotes: short blocks whose words occur, in order, inside a
longer paragraph of the same article (`duplicate-paragraph-pull-quote`)."""
from __future__ import annotations

from newslint.checks.repetition.paragraphs import SENTENCE_END
from newslint.checks.repetition.tokens import Para, letters_and_sizes
from newslint.model import Block

#: up to this many quotes (or blocks that may be quotes) are searched for one
#: by one, with a fast substring search over the whole text each: linear
FEW_QUOTES = 16


def might_quote(blocks: list[Block], min_words: int, max_words: int) -> bool:
    """False when no block can be a pull quote, decided on the blocks' letters
    and sizes (see `repetition_tokens.letters_and_sizes`) without tokenising
    them: a quote's words inside a longer paragraph put its letters inside
    that paragraph's letters, so they occur twice in the text."""
    letters, sizes = letters_and_sizes([b.text for b in blocks]) if blocks else ([], [])
    quotes = [run for block, run, size in zip(blocks, letters, sizes)
              if min_words <= size <= max_words and block.text.strip().endswith(SENTENCE_END)]
    if len(quotes) > FEW_QUOTES:
        return True
    whole = b"\x00".join(letters)
    return any(whole.count(run) >= 2 for run in quotes)


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
