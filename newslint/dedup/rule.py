"""near-duplicate (NL601): the article is a copy, or nearly a copy, of another."""
from __future__ import annotations

import math
import os
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence

from newslint.model import Article, Finding
from newslint.rule import ArticleRef, CorpusRule, Memo, parse_examples

if TYPE_CHECKING:
    from newslint.dedup.matching import Match
    from newslint.dedup.shingles import Shingles
# The sketching modules (numpy) are imported where they are used: a rerun
# served from the cache never needs them (see newslint.lazy).

NAMED_IN_MESSAGE = 5
SPREAD_PARTS = 8       # groups of files the verification is cut into for the workers
_LIMITS = {"shingle_words": (1, 255), "shingle_chars": (1, 255), "num_perm": (16, 1024),
           "min_shingles": (1, 1_000_000)}

STORY = ("Ministers from twelve countries met in Lisbon on Tuesday to agree new rules for "
         "fishing quotas in the North Atlantic, after two years of talks that at times looked "
         "close to collapse. The agreement cuts the cod quota by a fifth and sets up a joint "
         "inspection service with its own patrol boats. Environmental groups called the deal "
         "a modest step, while fishing unions warned that smaller ports would lose jobs.")
STORY_EDITED = STORY.replace("on Tuesday", "this week").replace("a modest step", "too timid")
OTHER_TAKE = ("Fishing communities along the Portuguese coast reacted with anger to the quota "
              "agreement signed in Lisbon, which trims the cod catch by twenty percent. Harbour "
              "masters in Peniche said the new inspection patrols would fall hardest on family "
              "boats, and a union leader promised protests before the rules take effect next "
              "spring. Officials insisted the cut was needed to let stocks recover.")


class NearDuplicate(CorpusRule):
    code = "NL601"
    name = "near-duplicate"
    level = "warning"
    summary = "The article is a copy or a near copy of another article in the corpus."
    summary_version = "3"  # the layout of the bytes (minhash.encode)
    remembers = True       # verified similarities (matching.PairMemo)
    uses_workers = True    # candidate pairs' articles re-read in the run's workers (`spread`)
    options = {"threshold": 0.5, "shingle_words": 5, "shingle_chars": 5, "num_perm": 128,
               "min_shingles": 20}
    docs = {
        "what": "Flags every checked article whose text has a Jaccard similarity at or above "
                "`threshold` with another article of the corpus (the other checked files and the "
                "`corpus` folders), naming the other articles (`path`, or `path:LINE` for a JSON "
                "Lines record) and the similarity; copies with the same text say `exact copy`.\n\n"
                "Similarity is the Jaccard similarity of the articles' shingle sets: the body is "
                "normalised (NFKC, case-folded, punctuation and whitespace ignored), lines flagged "
                "by boilerplate rules are left out one by one (where one file line holds several "
                "body lines, as in a one-line HTML page or a JSON record, each is checked alone, "
                "so only the boilerplate lines go, never the whole article), words are cut into overlapping runs of "
                "`shingle_words` words, and text in scripts written without spaces (Chinese, "
                "Japanese, Thai, Lao, Khmer, Burmese) into runs of `shingle_chars` characters. "
                "MinHash signatures and LSH find candidate pairs; every reported similarity is "
                "then computed exactly from both articles' shingle sets, so LSH false positives "
                "are never reported. Only if an article cannot be re-read exactly (read from "
                "stdin, changed during the run) is the MinHash estimate shown, as `≈0.62±0.04` "
                "with its standard error sqrt(J(1-J)/num_perm) (at most 0.044 for 128).",
        "why": "Syndicated and scraped copies inflate a corpus, skew statistics and let one "
               "story count many times (or leak into a test split). Keep one copy.",
        "example": "Two files carrying the same wire story, one with a \"Subscribe to our "
                   "newsletter\" footer: `near-duplicate of b.txt (similarity 0.93)`.",
        "fix": "Keep one copy: `newslint dedup PATH --keep best --drop-list drop.txt` lists "
               "the clusters and the copies to drop.",
        "options": "Defaults tuned for news. `threshold = 0.5`: with 5-word shingles, different "
                   "articles on the same story (same names, quotes and numbers) share well "
                   "under 0.05 (0.000 for the five articles on one meeting newslint was designed "
                   "from), while a copy with a new headline, a changed lead or a site's header "
                   "and footer stays above 0.6; at 0.5 half the 5-word runs are shared, which "
                   "independent writing does not do. `shingle_words = 5`: 3-word shingles are "
                   "common phrases (\"the prime minister\"), 8 or more make every small edit "
                   "destroy many shingles. `shingle_chars = 5`: about two to three words of "
                   "Chinese or Japanese. `min_shingles = 20`: texts shorter than about 25 words "
                   "are not compared. `num_perm = 128`: signature length (512 bytes); candidates "
                   "come from LSH with the (bands, rows) datasketch's optimiser gives when false "
                   "negatives weigh 0.95 (26 x 3 at 0.5), so 99% of pairs at threshold + 0.05 are "
                   "compared, and each candidate is then checked exactly.",
    }
    examples = parse_examples({
        "fail": [
            [f"Cod quota cut\n\n{STORY}", f"Deal on cod quotas\n\nSubscribe to our newsletter\n\n"
             f"{STORY_EDITED}\n\nNo time to read? Get a summary"],
            [f"Cod quota cut\n\n{STORY}", f"Cod quota cut\n\n{STORY}"],
        ],
        "pass": [[f"Cod quota cut\n\n{STORY}", f"Ports angry at quota deal\n\n{OTHER_TAKE}"]],
    }, "NL601")

    def check_options(self, options: dict[str, Any]) -> None:
        check_options(options)
        super().check_options(options)

    def summarize(self, article: Article, options: dict[str, Any]) -> bytes:
        return self.sketch(article, options)[1]

    def sketch(self, article: Article, options: dict[str, Any]) -> tuple[Shingles, bytes]:
        """(the exact shingle set, the summary: header, skipped lines, MinHash
        signature). The Spark mode keeps both: it verifies candidate pairs
        from the sets instead of reading the articles again."""
        from newslint.dedup.minhash import encode
        from newslint.dedup.verify import article_shingles
        k_words, k_chars, num_perm = (_clamped(options, key) for key in
                                      ("shingle_words", "shingle_chars", "num_perm"))
        skipped = skipped_lines(article)
        found = article_shingles(article, skipped, k_words, k_chars)
        return found, encode(found, skipped, k_words, k_chars, num_perm)

    def report(self, corpus: Iterable[tuple[ArticleRef, bytes]], options: dict[str, Any],
               memo: Memo | None = None, spread: Callable | None = None) -> Iterator[Finding]:
        from newslint.dedup.matching import PairMemo, find_matches
        from newslint.dedup.verify import ExactSets
        check_options(options)
        refs, blobs = refs_and_blobs(corpus)
        known = PairMemo(memo, _clamped(options, "shingle_words"),
                         _clamped(options, "shingle_chars")) if memo is not None else None
        matches = find_matches(refs, blobs, options["threshold"],
                               options["num_perm"], options["min_shingles"],
                               ExactSets().load if spread is None else spread_loader(spread),
                               known)
        for position, (total, found) in sorted(matches.items()):
            yield self.finding_for(refs[position], total, found, refs, options)

    def finding_for(self, ref: ArticleRef, total: int, found: list[Match],
                    refs: list[ArticleRef], options: dict[str, Any]) -> Finding:
        """The finding for `ref`, which has `total` matches, the first of them
        `found` (`Match.other` is a position in `refs`)."""
        return ref.finding(self, message(found, total, refs, options["num_perm"]),
                           data={"count": total, "length": ref.length,
                                 "duplicates": [match_data(m, refs[m.other]) for m in found]})


def spread_loader(spread: Callable, parts: int = SPREAD_PARTS) -> Callable:
    """An exact-set loader (`verify.ExactSets.load`) that reads the articles
    of candidate pairs in `parts` groups of files through `spread` (a map
    running in worker processes): at 100,000 articles, re-reading and
    shingling the articles of the candidate pairs took seconds of one core."""
    def load(wanted: dict[str, tuple[str, Any]]) -> dict[str, Any]:
        by_path: dict[str, dict[str, tuple[str, Any]]] = {}
        for article_id, item in wanted.items():
            by_path.setdefault(item[0], {})[article_id] = item
        groups: list[dict[str, tuple[str, Any]]] = [{} for _ in range(parts)]
        for i, items in enumerate(by_path.values()):
            groups[i % parts].update(items)
        found: dict[str, Any] = {}
        for part in spread(load_exact_sets, [group for group in groups if group]):
            found.update(part)
        return found
    return load


def load_exact_sets(wanted: dict[str, tuple[str, Any]]) -> dict[str, Any]:
    """`verify.ExactSets().load(wanted)`, as a worker process runs it."""
    from newslint.dedup.verify import ExactSets
    return ExactSets().load(wanted)


def refs_and_blobs(corpus: Iterable[tuple[ArticleRef, bytes]]
                   ) -> tuple[Sequence[ArticleRef], Sequence[bytes]]:
    """The references and the summaries of `corpus`; a packed corpus (the
    runner's, with `refs` and `blobs` sequences) is used as it is, without a
    bytes object per article."""
    refs, blobs = getattr(corpus, "refs", None), getattr(corpus, "blobs", None)
    if refs is not None and blobs is not None:
        return refs, blobs
    pairs = list(corpus)
    return [ref for ref, _ in pairs], [blob for _, blob in pairs]


def check_options(options: dict[str, Any]) -> None:
    """Raise ValueError naming the first option out of range."""
    if not 0.0 < options["threshold"] <= 1.0:
        raise ValueError("option threshold must be above 0 and at most 1 "
                         f"(got {options['threshold']!r})")
    for key, (low, high) in _LIMITS.items():
        if not low <= options[key] <= high:
            raise ValueError(f"option {key} must be between {low} and {high} (got {options[key]!r})")


def _clamped(options: dict[str, Any], key: str) -> int:
    low, high = _LIMITS[key]
    return min(max(int(options[key]), low), high)


def skipped_lines(article: Article) -> tuple[int, ...]:
    """Positions (in `body_lines`) of the body lines boilerplate rules flagged
    (`Engine.mark_boilerplate`): those lines are left out, one by one."""
    return tuple(sorted(article.extra.get("boilerplate_positions") or ()))


def message(found: list[Match], total: int, refs: list[ArticleRef], num_perm: int) -> str:
    if total == 1:
        match = found[0]
        name = display_id(refs[match.other])
        if match.exact:
            return f"exact copy of {name}"
        return f"near-duplicate of {name} (similarity {similarity_text(match, num_perm)})"
    named = ", ".join(f"{display_id(refs[m.other])} "
                      f"({'exact' if m.exact else similarity_text(m, num_perm)})"
                      for m in found[:NAMED_IN_MESSAGE])
    more = f" and {total - NAMED_IN_MESSAGE} more" if total > NAMED_IN_MESSAGE else ""
    return f"near-duplicate of {total} articles: {named}{more}"


def similarity_text(match: Match, num_perm: int) -> str:
    from newslint.dedup.minhash import standard_error
    value = floor2(match.similarity)
    if match.estimated:
        return f"≈{value}±{standard_error(match.similarity, num_perm):.2f}, estimated"
    return value


def match_data(match: Match, ref: ArticleRef) -> dict[str, Any]:
    return {"id": ref.id, "path": ref.path, "record": ref.record, "length": ref.length,
            "similarity": round(match.similarity, 4), "exact": match.exact,
            "estimated": match.estimated}


def display_id(ref: ArticleRef) -> str:
    return display(ref.id, ref.path)


def display(article_id: str, path: str) -> str:
    """An article id with its path relative to the working folder when inside it."""
    suffix = article_id[len(path):] if article_id.startswith(path) else ""
    if os.path.isabs(path):
        try:
            rel = os.path.relpath(path)
        except ValueError:  # another drive
            rel = path
        if not rel.startswith(".."):
            path = rel
    return path + suffix


def floor2(similarity: float) -> str:
    """Two decimals, rounded down: 0.4996 never shows as the threshold 0.50."""
    return f"{math.floor(similarity * 100 + 1e-9) / 100:.2f}"  # 0.58 * 100 is 57.999...
