"""Near-duplicates on stdin (`newslint check -`): within the stream, against
`--index` (folder, Redis) and `--corpus`, reported as soon as the copy arrives."""
import json
import random
import subprocess
import sys

import pytest
from redis_server import redis_server, redis_url  # noqa: F401 (fixtures)
from test_api import edited, random_text

from newslint.cli.main import main

NEWSLINT = [sys.executable, "-m", "newslint"]


def records(seed: int = 1) -> tuple[dict, dict, dict]:
    rng = random.Random(seed)
    text = random_text(rng, 150)
    return ({"url": "https://example.org/a", "title": "A", "text": text},
            {"url": "https://example.org/b", "title": "B", "text": random_text(rng, 150)},
            {"url": "https://example.org/copy", "title": "A", "text": edited(text, rng, 3)})


def run_stdin(lines, monkeypatch, capsys, *extra) -> tuple[int, list[dict]]:
    data = "".join(json.dumps(line) + "\n" for line in lines).encode()
    monkeypatch.setattr(sys, "stdin", type("In", (), {"buffer": __import__("io").BytesIO(data)})())
    code = main(["check", "-", "--select", "near-duplicate", "--format", "jsonl", *extra])
    return code, [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_copies_within_the_stream_are_found(monkeypatch, capsys):
    a, b, copy = records()
    code, found = run_stdin([a, b, copy, a], monkeypatch, capsys)
    assert code == 1
    # line 4 is `a` again: its own id, and the copy of it is never a reason to flag it
    assert [(f["line"], f["message"].split(" (")[0]) for f in found] == [
        (3, "near-duplicate of https://example.org/a")]
    code, found = run_stdin([a, b], monkeypatch, capsys)
    assert (code, found) == (0, [])


@pytest.mark.parametrize("backend", ["folder", "redis"])
def test_stdin_uses_and_feeds_the_index(backend, tmp_path, monkeypatch, capsys, request):
    index = str(tmp_path / "idx") if backend == "folder" else request.getfixturevalue("redis_url")
    a, b, copy = records(2)
    assert run_stdin([a, b], monkeypatch, capsys, "--index", index) == (0, [])
    code, found = run_stdin([copy], monkeypatch, capsys, "--index", index)
    assert code == 1 and "near-duplicate of https://example.org/a" in found[0]["message"]
    for _ in range(2):  # replayed: the originals stay clean, the copy is named the same way
        code, again = run_stdin([a, b, copy], monkeypatch, capsys, "--index", index)
        assert [f["message"] for f in again] == [f["message"] for f in found]


def test_stdin_against_a_corpus_folder(tmp_path, monkeypatch, capsys):
    a, b, copy = records(3)
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_text(f"A\n\n{a['text']}\n")
    monkeypatch.chdir(tmp_path)
    code, found = run_stdin([b, copy], monkeypatch, capsys, "--corpus", "corpus")
    assert code == 1 and [f["line"] for f in found] == [2]
    assert f"near-duplicate of {tmp_path.name}:corpus/a.txt" in found[0]["message"]


def test_a_copy_is_reported_as_soon_as_it_arrives(tmp_path):
    """The pipe stays open after the copy: its finding must come out before the end."""
    a, b, copy = records(4)
    process = subprocess.Popen([*NEWSLINT, "check", "-", "--select", "near-duplicate",
                                "--format", "jsonl"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, cwd=tmp_path, text=True)
    try:
        for line in (a, b, copy):
            process.stdin.write(json.dumps(line) + "\n")
        process.stdin.flush()
        finding = json.loads(process.stdout.readline())   # stdin still open
        assert finding["line"] == 3 and "https://example.org/a" in finding["message"]
    finally:
        process.stdin.close()
        process.wait(timeout=60)
    assert process.returncode == 1
