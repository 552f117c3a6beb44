"""Which files a run checks: a git repository's .gitignore is respected by
default (--no-respect-gitignore), and --force-exclude applies exclude and
.gitignore to files given by name, as the pre-commit hooks do."""
import time
from pathlib import Path

import pytest
import yaml

from newslint.cli.main import main
from newslint.run.gitignore import GitIgnored

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = (ROOT / "corpus" / "near-duplicates" / "ferry-original.md").read_text(encoding="utf-8")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def repo(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    for name in ("content/ferry.md", "drafts/ferry-copy.md", "content/old/keep.md",
                 "content/old/skip.md", "notes.tmp.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        text = ARTICLE if "ferry" in name else f"# {name}\n\nAnother story, about {name}.\n"
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / ".gitignore").write_text("drafts/\n*.tmp.md\n# a comment\n")
    (tmp_path / "content" / "old" / ".gitignore").write_text("*.md\n!keep.md\n")
    return tmp_path


def checked(capsys, *argv):
    code, out, _ = run(capsys, "check", "--no-cache", "--select", "NL002", "--format", "json", *argv)
    import json
    return json.loads(out)["summary"]["files"]


def test_gitignored_files_are_not_checked_nor_compared(repo, capsys):
    assert checked(capsys, ".") == 2  # content/ferry.md, content/old/keep.md
    assert checked(capsys, ".", "--no-respect-gitignore") == 5
    # the gitignored copy in drafts/ is no near-duplicate of the committed article
    code, out, _ = run(capsys, "check", "--no-cache", "content/ferry.md", "--corpus", ".",
                       "--select", "near-duplicate")
    assert code == 0 and "NL601" not in out
    code, out, _ = run(capsys, "check", "--no-cache", "content/ferry.md", "--corpus", ".",
                       "--select", "near-duplicate", "--no-respect-gitignore")
    assert code == 1 and "drafts/ferry-copy.md" in out


def test_respect_gitignore_is_a_setting(repo, capsys):
    (repo / "newslint.toml").write_text("respect-gitignore = false\n")
    assert checked(capsys, ".") == 5


def test_files_given_by_name_are_checked_unless_force_exclude(repo, capsys):
    (repo / "README.md").write_text("# Notes\n\nHow we write.\n")
    named = ["README.md", "drafts/ferry-copy.md", "content/old/skip.md", "content/ferry.md"]
    assert checked(capsys, *named, "--exclude", "README.md") == 4
    assert checked(capsys, *named, "--exclude", "README.md", "--force-exclude") == 1
    (repo / "newslint.toml").write_text("exclude = ['README.md']\nforce-exclude = true\n")
    assert checked(capsys, *named) == 1


def test_nothing_is_ignored_outside_a_git_repository(repo, capsys):
    (repo / ".git").rmdir()
    assert checked(capsys, ".") == 5


def test_the_pre_commit_hooks_force_exclude():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert all("--force-exclude" in hook["entry"].split() for hook in hooks)


def test_a_hostile_gitignore_costs_nothing(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("*a" * 30 + "b\n" + "x\n" * 100_000)
    name = tmp_path / ("a" * 200 + ".md")
    started = time.process_time()
    assert not GitIgnored().ignored(str(name))
    assert time.process_time() - started < 2
