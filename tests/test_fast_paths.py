"""The fast paths of the boilerplate and damage rules give the results of the
slow forms they replace: the phrase rules' prefilter never rules out a line
their patterns match, and stays linear on hostile lines; the damage rules'
quick tests and stdlib `re` forms agree with the `regex` patterns."""
import dataclasses
import random
import re
import sys
import time

import pytest
import regex
from regex import _regex

from newslint.checks.damage import common as damage_common
from newslint.checks.damage import layout as damage_layout
from newslint.checks.damage import spacing as damage_spacing
from newslint.checks.damage import title as damage_title
from newslint.checks.declarative import dispatch, prefilter
from newslint.checks.boilerplate.repeated_lines import normalize_line, numbered_lines
from newslint.checks.declarative.phrase import PhraseRule
from newslint.checks.declarative import chars
from newslint.checks.declarative.chars import (DIGIT, EXPANDING, NOT_SPACE, SPACE, SPACES, SYMBOL_CHAR,
                                             TRANSLATED, Agreement, has_expanding, placeholder, sre,
                                             untranslated)
from newslint.checks.declarative.syntax import parsed
from newslint.config import Settings
from newslint.model import Block
from newslint.run.engine import Engine
from newslint.text.lines import body_lines, normalize

FLAGS = regex.V1 | regex.IGNORECASE
ALL_CHARS = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000 and c != 10)
#: a pattern's single-character elements: a set, an escape, or a character
ELEMENT_RE = re.compile(r"\[\^?\]?(?:\\.|[^\]\\])*\]|\\[pP]\{[^}]*\}|\\.|[^()|?*+{}.]")


@pytest.fixture(scope="module")
def phrase_rules():
    engine = Engine(Settings(cache=False))
    return [r for r in engine.registry.rules.values() if isinstance(r, PhraseRule)]


def candidates(rule, lines):
    """The lines both the rule's prefilter and the shared table of (split)
    leads (declarative_dispatch) let through: a line the rule matches must
    pass both."""
    text = "".join("\n" + line.strip() for line in lines)
    if has_expanding(text) or untranslated(text):
        return set(range(len(lines)))
    return prefilter.candidate_lines(rule.prefilter, text) & dispatched_lines(rule, lines)


def dispatched_lines(rule, lines):
    stripped = [line.strip() for line in lines]
    return dispatch.TABLE.candidates(stripped, "\n" + "\n".join(stripped)).get(rule.slot, set())


def line_variants(text):
    rng = random.Random(text)
    out = {text, text.upper(), text.lower(), text.title(), "  " + text + " \t", "« " + text,
           "- " + text + " -", "\u00a0" + text, text + ":", text.replace("s", "\u017f", 1),
           text.replace("k", "\u212a", 1), text.replace("K", "\u212a", 1)}
    for _ in range(4):
        i = rng.randrange(len(text) + 1)
        out.add(text[:i] + rng.choice(" .,:|·»-") + text[i:])
    return [t for t in out if "\n" not in t]


def test_builtin_phrase_rules_are_prefiltered_and_compiled_on_first_use():
    engine = Engine(Settings(cache=False))
    builtin = [r for r in engine.registry.rules.values() if isinstance(r, PhraseRule) and r.builtin]
    assert len(builtin) >= 11
    article = next(engine.load("a.txt", b"Title\n\nA body line of prose, as most are.\n"))
    for rule in builtin:
        assert list(rule.check(article, rule.options)) == []
        assert rule.prefilter is not None, rule.code  # a pattern edit lost the speed
        assert rule._compiled is None, rule.code  # no line needed the patterns


def test_prefilter_passes_every_line_a_builtin_pattern_matches(phrase_rules):
    checked = 0
    for rule in (r for r in phrase_rules if r.builtin):
        lines = [ln for kind in ("fail", "pass") for ex in rule.examples.get(kind, [])
                 for ln in (ex.text if isinstance(ex.text, str) else "\n".join(ex.text)).split("\n")
                 if ln.strip()]
        lines = [v for ln in lines for v in line_variants(ln)]
        passed = candidates(rule, lines)
        for i, line in enumerate(lines):
            if rule._match(line) is not None:
                checked += 1
                assert i in passed, (rule.code, line)
    assert checked > 100


def generated(nodes, rng):
    """A random string for `re`'s parse of a pattern, in random cases (not
    always one the pattern matches: the test checks)."""
    def char(code):
        kind = placeholder(code)
        if kind is not None:
            return rng.choice({NOT_SPACE: "aZ\u00e9\u0416\u017f12", SYMBOL_CHAR: "\U0001f441\u00a9"}.get(
                kind[0], "a .-"))
        return chr(rng.choice([code, *_regex.get_all_cases(FLAGS, code)]))
    out = []
    for op, av in nodes:
        if op is sre.LITERAL:
            out.append(char(av))
        elif op is sre.IN and all(kind is not sre.NEGATE for kind, _ in av):
            kind, value = rng.choice(list(av))
            out.append(char(value) if kind is sre.LITERAL else chr(rng.randint(*value))
                       if kind is sre.RANGE else rng.choice(SPACES if value is sre.CATEGORY_SPACE else "07"))
        elif op in prefilter.CHAR_OPS:
            out.append(rng.choice("a .1"))
        elif op is sre.BRANCH:
            out.append(generated(rng.choice(av[1]), rng))
        elif op in prefilter.GROUPS:
            out.append(generated(prefilter._inner(op, av), rng))
        elif op in prefilter.REPEATS:
            out.append("".join(generated(av[2], rng) for _ in range(rng.randint(av[0], min(av[1], av[0] + 3)))))
    return "".join(out)


def test_prefilter_passes_the_strings_generated_from_the_patterns(phrase_rules):
    rng, matched = random.Random(1), 0
    for rule in (r for r in phrase_rules if r.builtin):
        for pattern in rule.sources:
            for _ in range(120):
                line = generated(parsed(pattern), rng)
                line = rng.choice([line, line.upper(), line.lower(), " " + line + "\t"])
                if "\n" in line or rule._match(line) is None or has_expanding(line) or untranslated(line):
                    continue
                matched += 1
                assert prefilter.candidate_lines(rule.prefilter, "\n" + line.strip()) == {0}, (
                    rule.code, pattern, line)
                assert dispatched_lines(rule, [line]) == {0}, (rule.code, pattern, line)
    assert matched > 5_000


def test_user_phrase_rules_keep_the_line_by_line_path(tmp_path):
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "r.yaml").write_text(
        "code: NL990\nname: user-rule\nkind: phrase\nsummary: s\nmessage: 'found {match}'\n"
        "docs: {what: w, why: y}\npatterns: ['banana', 'cherry']\n"
        "examples: {fail: ['T\\n\\nbanana'], pass: ['T\\n\\napple']}\n", encoding="utf-8")
    rule = Engine(Settings(cache=False, rule_dirs=[str(folder)])).registry.rule("NL990")
    assert not rule.builtin and rule._compiled is not None  # compiled (and checked) on load
    article = next(Engine(Settings(cache=False)).load("a.txt", b"T\n\nbanana\n"))
    assert rule.prefilter is None
    assert [f.message for f in rule.check(article, {})] == ["found banana"]


@pytest.mark.parametrize("unit", ["\u00ab", " ", "- ", "1 ", "1.", "\U0001f441 ", "a", "ss", "share ",
                                  "Read more: ", "by Ab ", "45 views \u00b7 ", "\u00ab ", "- -", "x" * 7])
def test_prefilters_are_linear_on_hostile_lines(phrase_rules, unit):
    """A line of 400,000 characters, then a thousand short ones, costs each
    rule's search a few milliseconds (the patterns' own timeouts stay, for
    the lines that pass)."""
    text = "\n" + (unit * (400_000 // len(unit))).strip() + ("\n" + unit * 20) * 1000
    for rule in (r for r in phrase_rules if r.builtin):
        search = rule.prefilter
        started = time.process_time()
        prefilter.candidate_lines(search, text)
        assert time.process_time() - started < 0.25, (rule.code, unit)
    lines = text[1:].split("\n")
    started = time.process_time()
    dispatch.TABLE.candidates(lines, text)
    assert time.process_time() - started < 0.25 * len(dispatch.TABLE.rules), unit


def test_the_shared_leads_find_each_rules_lines_in_one_pass(phrase_rules):
    """One pass over an article gives each built-in rule the lines its own
    prefilter would find that its patterns can match, and keeps the answer
    for the article's blocks; a first character no lead can start with costs
    no search; the memory of first characters is bounded."""
    builtin = [r for r in phrase_rules if r.builtin]
    engine = Engine(Settings(cache=False))
    data = ("Title\n\nNo time to read?\nGet a summary\n\nThe council met on Monday.\n\n"
            "Share this article\n\n45 views\n\nRead more: the budget\n\n\u4e2d\n").encode()
    article = next(engine.load("a.txt", data))
    lines = [ln.text for ln in body_lines(article)]
    for rule in builtin:
        got = rule._candidates(article)
        assert got == dispatched_lines(rule, lines), rule.code
        assert {i for i, line in enumerate(lines) if rule._match(line)} <= got, rule.code
    assert {r.code for r in builtin if r._candidates(article)} >= {"NL101", "NL103", "NL108", "NL110"}
    kept = article.extra["_phrase_candidates"]
    assert all(r._candidates(article) is kept[4].get(r.slot, dispatch.NO_LINES) for r in builtin)
    assert dispatch.TABLE.by_char["\u4e2d"].any is None  # no pattern starts with it
    shorter = dataclasses.replace(article, blocks=article.blocks[:1])  # the same extra
    assert [r._candidates(shorter) for r in builtin] == [dispatched_lines(r, lines[:1]) for r in builtin]
    assert article.extra["_phrase_candidates"][0] is shorter.blocks


def test_the_memory_of_first_characters_is_bounded(monkeypatch, phrase_rules):
    table = dispatch.LeadTable()
    for rule in (r for r in phrase_rules if r.builtin):
        table.slot(prefilter.pattern_leads(rule.sources, rule.ignore_case), re.IGNORECASE)
    monkeypatch.setattr(dispatch, "MAX_CHARS", 10)
    lines = [chr(0x4e00 + i) + " text" for i in range(25)] + ["Share this article"]
    text = "\n" + "\n".join(lines)
    found = table.candidates(lines, text)
    assert len(table.by_char) <= 10
    assert any(25 in lines for lines in found.values())
    assert table.candidates(lines, text) == found


def builtin_elements(phrase_rules):
    found = set()
    for rule in (r for r in phrase_rules if r.builtin):
        for pattern in rule.sources:
            found.update(ELEMENT_RE.findall(pattern))
    return sorted(found)


def regex_folds():
    """Every case form of every fold of several characters: `regex`'s full
    case folding, and str.casefold's (which follows Python's Unicode version,
    and leaves a character it does not know as it is: one character, which is
    no fold of several)."""
    flags = regex.UNICODE | regex.FULLCASE | regex.IGNORECASE
    folds = set()
    for c in EXPANDING:
        for fold in {_regex.fold_case(flags, c), c.casefold()} - {c}:
            forms = [""]
            for part in fold:
                cases = {part, *map(chr, _regex.get_all_cases(regex.V1 | regex.IGNORECASE, ord(part)))}
                forms = [f + x for f in forms for x in cases]
            folds.update(f for f in forms if len(f) > 1)
    return sorted(folds)


def test_lead_elements_hold_every_character_regex_matches(phrase_rules):
    """Each single-character element of the built-in patterns, as a lead writes
    it for `re`, accepts every character the element accepts in `regex`
    (over all of Unicode) or the character keeps the prefilter off the texts
    that hold it (the two engines' Unicode versions disagree on it), and says
    when it may match a fold such as "ss". Nothing here depends on either
    engine's Unicode version."""
    folds = regex_folds()
    assert "ss" in folds and "SS" in folds
    agreement = Agreement()
    tested = 0
    for element in builtin_elements(phrase_rules):
        nodes = parsed(element)
        if nodes is None or len(nodes) != 1 or nodes[0][0] not in prefilter.CHAR_OPS:
            continue
        source, expands = prefilter._Translator(True).chars(*nodes[0])
        exact = regex.compile(element, FLAGS)
        if expands:
            continue  # a lead takes such an element as any character, then stops
        assert not [f for f in folds if exact.fullmatch(f)], element
        matched = set(exact.findall(ALL_CHARS))
        translated = re.compile(source, re.IGNORECASE)
        missed = [c for c in matched if not translated.fullmatch(c)]
        assert not [c for c in missed if not agreement.holds_disagreeing(c)], element
        tested += 1
    assert tested > 50


def test_spaces_are_regex_spaces_but_the_newline():
    """Whatever `regex`'s Unicode version: the listed spaces are spaces to it
    and nothing else, so "not a listed space" holds every \\S and \\p{L}; and
    a space, digit or symbol its classes hold and their `re` forms miss is one
    the agreement check finds."""
    assert regex.fullmatch(r"\s+", SPACES) and not regex.search(r"[\w\p{L}\p{N}\p{M}\n]", SPACES)
    agreement = Agreement()
    for pattern, source in TRANSLATED:
        missed = [c for c in regex.findall(pattern, ALL_CHARS) if not re.fullmatch(source, c)]
        assert [c for c in missed if not agreement.holds_disagreeing(c)] == [], pattern


NARROW = ((r"\s", "[ ]"), (r"\d", "[0-9]"), (r"\p{So}", "[\u00a9]"))


@pytest.mark.parametrize("text, disagrees", [
    ("plain ASCII words", False), ("tab\tin ASCII", True), ("caf\u00e9 \u2014 \u201cquoted\u201d", False),
    ("ideographic\u3000space", True), ("Arabic-Indic digit \u0663", True), ("\u00a9 2024", False),
    ("an eye \U0001f441", True), ("\U0001f600"[:0] + "Gothic \U00010330", False), ("x\u00a0y", True)])
def test_agreement_finds_the_characters_a_narrower_re_form_misses(text, disagrees):
    """As if `regex` knew characters Python's `re` does not: forms that miss
    most spaces, digits and symbols make the texts holding one of those
    characters skip the prefilter, and only those."""
    assert Agreement(NARROW).holds_disagreeing(text) is disagrees
    assert Agreement(NARROW).holds_disagreeing("\u00e9" + text) is disagrees  # after another text's leads


def test_an_article_holding_a_disagreeing_character_keeps_every_line(monkeypatch, phrase_rules):
    rule = next(r for r in phrase_rules if r.code == "NL106")
    engine = Engine(Settings(cache=False, select=["NL106"]))
    data = "Title\n\nThe ministry said on Monday\u3000that it agreed.\n\nACCEPT ALL COOKIES\n".encode()
    article = next(engine.load("a.txt", data))
    assert rule._candidates(article) is not None  # the real forms hold U+3000
    monkeypatch.setattr(chars, "_AGREEMENT", [Agreement(NARROW)])
    article = next(engine.load("a.txt", data))
    assert rule._candidates(article) is None
    assert [f.code for f in rule.check(article, rule.options)] == ["NL106"]


def test_expanding_characters_are_found():
    for c in EXPANDING:
        assert has_expanding(f"Stra{c}e \u201cquoted\u201d")
    assert not has_expanding("caf\u00e9 \u201cquoted\u201d \u00c3\u00a9 \x00")
    assert set(_regex.get_expand_on_folding()) == EXPANDING


def test_an_article_with_sharp_s_still_gets_its_findings():
    engine = Engine(Settings(cache=False, select=["NL106"]))
    data = "Stra\u00dfe\n\nDie Stra\u00dfe wird gesperrt.\n\nACCEPT ALL COOKIES\n".encode()
    result = engine.process_bytes("a.txt", data)
    assert [f.code for a in result.articles for f in a.findings] == ["NL106"]


def test_numbered_lines_are_body_lines(tmp_path):
    engine = Engine(Settings(cache=False))
    texts = {"a.txt": "Title\n\nOne\ntwo\n\n\nthree\n", "b.md": "---\nlanguage: fr\n---\n# T\n\nA\nB\n",
             "c.jsonl": '{"title": "T", "text": "A\\nB\\n\\nC"}\n{"title": "U", "text": "D"}\n',
             "d.html": "<html><body><h1>T</h1><p>A</p><p>B<br>C</p></body></html>"}
    for name, text in texts.items():
        for article in engine.load(name, text.encode()):
            assert list(numbered_lines(article)) == [(ln.line, ln.text) for ln in body_lines(article)]


# -- damage rules ---------------------------------------------------------------------------------
def fuzz_texts(alphabet, n=40_000, longest=14, seed=7):
    rng = random.Random(seed)
    for _ in range(n):
        yield "".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest)))


SPACING = ["a", "b", "Z", "\u00e9", "\u0416", "\u0436", "1", " ", " ", "\t", ",", ".", ";", ":", "!",
           "?", ")", "]", "(", "\u201d", "\u2019", "\u0301", "\n", "\u00a0", "T", "h"]


def test_strays_are_the_matches_of_stray_re():
    for text in fuzz_texts(SPACING):
        expected = [(m.span(), m.group(1)) for m in damage_spacing.STRAY_RE.finditer(text)]
        assert [(m.span(), m.group(1)) for m in damage_spacing._strays(text)] == expected, text


def test_spacing_quick_tests_are_necessary_conditions():
    def marks(text):
        return text.encode("utf-8", "surrogatepass").translate(damage_common._MARK_CLASSES)
    for text in fuzz_texts(SPACING + ["Ab", "\u00c9t", "cd"]):
        if damage_spacing.GLUED_RE.search(text):
            assert damage_spacing.GLUED_HINT_RE.search(text) and b".A" in marks(text), text
        if damage_spacing.SPACED_MARK_RE.search(text):
            assert b" ," in marks(text) or b" ." in marks(text), text


def test_code_line_re_is_the_regex_class():
    slow = regex.compile(r"[`{}=<>\\|~^]")
    assert [c for c in ALL_CHARS[:0x3000] if bool(slow.search(c)) != bool(
        damage_spacing.CODE_LINE_RE.search(c))] == []


def test_ascii_word_count_is_the_token_count():
    slow = re.compile(r"[A-Za-z0-9]\S*")
    for text in fuzz_texts([chr(c) for c in range(128)] + list("ab ,.-"), n=60_000):
        assert damage_common.count_words(text) == len(slow.findall(text)), text


def test_word_bounds_never_skip_a_block_over_the_limit():
    """could_be_over says no only for texts of at most `limit` words, and the
    blocks' counts and their sum below a limit are count_words'."""
    alphabet = [chr(c) for c in range(128)] + ["a", "b", " ", ".", "\u00e9", "\u4e2d"]
    for n, text in enumerate(fuzz_texts(alphabet, n=20_000)):
        limit = n % 13
        if not damage_common.could_be_over(text, limit):
            assert damage_common.count_words(text) <= limit, (text, limit)
    blocks = tuple(Block(text=t, line=1, end_line=1, start=None, end=None, kind="paragraph")
                   for t in ("one two three", "\u4e2d\u4e2d\u4e2d four", "five, six"))
    counts = damage_common.BlockWords(blocks)
    assert [counts.words(i) for i in range(3)] == [3, 3, 2]
    assert counts.total_below(9) == 8 and counts.total_below(8) is None
    assert damage_common.BlockWords(()).total_below(0) is None
    assert damage_common.BlockWords(()).total_below(1) == 0


def test_spaced_word_count_is_the_token_count():
    alphabet = ["a", "\u00e9", "\u0416", "1", "\u0663", " ", "\t", "\n", "\x1c", "\x1f", "\u00a0", "\u2028",
                ",", "\u2014", "\u201c", "\u0301", "_", "\U0001f441", "\u3000", "\x85", "\u4e2d", "\u0e01"]
    for text in fuzz_texts(alphabet):
        expected = len(damage_common._WORD_RE.findall(text))
        assert damage_common._spaced_words(text) == expected, text


def test_normalize_line_is_normalize_for_ascii():
    for text in [chr(c) for c in range(128)] + list(fuzz_texts([chr(c) for c in range(128)])):
        assert normalize_line(text) == normalize(text), text
    assert normalize_line("Caf\u00e9 \u2014 \uff21") == normalize("Caf\u00e9 \u2014 \uff21")


def test_terminal_is_the_search_of_terminal_re():
    sentence = regex.compile(r"[.!?\u2026\u203c\u2047-\u2049\u3002\uff01\uff1f\uff61\u061f\u06d4\u0964"
                             r"\u0965\u104a\u104b\u1362\u0589]|\p{So}")
    assert not set(sentence.findall(ALL_CHARS)) & set(damage_layout.CLOSER_RE.findall(ALL_CHARS))
    alphabet = ["a", " ", ".", "!", "\u2026", "\u00a9", ")", "\u201d", "\u00bb", "\"", "'", "*", "_",
                "\u3002", "(", "\u2019"]
    for text in fuzz_texts(alphabet):
        assert damage_layout._terminal(text) == bool(damage_layout.TERMINAL_RE.search(text)), text


def test_the_year_test_is_a_necessary_condition():
    rng = random.Random(3)
    parts = ["2023", "11", "-", "/", ".", " ", "Nov", "3,", "|", "Title", "words", "Published", "\u0663"]
    for _ in range(20_000):
        title = "".join(rng.choice(parts) for _ in range(rng.randint(1, 9)))
        slow = any(p.match(title) for p in (damage_title.DATE_AT_START, damage_title.DATE_AT_END))
        assert not slow or damage_title.YEAR_RE.search(title), title


def test_cased_letters_counts_upper_and_lower_case():
    for text in fuzz_texts(["a", "B", "1", " ", "\u00c9", "\u01c5", "\u2160", "\u24b6", "\u0345", "\u02b0"]):
        assert damage_title.cased_letters(text) == sum(c.isupper() or c.islower() for c in text)


def test_patterns_are_split_at_the_alternatives_they_start_with():
    leads = dispatch.split_leads([r"(?:get|show) (?:an? )?summary", r"(?:the )?story\s*:?"], True)
    assert [lead for lead, _ in leads] == [r"get\ (?:a(?:n){0,1}\ ){0,1}su",
                                           r"show\ (?:a(?:n){0,1}\ ){0,1}s", r"the\ st", "story"]
    firsts = [re.compile(first.source(), re.IGNORECASE) for _, first in leads]
    assert [[c for c in "gGsStT" if f.fullmatch(c)] for f in firsts] == [
        ["g", "G"], ["s", "S"], ["t", "T"], ["s", "S"]]
    wide = "(?:" + "|".join(f"w{i}" for i in range(dispatch.MAX_PARTS + 1)) + ") x"
    assert len(dispatch.split_leads([wide], True)) == 1  # too many parts: kept whole
