"""The corpus snapshot (run/snapshot.py): the corpus files of a `--corpus`
run read back from one cache row, each only while its stat is unchanged;
the findings are those of a run without a cache, whatever the snapshot holds."""
import os
import sqlite3
from pathlib import Path

import pytest

from newslint.config import Settings
from newslint.run.cache import Cache
from newslint.run.engine import Engine
from newslint.run.snapshot import Snapshot, encode, entry

WORDS = [f"word{i}" for i in range(300)]


def story(i: int) -> str:
    return f"Story {i}\n\n" + " ".join(WORDS[(i * 31 + k * k) % 300] for k in range(50)) + ".\n"


@pytest.fixture
def repo(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(30):
        (corpus / f"{i:02d}.txt").write_text(story(i))
    (corpus / "copy.txt").write_text(story(7).replace(" word", " changed", 1))
    return tmp_path


def run(repo: Path, cache: bool = True):
    settings = Settings(select=["NL601"], corpus=["corpus"], cache=cache,
                        cache_dir=str(repo / "cache"))
    return Engine(settings).run(["corpus/07.txt", "corpus/03.txt"])


def lines(result) -> list[str]:
    return [f"{f.path}:{f.code}:{f.message}" for f in result.findings]


def fetched(monkeypatch) -> list[int]:
    """How many files' own cache rows each run reads."""
    counts: list[int] = []
    original = Cache.get_many

    def counting(cache, paths, full=True):
        if not full:
            counts.append(len(paths))
        return original(cache, paths, full)
    monkeypatch.setattr(Cache, "get_many", counting)
    return counts


def test_a_rerun_reads_the_corpus_from_the_snapshot(repo, monkeypatch):
    expected = lines(run(repo, cache=False))
    assert len(expected) == 1
    assert expected[0].startswith("corpus/07.txt:NL601:near-duplicate of corpus/copy.txt (similarity 0.")
    counts = fetched(monkeypatch)
    assert lines(run(repo)) == expected            # cold: the snapshot is written
    (repo / "corpus" / "07.txt").write_text(story(7) + "An edit.\n")   # a target changes
    expected_after_edit = lines(run(repo, cache=False))
    counts.clear()
    assert lines(run(repo)) == expected_after_edit
    assert sum(counts) == 0                         # every corpus file from the snapshot


def test_a_changed_corpus_file_is_not_taken_from_the_snapshot(repo, monkeypatch):
    run(repo)
    (repo / "corpus" / "copy.txt").write_text(story(12))   # no longer a copy of 07
    assert lines(run(repo)) == lines(run(repo, cache=False)) == []


def test_a_forged_snapshot_is_refused_and_rewritten(repo, capsys):
    expected = lines(run(repo))
    db = sqlite3.connect(repo / "cache" / "cache.sqlite")
    data = db.execute("SELECT data FROM corpora").fetchone()[0]
    db.execute("UPDATE corpora SET data = ?", (data.replace(b"copy.txt", b"cope.txt"),))
    db.execute("DELETE FROM runs")  # else the whole run's result is recalled
    db.commit()
    db.close()
    result = run(repo)
    assert lines(result) == expected
    assert any("checksum" in notice for notice in result.notices)
    sqlite3.connect(repo / "cache" / "cache.sqlite").execute("DELETE FROM runs").connection.commit()
    assert not any("checksum" in notice for notice in run(repo).notices)   # rewritten


def test_snapshot_round_trip_and_malformed_data(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(story(1))
    result = Engine(Settings(select=["NL601"], cache=False)).process_file(str(path), target=False)
    snapshot = Snapshot(encode([entry("KEY", os.stat(path), result)]))
    back = snapshot.result(str(path), "KEY", os.stat(path))
    assert [a.ref for a in back.articles] == [a.ref for a in result.articles]
    assert [a.summaries for a in back.articles] == [a.summaries for a in result.articles]
    assert snapshot.result(str(path), "OTHER", os.stat(path)) is None
    assert snapshot.result("elsewhere/a.txt", "KEY", os.stat(path)) is None  # spelled otherwise
    for bad in (b"\x05", b"\x09\x00\x00\x00\x00\x00\x00\x00not json!",
                b"\x05\x00\x00\x00\x00\x00\x00\x00[[1]]", b"\x02\x00\x00\x00\x00\x00\x00\x00{}"):
        with pytest.raises(ValueError):
            Snapshot(bad)
