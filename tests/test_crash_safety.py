"""Crash safety and concurrency with real processes: `newslint check` killed
with SIGKILL at random moments (and right as it writes its cache), several
runs on one corpus at once, the near-duplicate index killed mid-insert, and
`--fix` writing files atomically without leaving the paths it was given.

After every kill the next normal run must succeed, warn about nothing, and
report exactly what a clean run without any cache reports: the cache holds
the old or the new state of each file, never a half-written or missing one.
"""
from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from newslint.cli.main import main
from newslint.config import Settings
from newslint.run.engine import Engine

#: SIGKILLs sent to `newslint check` runs (the README's Reliability section quotes these)
KILLS = 20
#: rounds of concurrent runs, and processes per round
CONCURRENT_ROUNDS = 3
CONCURRENT_PROCESSES = 4
#: articles in the generated corpus, and how many of them are the checked targets
CORPUS_FILES = 200
TARGET_FILES = 60
#: SIGKILLs sent to a process inserting into the near-duplicate index
INDEX_KILLS = 8

NEWSLINT = [sys.executable, "-m", "newslint"]
ENV = {**os.environ, "NEWSLINT_LOAD_PLUGINS": "0", "NO_COLOR": "1"}

WORDS = ("council budget river school transport police market hospital museum bridge "
         "election harbour library festival weather energy water housing tax court").split()
TEMPLATE = ["Share this article", "Subscribe to our newsletter", "Advertisement",
            "Read more: the week in review"]


def paragraph(rng: random.Random, n: int = 40) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + ", officials said on 3 March 2024."


def article_text(rng: random.Random, i: int) -> tuple[str, str]:
    body = [paragraph(rng) for _ in range(rng.randint(3, 6))]
    if i % 4 == 0:
        body.insert(1, rng.choice(TEMPLATE))
    return f"Story number {i} about the {rng.choice(WORDS)}", "\n\n".join(body)


def make_corpus(root: Path) -> Path:
    """CORPUS_FILES files of every format, TARGET_FILES of them under new/;
    every tenth article is a near copy of an earlier one (for corpus rules)."""
    rng = random.Random(7)
    texts = []
    for i in range(CORPUS_FILES):
        title, body = article_text(rng, i)
        if i % 10 == 9:
            body = texts[i - 5][1].replace("officials", "a spokesperson", 1)
        texts.append((title, body))
        folder = root / ("new" if i < TARGET_FILES else "old")
        folder.mkdir(parents=True, exist_ok=True)
        kind = i % 5
        if kind == 0:
            (folder / f"a{i:03d}.md").write_text(
                f"---\ntitle: {title}\ndate: 2024-03-0{1 + i % 9}\nauthor: Jane Roe\n---\n\n{body}\n")
        elif kind == 1:
            records = [{"id": f"r{i}-{k}", "title": f"{title} ({k})", "text": body + f" Part {k}.",
                        "date": "2024-03-01", "source": "Example News"} for k in range(3)]
            (folder / f"a{i:03d}.jsonl").write_text("\n".join(map(json.dumps, records)) + "\n")
        elif kind == 2:
            paras = "".join(f"<p>{p}</p>\n" for p in body.split("\n\n"))
            (folder / f"a{i:03d}.html").write_text(
                f"<html><head><title>{title}</title></head><body><article>\n<h1>{title}</h1>\n"
                f"{paras}</article></body></html>\n")
        else:
            (folder / f"a{i:03d}.txt").write_text(f"{title}\n\n{body}\n")
    return root


def check_command(root: Path, cache: Path | None) -> list[str]:
    cache_args = ["--no-cache"] if cache is None else ["--cache-dir", str(cache)]
    return [*NEWSLINT, "check", "new", "--corpus", ".", "--format", "json", "--no-progress",
            "--exit-zero", *cache_args]


def report(completed: subprocess.CompletedProcess) -> dict:
    assert completed.returncode == 0, completed.stderr
    data = json.loads(completed.stdout)
    return {"findings": data["findings"], "errors": data["errors"],
            "articles": data["summary"]["articles"], "files": data["summary"]["files"]}


def run_check(root: Path, cache: Path | None) -> subprocess.CompletedProcess:
    return subprocess.run(check_command(root, cache), cwd=root, env=ENV, capture_output=True,
                          text=True, timeout=300)


def touch_all(root: Path, stamp: int) -> None:
    """New mtimes (same content): every cached row is stale, so the next run
    rewrites the whole cache while the findings stay the same."""
    for path in root.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(stamp, stamp))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = make_corpus(tmp_path_factory.mktemp("corpus"))
    reference = report(run_check(root, None))
    assert reference["articles"] > CORPUS_FILES // 5  # the targets' articles all loaded
    assert reference["findings"] and reference["errors"] == []
    return root, reference


def wait_for_write(path: Path, deadline: float) -> None:
    """Return as soon as SQLite writes to `path`, a write-ahead log (a clean
    run deletes it when it closes the database, so it starts absent)."""
    while time.monotonic() < deadline:
        try:
            if path.stat().st_size > 0:
                return
        except FileNotFoundError:
            pass
        time.sleep(0.0005)


def kill_group(proc: subprocess.Popen) -> bool:
    """SIGKILL the run and its worker processes; True if it was still running."""
    alive = proc.poll() is None
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=30)
    return alive and proc.returncode == -signal.SIGKILL


def in_process_check(root: Path, cache: Path | None) -> tuple[dict, list[str]]:
    """The same check as `check_command`, run in this process (no start-up
    cost): the report and the warnings. The cache rows are shared with the
    command, since the file keys and rule fingerprints are the same."""
    settings = Settings(corpus=[str(root)], cache=cache is not None,
                        cache_dir=str(cache) if cache else None)
    result = Engine(settings).run([str(root / "new")])
    return ({"findings": [f.to_dict() for f in result.findings],
             "errors": [e.to_dict() for e in result.errors], "articles": result.articles,
             "files": result.files}, result.notices)


def test_sigkill_at_random_moments_never_damages_the_cache(corpus, tmp_path):
    root, _ = corpus
    reference, _ = in_process_check(root, None)
    cache = tmp_path / "cache"
    rng = random.Random(20240301)
    started = time.monotonic()
    run_check(root, cache)
    full_run = time.monotonic() - started
    killed_while_running = killed_at_write = 0
    for round_number in range(KILLS):
        touch_all(root, 1_700_000_000_000_000_000 + round_number * 1_000_000_000)
        proc = subprocess.Popen(check_command(root, cache), cwd=root, env=ENV, text=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        if round_number % 2:  # right as the cache is written to, plus a random moment
            wait_for_write(cache / "cache.sqlite-wal", time.monotonic() + 2 * full_run)
            time.sleep(rng.uniform(0, 0.02))
        else:
            time.sleep(rng.uniform(0, full_run))
        if kill_group(proc):
            killed_while_running += 1
            killed_at_write += round_number % 2
        after, warnings = in_process_check(root, cache)
        assert warnings == [], (round_number, warnings)
        assert after == reference, f"round {round_number}: results differ after a kill"
    print(f"{KILLS} SIGKILLs: {killed_while_running} while running, {killed_at_write} right at a "
          "cache write; every following run matched the clean run")  # shown with pytest -s
    assert killed_while_running >= KILLS * 3 // 4, killed_while_running
    assert killed_at_write >= KILLS // 4, killed_at_write
    integrity = sqlite3.connect(cache / "cache.sqlite").execute("PRAGMA integrity_check")
    assert integrity.fetchone() == ("ok",)
    assert report(run_check(root, cache)) == corpus[1]  # and the command agrees


def test_concurrent_runs_share_one_cache(corpus, tmp_path):
    root, reference = corpus
    cache = tmp_path / "cache"
    for round_number in range(CONCURRENT_ROUNDS):
        touch_all(root, 1_800_000_000_000_000_000 + round_number * 1_000_000_000)
        procs = [subprocess.Popen(check_command(root, cache), cwd=root, env=ENV, text=True,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for _ in range(CONCURRENT_PROCESSES)]
        for proc in procs:
            out, err = proc.communicate(timeout=300)
            completed = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
            assert "warning" not in err, err
            assert report(completed) == reference


INDEX_WRITER = textwrap.dedent("""
    import sys
    from newslint import Linter
    linter = Linter(index=sys.argv[1], select=["NL601"])
    body = " ".join(f"word{i % 97} text{i % 89}" for i in range(300))
    for i in range(int(sys.argv[2]), int(sys.argv[2]) + 400):
        linter.check({"id": f"a{i}", "title": f"Story {i}", "text": f"{body} {i}."})
    linter.close()
""")


def test_sigkill_while_inserting_into_the_near_duplicate_index(tmp_path):
    folder = tmp_path / "index"
    rng = random.Random(5)
    script = tmp_path / "writer.py"
    script.write_text(INDEX_WRITER)
    killed = 0
    for round_number in range(INDEX_KILLS):
        proc = subprocess.Popen([sys.executable, str(script), str(folder), str(round_number * 400)],
                                env=ENV, start_new_session=True, stderr=subprocess.DEVNULL)
        wait_for_write(folder / "neardup.sqlite-wal", time.monotonic() + 20)
        time.sleep(rng.uniform(0, 0.3))
        killed += kill_group(proc)
        db = sqlite3.connect(folder / "neardup.sqlite")
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        keys = {k for (k,) in db.execute("SELECT key FROM signatures")}
        per_key = dict(db.execute("SELECT key, count(*) FROM buckets GROUP BY key"))
        db.close()
        # no half-inserted article (killed before the first one: an empty index, also whole)
        assert set(per_key) == keys and len(set(per_key.values())) <= 1
        numbers = sorted(int(k[1:]) for k in keys if int(k[1:]) >= round_number * 400)
        assert numbers == list(range(round_number * 400, round_number * 400 + len(numbers)))
    assert killed >= INDEX_KILLS // 2


# -- --fix ----------------------------------------------------------------------------------------
FIX_RULE = """\
code: NL991
name: user-fixable
kind: phrase
summary: A removable test line.
message: "remove {line}"
docs: {what: Flags a test line., why: Tests need a fixable rule.}
examples: {pass: ["T\\n\\nok."], fail: ["T\\n\\nREMOVE ME"]}
patterns: ['remove me']
fix: remove-line
"""


@pytest.fixture
def fixable(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "fixable.yaml").write_text(FIX_RULE)
    folder = tmp_path / "c"
    folder.mkdir()
    return folder, ["--rule-dir", str(rules), "--select", "NL991", "--no-cache", "--no-progress",
                    "--fix", "-q"]


def test_fix_keeps_crlf_line_endings_and_file_mode(fixable, capsys):
    folder, args = fixable
    path = folder / "a.txt"
    path.write_bytes(b"Title\r\n\r\nFirst paragraph.\r\n\r\nREMOVE ME\r\n\r\nLast paragraph.\r\n")
    os.chmod(path, 0o640)
    assert main(["check", str(folder), *args]) == 0
    assert path.read_bytes() == b"Title\r\n\r\nFirst paragraph.\r\n\r\nLast paragraph.\r\n"
    assert path.stat().st_mode & 0o7777 == 0o640
    assert sorted(p.name for p in folder.iterdir()) == ["a.txt"]  # no temporary file left


def test_fix_does_not_write_through_a_symlink_to_a_file_outside(fixable, tmp_path):
    folder, args = fixable
    outside = tmp_path / "outside.txt"
    original = b"Title\n\nREMOVE ME\n\nA paragraph.\n"
    outside.write_bytes(original)
    os.symlink(outside, folder / "link.txt")
    inside_dir = tmp_path / "elsewhere"
    inside_dir.mkdir()
    (inside_dir / "b.txt").write_bytes(original)
    os.symlink(inside_dir, folder / "linked-folder")
    main(["check", str(folder), *args])
    assert outside.read_bytes() == original and os.path.islink(folder / "link.txt")
    assert (inside_dir / "b.txt").read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c", "elsewhere", "outside.txt", "rules"]


def test_fix_failing_mid_write_leaves_the_original_intact(fixable, monkeypatch, capsys):
    folder, args = fixable
    path = folder / "a.txt"
    original = b"Title\n\nREMOVE ME\n\nA paragraph.\n"
    path.write_bytes(original)

    def disk_full(fd):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "fsync", disk_full)
    assert main(["check", str(folder), *args]) == 2
    assert f"{path}: cannot write the fixed file: No space left on device" in capsys.readouterr().err
    assert path.read_bytes() == original
    assert sorted(p.name for p in folder.iterdir()) == ["a.txt"]
