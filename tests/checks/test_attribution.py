"""unattributed-source rules: missing attribution, dangling citations, vague attribution."""
import json
from pathlib import Path

import pytest

from newslint.config import Settings
from newslint.run.engine import Engine
from tests.conftest import NEWSPAPER4K, SEEDS

BODY = "The two leaders met in Moscow to discuss trade, energy and security for several hours."


def run(tmp_path, text, select=("NL40",), name="a.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return Engine(Settings(select=list(select), cache=False)).run([str(path)]).findings


def codes(tmp_path, text, **kw):
    return [f.code for f in run(tmp_path, text, **kw)]


@pytest.mark.parametrize("byline", [
    "By Jane Doe", "BY JANE DOE", "By Jane Doe and John Roe, Reuters", "By: Jane Doe | CNN",
    "Written by Jane Doe", "Von Anna Müller, dpa", "Par Jean Dupont", "Por María García | Madrid",
    "Автор: Иван Петров", "By The Associated Press",
    "Patricio Candia | Palma de Mallorca | 08/01/2014",
])
def test_bylines_attribute(tmp_path, byline):
    assert codes(tmp_path, f"Talks\n\n{byline}\n\n{BODY}", select=("NL401",)) == []
    assert codes(tmp_path, f"Talks\n\n{BODY}\n\n{byline}", select=("NL401",)) == []


@pytest.mark.parametrize("line", [
    "By Monday, officials said the plan would be ready for a vote in parliament.",
    "Von Berlin aus ging die Reise weiter nach Osten, bis an die Grenze.",
    "Par exemple, les deux pays ont signé un accord.",
    "Jane Doe met the minister in Moscow.",
])
def test_byline_lookalikes_do_not(tmp_path, line):
    assert codes(tmp_path, f"Talks\n\n{line}\n\n{BODY}", select=("NL401",)) == ["NL401"]


def test_view_counter_is_not_a_byline(tmp_path):
    findings = run(tmp_path, f"Talks\n\nby Jhon Lennon 45 views\n\n{BODY}", select=("NL401",))
    assert [f.message for f in findings] == [
        ("no author, outlet or source attribution: nothing says who wrote or reported this "
         "('by Jhon Lennon 45 views' is a view counter, not a byline)")]
    assert (findings[0].line, findings[0].severity) == (1, "warning")


@pytest.mark.parametrize("phrase", [
    "Source: Kyiv Post", "sanctions.Source attribution: Business Insider", "Sources: Reuters, AP",
    "Via Reuters", "The deal was signed, according to Reuters.", "according to the Pentagon",
    "The Wall Street Journal reported the deal.", "Reuters reported the deal.",
    "a diplomat told Reuters", "MOSCOW (AP) — The leaders met.", "Quelle: dpa", "Fuente: EFE",
    "Источник: ТАСС", "Reporting by Jane Doe; Editing by John Roe", "© 2023 Reuters",
    "(c)AFP/Aminu ABUBAKAR", "【6月18日 AFP】ナイジェリア北東部", "新华社北京11月17日电 记者17日从",
    "Le sommet a eu lieu, selon Le Monde.", "La cumbre se celebró, según El País.",
    "Об этом сообщает РИА Новости.",
])
def test_attribution_phrases(tmp_path, phrase):
    assert codes(tmp_path, f"Talks\n\n{BODY}\n\n{phrase}", select=("NL401",)) == []
    if not phrase.startswith("Via"):
        assert codes(tmp_path, f"Talks\n\n{BODY} {phrase}", select=("NL401",)) == []


@pytest.mark.parametrize("phrase", [
    "according to analysts", "Officials reported progress.", "the minister told reporters",
    "Police said the road was closed.", "the source of the river", "Sources close to the talks",
])
def test_not_attribution(tmp_path, phrase):
    assert codes(tmp_path, f"Talks\n\n{BODY} {phrase}", select=("NL401",)) == ["NL401"]


def test_metadata_author_or_outlet_attributes(tmp_path):
    author = "---\ntitle: Talks\nauthor: Jane Doe\n---\n\n" + BODY
    outlet = "---\ntitle: Talks\nsource: Kyiv Post\n---\n\n" + BODY
    assert codes(tmp_path, author, select=("NL401",), name="a.md") == []
    assert codes(tmp_path, outlet, select=("NL401",), name="a.md") == []
    assert codes(tmp_path, "---\ntitle: Talks\n---\n\n" + BODY, select=("NL401",), name="a.md") \
        == ["NL401"]


# -- dangling citations -----------------------------------------------------------------------
@pytest.mark.parametrize("marker", ["[1]", "[1, 2]", "[3–5]", "[2-4]", "[12,13]"])
def test_dangling_citation(tmp_path, marker):
    findings = run(tmp_path, f"Talks\n\nThe two leaders met {marker} in Moscow. They agreed [6].",
                   select=("NL402",))
    assert [(f.line, f.column, f.end_column) for f in findings] == [(3, 21, 21 + len(marker))]
    assert findings[0].message == (f"2 citation markers ('{marker}' first) but no reference "
                                   "list, footnotes or links for them to point to")


@pytest.mark.parametrize("tail", [
    "References\n\n[1] Kyiv Post, 3 November 2023.", "## Sources\n\nKyiv Post",
    "Sources:\nKyiv Post", "[1] Kyiv Post, 3 November 2023.", "1. Kyiv Post, 3 November 2023.",
    "Read more at https://example.com/report", "Quellen\n\ndpa, Reuters", "Источники:\nТАСС",
])
def test_citations_with_references(tmp_path, tail):
    text = f"Talks\n\nThe two leaders met [1] in Moscow.\n\n{tail}"
    assert codes(tmp_path, text, select=("NL402",)) == []


def test_a_source_line_is_not_a_reference_list(tmp_path):
    text = "Talks\n\nBy Jane Doe\nSource: Kyiv Post\n\nThe two leaders met [1] in Moscow [1, 2]."
    assert codes(tmp_path, text, select=("NL402",)) == ["NL402"]


def test_no_inline_markers(tmp_path):
    assert codes(tmp_path, f"Talks\n\n{BODY}\n\n[1] A footnote with no marker.", select=("NL402",)) == []
    assert codes(tmp_path, "Talks\n\nThe array a[i] and list[x] are code.", select=("NL402",)) == []


# -- vague attribution ----------------------------------------------------------------------------
@pytest.mark.parametrize("text,phrase", [
    ("Analysts say the talks matter.", "Analysts say"),
    ("The meeting, which observers described as a signal, ended.", "observers described"),
    ("In Beijing, experts believe the deal will hold.", "experts believe"),
    ("Sources said the deal was close.", "Sources said"),
    ("It is believed that the deal was close.", "It is believed that"),
    ("Some say the deal was close.", "Some say"),
    ("Many believe the deal was close.", "Many believe"),
    ("The deal, according to some experts, was close.", "according to some experts"),
    ("Experten zufolge ist das Treffen ein Signal.", "Experten zufolge"),
    ("Le sommet, selon des observateurs, est un signal.", "selon des observateurs"),
    ("La cumbre es, según analistas, una señal.", "según analistas"),
    ("По мнению экспертов, встреча стала сигналом.", "По мнению экспертов"),
    ("Эксперты считают, что встреча стала сигналом.", "Эксперты считают"),
])
def test_vague_attribution(tmp_path, text, phrase):
    findings = run(tmp_path, f"Talks\n\n{text}", select=("NL403",))
    assert [(f.severity, f.message, f.line) for f in findings] == [
        ("info", f"vague attribution: '{phrase}' (line 3)", 3)]
    assert findings[0].column == text.index(phrase) + 1


@pytest.mark.parametrize("text", [
    "JPMorgan analysts say the talks matter.", "Jane Doe, an analyst at Example Bank, said so.",
    "The analysts' report was published.", "Some of the experts in the room left early.",
    "Some skippers welcome the quay, while others fear it will add cost.",
])
def test_not_vague(tmp_path, text):
    assert codes(tmp_path, f"Talks\n\n{text}", select=("NL403",)) == []


# -- real data --------------------------------------------------------------------------------
def seed(prefix):
    if not SEEDS.is_dir():
        pytest.skip("seeds folder missing")
    return str(next(SEEDS.glob(f"{prefix}_*.txt")))


def seed_findings(prefix, code):
    result = Engine(Settings(select=[code], cache=False)).run([seed(prefix)])
    return result.findings


@pytest.mark.parametrize("prefix,flagged", [("000", False), ("001", False), ("002", True),
                                            ("004", True)])
def test_seeds_attribution(prefix, flagged):
    assert bool(seed_findings(prefix, "NL401")) == flagged


def test_seed_000_vague_phrases():
    findings = seed_findings("000", "NL403")
    assert [dict(f.data)["phrases"] for f in findings] == [
        ["observers described", "Analysts note", "Analysts caution"]]


def test_seed_003_dangling_citations():
    findings = seed_findings("003", "NL402")
    text = Path(seed("003")).read_text(encoding="utf-8")
    first_line = text.split("\n")[0]
    assert [(f.line, f.column) for f in findings] == [(1, first_line.index("[1, 2]") + 1)]
    assert dict(findings[0].data)["count"] == text.count("[1]") + text.count("[1, 2]")


def test_newspaper4k_pages_with_authors_are_attributed():
    if not NEWSPAPER4K.is_dir():
        pytest.skip("newspaper4k corpus missing")
    engine = Engine(Settings(select=["NL401"], cache=False))
    pages = []
    for meta_path in sorted((NEWSPAPER4K / "metadata").glob("*.json")):
        page = NEWSPAPER4K / "html" / f"{meta_path.stem}.html"
        if json.loads(meta_path.read_text(encoding="utf-8")).get("authors") and page.exists():
            pages.append(str(page))
    assert len(pages) >= 10
    flagged = {p: [f.message for f in engine.run([p]).findings] for p in pages}
    assert {p: m for p, m in flagged.items() if m} == {}


def detected(tmp_path, text, name="a.txt"):
    """The metadata a check reports for the one article of `text`."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = Engine(Settings(select=["NL401"], cache=False)).process_file(str(path))
    return result.articles[0].meta


@pytest.mark.parametrize("text,authors,outlet", [
    (f"Ferry resumes\n\nBy staff reporter, Nordvik Today\n\n{BODY}", ("staff reporter",), "Nordvik Today"),
    (f"Talks\n\nBy Jane Doe and John Roe, Reuters\n\n{BODY}", ("Jane Doe", "John Roe"), "Reuters"),
    (f"Gesprekken\n\nDoor Jan de Vries\n\n{BODY}", ("Jan de Vries",), None),
    ("शहर में बारिश\n\nजागरण संवाददाता, कानपुर\n\nशहर में सोमवार को भारी बारिश हुई।",
     ("जागरण संवाददाता",), None),
    ("暴雨袭击城市\n\n城市周一遭遇暴雨，交通受阻。\n\n（编辑：严玉洁 王辉）", ("严玉洁", "王辉"), None),
    ("폭우\n\n홍길동 기자 = 서울에 폭우가 내렸다.", ("홍길동",), None),
    ("محادثات\n\nبقلم أحمد علي\n\nقال الوزير إن المحادثات ستستمر.", ("أحمد علي",), None),
    (f"Talks\n\n{BODY} PTI", (), "PTI"),
    (f"Talks\n\n{BODY} [ Bloomberg ]", (), "Bloomberg"),
    (f"Talks\n\nMOSCOW (AP) — {BODY}", (), "AP"),
    (f"Talks\n\n{BODY}\n\nSource: Kyiv Post", (), "Kyiv Post"),
    (f"Talks\n\n{BODY}", (), None),
])
def test_authors_and_outlet_from_credit_lines(tmp_path, text, authors, outlet):
    meta = detected(tmp_path, text)
    assert (meta.authors, meta.outlet) == (authors, outlet)


def test_html_rss_author_rel_author_and_outlet_from_the_url(tmp_path):
    rss = ("<html><head><link rel='canonical' href='https://www.nordvik-today.example/a'></head>"
           f"<body><item><author>jane@example.com (Jane Doe)</author></item><p>{BODY}</p></body></html>")
    meta = detected(tmp_path, rss, "rss.html")
    assert (meta.authors, meta.outlet) == (("Jane Doe",), "nordvik-today.example")
    atom = f"<html><body><author><name>Ann Lee</name></author><p>{BODY}</p></body></html>"
    assert detected(tmp_path, atom, "atom.html").authors == ("Ann Lee",)
    rel = f"<html><body><a rel='author' href='/ann'>Ann Lee</a><p>{BODY}</p></body></html>"
    assert detected(tmp_path, rel, "rel.html").authors == ("Ann Lee",)


# -- the fast forms of the byline and agency-tag patterns find what the patterns do --
LINES = ["By Jane Doe", "  by jane doe, Reuters", "BY JANE DOE | CNN", "Von Anna Müller, dpa",
         "Written by Jane Doe for The Globe", "Author: Jane Doe", "Patricio Candia | Palma | 08/01/2014",
         "Jane Doe, 3 November 2023", "by Jhon Lennon 45 views", "Directors met on Monday.",
         "The two leaders met.", "", "  ", "Di Mario Rossi", "Text: Anna Berg", "(AP)", "— Reuters",
         "…PTI", "[ Bloomberg ]", "Source: Kyiv Post", "Apple Inc. said", "DPA)", "dpa ]  "]


@pytest.mark.parametrize("seed", range(30))
def test_bylines_and_name_date_lines_matched_line_by_line(seed):
    import random

    from newslint.checks.attribution import patterns
    rng = random.Random(seed)
    text = "\n".join(rng.choice(LINES) + rng.choice(["", " ", "\t", ".", " x"]) for _ in range(12))
    spans = lambda ms: [(m.start(), m.end(), m.group()) for m in ms]
    assert spans(patterns.byline_lines(text)) == spans(patterns.BYLINE_RE.finditer(text))
    assert spans(patterns.line_matches(patterns.NAME_DATE_RE, text)) == \
        spans(patterns.NAME_DATE_RE.finditer(text))


@pytest.mark.parametrize("line", LINES)
def test_agency_tag_prefilter_passes_every_ending_the_pattern_matches(line):
    from newslint.checks.attribution.credits import AGENCY_END_RE, _ends_on_agency
    for end in (line, "Text " + line, line + ")", line + " ]", "x" * 90 + line):
        end = end.rstrip()[-80:]
        if AGENCY_END_RE.search(end):
            assert _ends_on_agency(end), end


def _sre():
    """The standard library's regex parser and its constants (moved in 3.11)."""
    try:
        import re._constants as constants
        import re._parser as parser
    except ImportError:  # Python 3.10
        import sre_constants as constants
        import sre_parse as parser
    return parser, constants


def spelled_out(items) -> list[str]:
    """Every string the parsed pattern `items` matches, `\\s+` as one space (the
    VAGUE phrases use literals, groups, alternations, `?` and `\\s+` only)."""
    c = _sre()[1]
    out = [""]
    for op, av in items:
        if op is c.LITERAL:
            alternatives = [chr(av)]
        elif op is c.SUBPATTERN:
            alternatives = spelled_out(av[3])
        elif op is c.BRANCH:
            alternatives = [s for branch in av[1] for s in spelled_out(branch)]
        elif op is c.MAX_REPEAT:
            alternatives = ([""] if av[0] == 0 else []) + spelled_out(av[2])
        elif op is c.IN:
            alternatives = [" "]
        else:
            raise AssertionError(f"spelled_out cannot read {op}")
        out = [o + a for o in out for a in alternatives]
    return out


def test_every_vague_phrase_holds_a_needle():
    from newslint.checks.attribution.patterns import VAGUE, VAGUE_NEEDLES, VAGUE_RE
    from newslint.text.needles import folded
    parse = _sre()[0].parse
    phrases = [p for alternatives in VAGUE.values() for p in spelled_out(parse(alternatives))]
    assert len(phrases) > 5000
    for phrase in phrases:
        assert VAGUE_RE.fullmatch(phrase), phrase
        assert any(n in folded(phrase) for n in VAGUE_NEEDLES.all), phrase
        assert any(n in folded(phrase.upper()) for n in VAGUE_NEEDLES.all), phrase


def test_credit_patterns_over_the_whole_text_have_caseless_needles_they_spell_out():
    """credits._bylines looks for these needles in the text unfolded: right only
    while case folding changes none of their characters and each is a literal
    of its pattern."""
    import importlib
    module = importlib.import_module("newslint.checks.attribution.credits")
    for (source, _), needles, line_only in zip(module._CREDITS, module.CREDIT_NEEDLES,
                                               module.CREDIT_LINE_ONLY):
        if line_only:
            continue
        for needle in needles.all:
            assert needle in source, needle
            assert all(not c.isascii() and c.casefold() == c == c.upper() for c in needle), needle
