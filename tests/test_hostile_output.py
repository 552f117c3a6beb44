"""What newslint prints and writes when file names and article text are
hostile: names that are not UTF-8, names with line breaks, terminal escapes
and bidi overrides, GitHub workflow commands; and when the output itself
fails (a full disk, a full stdout). (issue 26, lines 3, 8 and 15)"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import newslint.formatters
from newslint.cli.main import main
from newslint.dedup.rule import STORY, STORY_EDITED
from newslint.text.safe import escaped, one_line
from tests.conftest import ECHO_RULE

ORIGINAL = f"Cod quota cut\n\n{STORY}\n".encode()
COPY = f"Deal on cod quotas\n\n{STORY_EDITED}\n".encode()
CLEAN_ENV = {**os.environ, "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "", "NO_COLOR": "1"}


def run_cli(*argv: str, cwd: Path, stdout=subprocess.PIPE) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "newslint", *argv], cwd=cwd, stdout=stdout,
                          stderr=subprocess.PIPE, env=CLEAN_ENV, timeout=120)


def plant(folder: Path, name: bytes, data: bytes) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with open(os.fsencode(folder) + b"/" + name, "wb") as fh:
        fh.write(data)


# -- line 3: file names that are not UTF-8 ---------------------------------------------------
@pytest.fixture(scope="module")
def latin1_names(tmp_path_factory):
    folder = tmp_path_factory.mktemp("names")
    plant(folder / "c", b"caf\xe9.txt", ORIGINAL)
    plant(folder / "c", b"copy\xff.txt", COPY)
    return folder


@pytest.mark.parametrize("fmt", ["text", "json", "jsonl", "sarif", "github"])
def test_names_that_are_not_utf8_are_written_escaped_in_every_format(latin1_names, fmt):
    run = run_cli("check", "c", "--no-progress", "--format", fmt, cwd=latin1_names)  # default cache
    assert run.returncode == 1 and b"Traceback" not in run.stderr, run.stderr[-500:]
    out = run.stdout.decode("utf-8")   # valid UTF-8 whatever the names
    if fmt == "text":
        assert "c/caf\\xe9.txt:1:1: NL601 [near-duplicate] near-duplicate of c/copy\\xff.txt" in out
    elif fmt == "json":
        paths = {f["path"] for f in json.loads(out)["findings"]}
        assert paths == {"c/caf\udce9.txt", "c/copy\udcff.txt"}  # the JSON escape of each byte
    elif fmt == "sarif":
        uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                for r in json.loads(out)["runs"][0]["results"]}
        assert uris == {"c/caf%E9.txt", "c/copy%FF.txt"}
    if fmt == "json":
        again = run_cli("check", "c", "--no-progress", "--format", fmt, cwd=latin1_names)
        assert again.stdout == run.stdout and again.stderr == b""   # served by the cache


def test_names_that_are_not_utf8_go_into_the_index_and_dedup(latin1_names):
    for _ in range(2):
        run = run_cli("check", "c", "--no-progress", "--index", "idx", cwd=latin1_names)
        assert run.returncode == 1 and b"Traceback" not in run.stderr
    run = run_cli("dedup", "c", "--no-progress", "--drop-list", "drop.txt", "--drop-list0",
                   "drop0.txt", cwd=latin1_names)
    assert run.returncode == 1 and b"Traceback" not in run.stderr
    assert "drop  c/copy\\xff.txt" in run.stdout.decode("utf-8")
    assert (latin1_names / "drop0.txt").read_bytes() == b"c/copy\xff.txt\0"   # exact bytes
    assert (latin1_names / "drop.txt").read_bytes() == b""                  # left out, and said
    assert b"left out of --drop-list" in run.stderr and b"--drop-list0" in run.stderr


# -- line 8: dedup lists and messages ------------------------------------------------------
def test_dedup_lists_cannot_name_another_file(tmp_path):
    folder = tmp_path / "c"
    plant(folder, b"keep.txt", ORIGINAL)
    plant(folder, b"x\nimportant.txt", COPY)            # a line list would name important.txt
    plant(folder, b"important.txt", b"Unrelated\n\nSomething else entirely, kept by its owner.\n")
    plant(folder, b"\x1b]0;pwned\x07\n::error file=ci.yml::x.jsonl", b'{"text": ')  # broken
    run = run_cli("dedup", "c", "--no-progress", "--drop-list", "drop.txt", "--drop-list0",
                   "drop0.txt", cwd=tmp_path)
    lines = (tmp_path / "drop.txt").read_bytes().split(b"\n")
    assert b"c/important.txt" not in lines and b"important.txt" not in lines
    assert (tmp_path / "drop0.txt").read_bytes() == b"c/x\nimportant.txt\0"
    xargs = subprocess.run(["xargs", "-0", "-n1", "echo"], input=(tmp_path / "drop0.txt").read_bytes(),
                           capture_output=True)
    assert xargs.stdout == b"c/x\nimportant.txt\n"
    for stream in (run.stdout, run.stderr):
        assert b"\x1b" not in stream and b"\x07" not in stream
        assert not [line for line in stream.split(b"\n") if line.startswith(b"::")]


# -- line 15: SARIF URIs, bidi overrides, failing outputs ------------------------------------------
def test_sarif_uris_are_percent_encoded(tmp_path, capsys):
    plant(tmp_path / "c", "a b%#?[x]é.txt".encode(), b"Title\n\nA body without a date.\n")
    main(["check", str(tmp_path / "c"), "--no-cache", "--no-progress", "--format", "sarif"])
    log = json.loads(capsys.readouterr().out)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in log["runs"][0]["results"]}
    assert {u.rsplit("/", 1)[1] for u in uris} == {"a%20b%25%23%3F%5Bx%5D%C3%A9.txt"}


def test_bidi_overrides_in_text_and_names_are_shown_escaped(tmp_path, capsys):
    plant(tmp_path / "c", "invoice\u202etxt.exe.txt".encode(),
          "Title\n\nA body \u202eevil\u202c with \u2066isolates\u2069 and no date.\n".encode())
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "echo.yaml").write_text(ECHO_RULE)
    for fmt in ("text", "github"):
        main(["check", str(tmp_path / "c"), "--no-cache", "--no-progress", "--format", fmt,
              "--rule-dir", str(rules), "--extend-select", "NL992"])
        out = capsys.readouterr().out
        assert not any(c in out for c in "\u202e\u202c\u2066\u2069"), fmt
        assert "invoice\\u202etxt.exe.txt" in out and "\\u202eevil\\u202c" in out


def test_a_full_stdout_is_a_one_line_error(tmp_path):
    plant(tmp_path / "c", b"a.txt", b"Title\n\nA body without a date.\n")
    with open("/dev/full", "w") as full:
        run = run_cli("check", "c", "--no-cache", "--no-progress", cwd=tmp_path, stdout=full)
    err = run.stderr.decode()
    assert run.returncode == 2 and "Traceback" not in err and "Exception ignored" not in err
    assert err.splitlines() == ["newslint: error: <stdout>: cannot write the report: "
                                "No space left on device"]


def test_a_failed_report_leaves_the_old_output_file_whole(tmp_path, capsys, monkeypatch):
    plant(tmp_path / "c", b"a.txt", b"Title\n\nA body without a date.\n")
    report = tmp_path / "report.json"
    report.write_text("the previous complete report\n")

    def disk_full(result, stream, options):
        stream.write("{\n  half a report")
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(newslint.formatters, "format_json", disk_full)
    code = main(["check", str(tmp_path / "c"), "--no-cache", "--no-progress", "--format", "json",
                 "-o", str(report)])
    err = capsys.readouterr().err
    assert code == 2 and err.strip().endswith("report.json: cannot write: No space left on device")
    assert report.read_text() == "the previous complete report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c", "report.json"]   # no temporary
    monkeypatch.undo()
    assert main(["check", str(tmp_path / "c"), "--no-cache", "--no-progress", "--format", "json",
                 "-o", str(report)]) == 1
    assert json.loads(report.read_text())["summary"]["articles"] == 1




def test_a_full_disk_under_the_index_names_the_cause(tmp_path):
    """SQLite rolls a transaction back itself when the disk is full; the
    error must say so, not "cannot rollback - no transaction is active"."""
    import numpy as np

    from newslint.config import ConfigError
    from newslint.dedup.index import NearDupIndex
    index = NearDupIndex.open(str(tmp_path / "idx"))
    index.backend.db.execute("PRAGMA max_page_count = 30")   # a disk with room for 30 pages
    rng = np.random.default_rng(0)
    with pytest.raises(ConfigError) as failure:
        for i in range(5000):
            signature = rng.integers(0, 2**32, 128, dtype=np.uint64).astype(np.uint32)
            if hasattr(index, "check_in"):
                index.check_in(f"k{i}", signature)
            else:   # the API before the index kept entries
                index.insert(f"k{i}", signature)
    assert "database or disk is full" in str(failure.value)
    assert "cannot rollback" not in str(failure.value)
    index.close()


UNSAFE = [chr(c) for c in [*range(0x20), *range(0x7f, 0xa0), 0x61c, 0x200e, 0x200f, 0x2028,
                           0x2029, *range(0x202a, 0x202f), *range(0x2066, 0x206a), 0xfeff]]


@given(st.text(alphabet=st.one_of(st.characters(), st.sampled_from(UNSAFE),
                                  st.sampled_from([chr(0xdc80 + b) for b in range(128)]))))
def test_escaped_text_is_one_safe_printable_line(text):
    for shown in (escaped(text), one_line(text)):
        assert not any(c in shown for c in UNSAFE)
        shown.encode("utf-8")                      # no lone surrogate left
        assert "\n" not in shown and "\r" not in shown
    if text.isprintable() and text.isascii():
        assert escaped(text) == text              # ordinary text is left alone
