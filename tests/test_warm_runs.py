"""A rerun over an unchanged corpus: the whole run's result is remembered and
is dropped as soon as anything it depends on changes; the pieces that make
the rerun fast (compact payloads, lazy patterns and modules, GC thresholds)
keep results the same."""
import gc
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import regex

from newslint.cli import main as cli
from newslint.run.cache import RUNS_KEPT
from newslint.config import Settings
from newslint.run.engine import Engine
from newslint.lazy import LazyModule, lazy_module
from newslint.lazy import LazyPattern
from newslint.model import Edit, Finding, Fix, InputError, Metadata, Suppression
from newslint.run.payload import (
    from_payload,
    run_from_payload,
    run_to_payload,
    ship,
    to_payload,
    unship,
)
from newslint.results import ArticleResult, FileResult
from newslint.rule import ArticleRef
from newslint.run.runner import Runner

STORY = ("Officials met on Monday to discuss the harbour plan, which would move the ferry "
         "terminal two kilometres east and add a cargo quay. The council said the work would "
         "start in spring and take three years. Residents asked about noise and traffic.\n")


def corpus(folder: Path) -> Path:
    (folder / "sub").mkdir(parents=True)
    (folder / "a.md").write_text("---\ntitle: Harbour plan\ndate: 2024-05-06\nauthor: Ann Lee\n"
                                 "site: City Post\n---\n\n" + STORY + "\nSource: City Post\n")
    (folder / "sub" / "b.txt").write_text("Harbour plan\n\n" + STORY + "Previous Article\n")
    (folder / "c.jsonl").write_text('{"title": "T", "text": "A record body with no date."}\n'
                                    '{"title": "U"}\n')  # the second record is an error
    return folder


class Checks:
    """Counts the runs that checked files (rather than recalling a result)."""

    def __init__(self, monkeypatch):
        self.count = 0
        original = Runner._check

        def counting(runner, *args):
            self.count += 1
            return original(runner, *args)
        monkeypatch.setattr(Runner, "_check", counting)


def run(folder: Path, cache: Path, paths=None, **settings):
    return Engine(Settings(cache_dir=str(cache), **settings)).run(paths or [str(folder)])


def same(a, b) -> bool:
    return (a.findings, a.errors, a.metadata, a.outlets, a.files, a.articles) == \
        (b.findings, b.errors, b.metadata, b.outlets, b.files, b.articles)


def test_an_unchanged_rerun_recalls_the_whole_result(tmp_path, monkeypatch):
    folder, cache = corpus(tmp_path / "c"), tmp_path / "cache"
    checks = Checks(monkeypatch)
    first = run(folder, cache)
    assert first.errors and first.findings and first.outlets
    assert {f.code for f in first.findings} >= {"NL601"}  # a corpus rule's finding too
    again = run(folder, cache)
    assert checks.count == 1 and same(first, again) and again.notices == []
    fresh = Engine(Settings(cache=False)).run([str(folder)])
    assert same(fresh, again)


def test_any_change_the_result_depends_on_checks_the_files_again(tmp_path, monkeypatch):
    folder, cache = corpus(tmp_path / "c"), tmp_path / "cache"
    checks = Checks(monkeypatch)
    run(folder, cache)
    (folder / "sub" / "b.txt").write_text("Harbour plan\n\nA different story altogether.\n")
    edited = run(folder, cache)
    assert checks.count == 2 and "NL601" not in {f.code for f in edited.findings}
    (folder / "d.txt").write_text("New\n\nA new article.\n")
    assert len(run(folder, cache).metadata) == len(edited.metadata) + 1 and checks.count == 3
    run(folder, cache, select=["NL601"])
    assert checks.count == 4
    os.chmod(folder / "a.md", 0o600)  # permissions (the change time) count too
    run(folder, cache)
    assert checks.count == 5
    run(folder, cache)
    assert checks.count == 5


def test_a_change_in_the_corpus_outside_the_targets_counts(tmp_path, monkeypatch):
    folder, cache = corpus(tmp_path / "c"), tmp_path / "cache"
    checks = Checks(monkeypatch)
    target = [str(folder / "a.md")]
    first = run(folder, cache, target, corpus=[str(folder)])
    assert "NL601" in {f.code for f in first.findings}
    (folder / "sub" / "b.txt").write_text("Harbour plan\n\nA different story altogether.\n")
    second = run(folder, cache, target, corpus=[str(folder)])
    assert checks.count == 2 and "NL601" not in {f.code for f in second.findings}


def test_a_damaged_run_result_is_ignored_with_a_warning(tmp_path, monkeypatch):
    folder, cache = corpus(tmp_path / "c"), tmp_path / "cache"
    first = run(folder, cache)
    db = sqlite3.connect(cache / "cache.sqlite")
    db.execute("UPDATE runs SET result = ?", (b"not zlib",))
    db.commit()
    db.close()
    checks = Checks(monkeypatch)
    damaged = run(folder, cache)
    assert checks.count == 1 and same(first, damaged)
    assert any("unreadable run result" in n for n in damaged.notices)


def test_a_damaged_file_row_is_checked_again_with_a_warning(tmp_path):
    """A payload whose lists are too short (IndexError) or of the wrong type
    is read as a miss, not a crash."""
    folder, cache = corpus(tmp_path / "c"), tmp_path / "cache"
    first = run(folder, cache)
    for damage in ('{"errors":[],"articles":[[["x"],[],[],null]]}',
                   '{"errors":[],"articles":[[["x","y",null,1,"T",5],[[1]],[],null]]}',
                   '{"errors":[[]],"articles":"no list"}'):
        db = sqlite3.connect(cache / "cache.sqlite")
        db.execute("UPDATE files SET payload = ?", (damage,))
        db.execute("DELETE FROM runs")
        db.commit()
        db.close()
        damaged = run(folder, cache)
        assert same(first, damaged), damage
        assert any("unreadable cache entry" in n for n in damaged.notices), damage


def test_a_run_with_a_file_it_could_not_read_is_not_remembered(tmp_path, monkeypatch):
    folder, cache = corpus(tmp_path / "c"), tmp_path / "cache"
    real_open = os.open

    def refused(path, *args, **kwargs):  # tests run as root: chmod 0 would not stop reads
        if str(path).endswith("a.md"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)
    monkeypatch.setattr(os, "open", refused)  # the engine reads with os.open
    refused_run = run(folder, cache)
    assert "cannot read: Permission denied" in {e.message for e in refused_run.errors}
    monkeypatch.undo()  # readable again, the file and its stat unchanged
    again = run(folder, cache)
    assert "cannot read: Permission denied" not in {e.message for e in again.errors}
    assert str(folder / "a.md") in again.metadata


def test_only_the_newest_runs_are_kept(tmp_path):
    folder, cache = corpus(tmp_path / "c"), tmp_path / "cache"
    for n in range(RUNS_KEPT + 2):
        (folder / "d.txt").write_text(f"New\n\nArticle number {n}.\n")
        run(folder, cache)
    db = sqlite3.connect(cache / "cache.sqlite")
    assert db.execute("SELECT count(*) FROM runs").fetchone()[0] == RUNS_KEPT
    db.close()


def test_an_external_index_is_not_remembered(tmp_path, monkeypatch):
    folder, cache = corpus(tmp_path / "c"), tmp_path / "cache"
    checks = Checks(monkeypatch)
    for _ in range(2):
        run(folder, cache, index=str(tmp_path / "index.sqlite"))
    assert checks.count == 2


# -- payloads ---------------------------------------------------------------------------
def test_a_file_payload_round_trips_every_field():
    ref = ArticleRef("f.jsonl:2", "f.jsonl", 2, 3, True, "Title", 120)
    fix = Fix((Edit(4, 6, ""), Edit(9, 9, " ")), "drop the space", True)
    findings = [Finding("f.jsonl", 3, 1, 3, 5, "NL101", "rule-a", "warning", "plain"),
                Finding("f.jsonl", 4, 2, 4, 9, "NL102", "rule-b", "info", "rich", fix,
                        "f.jsonl:2", (("count", 2), ("other", "x")))]
    meta = Metadata("2024-05-06", "front matter", ("Ann Lee", "Bo Chen"), "City Post",
                    "https://example.org/a", "en")
    result = FileResult("f.jsonl", [ArticleResult(ref, findings, [Suppression(("NL101",), 7)],
                                                  {"NL601": b"\x00\x01"}, meta)],
                        [InputError("f.jsonl", "line 9: not JSON", 9)])
    back = from_payload("f.jsonl", to_payload(result), {0: {"NL601": b"\x00\x01"}}, True)
    assert back == result
    assert unship("f.jsonl", ship(result), True) == result  # what a worker sends


def test_a_run_payload_round_trips(tmp_path):
    folder = corpus(tmp_path / "c")
    result = Engine(Settings(cache=False)).run([str(folder)])
    back = run_from_payload(run_to_payload(result), result.rules)
    assert same(back, result)


# -- lazy patterns and modules -------------------------------------------------------------
def test_a_lazy_pattern_compiles_once_and_behaves_as_the_pattern():
    calls = []

    def compiler(pattern, flags):
        calls.append(pattern)
        return regex.compile(pattern, flags)
    lazy = LazyPattern(r"(?P<word>\w+)-(\d+)", regex.IGNORECASE, compiler)
    assert calls == []
    compiled = regex.compile(r"(?P<word>\w+)-(\d+)", regex.IGNORECASE)
    text = "Flight AB-12 and ab-7, not 9-"
    assert lazy.search(text).group("word") == compiled.search(text).group("word") == "AB"
    assert lazy.findall(text) == compiled.findall(text)
    assert lazy.sub("X", text) == compiled.sub("X", text)
    assert lazy.pattern == compiled.pattern and lazy.groupindex == compiled.groupindex
    assert calls == [r"(?P<word>\w+)-(\d+)"]


def test_a_lazy_pattern_used_by_many_threads_compiles_once():
    calls = []

    def compiler(pattern, flags):
        calls.append(pattern)
        return regex.compile(pattern, flags)
    lazy = LazyPattern(r"a+", 0, compiler)
    found = []
    threads = [threading.Thread(target=lambda: found.append(lazy.match("aaa").end()))
               for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert found == [3] * 8 and len(calls) == 1


def test_a_lazy_module_imports_on_first_use():
    assert lazy_module("os") is os  # already imported: the module itself
    stand_in = LazyModule("json")
    assert "dumps" not in stand_in.__dict__
    assert stand_in.dumps([1]) == "[1]" and "dumps" in stand_in.__dict__


def test_a_rerun_served_from_the_cache_does_not_import_numpy(tmp_path):
    folder = corpus(tmp_path / "c")
    code = ("import sys\nfrom newslint.cli.main import main\n"
            f"main(['check', {str(folder)!r}, '--cache-dir', {str(tmp_path / 'cache')!r}, "
            "'--no-progress', '-o', '/dev/null'])\nprint('numpy' in sys.modules)")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    out = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, check=True).stdout.split() for _ in range(2)]
    assert out == [["True"], ["False"]]


# -- the CLI's garbage-collector thresholds ----------------------------------------------------
def test_the_cli_raises_gc_thresholds_for_the_run_and_restores_them(monkeypatch, tmp_path):
    seen = []
    monkeypatch.setitem(cli.COMMANDS, "check", lambda args: seen.append(gc.get_threshold()) or 0)
    before = gc.get_threshold()
    assert cli.main(["check", str(tmp_path)]) == 0
    assert seen == [cli.GC_THRESHOLDS] and gc.get_threshold() == before
