"""Issue gate: what each of the five real scraped seed articles must show
(see ../shared/seeds/README.md), checked with all default rules together."""
import os
from collections import defaultdict

import pytest

from newslint.config import Settings
from newslint.run.engine import Engine

from conftest import SEEDS

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not here")


@pytest.fixture(scope="module")
def found():
    files = sorted(str(p) for p in SEEDS.glob("0*.txt"))
    result = Engine(Settings(cache=False)).run(files)
    assert result.errors == []
    by_seed = defaultdict(list)
    for f in result.findings:
        by_seed[os.path.basename(f.path)[:3]].append((f.rule, f.line))
    return by_seed


def rules(found, seed):
    return {rule for rule, _ in found[seed]}


def lines(found, seed, rule):
    return sorted(line for r, line in found[seed] if r == rule)


def test_seed_000(found):
    assert lines(found, "000", "boilerplate-summary-prompt") == [3, 14]
    assert lines(found, "000", "boilerplate-article-navigation") == [16, 20]
    assert {"missing-date", "damage-glued-sentences", "unattributed-source-vague"} <= rules(found, "000")
    assert "unattributed-source" not in rules(found, "000")  # "Source attribution: Business Insider"


def test_seed_001(found):
    got = rules(found, "001")
    assert "missing-date" not in got and "unattributed-source" not in got
    assert lines(found, "001", "damage-space-before-punctuation") == [27, 59]
    assert len(lines(found, "001", "damage-blank-line-runs")) >= 10
    assert {"damage-all-caps-headline", "damage-date-in-headline"} <= got


def test_seed_002(found):
    got = rules(found, "002")
    assert lines(found, "002", "boilerplate-byline-counter") == [3]
    assert {"duplicate-paragraph-keyword-stuffing", "missing-date", "unattributed-source",
            "damage-wall-of-text"} <= got


def test_seed_003(found):
    got = rules(found, "003")
    assert {"unattributed-source-dangling-citation", "missing-date", "duplicate-paragraph-pull-quote"} <= got


def test_seed_004(found):
    assert lines(found, "004", "duplicate-paragraph") == [10, 11, 12]
    assert lines(found, "004", "duplicate-paragraph-title") == [4]
    assert {"missing-date", "unattributed-source"} <= rules(found, "004")
    # the stored file ends "...international relations.": nothing is truncated
    assert "damage-truncated-ending" not in rules(found, "004")


def test_seeds_are_not_near_duplicates_of_each_other(found):
    assert not any(rule.startswith("near-duplicate") for seed in found for rule, _ in found[seed])
