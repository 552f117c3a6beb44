"""The library API: `Linter.check`, `check_many`, `fix`, the quality score,
the drop policy, persistent indexes, threads, and the README example."""
import random
import re
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import newslint
from newslint import Linter, lint
from newslint.api.linter import InvalidItem
from newslint.config import ConfigError
from newslint.loaders.plaintext import article_from_text
from newslint.model import Finding
from newslint.api.quality import quality_score

DOCS = Path(__file__).resolve().parents[1] / "docs" / "integrations.md"

STORY = (
    "The city council voted on Tuesday to extend the night bus network to the northern "
    "districts, after a two-year campaign by residents who said the last train left them "
    "stranded. The extension adds four routes that will run every twenty minutes between "
    "midnight and five in the morning, starting in March.\n\n"
    "Transport director Maria Keller told the council the routes would cost 3.2 million "
    "euros a year, paid partly from the parking levy approved last spring. Opposition "
    "members asked for a review after twelve months, which the council accepted.")
CLEAN = {"url": "https://example.org/buses", "title": "Night buses for the north",
         "text": STORY, "date": "2024-03-05", "author": "Ana Ruiz", "source": "Example Gazette"}
PROMPT = "No time to read?\nGet a summary"


# -- synthetic corpora with planted near-duplicates (also used by test_redis) -----------
SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "si", "de", "pa", "gu", "fe", "ri",
             "no", "ba", "te"]


def random_text(rng: random.Random, words: int = 120) -> str:
    out = [rng.choice(SYLLABLES) + rng.choice(SYLLABLES) + rng.choice(SYLLABLES)
           for _ in range(words)]
    return " ".join(w + ("." if i % 12 == 11 else "") for i, w in enumerate(out))


def edited(text: str, rng: random.Random, changes: int = 2) -> str:
    """A near copy: `changes` words replaced (5-word shingle Jaccard about 0.84 for 2)."""
    words = text.split(" ")
    for position in rng.sample(range(len(words)), changes):
        words[position] = "zzq" + words[position]
    return " ".join(words)


def planted_corpus(seed: int, originals: int) -> tuple[list[dict], list[tuple[str, str]]]:
    """`originals` unrelated articles plus one near copy of each: (items, pairs)."""
    rng = random.Random(seed)
    items, pairs = [], []
    for n in range(originals):
        text = random_text(rng)
        items.append({"id": f"s{seed}-orig-{n}", "title": f"Story {n}", "text": text})
        items.append({"id": f"s{seed}-copy-{n}", "title": f"Story {n}", "text": edited(text, rng)})
        pairs.append((f"s{seed}-orig-{n}", f"s{seed}-copy-{n}"))
    return items, pairs


def finding(code="NL101", severity="warning"):
    return Finding("a.txt", 1, 1, 1, 1, code, "x", severity, "m")


# -- checking ---------------------------------------------------------------------------------
def test_clean_article_scores_100_with_its_metadata():
    result = Linter().check(CLEAN)
    assert result.findings == [] and result.score == 100
    assert result.id == "https://example.org/buses"
    assert result.metadata.date == "2024-03-05" and result.metadata.authors == ("Ana Ruiz",)
    assert result.metadata.outlet == "Example Gazette"
    assert not result.is_duplicate and not result.dropped


def test_findings_and_score_of_a_damaged_article():
    result = Linter().check({**CLEAN, "text": f"{PROMPT}\n\n{STORY}"})
    assert [f.code for f in result.findings] == ["NL101"]
    assert result.score == 100 - 8 and result.to_dict()["findings"][0]["code"] == "NL101"


def test_articles_and_plain_text_are_accepted():
    article = article_from_text("story.txt", f"Night buses\n\n{PROMPT}\n\n{STORY}\n")
    linter = Linter(select=["NL101"])
    assert [f.line for f in linter.check(article).findings] == [3]
    one_off = lint(f"Night buses\n\n{PROMPT}\n\n{STORY}", select=["NL101"])
    assert [f.code for f in one_off.findings] == ["NL101"]


def test_bad_items_raise_clear_errors():
    with pytest.raises(InvalidItem, match="no text field"):
        Linter().check({"title": "only a title"})
    with pytest.raises(TypeError, match="Article, a dict or a str"):
        Linter().check(42)


def test_near_duplicates_are_found_against_what_was_seen_before():
    linter = Linter(select=["NL601"])
    first = linter.check(CLEAN)
    copy = linter.check({**CLEAN, "url": "https://example.org/copy",
                         "text": STORY.replace("on Tuesday", "on Tuesday evening")})
    assert first.duplicates == []
    [(other, similarity)] = copy.duplicates
    assert other == "https://example.org/buses" and 0.7 < similarity <= 1.0
    assert [f.code for f in copy.findings] == ["NL601"]
    assert "near-duplicate of https://example.org/buses" in copy.findings[0].message


def test_unnamed_items_get_numbered_ids():
    linter = Linter(select=["NL601"])
    linter.check({"text": STORY})
    second = linter.check({"text": STORY})
    assert second.id == "item-2" and [d for d, _ in second.duplicates] == ["item-1"]


def test_check_many_streams(tmp_path):
    consumed = []

    def items():
        for n in range(5):
            consumed.append(n)
            yield {**CLEAN, "url": f"https://example.org/{n}"}
    results = Linter(select=["NL601"]).check_many(items())
    assert consumed == []
    first = next(results)
    assert consumed == [0] and first.duplicates == []
    rest = list(results)
    assert consumed == [0, 1, 2, 3, 4] and all(r.is_duplicate for r in rest)


# -- configuration ------------------------------------------------------------------------------
def test_config_file_and_options(tmp_path):
    config = tmp_path / "newslint.toml"
    config.write_text('select = ["NL601"]\n[rules.near-duplicate]\nthreshold = 0.99\n')
    copy = {**CLEAN, "url": "https://example.org/copy", "text": STORY.replace("Tuesday", "Monday")}
    strict = Linter(config=config)
    strict.check(CLEAN)
    assert strict.check(copy).duplicates == []
    loose = Linter(config=config, options={"NL601": {"threshold": 0.6}})
    loose.check(CLEAN)
    assert loose.check(copy).is_duplicate


def test_configuration_errors_are_config_errors(tmp_path):
    with pytest.raises(ConfigError, match="NL999"):
        Linter(select=["NL999"])
    with pytest.raises(ConfigError, match="unknown option 'nope'"):
        Linter(options={"NL601": {"nope": 1}})
    with pytest.raises(ConfigError, match="unknown setting 'colour'"):
        Linter(colour="blue")
    with pytest.raises(ConfigError, match="drop_on"):
        Linter(drop_on=["errors"])
    with pytest.raises(ConfigError, match="min_score"):
        Linter(min_score=101)
    with pytest.raises(ConfigError, match="threshold"):
        Linter(options={"NL601": {"threshold": 1.5}})


# -- score and drop policy ------------------------------------------------------------------------
def test_quality_score_formula():
    assert quality_score([]) == 100
    assert quality_score([finding("NL101", "error"), finding("NL301", "warning"),
                          finding("NL001", "info")]) == 100 - 20 - 8 - 2
    five = [finding("NL503", "warning")] * 5
    assert quality_score(five) == 100 - 3 * 8            # a rule counts at most 3 times
    mixed = [finding("NL501", "info")] * 3 + [finding("NL501", "error")]
    assert quality_score(mixed) == quality_score(list(reversed(mixed))) == 100 - 20 - 2 - 2
    many = [finding(f"NL{n}", "error") for n in range(100, 110)]
    assert quality_score(many) == 0


def test_drop_policy():
    damaged = {**CLEAN, "url": "https://example.org/damaged", "text": f"{PROMPT}\n\n{STORY}"}
    assert not Linter(drop_on=["error"]).check(damaged).dropped        # NL101 is a warning
    result = Linter(drop_on=["warning"]).check(damaged)
    assert result.dropped and [r.kind for r in result.drop_reasons] == ["warning"]
    assert str(result.drop_reasons[0]) == "warning: 1 finding (NL101 boilerplate-summary-prompt)"
    by_rule = Linter(drop_on=["boilerplate"]).check(damaged)
    assert [r.kind for r in by_rule.drop_reasons] == ["boilerplate"]
    assert Linter(min_score=95).check(damaged).drop_reasons[0].message == \
        "quality score 92 is below 95"
    linter = Linter(drop_on={"duplicate"})
    assert not linter.check(CLEAN).dropped
    again = linter.check({**CLEAN, "url": "https://example.org/again"})
    assert again.dropped and again.drop_reasons[0].kind == "duplicate"
    assert "https://example.org/buses" in again.drop_reasons[0].message


# -- fixes -------------------------------------------------------------------------------------
def test_fix_a_record_and_a_text_article():
    text, fixes = Linter().fix({**CLEAN, "text": f"{STORY}\n\n{PROMPT}\n\nSubscribe to our newsletter"})
    assert text == STORY and len(fixes) == 2
    article = article_from_text("a.txt", f"Night buses\n\n{PROMPT}\n\n{STORY}\n")
    text, fixes = Linter().fix(article)
    assert text == f"Night buses\n\n{STORY}\n" and len(fixes) == 1
    assert Linter().fix(CLEAN) == (STORY, [])


# -- persistence and threads -----------------------------------------------------------------------
def test_persistent_index_remembers_earlier_runs(tmp_path):
    with Linter(select=["NL601"], index=tmp_path / "index") as first:
        first.check(CLEAN)
    with Linter(select=["NL601"], index=tmp_path / "index") as second:
        result = second.check({**CLEAN, "url": "https://example.org/later"})
    assert [d for d, _ in result.duplicates] == ["https://example.org/buses"]


def test_threads_find_every_planted_duplicate(monkeypatch):
    """Each copy is checked right beside its original, and the index is slowed
    between look-up and insertion: without the lock both would miss."""
    from newslint.dedup.memory_index import MemoryIndex
    insert = MemoryIndex.insert

    def slow(self, entry, buckets=None):  # called by check_in after the look-up
        time.sleep(0.002)
        return insert(self, entry, buckets)
    monkeypatch.setattr(MemoryIndex, "insert", slow)
    items, pairs = planted_corpus(seed=7, originals=40)
    linter = Linter()  # every default rule, so the rules run in parallel too
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = {r.id: r for r in pool.map(linter.check, items)}
    assert len(results) == 80 and len(linter.index.store) == 80
    for original, copy in pairs:
        flagged = [(r.id, [d for d, _ in r.duplicates]) for r in (results[original], results[copy])
                   if r.duplicates]
        assert flagged in ([(original, [copy])], [(copy, [original])])
    assert sum(r.is_duplicate for r in results.values()) == 40
    assert not [f.message for r in results.values() for f in r.findings if "internal error" in f.message]


def test_on_real_articles_the_library_finds_what_the_command_finds():
    """The 28 extracted newspaper4k articles: one real pair (the same story on
    two sites); the seeds: five articles on one topic, none a copy."""
    from conftest import NEWSPAPER4K, SEEDS
    from newslint.config import Settings
    from newslint.run.engine import Engine
    if not NEWSPAPER4K.is_dir() or not SEEDS.is_dir():
        pytest.skip("shared corpora not available")
    files = sorted((NEWSPAPER4K / "txt").glob("*.txt")) + sorted(SEEDS.glob("*.txt"))
    linter = Linter(select=["NL601"])
    found = {frozenset((Path(r.id).name, Path(d).name)) for r in linter.check_many(
        article_from_text(str(p), p.read_text(encoding="utf-8")) for p in files)
        for d, _ in r.duplicates}
    run = Engine(Settings(select=["NL601"], cache=False)).run([str(p) for p in files])
    by_command = {frozenset((Path(f.path).name, Path(m["path"]).name))
                  for f in run.findings for m in dict(f.data)["duplicates"]}
    assert found == by_command == {frozenset(("cleveland.com1.txt", "video_article_01.txt"))}


# -- the README example and the exports ---------------------------------------------------------------
def test_docs_example_runs_and_prints_what_the_docs_say(tmp_path, monkeypatch, capsys):
    found = re.search(r"```python\n(.*?)```\n\nThis prints:\n\n```\n(.*?)```",
                      DOCS.read_text(encoding="utf-8"), re.S)
    assert found, "docs/integrations.md has no python example followed by its output"
    monkeypatch.chdir(tmp_path)
    exec(compile(found.group(1), str(DOCS), "exec"), {"__name__": "__docs__"})
    def shape(text):  # similarity estimates move when shingling is tuned: compare the rest
        return re.sub(r"similarity \d\.\d\d", "similarity N", text)
    assert shape(capsys.readouterr().out) == shape(found.group(2))


def test_public_names():
    assert newslint.Linter is Linter and "Linter" in newslint.__all__ and "lint" in newslint.__all__
