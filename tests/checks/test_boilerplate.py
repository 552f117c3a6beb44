"""Boilerplate rules: the phrase rules in rules/boilerplate/ on the seeds and on
real pages, their fixes, the declarative fields they use, and the corpus-learned
repeated-line rule."""
import json
import re
import shutil
import time

import numpy as np
import pytest
from tests.conftest import NEWSPAPER4K, SEEDS

from newslint.checks.boilerplate import repeated_lines as boilerplate
from newslint.cli.main import main
from newslint.config import Settings
from newslint.run.engine import Engine
from newslint.plugins import get_plugin_manager
from newslint.registry import Registry
from newslint.rule import RuleDefinitionError


def seed(prefix):
    if not SEEDS.is_dir():
        pytest.skip("seed articles not available")
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def findings(paths, select="boilerplate", **settings):
    engine = Engine(Settings(select=[s for s in select.split(",")], cache=False, jobs=1, **settings))
    return engine.run([str(p) for p in paths]).findings


def spans(found, code=None):
    return [(f.line, f.end_line) for f in found if code is None or f.code == code]


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# -- the seeds ------------------------------------------------------------------------------
def test_seed_000_summary_prompts_and_navigation():
    found = findings([seed("000")])
    assert spans(found, "NL101") == [(3, 4), (14, 15)]
    assert spans(found, "NL102") == [(16, 18), (20, 22)]
    nav = [f.message for f in found if f.code == "NL102"]
    assert "Previous Article / Rising Tensions in Artemovsk" in nav[0]
    assert "Next Article / Spain’s green hydrogen push" in nav[1]
    assert {f.severity for f in found} == {"warning"}
    assert all(f.fix is not None and f.fix.safe for f in found)


def test_seed_002_byline_with_view_counter():
    found = findings([seed("002")])
    assert [(f.code, f.line) for f in found] == [("NL111", 3)]
    assert "by Jhon Lennon 45 views" in found[0].message


@pytest.mark.parametrize("prefix", ["001", "003"])
def test_clean_seeds_have_no_boilerplate(prefix):
    assert findings([seed(prefix)]) == []


def test_all_seeds_as_a_corpus_share_no_template_line():
    seed("000")
    found = findings(sorted(SEEDS.glob("*.txt")), select="NL120")
    assert found == []


# -- real pages: precision ----------------------------------------------------------------
#: every boilerplate finding on the newspaper4k texts, each read and confirmed as
#: real page furniture: (file, line, code, the line's text)
REVIEWED = {
    ("cleveland.com1.txt", 31, "NL109", "Related Stories"),
    ("time_001.txt", 9, "NL108", ("Read more: A Controversial Technology Is Creating an "
                                  "Unprecedented Rift Among Climate Scientists")),
    ("time_001.txt", 21, "NL108", ("Read more: Inside a Controversial Startup's Risky Attempt "
                                   "to Control Our Climate")),
    ("video_article_02.txt", 85, "NL105", ("Follow ONE Esports on Facebook and Twitter for more "
                                           "LoL news, guides, and highlights.")),
    ("video_article_02.txt", 89, "NL108", ("READ MORE: Riot is considering making these changes "
                                           "to the Worlds 2024 format")),
}


def test_newspaper4k_texts_flag_only_reviewed_page_furniture():
    folder = NEWSPAPER4K / "txt"
    if not folder.is_dir():
        pytest.skip("newspaper4k corpus not available")
    found = findings([folder], select="boilerplate")
    got = set()
    for f in found:
        name = f.path.rsplit("/", 1)[-1]
        text = (folder / name).read_text(encoding="utf-8").split("\n")[f.line - 1].strip()
        got.add((name, f.line, f.code, text))
    assert got == REVIEWED


# -- fixes -----------------------------------------------------------------------------------
def squeeze(text):
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def test_fix_seed_000_removes_exactly_the_boilerplate(tmp_path):
    original = seed("000")
    copy = tmp_path / original.name
    shutil.copy(original, copy)
    copy.chmod(0o644)  # the shared seeds are read-only, and --fix leaves read-only files alone
    args = ["check", str(copy), "--select", "boilerplate", "--fix", "--no-cache", "-q", "--exit-zero"]
    assert main(args) == 0
    lines = original.read_text(encoding="utf-8").split("\n")
    removed = {3, 4, 14, 15, 16, 18, 20, 22}
    expected = "\n".join(line for number, line in enumerate(lines, 1) if number not in removed)
    fixed = copy.read_text(encoding="utf-8")
    assert squeeze(fixed) == squeeze(expected)
    assert "\n\n\n" not in fixed.strip("\n")
    main(args)
    assert copy.read_text(encoding="utf-8") == fixed


# -- phrase rules: whole lines only --------------------------------------------------------
def test_sentences_mentioning_the_phrases_are_not_flagged(tmp_path):
    text = ("Council news\n\n"
            "Residents who subscribe to the council's text alerts will hear about closures first.\n\n"
            "You can read more about the plan on the council's website, the mayor said.\n\n"
            "Wer den Newsletter abonnieren will, kann das im Rathaus tun.\n\n"
            "Les habitants peuvent partager leurs photos avec la mairie.\n\n"
            "Los vecinos pueden suscribirse al boletín municipal en el ayuntamiento.\n\n"
            "Жители могут подписаться на уведомления мэрии в приложении.\n\n"
            "The video had 45 views by Monday and a million by Friday.\n")
    assert findings([write(tmp_path / "a.txt", text)]) == []


def test_navigation_never_takes_a_real_paragraph(tmp_path):
    paragraph = ("The ministry said on Monday that the talks would resume next week in Geneva, "
                 "after a pause of several months during which both sides traded accusations.")
    text = f"Talks resume\n\nNext Article\n\n{paragraph}\n\nPrevious Article\nNext Article\nShort headline\n"
    found = findings([write(tmp_path / "a.txt", text)], select="NL102")
    assert spans(found) == [(3, 3), (7, 7), (8, 9)]


def test_merge_and_neighbour_fields_are_validated(tmp_path):
    rule = {"code": "NL990", "name": "boilerplate-test", "kind": "phrase", "summary": "s",
            "message": "{line}", "docs": {"what": "w", "why": "y"}, "patterns": ["x"],
            "examples": {"pass": ["T\n\ny"], "fail": ["T\n\nx"]}}
    registry = Registry(get_plugin_manager(load_entry_points=False))
    build = registry.kinds["phrase"]
    assert build(dict(rule, merge_adjacent=True, followed_by_max_words=3), "r.yaml").merge_adjacent
    with pytest.raises(RuleDefinitionError, match="'merge_adjacent'"):
        build(dict(rule, merge_adjacent="yes"), "r.yaml")
    with pytest.raises(RuleDefinitionError, match="'followed_by_max_words'"):
        build(dict(rule, followed_by_max_words=0), "r.yaml")


# -- the corpus-learned rule ---------------------------------------------------------------
FOOTER = "The views expressed are the author's own and do not reflect those of the Daily Planet."
QUOTE = '"We will not back down, whatever it costs us," the mayor told the crowd.'
TOPICS = ["the harbour", "the railway", "a school", "the library", "the budget", "a bridge",
          "the hospital", "the river", "the airport", "the market"]


def article(i, *extra):
    body = (f"The council met on Tuesday to discuss {TOPICS[i]}, a plan that has divided the town "
            f"for {i + 3} years and that critics call the most expensive in its history.")
    return "\n\n".join([f"Council debates {TOPICS[i]}", body, *extra]) + "\n"


def test_template_footer_shared_by_eight_articles_is_flagged(tmp_path):
    for i in range(10):
        extra = [FOOTER] if i < 8 else []
        write(tmp_path / f"a{i}.txt", article(i, *extra))
    found = findings([tmp_path], select="NL120")
    assert sorted(f.path.rsplit("/", 1)[-1] for f in found) == [f"a{i}.txt" for i in range(8)]
    assert {f.line for f in found} == {5}
    assert all("8 of 10 articles" in f.message and f.severity == "warning" for f in found)


def test_a_sentence_quoted_by_two_articles_is_not_flagged(tmp_path):
    for i in range(10):
        extra = [QUOTE] if i < 2 else []
        write(tmp_path / f"a{i}.txt", article(i, *extra))
    assert findings([tmp_path], select="NL120") == []


def test_copies_of_one_article_are_left_to_the_near_duplicate_rule(tmp_path):
    for i in range(6):
        write(tmp_path / f"copy{i}.txt", article(0, "What happens next", QUOTE))
    for i in range(1, 5):
        write(tmp_path / f"other{i}.txt", article(i))
    assert findings([tmp_path], select="NL120") == []


def test_lines_a_phrase_rule_flags_are_not_reported_twice(tmp_path):
    for i in range(8):
        write(tmp_path / f"a{i}.txt", article(i, "Subscribe to our newsletter"))
    found = findings([tmp_path], select="NL104,NL120")
    assert {f.code for f in found} == {"NL104"} and len(found) == 8


def test_single_words_recurring_on_pages_of_one_site_are_its_template(tmp_path):
    for i in range(5):
        write(tmp_path / "harbour" / f"a{i}.txt", article(i, "Weather", "Puzzles and games"))
    for i in range(5, 10):
        write(tmp_path / "other" / f"a{i}.txt", article(i, "Weather" if i < 7 else "Tides"))
    found = findings([tmp_path], select="NL120")
    where = sorted((f.path.split("/")[-2], f.line) for f in found)
    assert where == [("harbour", n) for n in (5, 7) for _ in range(5)]
    assert all("of 5 articles of its site" in f.message for f in found if "Weather" in
               (tmp_path / "harbour" / f.path.rsplit("/", 1)[-1]).read_text().split("\n")[f.line - 1])


def test_a_site_is_the_host_of_the_url_before_the_folder(tmp_path):
    records = [{"title": f"Council debates {TOPICS[i]}", "url": f"https://www.{host}/n/{i}",
                "text": article(i, "Gallery").split("\n\n", 1)[1]}
               for i, host in enumerate(["gazette.example"] * 4 + ["courier.example"] * 3)]
    write(tmp_path / "feed.jsonl", "\n".join(json.dumps(r) for r in records) + "\n")
    found = findings([tmp_path], select="NL120")
    assert sorted(f.article for f in found) == [f"{tmp_path / 'feed.jsonl'}:{n}" for n in (1, 2, 3, 4)]


def test_a_small_site_or_a_rare_line_is_no_template(tmp_path):
    for i in range(3):
        write(tmp_path / "small" / f"a{i}.txt", article(i, "Weather"))
    for i in range(3, 9):
        write(tmp_path / "big" / f"a{i}.txt", article(i, "Weather" if i < 5 else "Tides " + str(i)))
    assert findings([tmp_path], select="NL120") == []


def test_options_scale_the_threshold(tmp_path):
    for i in range(10):
        write(tmp_path / f"a{i}.txt", article(i, *([FOOTER] if i < 3 else [])))
    assert findings([tmp_path], select="NL120") == []
    found = findings([tmp_path], select="NL120", rules={"NL120": {"min_articles": 3}})
    assert len(found) == 3
    found = findings([tmp_path], select="NL120",
                     rules={"NL120": {"min_articles": 3, "min_fraction": 0.5}})
    assert found == []


def test_summary_is_compact_versioned_bytes():
    engine = Engine(Settings(select=["NL120"], cache=False))
    rule = engine.registry.rule("NL120")
    loaded = next(engine.load("a.txt", article(0, FOOTER).encode()))
    data = rule.summarize(loaded, rule.options)
    lines = len([ln for b in loaded.blocks for ln in b.text.split("\n") if ln.strip()])
    assert data[0] == boilerplate.SUMMARY_VERSION and len(data) == 13 + 14 * lines
    hashes, numbers, _, site = boilerplate.decode_lines(data)
    assert site == boilerplate.line_hash(boilerplate.site_of(loaded))
    assert hashes.dtype == np.dtype("<u8") and len(hashes) == lines
    assert (numbers & boilerplate.MAX_LINE).tolist() == [3, 5]
    assert boilerplate.decode_lines(data[:-1]) is None
    assert boilerplate.decode_lines(b"\x09" + data[1:]) is None


def test_bad_options_are_reported_not_raised():
    rule = Engine(Settings(select=["NL120"], cache=False)).registry.rule("NL120")
    with pytest.raises(ValueError, match="min_fraction"):
        list(rule.report([], dict(rule.options, min_fraction=2.0)))


def test_patterns_stay_fast_on_hostile_lines():
    engine = Engine(Settings(select=["boilerplate"], cache=False))
    units = ["x ", "1 ", "1, ", "share ", "Facebook Twitter ", "by Ab ", "45 views · ", "Read more: ",
             "· ", "1.2K ", "we use cookies ", "Previous Article "]
    lines = [(unit * n + tail).strip() for unit in units for n in (20, 150, 2000) for tail in ("", "!", "45")]
    for rule in engine.article_rules:
        for pattern in getattr(rule, "patterns", []):
            start = time.process_time()
            for line in lines:
                pattern.fullmatch(line, timeout=1)
            assert time.process_time() - start < 0.5, (rule.code, pattern.pattern)


@pytest.mark.parametrize("url", ["http://[oops", "[::1", "https://example.com]:x/"])
def test_site_of_a_url_python_cannot_split_falls_back_to_the_folder(url):
    """urlsplit raises ValueError on an unclosed IPv6 bracket: a scraped url
    field must never make the summary fail (found by test_hostile_input)."""
    engine = Engine(Settings(select=["NL120"], cache=False))
    record = json.dumps({"url": url, "text": "A line of text.\n\nAnother line."})
    loaded = next(engine.load("site/a.jsonl", record.encode()))
    assert boilerplate.site_of(loaded) == "folder:site"
    assert engine.registry.rule("NL120").summarize(loaded, engine.options["NL120"])
