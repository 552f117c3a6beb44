"""`--fix` on files a writer may be editing, in encodings and line endings of
their own, owned by someone else: it never loses a concurrent write, changes
no byte outside the fixed spans, keeps owner, mode and hard links (or
refuses), is linear in the number of fixes, and leaves no temporary file.
(issue 26, lines 2, 9, 12 and 15)"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newslint.run.fixer as fixer
from newslint.config import Settings
from newslint.run.engine import Engine

ENGINE = Engine(Settings(select=["NL503"], cache=False))
DEFECT = b"The plan was approved ,and work begins."
FIXED = b"The plan was approved, and work begins."
#: time for 4n fixes / time for n: linear is 4, quadratic 16
SCALING_MAX_RATIO = 8


def fix(path: Path, notices=None) -> int:
    if notices is None:
        return fixer.fix_paths(ENGINE, [str(path)])
    return fixer.fix_paths(ENGINE, [str(path)], notices=notices)


# -- line 2: a write made during the fix is not lost ---------------------------------------------
def _engine_whose_check_runs(action) -> Engine:
    """An engine that calls `action()` each time it checks an article: a
    writer editing the file while --fix works on it."""
    engine = Engine(Settings(select=["NL503"], cache=False))
    check = engine.check_article

    def checked(article):
        found = check(article)
        action()
        return found
    engine.check_article = checked
    return engine


def test_lines_appended_while_the_file_is_fixed_are_kept(tmp_path):
    path = tmp_path / "long.txt"
    body = b"\n\n".join([b"Title", *[DEFECT] * 200, b"Filler paragraph. " * 40] * 20)
    path.write_bytes(body + b"\n")
    appended = []

    def writer_appends():
        if not appended:  # once, while the first fix is being computed
            with open(path, "ab") as fh:
                fh.write(b"\nAppended by the writer ,meanwhile.\n")
            appended.append(1)
    fixed = fixer.fix_paths(_engine_whose_check_runs(writer_appends), [str(path)])
    data = path.read_bytes()
    assert b"Appended by the writer" in data and len(data) > len(body)  # not lost
    assert DEFECT not in data and b"Appended by the writer, meanwhile." in data and fixed == 4001


def test_a_file_that_keeps_changing_is_refused_with_a_notice(tmp_path):
    path = tmp_path / "busy.txt"
    path.write_bytes(b"Title\n\n" + DEFECT + b"\n")

    def always_changing():
        with open(path, "ab") as fh:
            fh.write(b"More.\n")
    notices: list[str] = []
    engine = _engine_whose_check_runs(always_changing)
    assert fixer.fix_paths(engine, [str(path)], notices=notices) == 0
    assert len(notices) == 1 and "changed while it was being fixed" in notices[0]
    assert DEFECT in path.read_bytes()


# -- line 12: bytes outside the fixed spans, owner, mode, links -----------------------------------
LINE = st.sampled_from([b"Plain words here.", b"caf\xc3\xa9 and na\xc3\xafve", DEFECT,
                        b"", b"A line with a lone\rCR inside."])
ENDING = st.sampled_from([b"\n", b"\r\n"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.tuples(LINE, ENDING), min_size=1, max_size=12), bom=st.booleans(),
       cp1252=st.booleans(), last_ending=st.booleans())
def test_only_the_fixed_bytes_change(tmp_path, lines, bom, cp1252, last_ending):
    """BOM, each line's own ending (mixed, lone CR), Windows-1252 lines: the
    fixed file is the original with each fixed span replaced, nothing else."""
    raw = b"Title\r\n\r\n" + b"".join(text + end for text, end in lines)
    if cp1252:
        raw = raw.replace(b"caf\xc3\xa9", b"caf\xe9")   # not UTF-8: read as Windows-1252
    raw = (b"\xef\xbb\xbf" if bom else b"") + (raw if last_ending else raw.rstrip(b"\r\n"))
    path = tmp_path / "a.txt"
    path.write_bytes(raw)
    fix(path)
    expected = raw.replace(b" ,and", b", and")
    assert path.read_bytes() == expected


def test_owner_group_and_mode_are_kept(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"Title\n\n" + DEFECT + b"\n")
    os.chmod(path, 0o640)
    if os.geteuid() == 0:
        os.chown(path, 1234, 1235)
    assert fix(path) == 1
    info = path.stat()
    assert info.st_mode & 0o7777 == 0o640 and path.read_bytes() == b"Title\n\n" + FIXED + b"\n"
    if os.geteuid() == 0:
        assert (info.st_uid, info.st_gid) == (1234, 1235)


def test_read_only_files_and_hard_links_are_refused(tmp_path):
    original = b"Title\n\n" + DEFECT + b"\n"
    locked, linked = tmp_path / "locked.txt", tmp_path / "linked.txt"
    locked.write_bytes(original)
    linked.write_bytes(original)
    os.chmod(locked, 0o444)
    os.link(linked, tmp_path / "other-name.md")
    assert fix(tmp_path) == 0
    assert locked.read_bytes() == original and linked.read_bytes() == original
    assert (tmp_path / "other-name.md").stat().st_ino == linked.stat().st_ino
    notices: list[str] = []
    fix(tmp_path, notices)
    assert sorted(n.split(": ", 1)[1] for n in notices) == [
        "not fixed: it has 2 hard links, and rewriting it would split them",
        "not fixed: it has 2 hard links, and rewriting it would split them",
        "not fixed: it is read-only"]


# -- line 9: linear in the number of fixes --------------------------------------------------------
def _seconds_to_fix(tmp_path: Path, n: int) -> float:
    path = tmp_path / f"many-{n}.txt"
    path.write_bytes(b"Title\n\n" + b"\n".join([DEFECT] * n) + b"\n")
    start = time.perf_counter()
    assert fix(path) == n
    return time.perf_counter() - start


def test_fix_is_linear_in_the_number_of_fixes(tmp_path):
    small = min(_seconds_to_fix(tmp_path, 1500) for _ in range(2))
    large = min(_seconds_to_fix(tmp_path, 6000) for _ in range(2))
    assert large / small < SCALING_MAX_RATIO, (small, large)


# -- line 15: temporary files, concurrent runs ----------------------------------------------------
def test_temporary_files_of_killed_runs_are_removed(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"Title\n\n" + DEFECT + b"\n")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    stale = tmp_path / f".newslint-fix-{dead}-0123456789ab.tmp"
    live = tmp_path / f".newslint-fix-{os.getppid()}-0123456789ab.tmp"  # a run still going
    other = tmp_path / ".newslint-notes.tmp"                              # not ours
    for leftover in (stale, live, other):
        leftover.write_bytes(b"half a file")
    assert fix(path) == 1
    assert not stale.exists() and live.exists() and other.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["a.txt", live.name, other.name])


def test_a_killed_fix_run_leaves_nothing_the_next_run_keeps(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    for i in range(6):
        (folder / f"a{i}.txt").write_bytes(b"Title\n\n" + b"\n".join([DEFECT] * 1500) + b"\n")
    cmd = [sys.executable, "-m", "newslint", "check", str(folder), "--fix", "--select", "NL503",
           "--no-cache", "--no-progress", "-q"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline, seen = time.monotonic() + 30, False
    while time.monotonic() < deadline and not seen:
        seen = any(p.name.startswith(".newslint") for p in folder.iterdir())
    proc.kill()
    proc.wait()
    assert seen, "the run never wrote a temporary file"
    subprocess.run(cmd, capture_output=True, check=False)
    assert [p.name for p in folder.iterdir() if p.name.startswith(".newslint")] == []
    assert all(DEFECT not in p.read_bytes() for p in folder.iterdir())


def test_concurrent_fix_runs_count_each_fix_once(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    for i in range(6):
        (folder / f"a{i}.txt").write_bytes(b"Title\n\n" + b"\n".join([DEFECT] * 50) + b"\n")
    cmd = [sys.executable, "-m", "newslint", "check", str(folder), "--fix", "--select", "NL503",
           "--no-cache", "--no-progress", "--exit-zero"]
    runs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True) for _ in range(4)]
    outputs = [run.communicate()[0] for run in runs]
    fixed = [int(out.rsplit("fixed ", 1)[1].rstrip(".\n")) if "fixed " in out else 0
             for out in outputs]
    assert sum(fixed) == 300, outputs
    assert all(DEFECT not in p.read_bytes() for p in folder.iterdir())
