"""The near-duplicate index's rules (README "The near-duplicate index"), on
every backend (memory, SQLite folder, Redis on a real server) and through every
door (NearDupIndex, Linter, Scrapy pipeline, `check --index`):

- the first seen is the original and is kept; a later near-copy is recorded as
  a duplicate *of* it and never becomes a reason to drop it;
- re-checking an article already in the index (same id) is never a duplicate
  of itself, and an edited article replaces its own entry;
- ids are canonical: a URL, else `namespace:relative/path`, so two machines
  with one corpus agree and two corpora never collide.
"""
import random
import shutil
from pathlib import Path

import pytest
from redis_server import redis_server, redis_url  # noqa: F401 (fixtures)
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler
from test_api import CLEAN, edited, planted_corpus, random_text

from newslint import Linter
from newslint.cli.main import main
from newslint.dedup.identity import canonical_url
from newslint.dedup.index import NearDupIndex
from newslint.dedup.minhash import signature
from newslint.dedup.shingles import shingle
from newslint.integrations.scrapy import NewslintPipeline

BACKENDS = ["memory", "folder", "redis"]


@pytest.fixture(params=BACKENDS)
def spec(request, tmp_path):
    """None (memory), a folder, or a Redis URL (an empty database)."""
    if request.param == "memory":
        return None
    if request.param == "folder":
        return str(tmp_path / "index")
    return request.getfixturevalue("redis_url")


def sig(text: str):
    return signature(shingle(text).hashes)


def texts(seed: int = 1):
    rng = random.Random(seed)
    a = random_text(rng, 150)
    return a, edited(a, rng, 3), random_text(rng, 150)


# -- the index itself -----------------------------------------------------------------------
def test_first_seen_is_the_original_and_its_copy_never_drops_it(spec):
    a, near, other = texts()
    with NearDupIndex.open(spec) as index:
        assert index.check_in("a", sig(a), now=100.0) == []
        assert index.check_in("other", sig(other), now=101.0) == []
        found = index.check_in("b", sig(near), now=102.0)
        assert [k for k, _ in found] == ["a"] and found[0][1] >= 0.5
        assert index.get("b").of == ("a",) and index.get("a").of == ()
        for _ in range(2):  # again and again: the original is never a copy of its copy
            assert index.check_in("a", sig(a), now=200.0) == []
            assert [k for k, _ in index.check_in("b", sig(near), now=201.0)] == ["a"]
        assert index.get("a").first_seen == 100.0 and index.get("b").first_seen == 102.0
        assert len(index) == 3


def test_rechecking_the_same_id_is_not_a_duplicate_and_an_edit_replaces_the_entry(spec):
    a, _, other = texts(2)
    with NearDupIndex.open(spec) as index:
        index.check_in("a", sig(a), now=1.0)
        assert index.check_in("a", sig(a), now=2.0) == []   # itself: not a duplicate
        assert index.check_in("a", sig(other), now=3.0) == []  # edited: replaces its entry
        assert index.query(sig(a)) == [] and index.query(sig(other)) == ["a"]
        assert index.get("a").first_seen == 1.0 and len(index) == 1
        # the edit is now what copies are compared with
        assert [k for k, _ in index.check_in("c", sig(other), now=4.0)] == ["a"]
        assert index.check_in("d", sig(a), now=5.0) == []


def test_a_copy_edited_away_from_its_original_becomes_an_original(spec):
    a, near, other = texts(3)
    with NearDupIndex.open(spec) as index:
        index.check_in("a", sig(a))
        index.check_in("b", sig(near))
        assert index.check_in("b", sig(other)) == [] and index.get("b").of == ()
        assert [k for k, _ in index.check_in("c", sig(other))] == ["b"]


def test_a_big_cluster_records_a_bounded_list_with_the_original_first(spec):
    """40 copies of one story: each names at most MAX_OF ids, the original
    always among them, so the original stays clean however big its cluster."""
    from newslint.dedup.entries import MAX_OF
    rng = random.Random(6)
    a = random_text(rng, 150)
    copies = [edited(a, rng, 1) for _ in range(MAX_OF + 8)]
    with NearDupIndex.open(spec) as index:
        index.check_in("original", sig(a))
        for n, text in enumerate(copies):
            found = index.check_in(f"copy{n:02d}", sig(text))
            assert len(found) == n + 1     # reported: every earlier one
            of = index.get(f"copy{n:02d}").of
            assert of[0] == "original" and len(of) == min(n + 1, MAX_OF)
        assert index.check_in("original", sig(a)) == []


# -- the Linter: the two runs, and a replayed stream -------------------------------------
def linters(spec):
    """A Linter per run: new ones over a stored index, the same one in memory."""
    if spec is None:
        shared = Linter(select=["NL601"], drop_on={"duplicate"})
        return lambda: shared
    return lambda: Linter(select=["NL601"], index=spec, drop_on={"duplicate"})


def test_linter_runs_keep_the_original_every_time(spec):
    make = linters(spec)
    a = {**CLEAN, "url": "https://example.org/a"}
    b = {**CLEAN, "url": "https://example.org/b", "text": CLEAN["text"].replace("Tuesday", "Monday")}
    for _ in range(3):
        linter = make()
        first, second = linter.check(a), linter.check(b)
        assert not first.dropped and first.duplicates == []
        assert second.dropped and [d for d, _ in second.duplicates] == ["https://example.org/a"]


def test_a_replayed_stream_keeps_the_same_items(spec):
    items, pairs = planted_corpus(seed=21, originals=30)
    make = linters(spec)
    kept_per_run = []
    for _ in range(3):
        linter = make()
        kept_per_run.append([r.id for r in map(linter.check, items) if not r.dropped])
    originals = [original for original, _ in pairs]
    assert kept_per_run == [originals] * 3


def test_scrapy_crawls_keep_the_same_items(spec):
    settings = {"NEWSLINT_SELECT": "NL601", "NEWSLINT_DROP_ON": "duplicate"}
    if spec is not None:
        settings["NEWSLINT_INDEX"] = spec
    items, pairs = planted_corpus(seed=22, originals=10)
    pipeline = NewslintPipeline.from_crawler(get_crawler(settings_dict=settings))
    for _ in range(3):
        if spec is not None:
            pipeline = NewslintPipeline.from_crawler(get_crawler(settings_dict=settings))
        kept = []
        for item in items:
            try:
                kept.append(pipeline.process_item(dict(item))["id"])
            except DropItem:
                pass
        assert kept == [original for original, _ in pairs]


# -- check --index ----------------------------------------------------------------------
def write_pairs(folder: Path, names: list[str], seed: int) -> None:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        text = random_text(rng, 150)
        (folder / f"{name}.txt").write_text(f"Story {name}\n\n{text}\n", encoding="utf-8")
        (folder.parent / "copies").mkdir(exist_ok=True)
        (folder.parent / "copies" / f"{name}.txt").write_text(
            f"Story {name} again\n\n{edited(text, rng, 3)}\n", encoding="utf-8")


def check_index(folder: str, index: str, capsys) -> list[str]:
    main(["check", folder, "--index", index, "--select", "NL601", "--no-cache",
          "--format", "jsonl", "--no-progress"])
    return sorted(line for line in capsys.readouterr().out.splitlines() if line.strip())


@pytest.mark.parametrize("backend", ["folder", "redis"])
def test_check_index_reruns_never_flag_originals(backend, tmp_path, capsys, monkeypatch, request):
    index = str(tmp_path / "idx") if backend == "folder" else request.getfixturevalue("redis_url")
    write_pairs(tmp_path / "a", ["x", "y", "z"], seed=4)
    monkeypatch.chdir(tmp_path)
    assert check_index("a", index, capsys) == []
    copies = check_index("copies", index, capsys)
    names = {f"{tmp_path.name}:a/{n}.txt" for n in "xyz"}
    assert len(copies) == 3 and {c.split("indexed article ")[1].split(" ")[0] for c in copies} == names
    assert check_index("a", index, capsys) == []          # the originals again: still clean
    assert check_index("copies", index, capsys) == copies  # the copies again: the same findings


def test_same_relative_path_in_two_corpora_does_not_collide(tmp_path, capsys, monkeypatch):
    """Two checkouts named differently hold different articles at the same path."""
    rng = random.Random(8)
    story = random_text(rng, 150)
    for name, text in (("one", story), ("two", random_text(rng, 150))):
        (tmp_path / name / "articles").mkdir(parents=True)
        (tmp_path / name / "articles" / "story.txt").write_text(f"T\n\n{text}\n")
    (tmp_path / "three" / "articles").mkdir(parents=True)
    (tmp_path / "three" / "articles" / "copy.txt").write_text(f"T\n\n{edited(story, rng, 3)}\n")
    index = str(tmp_path / "idx")
    for name in ("one", "two", "three"):
        monkeypatch.chdir(tmp_path / name)
        found = check_index(".", index, capsys)
    assert len(found) == 1 and "one:articles/story.txt" in found[0]
    with NearDupIndex.open(index) as stored:
        assert sorted(e.key for e in stored.entries()) == [
            "one:articles/story.txt", "three:articles/copy.txt", "two:articles/story.txt"]


def test_two_checkouts_with_one_namespace_agree(tmp_path, capsys, monkeypatch):
    rng = random.Random(9)
    story = random_text(rng, 150)
    for checkout in ("machine1/news", "machine2/checkout"):
        folder = tmp_path / checkout
        (folder / "articles").mkdir(parents=True)
        (folder / "articles" / "story.txt").write_text(f"T\n\n{story}\n")
        (folder / "newslint.toml").write_text('index-namespace = "example-news"\n')
    index = str(tmp_path / "idx")
    for checkout in ("machine1/news", "machine2/checkout"):
        monkeypatch.chdir(tmp_path / checkout)
        assert check_index(".", index, capsys) == []   # the same article: not its own copy
    with NearDupIndex.open(index) as stored:
        assert [e.key for e in stored.entries()] == ["example-news:articles/story.txt"]


def test_canonical_urls():
    assert canonical_url(" HTTPS://Example.ORG:443/a/b?x=1#top ") == "https://example.org/a/b?x=1"
    assert canonical_url("http://example.org:8080") == "http://example.org:8080/"
    assert canonical_url("file:///tmp/page.html#x") == "file:///tmp/page.html"
    assert canonical_url("") is None and canonical_url(None) is None


def test_memory_index_merges_and_compacts_like_the_file_index(monkeypatch, tmp_path):
    """Small merge and block sizes, so a few hundred articles go through the
    sorted-array merges, dead rows and compactions; each answer is checked
    against the SQLite index fed the same steps."""
    import newslint.dedup.memory_index as memory
    monkeypatch.setattr(memory, "MERGE_AT", 26 * 7)
    monkeypatch.setattr(memory, "BLOCK", 16)
    rng = random.Random(12)
    bases = [random_text(rng, 60) for _ in range(40)]
    steps = [(f"k{rng.randrange(60)}", sig(edited(rng.choice(bases), rng, rng.randrange(1, 6))))
             for _ in range(400)]
    with NearDupIndex.open(None) as mem, NearDupIndex.open(tmp_path) as disk:
        for n, (key, signature_) in enumerate(steps):
            if n % 37 == 36:
                gone = [f"k{rng.randrange(60)}" for _ in range(3)]
                assert mem.remove(gone) == disk.remove(gone)
            assert mem.check_in(key, signature_, now=n) == disk.check_in(key, signature_, now=n)
            assert mem.query(signature_) == disk.query(signature_)
        assert len(mem) == len(disk)
        assert sorted((e.key, e.first_seen, e.of) for e in mem.entries()) == \
            sorted((e.key, e.first_seen, e.of) for e in disk.entries())
