"""Named hostile and broken inputs, one test each: what a content repository
or a scrape can hold that is not an article, and what the run does with it.
Every case ends in findings or a clear input error naming the file, never a
traceback or a hang, and the other files of the run are still checked."""
from __future__ import annotations

import os
import signal
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

import newslint.run.runner as runner_module
from newslint.cli.main import main
from newslint.config import DEFAULT_MAX_FILE_SIZE, Settings
from newslint.run.engine import Engine
from newslint.registry import Registry
from newslint.rule import RuleDefinitionError

#: a file this large must be refused by max-file-size (sparse: costs no disk)
HUGE_FILE_BYTES = 200 * 1024 * 1024
#: the long-file case: this many short lines through the engine, in this time
MILLION_LINES = 1_000_000
MILLION_LINES_SECONDS = 15
#: every default rule on a long article: time(4n lines) / time(n lines) must
#: stay near 4 (linear); a quadratic rule gives about 16
SCALING_LINES = 2_500
SCALING_MAX_RATIO = 8
#: seconds any single named case may take before it counts as a hang
HANG_SECONDS = 60

GOOD = "Council votes on budget\n\nThe council approved the budget on 1 March 2024, Reuters reported.\n"


class Hang(BaseException):
    pass


@contextmanager
def time_limit(seconds: float):
    def expire(signum, frame):
        raise Hang(f"no result after {seconds}s")
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def run(folder: Path, **settings):
    settings.setdefault("cache", False)
    with time_limit(HANG_SECONDS):
        return Engine(Settings(**settings)).run([str(folder)])


def errors_by_name(result) -> dict[str, str]:
    return {os.path.basename(e.path): e.message for e in result.errors}


def checked_names(result) -> set[str]:
    """Names of the files that gave an article (checked, with or without findings)."""
    return {os.path.basename(p) for p in result.metadata}


USER_RULE = """\
code: NL990
name: user-{name}
kind: phrase
level: warning
summary: A test rule written by a user.
message: "{message}"
docs: {{what: Flags a test phrase., why: Tests need a user rule.}}
examples: {{pass: ["T\\n\\nok."], fail: ["T\\n\\n{example}"]}}
match: search
patterns: ['{pattern}']
"""


def user_rule(folder: Path, pattern: str, message: str = "found {match}",
              example: str = "x", name: str = "test") -> Path:
    write(folder / f"{name}.yaml", USER_RULE.format(name=name, message=message,
                                                    example=example, pattern=pattern))
    return folder


# -- size -----------------------------------------------------------------------------------
def test_file_over_max_size_is_an_error_naming_it(tmp_path, capsys):
    huge = tmp_path / "c" / "huge.txt"
    huge.parent.mkdir()
    with open(huge, "wb") as fh:
        fh.truncate(HUGE_FILE_BYTES)  # sparse: the test writes nothing
    write(tmp_path / "c" / "good.txt", GOOD)
    started = time.monotonic()
    result = run(tmp_path / "c")
    assert time.monotonic() - started < 10
    assert errors_by_name(result) == {"huge.txt": f"file is {HUGE_FILE_BYTES:,} bytes, over the "
                                      f"limit of {DEFAULT_MAX_FILE_SIZE:,} (setting max-file-size)"}
    assert checked_names(result) == {"good.txt"}
    code = main(["check", str(tmp_path / "c"), "--no-cache", "--no-progress"])
    out = capsys.readouterr().out
    assert code == 1 and f"{huge}: error: file is 209,715,200 bytes" in out


def test_raising_max_file_size_rechecks_a_refused_file(tmp_path):
    """An over-size error is not cached: with a higher limit the file is read."""
    write(tmp_path / "c" / "a.txt", GOOD)
    cache = str(tmp_path / "cache")
    refused = run(tmp_path / "c", cache=True, cache_dir=cache, max_file_size=10)
    assert list(errors_by_name(refused)) == ["a.txt"]
    assert run(tmp_path / "c", cache=True, cache_dir=cache).errors == []


def test_million_line_file_through_the_engine(tmp_path):
    """The engine path (read, decode, blocks, lines, suppressions, results,
    cache) is linear: a million short lines in seconds. What the rules cost
    per line is measured by the scaling test below."""
    lines = b"".join(b"line %d\n" % i for i in range(MILLION_LINES))
    path = write(tmp_path / "c" / "long.txt", b"A long file\n\n" + lines)
    started = time.monotonic()
    result = run(tmp_path / "c", select=["NL001", "NL002"], cache=True,
                 cache_dir=str(tmp_path / "cache"))
    elapsed = time.monotonic() - started
    assert result.articles == 1 and result.errors == [] and result.findings == []
    assert elapsed < MILLION_LINES_SECONDS, f"{MILLION_LINES:,} lines took {elapsed:.1f}s"
    assert path.stat().st_size > 10 * 1024 * 1024


def _seconds_for(engine: Engine, lines: int) -> float:
    text = "Long file\n\n" + "".join(f"The council met on day {i} to talk about item {i}.\n\n"
                                       for i in range(lines))
    best = float("inf")
    for _ in range(2):
        started = time.monotonic()
        engine.process_bytes("long.txt", text.encode())
        best = min(best, time.monotonic() - started)
    return best


def test_every_default_rule_is_linear_in_the_number_of_lines():
    engine = Engine(Settings(cache=False, ignore=["NL204"]))
    with time_limit(HANG_SECONDS):
        small = _seconds_for(engine, SCALING_LINES)
        large = _seconds_for(engine, 4 * SCALING_LINES)
    assert large / small < SCALING_MAX_RATIO, (small, large)


def test_nl204_is_linear_in_the_number_of_lines():
    engine = Engine(Settings(cache=False, select=["NL204"]))
    with time_limit(HANG_SECONDS):
        small = _seconds_for(engine, SCALING_LINES // 2)
        large = _seconds_for(engine, 2 * SCALING_LINES)
    assert large / small < SCALING_MAX_RATIO, (small, large)


# -- nesting and bombs ------------------------------------------------------------------------
DEEP = {
    "deep.html": "<html><body>" + "<div>" * 100_000 + "<p>Deep text.</p>" + "</div>" * 100_000,
    "unclosed.html": "<html><body>" + "<div><span><b>" * 20_000 + "Text",
    "deep.json": "[" * 100_000 + "]" * 100_000,
    "deep.jsonl": '{"text": ' + "[" * 100_000 + "]" * 100_000 + "}\n",
    "deep.md": "---\ntitle: " + "[" * 30_000 + "]" * 30_000 + "\n---\nBody text.\n",
}


@pytest.mark.parametrize("name", sorted(DEEP))
def test_deep_nesting_is_an_input_error(tmp_path, name):
    write(tmp_path / "c" / name, DEEP[name])
    write(tmp_path / "c" / "good.txt", GOOD)
    result = run(tmp_path / "c", select=["ALL"])
    errors = errors_by_name(result)
    assert set(errors) == {name}
    assert "internal error" not in errors[name]
    assert "good.txt" in checked_names(result)


BILLION_LAUGHS = "\n".join(
    ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"{c}: &{c} [" + ", ".join([f"*{p}"] * 9) + "]" for p, c in zip("abcdefgh", "bcdefghi")])


def test_yaml_bomb_in_front_matter_is_refused(tmp_path):
    write(tmp_path / "c" / "bomb.md", f"---\n{BILLION_LAUGHS}\ntitle: Lol\n---\nBody text.\n")
    write(tmp_path / "c" / "good.txt", GOOD)
    started = time.monotonic()
    result = run(tmp_path / "c")
    assert time.monotonic() - started < 10
    message = errors_by_name(result)["bomb.md"]
    assert message.startswith("line ") and "refusing to read it" in message
    assert "good.txt" in checked_names(result)


def test_yaml_bomb_in_a_user_rule_file_is_refused(tmp_path, capsys):
    rules = tmp_path / "rules"
    user_rule(rules, "lol")
    path = rules / "test.yaml"
    path.write_text(path.read_text() + "options:\n" + "\n".join(
        "  " + line for line in BILLION_LAUGHS.splitlines()) + "\n")
    with time_limit(10), pytest.raises(RuleDefinitionError, match="refusing to read it"):
        Registry(Engine(Settings(cache=False)).pm, [str(rules)])
    write(tmp_path / "c" / "a.txt", GOOD)
    with time_limit(10):
        code = main(["check", str(tmp_path / "c"), "--rule-dir", str(rules), "--no-cache"])
    err = capsys.readouterr().err
    assert code == 2 and f"{path}: the rule expands to more than" in err


# -- records ----------------------------------------------------------------------------------
def test_broken_line_in_json_lines_names_the_line_and_the_rest_is_checked(tmp_path):
    rules = user_rule(tmp_path / "rules", "banana")
    lines = [f'{{"title": "Fruit {i}", "text": "A banana story number {i}."}}' for i in range(1, 6)]
    lines[2] = '{"title": "Broken", "text": "A banana story that never'
    write(tmp_path / "c" / "feed.jsonl", "\n".join(lines) + "\n")
    result = run(tmp_path / "c", select=["NL990"], rule_dirs=[str(rules)])
    assert [(e.line, e.message.split(":")[0]) for e in result.errors] == [(3, "line 3")]
    assert "invalid JSON" in result.errors[0].message
    assert result.articles == 4
    assert sorted(f.line for f in result.findings) == [1, 2, 4, 5]


# -- the file system ---------------------------------------------------------------------------
def test_symlink_loops_are_neither_followed_nor_fatal(tmp_path):
    folder = tmp_path / "c"
    write(folder / "sub" / "a.txt", GOOD)
    write(folder / "b.txt", GOOD)
    os.symlink("..", folder / "sub" / "up")          # a folder link to its parent
    os.symlink(folder, folder / "sub" / "root")      # ... and to the top
    os.symlink("self.txt", folder / "self.txt")       # a link to itself
    os.symlink("x2.txt", folder / "x1.txt")           # two links to each other
    os.symlink("x1.txt", folder / "x2.txt")
    for exclude in ([], ["*.skip"]):                  # exclude globs resolve paths too
        result = run(folder, exclude=exclude)
        assert result.articles == 2 and checked_names(result) == {"a.txt", "b.txt"}
        assert result.files == 5  # a.txt, b.txt and the three looping links, each once
        assert set(errors_by_name(result)) == {"self.txt", "x1.txt", "x2.txt"}
        assert all("cannot read" in m for m in errors_by_name(result).values())


def test_os_walk_without_followlinks_terminates_on_a_parent_link(tmp_path):
    write(tmp_path / "sub" / "a.txt", GOOD)
    os.symlink("..", tmp_path / "sub" / "up")
    with time_limit(5):
        walked = [folder for folder, _, _ in os.walk(tmp_path, followlinks=False)]
    assert walked == [str(tmp_path), str(tmp_path / "sub")]


def test_unreadable_paths_are_errors_and_the_rest_is_checked(tmp_path, monkeypatch):
    folder = tmp_path / "c"
    write(folder / "good.txt", GOOD)
    write(folder / "locked.txt", GOOD)
    (folder / "folder.txt").mkdir()                  # a directory where a file is expected
    write(folder / "folder.txt" / "inner.txt", GOOD)
    os.symlink("nowhere.txt", folder / "dangling.txt")
    real_open = os.open

    def no_permission(path, *args, **kwargs):       # tests run as root: chmod 0 would not stop reads
        if str(path).endswith("locked.txt"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)
    monkeypatch.setattr(os, "open", no_permission)  # the engine reads with os.open
    cache = str(tmp_path / "cache")
    result = run(folder, cache=True, cache_dir=cache)
    assert errors_by_name(result) == {"locked.txt": "cannot read: Permission denied",
                                      "dangling.txt": "cannot read: No such file or directory"}
    assert checked_names(result) == {"good.txt", "inner.txt"}
    monkeypatch.undo()  # permission restored, file unchanged: it must be read now, not cached
    again = run(folder, cache=True, cache_dir=cache)
    assert "locked.txt" in checked_names(again)


def test_file_vanishing_between_discovery_and_reading(tmp_path, monkeypatch):
    folder = tmp_path / "c"
    for name in ("a.txt", "gone.txt", "z.txt"):
        write(folder / name, GOOD)
    real_discover = runner_module.discover

    def discover_then_delete(*args, **kwargs):
        found = list(real_discover(*args, **kwargs))
        (folder / "gone.txt").unlink()
        return iter(found)
    monkeypatch.setattr(runner_module, "discover", discover_then_delete)
    result = run(folder, cache=True, cache_dir=str(tmp_path / "cache"))
    assert errors_by_name(result) == {"gone.txt": "cannot read: No such file or directory"}
    assert checked_names(result) == {"a.txt", "z.txt"}


def test_file_changed_while_checked_is_not_cached(tmp_path, monkeypatch):
    path = write(tmp_path / "c" / "a.txt", GOOD)
    cache = str(tmp_path / "cache")
    real_process = Engine.process_file

    def process_then_edit(self, file, target=True):
        result = real_process(self, file, target)
        path.write_text(GOOD + "\nA paragraph added while the file was being checked.\n")
        return result
    monkeypatch.setattr(Engine, "process_file", process_then_edit)
    run(tmp_path / "c", cache=True, cache_dir=cache)
    monkeypatch.undo()
    reads = []
    monkeypatch.setattr(Engine, "read", lambda self, p: reads.append(p) or real_read(self, p))
    run(tmp_path / "c", cache=True, cache_dir=cache)
    assert reads == [str(path)]


real_read = Engine.read


# -- encodings and binary data ------------------------------------------------------------------
def test_mixed_encoding_falls_back_per_line_with_a_warning(tmp_path):
    text = ("Caf\u00e9 owners protest\n\nThe caf\u00e9 owners met on 1 March 2024, officials said.\n\n"
            "She called it {q}a disaster{p} for the city.\n\nThe caf\u00e9 stays open.\n")
    data = text.replace("{q}", "\u201c").replace("{p}", "\u201d").encode("utf-8")
    data = data.replace("\u201c".encode(), b"\x93").replace("\u201d".encode(), b"\x94")  # cp1252 quotes
    write(tmp_path / "c" / "mixed.txt", data)
    engine = Engine(Settings(cache=False, select=["ALL"]))
    result = engine.process_bytes(str(tmp_path / "c" / "mixed.txt"), data)
    article = result.articles[0]
    warnings = [f for f in article.findings if f.code == "NL002"]
    assert [f.message for f in warnings] == ["not valid UTF-8 on line 5; that line decoded as "
                                             "Windows-1252"]
    assert not [f for f in article.findings if f.code == "NL505"]  # no mojibake made by us
    assert article.ref.title == "Caf\u00e9 owners protest"


@pytest.mark.parametrize("data", [b"\x00\x01binary\x00", b"Title\n\nText\x00with a NUL.\n",
                                  b"T\n\n" + b"long line. " * 2000 + b"\x00" + b"long line. " * 2000],
                         ids=["binary", "nul-in-text", "nul-deep-inside"])
def test_nul_bytes(tmp_path, data):
    for ext in (".txt", ".md", ".html", ".json", ".jsonl"):
        write(tmp_path / "c" / f"nul{ext}", data)
    write(tmp_path / "c" / "good.txt", GOOD)
    result = run(tmp_path / "c", select=["ALL"])
    assert "good.txt" in checked_names(result)
    assert result.files == 6
    for message in errors_by_name(result).values():
        assert "internal error" not in message
    assert not [f for f in result.findings if "internal error" in f.message]


# -- user rules ---------------------------------------------------------------------------------
CATASTROPHIC = "(a|aa)+$"


def test_catastrophic_pattern_in_a_user_rule_cannot_hang_the_run(tmp_path):
    import regex
    line = "a" * 40 + "!"
    with pytest.raises(TimeoutError):  # the pattern really is catastrophic
        regex.search(CATASTROPHIC, line, timeout=0.5)
    rules = user_rule(tmp_path / "rules", CATASTROPHIC, name="catastrophic")
    for i in range(20):  # 20 articles of 30 such lines: 600 lines that would each time out
        write(tmp_path / "c" / f"a{i:02d}.txt", "Title\n\n" + f"{line}\n\n" * 30)
    started = time.monotonic()
    result = run(tmp_path / "c", select=["NL990"], rule_dirs=[str(rules)], jobs=1)
    elapsed = time.monotonic() - started
    assert elapsed < 10, elapsed
    assert len(result.findings) == 20
    assert {(f.severity, f.code) for f in result.findings} == {("error", "NL990")}
    assert all("NL990 (user-catastrophic)" in f.message for f in result.findings)
    assert sum("took longer than" in f.message and f.line == 3 for f in result.findings) == 3
    assert sum("switched off for the rest of the run" in f.message for f in result.findings) == 17


def test_the_regex_module_defuses_the_classic_nested_quantifier(tmp_path):
    rules = user_rule(tmp_path / "rules", "(a+)+$", name="nested")
    write(tmp_path / "c" / "a.txt", "Title\n\n" + ("a" * 40 + "!\n\n") * 30)
    started = time.monotonic()
    result = run(tmp_path / "c", select=["NL990"], rule_dirs=[str(rules)])
    assert time.monotonic() - started < 10
    assert result.findings == [] and result.errors == []


@pytest.mark.parametrize("message", ["{line:>999999999}", "{line.__class__}", "{0}", "{nope}",
                                     "{line!r}", "{"])
def test_user_rule_message_templates_are_checked_on_load(tmp_path, message):
    rules = user_rule(tmp_path / "rules", "x", message=message)
    with pytest.raises(RuleDefinitionError, match="field 'message'"):
        Registry(Engine(Settings(cache=False)).pm, [str(rules)])


def test_editing_a_user_rule_invalidates_cached_results(tmp_path):
    rules = user_rule(tmp_path / "rules", "banana")
    write(tmp_path / "c" / "a.txt", "Fruit\n\nA banana and a cherry.\n")
    settings = dict(select=["NL990"], rule_dirs=[str(rules)], cache=True,
                    cache_dir=str(tmp_path / "cache"))
    assert [f.message for f in run(tmp_path / "c", **settings).findings] == ["found banana"]
    user_rule(tmp_path / "rules", "cherry")
    assert [f.message for f in run(tmp_path / "c", **settings).findings] == ["found cherry"]


# -- the cache repairs itself ------------------------------------------------------------------------
def cached_run(folder: Path, cache: Path, paths: list[str] | None = None):
    with time_limit(HANG_SECONDS):
        result = Engine(Settings(cache_dir=str(cache))).run(paths or [str(folder)])
    return [f.to_dict() for f in result.findings], result.notices


def test_cached_results_take_the_path_as_this_run_spells_it(tmp_path, monkeypatch):
    write(tmp_path / "c" / "a.txt", "Title\n\nA body with no date and no source.\n")
    write(tmp_path / "c" / "b.jsonl", '{"title": "T", "text": "A record body."}\n')
    cache = tmp_path / "cache"
    monkeypatch.chdir(tmp_path)
    relative, _ = cached_run(tmp_path, cache, ["c"])
    assert relative and {f["path"] for f in relative} == {"c/a.txt", "c/b.jsonl"}
    absolute, _ = cached_run(tmp_path, cache, [str(tmp_path / "c")])  # from the cache
    fresh = [f.to_dict() for f in run(tmp_path / "c").findings]
    assert absolute == fresh and {f.get("article") for f in absolute} >= {f"{tmp_path}/c/b.jsonl:1"}


def test_bad_cache_rows_are_checked_again_and_rewritten(tmp_path):
    import sqlite3
    for i in range(3):
        write(tmp_path / "c" / f"a{i}.txt", f"Title {i}\n\nA body with no date and no source {i}.\n")
    cache = tmp_path / "cache"
    reference, _ = cached_run(tmp_path / "c", cache)
    db = sqlite3.connect(cache / "cache.sqlite")
    db.execute("UPDATE files SET payload='not json' WHERE path LIKE '%a0.txt'")
    db.execute("""UPDATE files SET payload='{"articles": [{"ref": {}}], "errors": []}'
                  WHERE path LIKE '%a1.txt'""")
    db.execute("DELETE FROM runs")  # or the run's remembered result answers without the rows
    db.commit()
    db.close()
    findings, notices = cached_run(tmp_path / "c", cache)
    assert findings == reference and len(notices) == 2
    assert all("a0.txt" in n or "a1.txt" in n for n in notices)
    assert cached_run(tmp_path / "c", cache) == (reference, [])  # rewritten


def test_corrupt_cache_pages_are_rebuilt_on_the_next_run(tmp_path):
    for i in range(60):
        write(tmp_path / "c" / f"a{i:02d}.txt", f"Title {i}\n\n" + "A body with no date. " * 40 + "\n")
    cache = tmp_path / "cache"
    reference, _ = cached_run(tmp_path / "c", cache)
    db_file = cache / "cache.sqlite"
    assert not (cache / "cache.sqlite-wal").exists()  # checkpointed on close
    data = bytearray(db_file.read_bytes())
    assert len(data) > 3 * 4096
    data[4096:len(data)] = b"\xff" * (len(data) - 4096)  # every page but the header's
    db_file.write_bytes(bytes(data))
    findings, notices = cached_run(tmp_path / "c", cache)
    assert findings == reference and notices and "cache" in notices[0]
    assert cached_run(tmp_path / "c", cache)[0] == reference
    assert cached_run(tmp_path / "c", cache) == (reference, [])
