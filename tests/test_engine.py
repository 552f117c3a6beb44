"""Engine behaviour: caching, parallel determinism, suppressions, corpus rules."""
import os

import pytest

from newslint.config import Settings
from newslint.run.engine import Engine
from newslint.model import Finding
from newslint.rule import ArticleRef, CorpusRule, parse_examples


def write(path, text, encoding="utf-8"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def latin_corpus(folder, n):
    for i in range(n):
        enc = "cp1252" if i % 3 == 0 else "utf-8"
        write(folder / f"a{i:04d}.txt", f"Caf\u00e9 {i}\n\nLe caf\u00e9 num\u00e9ro {i} est ouvert.\n", enc)


def test_cache_reuses_results_without_reading(tmp_path, monkeypatch):
    latin_corpus(tmp_path / "c", 12)
    settings = Settings(select=["NL002"], cache_dir=str(tmp_path / "cache"))
    first = Engine(settings).run([str(tmp_path / "c")])
    reads = []
    real_read = Engine.read
    monkeypatch.setattr(Engine, "read", lambda self, p: reads.append(p) or real_read(self, p))
    second = Engine(settings).run([str(tmp_path / "c")])
    assert reads == []
    assert second.findings == first.findings and len(first.findings) == 4
    # a changed file is read again, and only that one
    write(tmp_path / "c" / "a0001.txt", "Caf\u00e9\n\nChang\u00e9.\n", "cp1252")
    third = Engine(settings).run([str(tmp_path / "c")])
    assert [os.path.basename(p) for p in reads] == ["a0001.txt"]
    assert len(third.findings) == 5


def test_cache_keyed_by_selection(tmp_path):
    latin_corpus(tmp_path / "c", 3)
    cache = str(tmp_path / "cache")
    assert len(Engine(Settings(select=["NL002"], cache_dir=cache)).run([str(tmp_path)]).findings) == 1
    assert Engine(Settings(select=["NL001"], cache_dir=cache)).run([str(tmp_path)]).findings == []


def test_corrupt_cache_is_rebuilt_with_a_warning(tmp_path):
    latin_corpus(tmp_path / "c", 3)
    cache = tmp_path / "cache"
    settings = Settings(select=["NL002"], cache_dir=str(cache))
    Engine(settings).run([str(tmp_path / "c")])
    (cache / "cache.sqlite").write_bytes(b"this is not a database" * 100)
    for suffix in ("-wal", "-shm"):
        if (cache / f"cache.sqlite{suffix}").exists():
            (cache / f"cache.sqlite{suffix}").unlink()
    result = Engine(settings).run([str(tmp_path / "c")])
    assert len(result.findings) == 1
    assert any("rebuilding" in n or "cache" in n for n in result.notices)


def test_parallel_output_equals_serial(tmp_path):
    latin_corpus(tmp_path / "c", 240)
    serial = Engine(Settings(select=["NL002"], cache=False, jobs=1)).run([str(tmp_path)])
    parallel = Engine(Settings(select=["NL002"], cache=False, jobs=2)).run([str(tmp_path)])
    assert len(serial.findings) == 80
    assert parallel.findings == serial.findings


def test_parallel_near_duplicates_and_template_lines_equal_serial(tmp_path):
    """Workers send shipped results (payload.ship) and verify near-duplicate
    candidates (NearDuplicate.uses_workers): the same findings as one process,
    cold and from the cache."""
    words = [f"w{i}" for i in range(400)]
    for i in range(240):
        body = " ".join(words[(i * 37 + k * k) % 400] for k in range(60))
        footer = "\n\nRead more stories like this one on our site." if i % 3 == 0 else ""
        text = f"Story {i}\n\n{body}.{footer}\n"
        write(tmp_path / "c" / f"{i:03d}.txt", text)
        if i % 40 == 0:  # an edited copy
            write(tmp_path / "c" / f"{i:03d}-copy.txt", text.replace("w1 ", "changed "))
    select = ["NL601", "NL120"]
    serial = Engine(Settings(select=select, cache=False, jobs=1)).run([str(tmp_path / "c")])
    settings = Settings(select=select, cache_dir=str(tmp_path / "cache"), jobs=2)
    parallel = Engine(settings).run([str(tmp_path / "c")])
    warm = Engine(settings).run([str(tmp_path / "c")])
    assert {f.code for f in serial.findings} == {"NL601", "NL120"}
    assert parallel.findings == serial.findings == warm.findings


def test_suppression_forms_and_unused(tmp_path):
    write(tmp_path / "a.txt", "Caf\u00e9\n\nnewslint: disable=NL002\n\nLe caf\u00e9.\n", "cp1252")
    write(tmp_path / "b.txt", "Title\n\nnewslint: disable=encoding-fallback\n\nPlain.\n")
    result = Engine(Settings(select=["NL001", "NL002"], cache=False)).run([str(tmp_path)])
    got = [(os.path.basename(f.path), f.code, f.line) for f in result.findings]
    assert got == [("b.txt", "NL001", 3)]


class PairRule(CorpusRule):
    """A corpus rule for tests: flags targets whose title another article shares."""

    code = "NL960"
    name = "fake-same-title"
    summary = "Two articles with one title."
    docs = {"what": "Same titles.", "why": "Tests."}
    examples = parse_examples({"fail": [["T\n\nx", "T\n\ny"]], "pass": [["A\n\nx", "B\n\ny"]]}, "t")

    def summarize(self, article, options):
        return (article.title or "").encode()

    def report(self, corpus, options):
        titles = {}
        for ref, data in corpus:
            titles.setdefault(data, []).append(ref)
        for refs in titles.values():
            for ref in refs:
                if ref.is_target and len(refs) > 1:
                    others = sorted(r.path for r in refs if r is not ref)
                    yield ref.finding(self, f"title shared with {others}")


class PairPlugin:
    from newslint import hookimpl

    @hookimpl
    def newslint_register_rules(self, register):
        register(PairRule())


def test_corpus_rule_sees_corpus_roots_but_reports_targets(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    for i in range(5):
        write(corpus / f"old{i}.txt", f"Title {i}\n\nBody {i}.\n")
    new = write(corpus / "new.txt", "Title 3\n\nAnother body.\n")
    settings = Settings(select=["NL960"], corpus=[str(corpus)], cache_dir=str(tmp_path / "cache"))
    result = Engine(settings, extra_plugins=[PairPlugin()]).run([str(new)])
    assert [(os.path.basename(f.path), f.code) for f in result.findings] == [("new.txt", "NL960")]
    assert "old3.txt" in result.findings[0].message
    # second run: the corpus comes from the cache, not from the files
    reads = []
    real_read = Engine.read
    monkeypatch.setattr(Engine, "read", lambda self, p: reads.append(p) or real_read(self, p))
    again = Engine(settings, extra_plugins=[PairPlugin()]).run([str(new)])
    assert again.findings == result.findings and reads == []


def test_rule_crash_becomes_a_finding_not_a_traceback(tmp_path):
    from newslint import ArticleRule, hookimpl

    class Broken(ArticleRule):
        code, name, summary = "NL970", "fake-broken", "Always crashes."
        docs = {"what": "Crashes.", "why": "Tests."}

        def check(self, article, options):
            raise ZeroDivisionError("boom")

    class Plugin:
        @hookimpl
        def newslint_register_rules(self, register):
            register(Broken())

    write(tmp_path / "a.txt", "T\n\nBody.\n")
    result = Engine(Settings(select=["NL970"], cache=False), extra_plugins=[Plugin()]).run([str(tmp_path)])
    assert result.findings[0].severity == "error" and "internal error in rule NL970" in result.findings[0].message
