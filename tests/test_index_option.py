"""`newslint check --index`: separate runs (and machines) find each other's
articles through a persistent file index or a shared Redis index."""
import shutil
from pathlib import Path

import pytest

from newslint.cli.main import main
from redis_server import redis_server, redis_url  # noqa: F401 (fixtures)

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "near-duplicates"
FERRY_URL = "https://harbourgazette.example/news/2024/kestrel-island-ferry-winter-crossings-cut"


def two_runs(tmp_path, capsys, monkeypatch, index):
    for name, folder in (("ferry-original.md", "a"), ("ferry-syndicated.txt", "b")):
        (tmp_path / folder).mkdir()
        shutil.copy(CORPUS / name, tmp_path / folder / name)
    monkeypatch.chdir(tmp_path)
    first = main(["check", "a", "--index", index, "--select", "NL601", "--no-cache"])
    capsys.readouterr()
    second = main(["check", "b", "--index", index, "--select", "NL601", "--no-cache"])
    return first, second, capsys.readouterr()


def test_file_index_remembers_earlier_runs(tmp_path, capsys, monkeypatch):
    first, second, out = two_runs(tmp_path, capsys, monkeypatch, "state")
    assert first == 0 and second == 1
    assert "b/ferry-syndicated.txt:1:1: NL601 [near-duplicate] near-duplicate of indexed article " \
           f"{FERRY_URL} (≈0.7" in out.out


def test_redis_index_shared_between_runs(tmp_path, capsys, monkeypatch, redis_url):
    first, second, out = two_runs(tmp_path, capsys, monkeypatch, redis_url)
    assert (first, second) == (0, 1) and f"indexed article {FERRY_URL}" in out.out


def test_unreachable_redis_is_a_clear_error(tmp_path, capsys, monkeypatch):
    (tmp_path / "a.txt").write_text(open(CORPUS / "ferry-syndicated.txt").read())
    monkeypatch.chdir(tmp_path)
    code = main(["check", "a.txt", "--index", "redis://127.0.0.1:1/0", "--select", "NL601", "--no-cache"])
    err = capsys.readouterr().err
    assert code == 2 and "redis://127.0.0.1:1/0" in err and "Traceback" not in err
