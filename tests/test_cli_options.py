"""Options are checked before anything runs: a bad value is a usage or
configuration error (exit 2) on one line naming the option, never a rule that
fails in the middle of a run, a traceback, or a silent run."""
import pytest

from newslint.cli.main import main

ARTICLE = "Ferry service resumes\n\nBy Ana Costa, Harbour Times\n\nPublished 3 November 2023\n\n" \
    "The ferry to the island runs again from Monday, the port authority said.\n"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    return tmp_path


def one_line_error(err, *parts):
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("newslint"), err
    assert "Traceback" not in err
    for part in parts:
        assert part in lines[0], (part, lines[0])
    return lines[0]


@pytest.mark.parametrize("table, parts", [
    ("[rules.near-duplicate]\nthreshold = 1.7", ["rules.near-duplicate", "threshold", "1.7"]),
    ("[rules.NL601]\nnum_perm = 4", ["rules.NL601", "num_perm", "got 4"]),
    ("[rules.damage-wall-of-text]\nmax_words = -1", ["rules.damage-wall-of-text", "max_words", "-1"]),
    ("[rules.duplicate-paragraph-near]\nthreshold = 2.0", ["threshold", "<= 1.0"]),
    ("[rules.near-duplicate]\nthreshold = true", ["near-duplicate.threshold", "expected float"]),
    ("[rules.near-duplicate]\nthreshhold = 0.6", ["unknown option 'threshhold'", "did you mean 'threshold'"]),
    ("[rules.missing-dat]\nlevel = 'info'", ["rules.missing-dat", "did you mean 'missing-date'"]),
    ("[rules.missing-date]\nlevel = 'loud'", ["rules.missing-date.level", "'loud'"]),
    ("[per-file-ignores]\n'archive/*' = ['missing-dat']", ["per-file-ignores 'archive/*'",
                                                          "did you mean 'missing-date'"]),
    ("max-file-size = -1", ["max-file-size", ">= 0"]),
])
def test_a_bad_setting_is_exit_2_naming_the_key(project, capsys, table, parts):
    (project / "newslint.toml").write_text(table + "\n", encoding="utf-8")
    code, out, err = run(capsys, "check", "a.txt", "--no-cache")
    assert code == 2 and out == ""
    line = one_line_error(err, *parts)
    assert "newslint.toml" in line


def test_a_rule_option_out_of_range_from_the_library_is_a_config_error():
    from newslint import Linter
    from newslint.config import ConfigError
    with pytest.raises(ConfigError, match="threshold"):
        Linter(options={"near-duplicate": {"threshold": 1.7}})
    with pytest.raises(ConfigError, match="max_words"):
        Linter(options={"damage-wall-of-text": {"max_words": -1}})


@pytest.mark.parametrize("argv, parts", [
    (["--jobs", "-3"], ["--jobs", ">= 0", "-3"]),
    (["--max-file-size", "-1"], ["--max-file-size"]),
    (["--format", "xml"], ["--format", "'xml'", "choose from", "json"]),
    (["--format", "jsn"], ["did you mean 'json'"]),
    (["--select", "missing-dat"], ["'missing-dat' matches no rule", "did you mean 'missing-date'"]),
    (["--index", "redis://127.0.0.1:notaport/0"], ["--index", "notaport"]),
    (["--index", "redis://:secret@127.0.0.1:6379/zero"], ["--index", "database must be a number"]),
])
def test_a_bad_option_is_one_line_and_exit_2(project, capsys, argv, parts):
    code, out, err = run(capsys, "check", "a.txt", "--no-cache", *argv)
    assert code == 2 and out == ""
    assert "secret" not in one_line_error(err, *parts)


def test_stdin_format_is_a_usage_error(project, capsys, monkeypatch):
    import io
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"a,b\n")))
    code, out, err = run(capsys, "check", "-", "--stdin-format", "csv")
    assert code == 2 and out == ""
    one_line_error(err, "--stdin-format", "'csv'", "jsonl")


def test_argparse_errors_are_one_line(project, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["check", "--jobs", "three"])
    assert exc.value.code == 2
    one_line_error(capsys.readouterr().err, "--jobs", "invalid int value", "newslint check --help")


def test_an_empty_folder_says_so(project, capsys):
    (project / "empty").mkdir()
    (project / "empty" / "notes.csv").write_text("a,b\n", encoding="utf-8")
    code, out, err = run(capsys, "check", "empty", "--no-cache")
    assert code == 0 and "0 files" in out
    one_line_error(err, "warning: no files to check in empty", ".txt", ".md")
