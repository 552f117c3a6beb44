"""Corpus-learned boilerplate: a body line that many articles of the corpus
share is a site template line (a footer, a disclaimer, a promo), even when no
phrase rule in `rules/boilerplate/` knows its wording.

The phrase rules themselves are declarative (one YAML file each, kind
`phrase`); this module holds the one rule that needs the whole corpus.
"""
from __future__ import annotations

import math
import os
import posixpath
import re
import struct
from typing import Any, Iterable, Iterator
from urllib.parse import urlsplit

import xxhash

from newslint.checks.boilerplate.chrome_vocabulary import is_metadata_line
from newslint.lazy import lazy_module
from newslint.model import Article, Finding
from newslint.rule import ArticleRef, CorpusRule, parse_examples
from newslint.text.lines import normalize

np = lazy_module("numpy")

SUMMARY_VERSION = 2
_HEADER = struct.Struct("<BIQ")        # version, number of lines, hash of the site
_HASH, _LINE, _CHARS = "<u8", "<u4", "<u2"  # numpy dtypes
ELIGIBLE = 1 << 31                     # high bit of the line number: may be reported
SITE_ELIGIBLE = 1 << 30                # may be reported as a line of its site's template
MAX_LINE = (1 << 30) - 1


xxh3_64_intdigest = xxhash.xxh3_64_intdigest


def line_hash(normalized: str) -> int:
    return xxh3_64_intdigest(normalized.encode("utf-8", "surrogatepass"))


def encode_lines(hashes: list[int], lines: list[int], chars: list[int], site: int = 0) -> bytes:
    """The cached summary: a header (with the hash of the article's site),
    then uint64 hashes, uint32 lines (the two high bits set when the line may
    be reported corpus-wide / as its site's template) and uint16 lengths (at
    most 0xFFFF), little-endian. (struct, not numpy: 5x faster for an
    article's few lines.)"""
    n = len(hashes)
    return (_HEADER.pack(SUMMARY_VERSION, n, site) + struct.pack(f"<{n}Q{n}I", *hashes, *lines)
            + struct.pack(f"<{n}H", *[c if c <= 0xFFFF else 0xFFFF for c in chars]))


def decode_lines(data: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray, int] | None:
    """(hashes, lines, chars, site), or None for a summary of another version or a damaged one."""
    if len(data) < _HEADER.size or data[0] != SUMMARY_VERSION:
        return None
    version, n, site = _HEADER.unpack_from(data)
    if version != SUMMARY_VERSION or len(data) != _HEADER.size + 14 * n:
        return None
    pos = _HEADER.size
    hashes = np.frombuffer(data, _HASH, n, pos)
    lines = np.frombuffer(data, _LINE, n, pos + 8 * n)
    chars = np.frombuffer(data, _CHARS, n, pos + 12 * n)
    return hashes, lines, chars, site


def decode_many(datas: list[bytes]) -> tuple[list[int], np.ndarray, np.ndarray, np.ndarray,
                                               list[int], list[int]]:
    """Many summaries at once: (the positions of the usable ones, and of
    those, all hashes, lines and lengths joined, each one's site and number
    of lines). The parts are cut as bytes and joined, then read by numpy once:
    three numpy arrays per article made 0.5 s of 10,000 articles' 0.7 s."""
    usable, sites, counts = [], [], []
    parts: tuple[list[bytes], list[bytes], list[bytes]] = ([], [], [])
    unpack, size = _HEADER.unpack_from, _HEADER.size
    for i, data in enumerate(datas):
        if len(data) < size or data[0] != SUMMARY_VERSION:
            continue
        _, n, site = unpack(data)
        if len(data) != size + 14 * n:
            continue
        usable.append(i)
        sites.append(site)
        counts.append(n)
        parts[0].append(data[size:size + 8 * n])
        parts[1].append(data[size + 8 * n:size + 12 * n])
        parts[2].append(data[size + 12 * n:])
    hashes, lines, chars = (np.frombuffer(b"".join(part), dtype)
                            for part, dtype in zip(parts, (_HASH, _LINE, _CHARS)))
    return usable, hashes, lines, chars, sites, counts


#: in ASCII text, the characters text.normalize's [\p{P}\p{S}\s]+ matches: all
#: punctuation and symbols, and regex's spaces (\x1c-\x1f are not among them)
ASCII_PUNCT_SPACE_RE = re.compile(r"[\t\n\x0b\x0c\r !-/:-@\[-`{-~]+")


def numbered_lines(article: Article) -> list[tuple[int, str]]:
    """(file line, text) of the lines of body_lines, numbered as it does, but
    without its Line objects and their offsets: making those was half the
    cost of the summary, and the phrase and damage rules no longer need them
    for an article they find nothing in."""
    if article.record_line is not None:
        return [(block.line, text) for block in article.blocks for text in block.text.split("\n")]
    return [(block.line + i, text) for block in article.blocks
            for i, text in enumerate(block.text.split("\n"))]


def normalize_line(text: str) -> str:
    """text.normalize(text), 3x faster for ASCII text, which NFKC leaves as it
    is and casefold lower-cases: then stdlib `re` does the same substitution."""
    if text.isascii():
        return ASCII_PUNCT_SPACE_RE.sub(" ", text.lower()).strip()
    return normalize(text)


_BODY = ("The council met on day {day} to discuss item {item} of its agenda, a plan to rebuild "
         "the harbour wall that has divided the town for years, the clerk said after the vote.")


class RepeatedLine(CorpusRule):
    code = "NL120"
    name = "boilerplate-repeated-line"
    level = "warning"
    summary = "A body line that many articles of the corpus, or of one site, share: a template line."
    summary_version = str(SUMMARY_VERSION)
    docs = {
        "what": "Learns boilerplate from the corpus: a body line (compared case-, space- and "
                "punctuation-insensitively) that occurs in at least `min_articles` distinct "
                "articles and in at least `min_fraction` of all articles is flagged, even when "
                "no phrase rule knows its wording. Lines of fewer than `min_words` words or more "
                "than `max_chars` characters are never flagged: a shared long sentence is a "
                "quotation or syndication, which the near-duplicate rules report. An article "
                "that shares more than `max_shared_text` of its text (by characters) with other "
                "articles is a copy, not a template user, and is left to the near-duplicate "
                "rules too. Lines "
                "a boilerplate rule already flagged are left out.\n\n"
                "Per site, the bar is lower and single words count: a line of up to "
                "`max_chars` characters, even one word (`Home`, `Advertisement`), that occurs "
                "in at least `site_min_articles` articles of one site and in at least "
                "`site_min_fraction` of that site's articles is the site's template. An "
                "article's site is the host of its URL (`www.` left out), else its outlet, "
                "else the folder it is in (scrapers usually save a folder per site). Bylines and "
                "datelines are never a site's template.",
        "why": "Sites repeat footers, disclaimers and promos on every page. They are not part "
               "of any story, and they make unrelated articles from one site look alike.",
        "example": "Eight articles of one site all end with `The views expressed are the "
                   "author's own and do not reflect those of the Daily Planet.`",
        "fix": "None: the finding comes from the corpus summary, not the article text. Add "
               "the wording to a phrase rule (a YAML file with `fix: remove-line`) to remove "
               "it automatically.",
        "options": "`min_articles` and `min_fraction` together set how common a line must be "
                   "in the corpus, `site_min_articles` and `site_min_fraction` in one site; "
                   "in each pair the larger of the two thresholds applies.",
    }
    options = {"min_articles": 5, "min_fraction": 0.01, "min_words": 2, "max_chars": 200,
               "max_shared_text": 0.5, "site_min_articles": 4, "site_min_fraction": 0.5}
    examples = parse_examples({
        "fail": [[f"Story {i}\n\n{_BODY.format(day=i, item=i * 7)}\n\nThe views expressed are "
                  "the author's own and do not reflect those of the Daily Planet."
                  for i in range(1, 7)],
                 [f"Story {i}\n\nGallery\n\n{_BODY.format(day=i, item=i * 7)}" for i in range(1, 5)]],
        "pass": [[f"Story {i}\n\n{_BODY.format(day=i, item=i * 7)}"
                  + ("\n\n\"We will not back down,\" the mayor said." if i < 3 else "")
                  for i in range(1, 7)]],
    }, "NL120")

    def check_options(self, options: dict[str, Any]) -> None:
        check_options(options)
        super().check_options(options)

    def summarize(self, article: Article, options: dict[str, Any]) -> bytes:
        skip = article.extra.get("boilerplate_lines", frozenset())
        max_chars, min_words = options["max_chars"], options["min_words"]
        hashes, lines, chars = [], [], []
        for number, text in numbered_lines(article):
            stripped = text.strip()
            if not stripped or number in skip:
                continue
            if len(stripped) > max_chars:
                # never reported, only counted to tell copies from template users:
                # the exact text is key enough, and much faster than normalising it
                hashes.append(xxh3_64_intdigest(stripped.encode("utf-8", "surrogatepass"), seed=1))
                eligible = 0
            else:
                key = normalize_line(stripped)
                if not key:
                    continue
                hashes.append(line_hash(key))
                eligible = (ELIGIBLE if key.count(" ") + 1 >= min_words else 0) \
                    | (0 if is_metadata_line(stripped) else SITE_ELIGIBLE)
            lines.append((number if number < MAX_LINE else MAX_LINE) | eligible)
            chars.append(len(stripped))
        return encode_lines(hashes, lines, chars, line_hash(site_of(article)))

    def report(self, corpus: Iterable[tuple[ArticleRef, bytes]],
               options: dict[str, Any]) -> Iterator[Finding]:
        """One pass over all the corpus's lines at once, in numpy: per article,
        numpy calls on a few dozen lines cost more than the work (0.3 s on
        10,000 articles; this way 0.03 s)."""
        check_options(options)
        refs, datas = [], []
        for ref, data in corpus:
            refs.append(ref)
            datas.append(data)
        usable, hashes, lines, chars, sites, counts = decode_many(datas)
        refs = [refs[i] for i in usable]
        total = len(refs)
        needed = self.articles_needed(total, options)
        if total < min(needed, options["site_min_articles"]):
            return
        owner = np.repeat(np.arange(total), counts)
        found = articles_per_line(hashes, owner)
        weight = chars.astype(np.float64)  # sums of integers, exact below 2**53
        shared = np.bincount(owner, weights=weight * (found >= 2), minlength=total)
        # an article that shares most of its text is a copy, not a template user
        template_user = shared <= options["max_shared_text"] * np.bincount(
            owner, weights=weight, minlength=total)
        target = np.fromiter((ref.is_target for ref in refs), bool, total)
        reportable = (template_user & target)[owner]
        corpus_hit = (found >= needed) & ((lines & ELIGIBLE) != 0)
        site_found, site_needed, site_size = site_counts(hashes, owner, sites, options)
        site_hit = (site_found >= site_needed) & ((lines & SITE_ELIGIBLE) != 0) & ~corpus_hit
        for i in np.flatnonzero((corpus_hit | site_hit) & reportable):
            if corpus_hit[i]:
                n, where = int(found[i]), f"{total:,} articles"
            else:
                n, where = int(site_found[i]), f"{int(site_size[i]):,} articles of its site"
            yield self.line_finding(refs[owner[i]], int(lines[i]) & MAX_LINE, n, where)

    # -- the pieces a distributed run (newslint.integrations.spark) puts together ----------
    lines_of = staticmethod(decode_lines)

    @staticmethod
    def articles_needed(total: int, options: dict[str, Any]) -> int:
        """In how many distinct articles of `total` a line must occur corpus-wide."""
        return max(options["min_articles"], math.ceil(options["min_fraction"] * total), 2)

    def line_finding(self, ref: ArticleRef, line: int, articles: int, where: str) -> Finding:
        """`where`: "1,000 articles" (the corpus) or "12 articles of its site"."""
        return ref.finding(self, f"this line occurs in {articles:,} of {where}: a site template "
                           "line, not article text", line=line, data={"articles": articles})


def site_counts(hashes: np.ndarray, owner: np.ndarray, sites: list[int],
                options: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per line: the number of articles of its own site that have it, the
    number needed and the number of articles of the site (a site of fewer than
    `site_min_articles` articles needs more than it has)."""
    site_ids, site_of_article = np.unique(np.asarray(sites, np.uint64), return_inverse=True)
    size = np.bincount(site_of_article, minlength=len(site_ids))[site_of_article][owner]
    line_site = np.asarray(sites, np.uint64)[owner]
    found = articles_per_line(hashes ^ line_site, owner)
    needed = np.maximum(options["site_min_articles"],
                        np.ceil(options["site_min_fraction"] * size)).astype(np.int64)
    needed[size < options["site_min_articles"]] = np.iinfo(np.int64).max
    return found, needed, size


def site_of(article: Article) -> str:
    """The site an article comes from: the host of its URL, else its outlet,
    else the folder it is in (a scraper's usual layout: a folder per site)."""
    url = article.meta.url
    if url:
        try:
            host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
        except ValueError:  # a scraped url such as "http://[oops" is no URL: fall through
            host = ""
        if host:
            return "host:" + host.removeprefix("www.")
    if article.meta.outlet:
        return "outlet:" + normalize_line(article.meta.outlet)
    return "folder:" + _dirname(article.path)


def _posix_dirname(path: str) -> str:
    """posixpath.dirname for a str (without its fspath and separator look-ups,
    which were a third of the cost of a summary)."""
    head = path[:path.rfind("/") + 1]
    if head and head != "/" * len(head):
        head = head.rstrip("/")
    return head


_dirname = _posix_dirname if os.path is posixpath else os.path.dirname


def articles_per_line(hashes: np.ndarray, owner: np.ndarray) -> np.ndarray:
    """For each line, the number of distinct articles (`owner`) that have its hash."""
    if not len(hashes):
        return np.zeros(0, np.int64)
    order = np.lexsort((owner, hashes))
    h, o = hashes[order], owner[order]
    first = np.ones(len(h), bool)
    first[1:] = (h[1:] != h[:-1]) | (o[1:] != o[:-1])  # the first line of each (hash, article)
    shared, counts = np.unique(h[first], return_counts=True)
    return counts[np.searchsorted(shared, hashes)]


def check_options(options: dict[str, Any]) -> None:
    """Raise ValueError naming the first option out of range."""
    ranges = {"min_articles": (2, 10**9), "min_fraction": (0.0, 1.0), "min_words": (1, 10**6),
              "max_chars": (1, 10**6), "max_shared_text": (0.0, 1.0),
              "site_min_articles": (2, 10**9), "site_min_fraction": (0.0, 1.0)}
    for key, (low, high) in ranges.items():
        value = options[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
            raise ValueError(f"option {key} must be a number between {low} and {high} (got {value!r})")
