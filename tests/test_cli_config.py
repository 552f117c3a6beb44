"""Configuration as ruff users expect it: the nearest config per path,
`extend`, per-rule `level`, `--fail-level`, `--show-settings`."""
import json

import pytest

from newslint.cli.main import main

#: an article whose only finding is missing-date (a warning by default)
ARTICLE = "Ferry service resumes\n\nBy Ana Costa, Harbour Times\n\nThe ferry to the island runs " \
    "again from Monday, the port authority said on Tuesday. Crossings take forty minutes and the " \
    "first boat leaves at six in the morning, the authority said.\n"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def tree(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "story.txt").write_text(ARTICLE, encoding="utf-8")
    return tmp_path


def test_each_path_is_checked_with_its_nearest_config(tree, capsys):
    (tree / "b" / "newslint.toml").write_text("[rules.missing-date]\nlevel = 'info'\n")
    code, out, _ = run(capsys, "check", "a", "b", "--no-cache", "--select", "missing-date",
                       "--format", "json")
    found = {f["path"]: f["severity"] for f in json.loads(out)["findings"]}
    assert found == {"a/story.txt": "warning", "b/story.txt": "info"} and code == 1
    code, out, _ = run(capsys, "check", "b", "--no-cache", "--select", "missing-date")
    assert code == 0 and "0 warnings, 1 info" in out
    # --config makes one file govern every path
    (tree / "loud.toml").write_text("[rules.missing-date]\nlevel = 'error'\n")
    _, out, _ = run(capsys, "check", "a", "b", "--no-cache", "--select", "missing-date",
                    "--config", "loud.toml")
    assert "2 errors" in out


def test_extend_inherits_and_overrides(tree, capsys):
    (tree / "b" / "shared").mkdir()
    (tree / "b" / "house").mkdir()
    (tree / "b" / "shared" / "base.toml").write_text(
        "select = ['missing-date', 'NL5']\nrule-dirs = ['../house']\n"
        "[rules.damage-wall-of-text]\nmax_words = 100\n[rules.missing-date]\nlevel = 'error'\n")
    (tree / "b" / "newslint.toml").write_text("extend = 'shared/base.toml'\n"
                                              "[rules.damage-wall-of-text]\nlevel = 'warning'\n")
    code, out, _ = run(capsys, "check", "--show-settings", "b/story.txt")
    assert code == 0
    assert 'select = ["missing-date", "NL5"]' in out
    assert f'rule-dirs = ["{tree / "b" / "house"}"]' in out  # relative to base.toml, not b/
    assert "NL301 missing-date error" in out
    assert 'NL509 damage-wall-of-text warning {"max_words": 100}' in out
    (tree / "b" / "shared" / "base.toml").write_text("extend = '../newslint.toml'\n")
    code, _, err = run(capsys, "check", "b", "--no-cache")
    assert code == 2 and "cycle" in err


def test_fail_level(tree, capsys):
    argv = ["check", "a", "--no-cache", "--select", "missing-date"]
    assert run(capsys, *argv)[0] == 1
    assert run(capsys, *argv, "--fail-level", "error")[0] == 0
    (tree / "a" / "newslint.toml").write_text("[rules.missing-date]\nlevel = 'info'\n")
    assert run(capsys, *argv)[0] == 0
    assert run(capsys, *argv, "--fail-level", "info")[0] == 1
    with pytest.raises(SystemExit):
        main([*argv, "--fail-level", "loud"])
    assert "invalid choice: 'loud'" in capsys.readouterr().err


def test_show_settings_names_the_config_and_changed_options(tree, capsys):
    (tree / "a" / "newslint.toml").write_text("ignore = ['NL5']\n[rules.near-duplicate]\nthreshold = 0.8\n")
    code, out, _ = run(capsys, "check", "--show-settings", "a/story.txt")
    assert code == 0
    assert 'config = "a/newslint.toml"' in out
    assert 'ignore = ["NL5"]' in out and "NL501" not in out
    assert 'NL601 near-duplicate warning {"threshold": 0.8}' in out
    _, out, _ = run(capsys, "check", "--show-settings", "b/story.txt")
    assert "config = null" in out and "NL501 damage-truncated-ending warning" in out
