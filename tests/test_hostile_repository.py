"""A repository from a stranger's pull request: its committed cache, its
config, its links, FIFOs and file names. Nothing in it is believed that could
hide a finding, reach outside it, hang or crash the run. (issue 26, lines 1,
3, 4, 5 and 6)"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from newslint.cli.main import main
from newslint.config import load_settings
from newslint.dedup.rule import STORY, STORY_EDITED
from tests.conftest import ECHO_RULE

GOOD = "Council votes on budget\n\nThe council approved the budget on 1 March 2024, Reuters reported.\n"
COPY_A = f"Cod quota cut\n\n{STORY}\n\nPublished 3 March 2024 by Reuters.\n"
COPY_B = f"Deal on cod quotas\n\n{STORY_EDITED}\n\nPublished 3 March 2024 by Reuters.\n"


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def check(capsys, *argv) -> tuple[int, str, str]:
    code = main(["check", "--no-progress", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def near_duplicates(capsys, folder: Path) -> tuple[int, list[dict], str]:
    code, out, err = check(capsys, str(folder), "--select", "NL601", "--format", "json")
    return code, json.loads(out)["findings"], err


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """Two near-copies in a repository with its default cache, checked from inside it."""
    folder = tmp_path / "repo"
    write(folder / "a.txt", COPY_A)
    write(folder / "b.txt", COPY_B)
    write(folder / "newslint.toml", 'select = ["ALL"]\n')
    monkeypatch.chdir(folder)
    return folder


def cache_db(folder: Path) -> sqlite3.Connection:
    return sqlite3.connect(folder / ".newslint_cache" / "cache.sqlite")


# -- line 1: a committed cache is not believed ---------------------------------------------------
def test_forged_memo_rows_in_a_committed_cache_hide_no_duplicate(repo, tmp_path, capsys, monkeypatch):
    code, found, _ = near_duplicates(capsys, repo)
    assert code == 1 and len(found) == 2
    db = cache_db(repo)   # the attacker's edit: every remembered similarity is 0.0
    assert db.execute("UPDATE memo SET value = 0.0").rowcount >= 1
    db.execute("DELETE FROM runs")
    db.execute("DELETE FROM files")
    db.commit()
    db.close()
    checkout = tmp_path / "fresh-checkout"   # the repository with its cache, cloned elsewhere
    shutil.copytree(repo, checkout)
    monkeypatch.chdir(checkout)
    code, found, err = near_duplicates(capsys, checkout)
    assert code == 1 and len(found) == 2 and "checksum" in err
    code, found, err = near_duplicates(capsys, checkout)
    assert code == 1 and len(found) == 2 and err == ""   # repaired: no warning the next time


def test_a_memo_value_of_the_wrong_type_is_discarded_and_repaired(repo, capsys):
    near_duplicates(capsys, repo)
    db = cache_db(repo)
    db.execute("UPDATE memo SET value = 'not a number'")
    db.execute("DELETE FROM runs")
    db.commit()
    db.close()
    code, found, err = near_duplicates(capsys, repo)
    assert code == 1 and len(found) == 2 and "failed" not in err.replace("failed their", "")
    assert "TypeError" not in err
    assert near_duplicates(capsys, repo) == (code, found, "")


@pytest.mark.parametrize("planted", [
    "CREATE TRIGGER spy AFTER INSERT ON memo BEGIN INSERT INTO pwned VALUES (1); END",
    "CREATE TRIGGER spy AFTER INSERT ON files BEGIN INSERT INTO pwned VALUES (1); END",
    "CREATE VIEW spy AS SELECT * FROM files",
])
def test_planted_triggers_and_views_are_refused(repo, capsys, planted):
    near_duplicates(capsys, repo)
    db = cache_db(repo)
    db.execute("CREATE TABLE pwned (x)")
    db.execute(planted)
    db.execute("DELETE FROM memo")
    db.execute("DELETE FROM files")
    db.execute("DELETE FROM runs")
    db.commit()
    db.close()
    code, found, err = near_duplicates(capsys, repo)
    assert code == 1 and len(found) == 2
    assert "triggers or views" in err and "rebuilding it" in err
    db = cache_db(repo)
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
    pwned = db.execute("SELECT count(*) FROM pwned").fetchone()[0] if "pwned" in tables else 0
    db.close()
    assert pwned == 0 and "spy" not in tables


def test_a_same_size_edit_with_the_old_mtime_is_checked_again(repo, capsys):
    path = write(repo / "c.txt", "Harbour plan\n\nThe plan was approved, and work begins on 2 May 2024, "
                                 "Reuters reported.\n")
    code, out, _ = check(capsys, str(path), "--select", "NL503")
    assert code == 0
    before = os.stat(path)
    path.write_text("Harbour plan\n\nThe plan was approved ,and work begins on 2 May 2024, "
                    "Reuters reported.\n")                     # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # touch -r
    assert os.stat(path).st_size == before.st_size
    code, out, _ = check(capsys, str(path), "--select", "NL503")
    assert code == 1 and "NL503" in out


# -- line 6: the repository's config does not reach outside it -----------------------------------
def test_an_index_url_in_the_repository_config_is_not_contacted(repo, capsys):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    listener.settimeout(0.2)
    port = listener.getsockname()[1]
    write(repo / "newslint.toml", f'index = "redis://127.0.0.1:{port}/0"\n')
    accepted = []

    def accept():
        try:
            accepted.append(listener.accept())
        except OSError:
            pass
    waiter = threading.Thread(target=accept)
    waiter.start()
    code, _, err = check(capsys, str(repo), "--select", "NL601", "--no-cache")
    waiter.join()
    listener.close()
    assert accepted == [] and code == 1
    assert f"newslint.toml: setting 'index' ignored" in err and len(err.splitlines()) == 1


def test_a_cache_dir_outside_the_repository_is_ignored(repo, tmp_path, capsys):
    victim = write(tmp_path / "victim" / "cache.sqlite", b"someone else's database, not newslint's")
    write(repo / "newslint.toml", 'cache-dir = "../victim"\n')
    code, _, err = check(capsys, str(repo))
    assert victim.read_bytes() == b"someone else's database, not newslint's"
    assert "setting 'cache-dir' ignored for '../victim'" in err
    assert (repo / ".newslint_cache" / "cache.sqlite").exists()   # the default place instead


def test_an_index_folder_linked_out_of_the_repository_is_not_written(repo, tmp_path, capsys):
    outside = tmp_path / "outside"
    victim = write(outside / "neardup.sqlite", b"not an index: a file the link leads to")
    os.symlink(outside, repo / "idx")
    write(repo / "newslint.toml", 'index = "idx"\n')
    check(capsys, str(repo), "--select", "NL601", "--no-cache")
    assert victim.read_bytes() == b"not an index: a file the link leads to"
    assert sorted(p.name for p in outside.iterdir()) == ["neardup.sqlite"]


@pytest.mark.parametrize("line, setting, default", [
    ("jobs = 50", "jobs", 0),
    ('rule-dirs = ["/"]', "rule_dirs", []),
    ('rule-dirs = ["house/../../.."]', "rule_dirs", []),
    ('corpus = ["/home", "."]', "corpus", ["."]),
    ("max-file-size = 99999999999", "max_file_size", 50 * 1024 * 1024),
])
def test_repository_config_cannot_set_process_limits_or_outside_paths(tmp_path, line, setting, default):
    config = write(tmp_path / "repo" / "newslint.toml", line + "\n")
    settings = load_settings(config)
    value = getattr(settings, setting)
    if setting == "corpus":
        value = [os.path.relpath(v, config.parent) for v in value]
    assert value == default
    assert len(settings.notices) == 1 and "ignored" in settings.notices[0]


def test_inside_paths_and_lower_limits_are_still_taken_from_the_repository(tmp_path):
    (tmp_path / "repo" / "house").mkdir(parents=True)
    config = write(tmp_path / "repo" / "newslint.toml",
                   'rule-dirs = ["house"]\ncache-dir = ".cache"\nmax-file-size = 1000\n')
    settings = load_settings(config)
    assert settings.rule_dirs == [str(config.parent / "house")] and settings.notices == []
    assert settings.cache_dir == str(config.parent / ".cache") and settings.max_file_size == 1000


def test_the_users_own_config_and_the_command_line_are_believed(repo, tmp_path, capsys, monkeypatch):
    index = tmp_path / "my-index"
    user = write(tmp_path / "home" / "newslint.toml", f'index = "{index}"\njobs = 1\n')
    monkeypatch.setenv("NEWSLINT_USER_CONFIG", str(user))
    write(repo / "newslint.toml", 'jobs = 50\nindex = "redis://127.0.0.1:1/0"\n')
    code, _, err = check(capsys, str(repo), "--select", "NL601", "--no-cache")
    assert code == 1 and (index / "neardup.sqlite").exists()
    assert err.count("ignored") == 2
    write(user, 'select = ["NL601"]\n')
    code, _, err = check(capsys, str(repo))
    assert code == 2 and "belongs in the project's config" in err


# -- line 4: FIFOs and devices -----------------------------------------------------------------
def test_a_fifo_in_the_checked_folder_is_skipped_not_waited_for(tmp_path, capsys):
    folder = tmp_path / "c"
    write(folder / "good.txt", GOOD)
    os.mkfifo(folder / "pipe.txt")
    start = time.monotonic()
    signal.signal(signal.SIGALRM, _hung)
    signal.alarm(20)   # the run used to wait for a writer forever
    try:
        code, out, err = check(capsys, str(folder), "--no-cache", "--format", "json")
    finally:
        signal.alarm(0)
    errors = json.loads(out)["errors"]
    assert [(Path(e["path"]).name, e["message"]) for e in errors] == [
        ("pipe.txt", "not a regular file (a named pipe (FIFO)); skipped")]
    code, out, err = check(capsys, str(folder / "pipe.txt"), "--no-cache", "--fix")
    assert "not a regular file" in out
    code, out, err = check(capsys, str(folder), "--no-cache", "--fix")
    assert time.monotonic() - start < 20 and json.loads(
        check(capsys, str(folder), "--no-cache", "--format", "json")[1])["summary"]["articles"] == 1


def _hung(*_):
    raise TimeoutError("the run waits on the FIFO")


# -- line 5: links out of the tree ------------------------------------------------------------
def test_a_file_link_out_of_the_tree_is_not_followed(tmp_path, capsys):
    secret = write(tmp_path / "home" / "secret.txt", "Secret\n\nAWS_KEY=AKIA-DO-NOT-LEAK-1234\n")
    folder = tmp_path / "c"
    write(folder / "good.txt", GOOD)
    write(folder / "inside.txt", GOOD.replace("budget", "harbour"))
    os.symlink(secret, folder / "notes.txt")
    os.symlink("inside.txt", folder / "alias.txt")   # a link inside the tree is still followed
    rules = write(tmp_path / "rules" / "echo.yaml", ECHO_RULE).parent
    for fmt in ("text", "json", "github", "sarif"):
        code, out, err = check(capsys, str(folder), "--no-cache", "--format", fmt,
                               "--rule-dir", str(rules), "--extend-select", "NL992")
        assert "AKIA" not in out + err, fmt
        assert "inside" not in out or "alias.txt" in out or fmt == "sarif"
    code, out, err = check(capsys, str(folder), "--no-cache", "--format", "json")
    errors = {Path(e["path"]).name: e["message"] for e in json.loads(out)["errors"]}
    assert errors == {"notes.txt": "a symbolic link to a file outside the checked folder; "
                                   "not followed"}
    assert json.loads(out)["summary"]["articles"] == 3




def test_the_walk_spells_paths_as_before(tmp_path, monkeypatch):
    """Paths under `.` have no `./` (as os.walk and Path spell them)."""
    from newslint.config import Settings
    from newslint.plugins import get_plugin_manager
    from newslint.registry import Registry
    from newslint.run.files import discover
    write(tmp_path / "news" / "deep" / "a.txt", GOOD)
    write(tmp_path / "b.txt", GOOD)
    monkeypatch.chdir(tmp_path)
    registry = Registry(get_plugin_manager(), [])
    assert list(discover(["."], Settings(), registry, [])) == ["b.txt", "news/deep/a.txt"]
    assert list(discover(["news"], Settings(), registry, [])) == ["news/deep/a.txt"]
