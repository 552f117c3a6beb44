"""The command line contract: exit codes, output formats, selection, config."""
import json
import os
import subprocess
import sys
import textwrap

import pytest

from newslint import __version__
from newslint.cli.main import main

PLUGIN = textwrap.dedent('''
    from newslint import ArticleRule, hookimpl
    from newslint.rule import parse_examples

    class ShoutingWord(ArticleRule):
        code = "NL950"
        name = "fake-banana"
        level = "warning"
        summary = "The word banana."
        docs = {"what": "Flags the word banana.", "why": "Tests need a rule."}
        examples = parse_examples({"fail": ["T\\n\\nbanana"], "pass": ["T\\n\\napple"]}, "NL950")

        def check(self, article, options):
            for block in article.blocks:
                if "banana" in block.text:
                    yield self.at_block(article, block, "found banana")

    @hookimpl
    def newslint_register_rules(register):
        register(ShoutingWord())
''')


def write(path, text, encoding="utf-8"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "clean.txt", "A title\n\nA body.\n")
    write(tmp_path / "latin.txt", "Caf\u00e9\n\nLe caf\u00e9 est ouvert.\n", "cp1252")
    return tmp_path


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_exit_codes(folder, capsys):
    code, out, _ = run(capsys, "check", "latin.txt", "--select", "NL002")
    assert code == 1
    assert "latin.txt:1:1: NL002 [encoding-fallback]" in out
    assert run(capsys, "check", "clean.txt", "--select", "NL002")[0] == 0
    assert run(capsys, "check", "latin.txt", "--select", "NL002", "--exit-zero")[0] == 0
    code, _, err = run(capsys, "check", "clean.txt", "--select", "NL999")
    assert code == 2 and "NL999" in err and "Traceback" not in err


def test_usage_error_is_exit_2(capsys):
    assert main(["check", "--format", "yaml"]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["check", "--jobs", "many"])
    assert exc.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 2  # one line each


def test_select_ignore_by_code_prefix_and_name(folder, capsys):
    assert "NL002" in run(capsys, "check", "latin.txt", "--select", "encoding-fallback")[1]
    assert "NL002" in run(capsys, "check", "latin.txt", "--select", "NL0")[1]
    code, out, _ = run(capsys, "check", "latin.txt", "--select", "NL0", "--ignore", "NL002")
    assert code == 0 and "NL002" not in out
    # the longer (more specific) selector wins
    code, out, _ = run(capsys, "check", "latin.txt", "--select", "NL002", "--ignore", "NL0")
    assert code == 1 and "NL002" in out


def test_json_output_contract(folder, capsys):
    write(folder / "bad.jsonl", '{"title": "x"\n')
    code, out, _ = run(capsys, "check", ".", "--select", "NL002", "--format", "json")
    data = json.loads(out)
    assert set(data) == {"findings", "errors", "summary"}
    finding = data["findings"][0]
    for key in ("path", "line", "column", "end_line", "end_column", "code", "rule", "severity", "message"):
        assert key in finding
    assert data["summary"]["files"] >= 2 and data["summary"]["by_rule"] == {"NL002 encoding-fallback": 1}
    assert code == 1


def test_jsonl_output_one_finding_per_line(folder, capsys):
    _, out, _ = run(capsys, "check", "latin.txt", "--select", "NL002", "--format", "jsonl")
    lines = out.strip().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["code"] == "NL002"


def test_github_annotations_escape_article_text(folder, capsys):
    _, out, _ = run(capsys, "check", "latin.txt", "--select", "NL002", "--format", "github")
    assert out.startswith("::warning file=latin.txt,line=1,")
    assert "title=NL002 encoding-fallback::" in out
    from newslint.formatters.machine import _escape_data
    assert _escape_data("a\n::error::x") == "a%0A::error::x"


def test_sarif_required_fields(folder, capsys):
    _, out, _ = run(capsys, "check", "latin.txt", "--select", "NL002", "--format", "sarif")
    log = json.loads(out)
    assert log["version"] == "2.1.0" and "$schema" in log
    driver = log["runs"][0]["tool"]["driver"]
    rule = driver["rules"][0]
    assert rule["id"] == "NL002" and rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
    assert rule["help"]["text"]
    result = log["runs"][0]["results"][0]
    assert result["ruleId"] == "NL002" and result["level"] == "warning" and result["message"]["text"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 1
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "latin.txt"
    assert result["partialFingerprints"]["primaryLocationLineHash"]


def test_statistics_and_quiet(folder, capsys):
    _, out, _ = run(capsys, "check", ".", "--select", "NL002", "--statistics", "--quiet")
    assert "      1  NL002  encoding-fallback" in out
    assert "Checked" not in out


def test_rules_and_rule_commands(capsys):
    code, out, _ = run(capsys, "rules")
    assert code == 0 and "NL001" in out and "unused-suppression" in out
    data = json.loads(run(capsys, "rules", "--format", "json")[1])
    assert {"code", "name", "level", "scope", "summary"} <= set(data[0])
    code, out, _ = run(capsys, "rule", "encoding-fallback")
    assert code == 0 and out.startswith("# encoding-fallback (NL002)") and "## Why is this bad?" in out
    assert run(capsys, "rule", "NL999")[0] == 2


def test_config_discovery_from_checked_path(tmp_path, capsys, monkeypatch):
    project = tmp_path / "site"
    write(project / "pyproject.toml", '[tool.newslint]\nignore = ["NL002"]\n')
    write(project / "content" / "deep" / "latin.txt", "Caf\u00e9\n\nLe caf\u00e9.\n", "cp1252")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "check", "site/content", "--select", "NL0")
    assert code == 0 and "NL002" not in out
    write(project / "newslint.toml", 'select = ["NL002"]\n')  # newslint.toml wins over pyproject
    code, out, _ = run(capsys, "check", "site/content")
    assert code == 1 and "NL002" in out


def test_per_file_ignores_and_exclude(tmp_path, capsys, monkeypatch):
    write(tmp_path / "newslint.toml", 'select = ["NL002"]\nexclude = ["drafts"]\n'
          '[per-file-ignores]\n"legacy/*" = ["encoding-fallback"]\n')
    for sub in ("legacy", "drafts", "news"):
        write(tmp_path / sub / "a.txt", "Caf\u00e9\n\nLe caf\u00e9.\n", "cp1252")
    monkeypatch.chdir(tmp_path)
    _, out, _ = run(capsys, "check", ".")
    assert "news/a.txt" in out and "legacy" not in out and "drafts" not in out


@pytest.mark.parametrize("content,message", [
    ('select = "NL002"\nunknown-key = 1\n', "unknown setting 'unknown-key'"),
    ('select = [1, 2]\n', "must be a list of strings"),
    ('select = [\n', "invalid TOML"),
])
def test_bad_config_is_exit_2_with_one_line(tmp_path, capsys, monkeypatch, content, message):
    write(tmp_path / "newslint.toml", content)
    write(tmp_path / "a.txt", "T\n\nBody.\n")
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "check", "a.txt")
    assert code == 2 and message in err and "Traceback" not in err
    assert err.count("\n") == 1


def test_bad_rule_file_names_file_and_field(tmp_path, capsys, monkeypatch):
    rules = tmp_path / "myrules"
    write(rules / "bad.yaml", "code: NL901\nname: my-rule\nkind: phrase\nsummary: s\n"
          "message: m\ndocs: {what: w, why: y}\nexamples: {pass: [a], fail: [b]}\npatterns: ['(']\n")
    write(tmp_path / "a.txt", "T\n\nBody.\n")
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "check", "a.txt", "--rule-dir", str(rules))
    assert code == 2 and "bad.yaml" in err and "patterns[0]" in err


def test_user_rule_folder_adds_declarative_rule(tmp_path, capsys, monkeypatch):
    rules = tmp_path / "myrules"
    write(rules / "promo.yaml", textwrap.dedent("""\
        code: NL901
        name: boilerplate-house-promo
        kind: phrase
        level: warning
        summary: Our own promo line.
        message: "promo line: {match}"
        docs: {what: Flags the promo line., why: It is not news.}
        patterns: ['buy our app today!?']
        fix: remove-line
        examples: {fail: ["T\\n\\nBuy our app today!"], pass: ["T\\n\\nWe did not buy the app."]}
        """))
    write(tmp_path / "newslint.toml", 'rule-dirs = ["myrules"]\n')
    write(tmp_path / "a.txt", "T\n\nReal news.\n\nBuy our app today!\n")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "check", "a.txt", "--select", "NL901")
    assert code == 1 and "a.txt:5:1: NL901 [*] [boilerplate-house-promo] promo line: Buy our app today!" in out
    assert run(capsys, "check", "a.txt", "--select", "NL901", "--fix")[0] == 0
    assert (tmp_path / "a.txt").read_text() == "T\n\nReal news.\n"


def test_bad_inputs_reported_and_run_goes_on(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "empty.txt", "")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02abc")
    write(tmp_path / "latin.txt", "Caf\u00e9\n\nLe caf\u00e9.\n", "cp1252")
    unreadable = write(tmp_path / "secret.txt", "T\n\nBody.\n")
    unreadable.chmod(0)
    code, out, err = run(capsys, "check", ".", "--select", "NL002", "--format", "json")
    data = json.loads(out)
    errors = {os.path.basename(e["path"]): e["message"] for e in data["errors"]}
    assert "empty" in errors["empty.txt"] and "binary" in errors["binary.txt"]
    if os.geteuid() != 0:  # root reads anything
        assert "cannot read" in errors["secret.txt"]
    assert [f["code"] for f in data["findings"]] == ["NL002"]
    assert code == 1 and "Traceback" not in err
    code, out, _ = run(capsys, "check", "missing.txt")
    assert code == 1 and "missing.txt: error: no such file or directory" in out


def test_plugin_registered_through_entry_point(tmp_path):
    """A third-party rule arrives through the `newslint` entry-point group and
    is switched off by NEWSLINT_LOAD_PLUGINS=0."""
    site = tmp_path / "site"
    write(site / "fake_plugin.py", PLUGIN)
    dist = site / "fake_plugin-1.0.dist-info"
    write(dist / "METADATA", "Metadata-Version: 2.1\nName: fake-plugin\nVersion: 1.0\n")
    write(dist / "entry_points.txt", "[newslint]\nbanana = fake_plugin\n")
    write(tmp_path / "a.txt", "T\n\nA banana split.\n")
    env = {**os.environ, "PYTHONPATH": str(site), "NEWSLINT_LOAD_PLUGINS": "1"}
    cmd = [sys.executable, "-m", "newslint", "check", str(tmp_path / "a.txt"), "--select", "NL950",
           "--no-cache"]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    assert proc.returncode == 1 and "NL950 [fake-banana] found banana" in proc.stdout
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**env, "NEWSLINT_LOAD_PLUGINS": "0"})
    assert proc.returncode == 2 and "NL950" in proc.stderr  # the rule is gone: selector matches nothing


def test_fake_plugin_rule_in_library(tmp_path):
    import types
    from newslint.config import Settings
    from newslint.run.engine import Engine
    module = types.ModuleType("banana_plugin")
    exec(PLUGIN, module.__dict__)
    engine = Engine(Settings(select=["NL950"], cache=False), extra_plugins=[module])
    write(tmp_path / "a.txt", "T\n\nbanana\n")
    result = engine.run([str(tmp_path)])
    assert [(f.code, f.line) for f in result.findings] == [("NL950", 3)]
