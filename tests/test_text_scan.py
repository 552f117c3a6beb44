"""The one-pass needle scan and the patterns tried only around needles
(newslint.text.needles, newslint.text.pieces) give exactly what the slow forms
they replace give: every needle test as `found_in`, every match list as the
pattern's own `finditer` over the whole text."""
from __future__ import annotations

import random

import pytest

from newslint.checks.attribution import patterns
from newslint.model import Article, Block
from newslint.text import dates
from newslint.text.needles import Needles, NeedleScan, folded
from newslint.text.pieces import ArticleText, Piece

#: words and phrases the patterns look for, their lookalikes, and what sits between them
WORDS = ["analysts", "Analysts", "say", "said", "some", "many", "sources", "close to", "it is",
         "believed", "that", "according to", "Reuters", "told", "The", "Experten", "zufolge",
         "heißt", "wie es", "selon", "des", "experts", "según", "analistas", "по мнению",
         "экспертов", "reported", "via", "Via", "Source", "(c)", "©", "2023", "report", "last",
         "week", "today", "Monday", "hier", "il y a", "3", "hours", "ago", "vor", "Tagen",
         "İt is", "SOURCES", "x", "JPMorgan", "observers", "noted", "de source sûre", "on dit que"]
GLUE = [" ", " ", " ", "  ", "\n", "\n\n", ", ", ". ", " — ", "\t", ": ", "'", "5", "_", "’"]


def random_text(rng: random.Random, words: int) -> str:
    out = []
    for _ in range(words):
        out += [rng.choice(WORDS), rng.choice(GLUE)]
    return "".join(out)


def scan_of(text: str) -> ArticleText:
    article = Article(id="a", path="a.txt", format="txt", title=None, title_line=None,
                      blocks=(Block(text=text, line=1, end_line=1),))
    return ArticleText(article, [Piece(text, 1, None, "body")])


def spans(matches) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in matches]


SETS = [patterns.VAGUE_NEEDLES, patterns.REPORTED_NEEDLES, dates.RELATIVE_NEEDLES,
        dates.COUNT_NEEDLES, *[n for n in patterns.ATTRIBUTION_NEEDLES if n]]


def assert_scan_answers_as_found_in(text: str) -> None:
    """One NeedleScan of `text` says, for every needle set, what found_in and
    a plain search at each position say."""
    scan = NeedleScan(text)
    for needles in SETS:
        assert scan.holds(needles) == needles.found_in(text)
        assert scan.starts(needles) == sorted(
            i for n in needles.all for i in range(len(text)) if text.startswith(n, i))


@pytest.mark.parametrize("seed", range(40))
def test_one_pass_scan_answers_as_found_in(seed):
    text = folded(random_text(random.Random(seed), 60))
    assert_scan_answers_as_found_in(text)


def test_a_lone_surrogate_is_scanned_one_needle_at_a_time():
    text = folded("undecodable \udcff byte, then analysts say")
    assert NeedleScan(text).holds(patterns.VAGUE_NEEDLES)
    assert not NeedleScan("\udcff nothing").holds(patterns.VAGUE_NEEDLES)


def test_a_set_made_after_a_scan_is_answered_all_the_same():
    scan = NeedleScan("a zqxjv here")
    late = Needles(["zqxjv"])
    assert scan.holds(late) and scan.starts(late) == [2]


def test_needles_with_line_breaks_are_refused():
    with pytest.raises(ValueError):
        Needles(["two\nlines"])


@pytest.mark.parametrize("seed", range(60))
def test_patterns_tried_near_needles_find_what_the_whole_text_gives(seed):
    scan = scan_of(random_text(random.Random(seed), 80))
    text = scan.text
    assert spans(scan.finditer_between(patterns.VAGUE_RE, patterns.VAGUE_NEEDLES)) == \
        spans(patterns.VAGUE_RE.finditer(text))
    assert spans(scan.finditer_near(patterns.REPORTED_RE, patterns.REPORTED_NEEDLES)) == \
        spans(patterns.REPORTED_RE.finditer(text))
    for pattern, needles in zip(patterns.ATTRIBUTION_PATTERNS, patterns.ATTRIBUTION_NEEDLES):
        if needles:
            assert spans(scan.finditer_near(pattern, needles)) == spans(pattern.finditer(text))
    assert [(d.text, d.start, d.line) for d in dates.relative_in(scan)] == \
        [(d.text, d.start, d.line) for d in dates.find_relative(text)]


def test_a_phrase_over_a_line_break_and_after_a_digit():
    scan = scan_of("Some analysts\n\nsaid so. 5analysts say, x analysts say")
    assert spans(scan.finditer_between(patterns.VAGUE_RE, patterns.VAGUE_NEEDLES)) == \
        spans(patterns.VAGUE_RE.finditer(scan.text))
    assert [m.group() for m in patterns.VAGUE_RE.finditer(scan.text)] == \
        ["Some analysts\n\nsaid", "analysts say"]


@pytest.mark.parametrize("text, aligned", [("Straße: analysts say", False),
                                           ("x\u0307 analysts said", False),
                                           ("İt is believed that x", True)])  # "i̇" less its dot
def test_texts_whose_folding_moves_offsets_are_searched_whole(text, aligned):
    scan = scan_of(text)
    assert scan.aligned is aligned
    assert spans(scan.finditer_between(patterns.VAGUE_RE, patterns.VAGUE_NEEDLES)) == \
        spans(patterns.VAGUE_RE.finditer(text)) != []


@pytest.mark.parametrize("source, start, end, text", [
    ("abc def", 4, 7, "def"), ("abc def", 4, None, "def"), ("abc def", 4, 99, "def"),
    ("abc def", 4, 6, "def"), ("abc def", 3, 7, "def"), ("abc", 5, 9, "x"), ("abc", 5, 9, ""),
    ("abc", 1, 1, ""), ("abc", 2, 1, "c"), ("abc def", -3, None, "def"), ("abc", 0, -1, "ab")])
def test_a_block_is_a_copy_of_the_source_as_the_slice_says(source, start, end, text):
    from newslint.text.pieces import _is_copy
    block = Block(text=text, line=1, end_line=1, start=start, end=end)
    assert _is_copy(source, block) == (source[start:end] == text)


def test_the_whole_text_places_offsets_as_the_pieces_built_at_once_do():
    from pathlib import Path

    from newslint.config import Settings
    from newslint.run.engine import Engine
    from newslint.text.pieces import block_piece, title_piece, whole_text
    engine = Engine(Settings())
    corpus = Path(__file__).resolve().parents[1] / "corpus"
    paths = sorted(p for p in corpus.rglob("*") if p.suffix in (".txt", ".md", ".json", ".jsonl",
                                                                ".html"))
    checked = 0
    for path in paths:
        for article in engine.load(str(path), path.read_bytes()):
            if not isinstance(article, Article):
                continue
            title = title_piece(article)
            eager = ArticleText(article, ([title] if title else [])
                                + [block_piece(article, b, "body") for b in article.blocks])
            lazy = whole_text(article)
            assert lazy.text == eager.text
            assert lazy.pieces == eager.pieces and lazy.starts == eager.starts
            for offset in range(0, len(eager.text), 97):
                assert lazy.position(offset) == eager.position(offset)
            checked += 1
    assert checked > 20


def test_an_excerpt_places_offsets_as_its_pieces_built_at_once_do():
    from pathlib import Path

    from newslint.config import Settings
    from newslint.run.engine import Engine
    from newslint.text.pieces import excerpt, top_and_tail
    engine = Engine(Settings())
    corpus = Path(__file__).resolve().parents[1] / "corpus"
    checked = 0
    for path in sorted(p for p in corpus.rglob("*") if p.suffix in (".txt", ".md", ".jsonl")):
        for article in engine.load(str(path), path.read_bytes()):
            if not isinstance(article, Article):
                continue
            for sizes in ((5, 1500, 2, 400), (6, 2000, 3, 600), (2, 50, 1, 30), (9, 10, 9, 10)):
                eager = ArticleText(article, top_and_tail(article, *sizes))
                lazy = excerpt(article, *sizes)
                assert lazy.text == eager.text
                assert lazy.pieces == eager.pieces and lazy.starts == eager.starts
            checked += 1
    assert checked > 20


@pytest.mark.parametrize("seed", range(10))
def test_a_text_scanned_in_small_chunks_answers_the_same(seed, monkeypatch):
    from newslint.text import needles as module
    monkeypatch.setattr(module, "CHUNK", 7)  # shorter than some needles: overlaps matter
    text = folded(random_text(random.Random(seed), 60))
    assert_scan_answers_as_found_in(text)


def test_past_max_places_the_patterns_read_the_whole_text(monkeypatch):
    from newslint.text import needles as module
    monkeypatch.setattr(module, "MAX_PLACES", 3)
    scan = scan_of("Some analysts say. " * 5 + "Reuters reported it.")
    assert scan.needles.starts(patterns.VAGUE_NEEDLES) is None
    assert spans(scan.finditer_between(patterns.VAGUE_RE, patterns.VAGUE_NEEDLES)) == \
        spans(patterns.VAGUE_RE.finditer(scan.text))
    assert len(list(scan.finditer_near(patterns.REPORTED_RE, patterns.REPORTED_NEEDLES))) == 1


def test_a_hostile_text_of_needles_keeps_no_list_of_them():
    import time
    text = "=" * 2_000_000 + " analysts"
    began = time.process_time()
    scan = NeedleScan(text)
    assert scan.holds(patterns.ATTRIBUTION_NEEDLES[6]) and scan.holds(patterns.VAGUE_NEEDLES)
    assert not scan.holds(patterns.REPORTED_NEEDLES)
    assert scan.starts(patterns.VAGUE_NEEDLES) is None
    assert time.process_time() - began < 3
