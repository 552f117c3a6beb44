"""Text so repetitive it was written for search engines: the Gopher
repetition statistics (Rae et al. 2021, table A1) and keyword stuffing."""
from __future__ import annotations

import re
from itertools import islice
from typing import Any, Iterator

from newslint.checks.repetition.paragraphs import (
    Body,
    body,
    option_problem,
    repeated,
    words_keys,
)
from newslint.checks.repetition.stats import WordGrams
from newslint.checks.repetition.tokens import Para
from newslint.model import Article, Finding
from newslint.rule import ArticleRule, parse_examples

#: scripts written without spaces between words: word n-grams mean nothing there
SPACELESS = re.compile("[\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff"
                       "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def spaceless(text: str) -> bool:
    sample = text[:1000]
    return len(SPACELESS.findall(sample)) > 0.3 * len(sample)


def spaceless_body(article: Article) -> bool:
    """`spaceless(article.text)`; those scripts are not ASCII, and whether a
    block is ASCII is known without reading it (O(1) in CPython), so ASCII
    articles are answered without joining the body."""
    return not all(b.text.isascii() for b in article.blocks) and spaceless(article.text)


#: More near copies than this in one article is templated text (stuffing), not
#: a paragraph or two rendered twice, so they stay in the repetition statistics.
MAX_NEAR_COPIES_SET_ASIDE = 2


def distinct_paragraphs(text: Body) -> list[Para]:
    """The paragraphs without the exact copies and the few near copies that
    `duplicate-paragraph` and `duplicate-paragraph-near` report."""
    near = text.near_copies(text.candidates(10))
    if not text.copies and (not near or len(near) > MAX_NEAR_COPIES_SET_ASIDE):
        return text.paras  # the usual case: nothing set aside
    copies = {later.index for later, _ in text.copies}
    if len(near) <= MAX_NEAR_COPIES_SET_ASIDE:
        copies.update(near)
    return [p for p in text.paras if p.index not in copies]


def duplicate_shares(keys: list[bytes]) -> tuple[float, float]:
    """(fraction of items, fraction of characters) that repeat an earlier item."""
    seen: set[bytes] = set()
    count = chars = 0
    for key in keys:
        if key in seen:
            count, chars = count + 1, chars + len(key)
        seen.add(key)
    return count / max(len(keys), 1), chars / max(sum(map(len, keys)), 1)


_STUFFED = ("Putin Xi Jinping live: what is happening",
            *(f"{opening} the Putin Xi Jinping live coverage, {body} Every Putin Xi Jinping live "
              f"update matters, analysts said, and readers follow each meeting closely as the "
              f"partnership between the two countries grows deeper and wider every single year."
              for opening, body in (("Welcome to", "we look at the summit."),
                                    ("Inside", "trade deals top the agenda."),
                                    ("Beyond", "military drills come next."),
                                    ("After", "energy talks continue."))))


_CALM = ("China has been pivotal in this dynamic, bolstering Russia's economy by purchasing oil "
         "and supplying components for its industries.",
         "Both leaders frame their alliance as a commitment to a multipolar world, in opposition "
         "to U.S. dominance.",
         "The two leaders met in Moscow on Thursday for talks on trade, energy and security, "
         "officials said, before a parade on Red Square that drew leaders from 25 countries.")


OPTION_RANGES = {**dict.fromkeys(
    ("dup_line_fraction", "dup_paragraph_fraction", "dup_line_char_fraction",
     "dup_paragraph_char_fraction", "top_ngram_char_fractions", "dup_ngram_char_fractions",
     "stuffing_paragraph_share"), (0.0, 1.0)), "stuffing_ngram": (2, 10),
    **dict.fromkeys(("min_words", "stuffing_min_count", "stuffing_min_paragraphs",
                     "long_paragraph_words"), (1, 1_000_000))}


def block_lines(paras: list[Para]) -> list[bytes]:
    """The words of each line of these blocks (a one-line block is its key),
    without empty lines; the lines of all blocks are tokenised in one pass."""
    split = [p.block.text.split("\n") if "\n" in p.block.text.strip() else None for p in paras]
    keys = iter(words_keys([line for lines in split if lines for line in lines]))
    out: list[bytes] = []
    for p, lines in zip(paras, split):
        if lines is None:
            out.append(p.key)
        else:
            out.extend(filter(None, islice(keys, len(lines))))
    return out


class KeywordStuffing(ArticleRule):
    code = "NL205"
    name = "duplicate-paragraph-keyword-stuffing"
    level = "warning"
    summary = "Text so repetitive it was written for search engines: keyword stuffing."
    docs = {
        "what": "Measures repetition the way the Gopher quality filters do (Rae et al. 2021, "
                "table A1): the share of duplicate lines and paragraphs (by count and by "
                "characters), the share of the text taken by the most repeated 2-, 3- and 4-word "
                "sequence, and the share covered by repeated 5- to 10-word sequences; each has a "
                "limit (the Gopher defaults). It also catches keyword stuffing that these "
                "whole-text shares miss: one `stuffing_ngram`-word phrase (with at least two "
                "words of four letters or more) repeated `stuffing_min_count` times or more and "
                "spread over at least `stuffing_paragraph_share` of the long paragraphs (at least "
                "`stuffing_min_paragraphs` of them). Blocks that `duplicate-paragraph` and "
                "`duplicate-paragraph-title` report are counted once, so one defect is not "
                "reported twice. Texts of fewer than `min_words` words are skipped, and so are the "
                "word statistics of texts in scripts written without spaces (Chinese, Japanese, "
                "Thai, ...), where words cannot be split reliably.",
        "why": "Content farms repeat a search phrase (\"Putin Xi Jinping live\") in every "
               "paragraph. Such text carries little information, ranks badly and poisons "
               "training data; the Gopher filters drop it from language-model corpora.",
        "example": "`When we look at the Putin Xi Jinping live dynamic ...`, `Every time Putin Xi "
                   "Jinping live updates emerge ...`, `... on Putin Xi Jinping live developments`",
        "fix": "None: the text must be rewritten or dropped.",
        "options": "Fractions are of the length of the words (in UTF-8 bytes; spaces and punctuation "
                   "excluded). "
                   "`top_ngram_char_fractions` are the limits for 2-, 3- and 4-grams, "
                   "`dup_ngram_char_fractions` for 5- to 10-grams.",
    }
    options = {"dup_line_fraction": 0.30, "dup_paragraph_fraction": 0.30,
               "dup_line_char_fraction": 0.20, "dup_paragraph_char_fraction": 0.20,
               "top_ngram_char_fractions": [0.20, 0.18, 0.16],
               "dup_ngram_char_fractions": [0.15, 0.14, 0.13, 0.12, 0.11, 0.10],
               "min_words": 50, "stuffing_ngram": 4, "stuffing_min_count": 6,
               "stuffing_min_paragraphs": 4, "stuffing_paragraph_share": 0.6,
               "long_paragraph_words": 40}
    examples = parse_examples({
        "fail": ["\n\n".join(_STUFFED + (_STUFFED[1].replace("Welcome to", "More on"),
                                         _STUFFED[2].replace("Inside", "Around"))),
                 "\n\n".join(["Buy cheap", "Buy cheap shoes online now.", *(
                     f"Buy cheap shoes online now, buy cheap shoes online today, number {i}."
                     for i in range(12))])],
        "pass": ["\n\n".join(["Putin and Xi meet", *_CALM])],
    }, "NL205")

    def check_options(self, options: dict[str, Any]) -> None:
        problem = option_problem(options, OPTION_RANGES)
        if problem:
            raise ValueError(problem)

    def check(self, article: Article, options: dict[str, Any]) -> Iterator[Finding]:
        problem = option_problem(options, OPTION_RANGES)
        if problem:
            yield self.finding(article, f"rule {self.code}: {problem}", level="error")
            return
        text = body(article)
        kept = distinct_paragraphs(text)
        if sum([p.size for p in kept]) < options["min_words"]:
            return
        grams = None
        if not spaceless_body(article):
            grams = text.grams if kept is text.paras else WordGrams(kept, text.grams)
        problem = self._block_problem(text, kept, options) or (grams and self._ngram_problem(grams, options))
        if problem:
            yield self._finding(article, kept, grams, problem)
        elif grams is not None and (stuffed := self._stuffing(grams, kept, options)):
            yield self._stuffed(article, grams, options["stuffing_ngram"], *stuffed,
                                line=article.blocks[grams.owner[stuffed[0]]].line)

    @staticmethod
    def _block_problem(text: Body, kept: list[Para],
                       options: dict[str, Any]) -> tuple[str, float, float] | None:
        keys = [p.key for p in kept]
        if not (text.any_repeat if kept is text.paras else repeated(keys)) \
                and not (text.multiline and any("\n" in p.block.text.strip() for p in kept)):
            return None  # no block repeats and the lines are the blocks: all shares are 0
        lines = block_lines(kept)
        para_count, para_chars = duplicate_shares(keys)
        line_count, line_chars = duplicate_shares(lines)
        for label, value, key in (("duplicate lines", line_count, "dup_line_fraction"),
                                  ("duplicate paragraphs", para_count, "dup_paragraph_fraction"),
                                  ("characters in duplicate lines", line_chars, "dup_line_char_fraction"),
                                  ("characters in duplicate paragraphs", para_chars,
                                   "dup_paragraph_char_fraction")):
            if value > options[key]:
                return label, value, options[key]
        return None

    @staticmethod
    def _ngram_problem(grams: WordGrams, options: dict[str, Any]) -> tuple[str, float, float] | None:
        for n, limit in enumerate(options["top_ngram_char_fractions"], start=2):
            if grams.top_share_bound(n) <= limit:
                continue  # a cheap upper bound: top(n) cannot exceed the limit
            top = grams.top(n)
            if top and top[2] > limit:
                return f"the most repeated {n}-word sequence", top[2], limit
        limits = options["dup_ngram_char_fractions"]
        for i, limit in enumerate(limits):
            if grams.duplicated_share_bound(5 + i) <= min(limits[i:]):
                break  # the share is at most that bound: the same break as below, cheaper
            share = grams.duplicated_share(5 + i)
            if share > limit:
                return f"text in repeated {5 + i}-word sequences", share, limit
            if share <= min(limits[i:]):
                break  # longer repeats cover no more text than shorter ones
        return None

    @staticmethod
    def _stuffing(grams: WordGrams, kept: list[Para],
                  options: dict[str, Any]) -> tuple[int, int, int, int] | None:
        """(position, count, paragraphs, long paragraphs) of a stuffed phrase."""
        n = options["stuffing_ngram"]
        long = {p.index for p in kept if p.size >= options["long_paragraph_words"]}
        if len(long) < options["stuffing_min_paragraphs"]:
            return None
        for occurrences in grams.frequent(n, options["stuffing_min_count"], 10):
            position, count = occurrences[0], len(occurrences)
            if sum(length >= 4 for length in grams.lengths[position:position + n].tolist()) < 2:
                continue  # a run of short function words ("at the end of")
            spread = len(long & grams.blocks_of(occurrences))
            if spread >= options["stuffing_min_paragraphs"] \
                    and spread >= options["stuffing_paragraph_share"] * len(long):
                return position, count, spread, len(long)
        return None

    def _finding(self, article: Article, kept: list[Para], grams: WordGrams | None,
                 problem: tuple[str, float, float]) -> Finding:
        label, value, limit = problem
        message = f"repetitive text: {label} make up {value:.0%} of it (limit {limit:.0%})"
        data: dict[str, Any] = {"measure": label, "value": round(value, 4), "limit": limit}
        top = most_repeated(grams)
        if top:
            n, position, count, share = top
            message += (f"; the most repeated phrase '{grams.text(position, n)}' occurs {count} "
                        f"times ({share:.1%} of the text)")
            data.update(ngram=grams.text(position, n), count=count, fraction=round(share, 4))
        return self.finding(article, message, line=kept[0].line, data=data)

    def _stuffed(self, article: Article, grams: WordGrams, n: int, position: int, count: int,
                 spread: int, long: int, line: int) -> Finding:
        phrase, share = grams.text(position, n), grams.share(position, n, count)
        return self.finding(article, f"keyword stuffing: '{phrase}' occurs {count} times, in "
                            f"{spread} of {long} long paragraphs ({share:.1%} of the text)",
                            line=line, data={"measure": "keyword stuffing", "ngram": phrase,
                                             "count": count, "fraction": round(share, 4),
                                             "paragraphs": spread})


def most_repeated(grams: WordGrams | None) -> tuple[int, int, int, float] | None:
    """(n, position, count, fraction) of the 2- to 4-gram taking the largest share."""
    if grams is None:
        return None
    found = [(n, *top) for n in (4, 3, 2) if (top := grams.top(n))]
    return max(found, key=lambda t: t[3], default=None)
