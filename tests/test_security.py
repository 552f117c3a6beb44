"""Nothing newslint reads is executed: not the articles, not the cache, not
the rule files, not the configuration. What it prints cannot be turned into
commands or broken JSON by the text it quotes, and its cache does not write
through links a checked-out repository plants."""
from __future__ import annotations

import json
import os
import pickle
import tokenize
from pathlib import Path

import pytest

import newslint
from newslint.cli.main import main
from newslint.text.safe import escaped
from tests.conftest import ECHO_RULE

PACKAGE = Path(newslint.__file__).resolve().parent
GOOD = "Council votes on budget\n\nThe council approved the budget on 1 March 2024, Reuters reported.\n"


class Payload:
    """Unpickling this creates the marker file: proof that something unpickled it."""

    def __init__(self, marker: Path):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def check(capsys, *argv) -> tuple[int, str, str]:
    code = main(["check", "--no-progress", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def marker(tmp_path):
    path = tmp_path / "MARKER"
    yield path
    assert not path.exists(), "something read by newslint was executed"


# -- nothing read is executed ------------------------------------------------------------------
def test_planted_pickle_as_the_cache_is_not_unpickled(tmp_path, marker, capsys):
    write(tmp_path / "c" / "a.txt", GOOD)
    cache = tmp_path / "cache"
    cache.mkdir()
    blob = pickle.dumps(Payload(marker))
    for name in ("cache.sqlite", "cache.pickle", "cache.pkl", "index.pkl", "neardup.sqlite"):
        (cache / name).write_bytes(blob)
    code, out, err = check(capsys, str(tmp_path / "c"), "--cache-dir", str(cache), "--format", "json")
    assert "unreadable cache" in err and "rebuilding it" in err
    assert json.loads(out)["summary"]["articles"] == 1
    code_again, out_again, err_again = check(capsys, str(tmp_path / "c"), "--cache-dir", str(cache),
                                             "--format", "json")
    assert (code_again, out_again, err_again) == (code, out, "")  # rebuilt, and used


YAML_PAYLOADS = ['!!python/object/apply:os.system ["touch {marker}"]',
                 '!!python/object/apply:builtins.open ["{marker}", "w"]',
                 '!!python/object/new:builtins.open ["{marker}", "w"]',
                 '!!python/name:os.system']


@pytest.mark.parametrize("payload", YAML_PAYLOADS)
def test_yaml_payload_in_front_matter_is_an_input_error(tmp_path, marker, capsys, payload):
    text = f"---\ntitle: Safe\ndate: {payload.format(marker=marker)}\n---\n\nBody text.\n"
    write(tmp_path / "c" / "evil.md", text)
    write(tmp_path / "c" / "good.txt", GOOD)
    code, out, err = check(capsys, str(tmp_path / "c"), "--no-cache", "--format", "json")
    errors = json.loads(out)["errors"]
    assert code == 1 and err == ""
    assert [(Path(e["path"]).name, e["line"]) for e in errors] == [("evil.md", 3)]
    assert "invalid YAML front matter" in errors[0]["message"]
    assert json.loads(out)["summary"]["articles"] == 1  # good.txt still checked


@pytest.mark.parametrize("payload", YAML_PAYLOADS)
def test_yaml_payload_in_a_rule_file_is_a_clear_error(tmp_path, marker, capsys, payload):
    rules = tmp_path / "rules"
    write(rules / "evil.yaml", f"code: NL990\nname: user-evil\nkind: phrase\n"
                               f"summary: {payload.format(marker=marker)}\n")
    write(tmp_path / "c" / "a.txt", GOOD)
    code, out, err = check(capsys, str(tmp_path / "c"), "--rule-dir", str(rules), "--no-cache")
    assert code == 2 and out == ""
    assert err.startswith(f"newslint: error: {rules / 'evil.yaml'}: cannot read rule file")


@pytest.mark.parametrize("config", [
    'select = ["{payload}"]',
    '[rules.NL002]\nlevel = "{payload}"',
    'rule-dirs = "{payload}"',
    'exclude = 7\nselect = "{payload}"',
])
def test_payload_text_in_the_configuration_is_a_clear_error(tmp_path, marker, capsys, config):
    payload = YAML_PAYLOADS[0].format(marker=marker).replace('"', "'")
    write(tmp_path / "newslint.toml", config.format(payload=payload) + "\n")
    write(tmp_path / "c" / "a.txt", GOOD)
    code, out, err = check(capsys, str(tmp_path / "c"), "--no-cache")
    assert code == 2 and out == "" and err.startswith("newslint: error: ")
    assert "Traceback" not in err


def test_payloads_in_json_and_html_are_only_text(tmp_path, marker, capsys):
    payload = YAML_PAYLOADS[1].format(marker=marker)
    record = {"title": payload, "text": f"Title\n\n{payload}\n\n" + GOOD, "__reduce__": payload,
              "author": {"!!python/object": payload}}
    write(tmp_path / "c" / "a.jsonl", json.dumps(record) + "\n")
    write(tmp_path / "c" / "b.html", f'<html><head><script type="application/ld+json">'
                                     f'{json.dumps({"@type": payload, "datePublished": payload})}'
                                     f"</script><title>{payload}</title></head><body><p>{GOOD}</p>"
                                     "</body></html>")
    code, out, err = check(capsys, str(tmp_path / "c"), "--no-cache", "--format", "json")
    assert json.loads(out)["summary"]["articles"] == 2 and json.loads(out)["errors"] == []


# -- and the source says so ------------------------------------------------------------------------
FORBIDDEN_MODULES = {"pickle", "cPickle", "_pickle", "cloudpickle", "dill", "marshal", "shelve",
                     "jsonpickle"}
FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__", "execfile"}
UNSAFE_YAML = {"load", "load_all", "full_load", "full_load_all", "unsafe_load", "unsafe_load_all",
               "Loader", "FullLoader", "UnsafeLoader", "Constructor", "FullConstructor",
               "UnsafeConstructor"}
UNSAFE_OS = {"system", "popen", "execv", "execvp", "execl", "spawnv"}


def code_tokens(path: Path) -> list[tokenize.TokenInfo]:
    """Tokens that are code: comments and strings (docstrings) left out."""
    with open(path, "rb") as fh:
        tokens = list(tokenize.tokenize(fh.readline))
    return [t for t in tokens if t.type in (tokenize.NAME, tokenize.OP)]


def safe_loader_given(tokens: list[tokenize.TokenInfo], i: int) -> bool:
    """`yaml.load(..., Loader=X)` where X names a safe loader (SafeLoader,
    CSafeLoader, or a constant such as SAFE_LOADER)."""
    if tokens[i].string not in ("load", "load_all") or i + 1 >= len(tokens) \
            or tokens[i + 1].string != "(":
        return False
    depth = 0
    for j in range(i + 1, len(tokens)):
        depth += {"(": 1, ")": -1}.get(tokens[j].string, 0)
        if depth == 0:
            return False
        if depth == 1 and tokens[j].string == "Loader" and tokens[j + 1].string == "=":
            value = [t.string for t in tokens[j + 2:j + 5] if t.type == tokenize.NAME]
            return bool(value) and "safe" in value[-1].lower()
    return False


def dangerous_uses(path: Path) -> list[str]:
    tokens = code_tokens(path)
    found = []
    for i, tok in enumerate(tokens):
        before = tokens[i - 1].string if i else ""
        owner = tokens[i - 2].string if i > 1 and before == "." else ""
        after = tokens[i + 1].string if i + 1 < len(tokens) else ""
        where = f"{path.relative_to(PACKAGE.parent)}:{tok.start[0]}: {tok.string}"
        if tok.type != tokenize.NAME:
            continue
        if tok.string in FORBIDDEN_MODULES:
            found.append(where)
        elif tok.string in FORBIDDEN_CALLS and before != "." and after == "(":
            found.append(where)
        elif owner == "yaml" and tok.string in UNSAFE_YAML and not safe_loader_given(tokens, i):
            found.append(where)
        elif owner == "os" and tok.string in UNSAFE_OS or tok.string == "subprocess":
            found.append(where)
    return found


def test_the_source_never_unpickles_evaluates_or_loads_yaml_unsafely():
    sources = sorted(PACKAGE.rglob("*.py"))
    assert len(sources) > 30
    assert [use for path in sources for use in dangerous_uses(path)] == []


def test_the_source_scan_finds_what_it_looks_for(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import pickle\nimport yaml\n# eval(x) in a comment is fine\n"
                      "x = eval('1')\ny = yaml.load(s)\nz = yaml.safe_load(s)\nre.compile('x')\n"
                      "w = yaml.load(s, Loader=yaml.CSafeLoader)\nv = yaml.load(s, Loader=yaml.Loader)\n"
                      "'exec(' \nos.system('ls')\n")
    global PACKAGE
    saved, PACKAGE = PACKAGE, tmp_path
    try:
        found = [use.split(": ")[1] for use in dangerous_uses(sample)]
    finally:
        PACKAGE = saved
    assert found == ["pickle", "eval", "load", "load", "Loader", "system"]


# -- outputs cannot be hijacked by what they quote ------------------------------------------------
HOSTILE_LINES = [
    "::error file=ci.yml,line=1::build failed, deploy anyway",
    "%0A::warning::encoded newline %25 percent",
    'quote " and backslash \\ and {braces}',
    "control \x1b[2K\x1b]0;pwned\x07 bell \x08 backspace \x0b tab\tend",
    "line separator \u2028 paragraph separator \u2029 next line \x85 end",
    "</script><!-- json: }]} , \"x\": 1",
]


@pytest.fixture
def hostile_run(tmp_path):
    rules = tmp_path / "rules"
    write(rules / "echo.yaml", ECHO_RULE)
    folder = tmp_path / "c"
    body = "\n\n".join(HOSTILE_LINES)
    names = ["plain.txt", "evil\n::error::name %0A, with: colon.txt"]
    for name in names:
        write(folder / name, f"Title\n\n{body}\n")
    return folder, ["--rule-dir", str(rules), "--select", "NL992", "--no-cache", "--exit-zero"]


def expected_messages() -> list[str]:
    return sorted(f"quoted: {line.strip()}" for line in HOSTILE_LINES)


def test_json_and_jsonl_outputs_stay_valid_and_exact(hostile_run, capsys):
    folder, args = hostile_run
    _, out, _ = check(capsys, str(folder), *args, "--format", "json")
    findings = json.loads(out)["findings"]
    paths = {Path(f["path"]).name for f in findings}
    assert paths == {"plain.txt", "evil\n::error::name %0A, with: colon.txt"}
    for name in paths:
        messages = sorted(f["message"] for f in findings if Path(f["path"]).name == name)
        assert messages == expected_messages()
    _, out, _ = check(capsys, str(folder), *args, "--format", "jsonl")
    lines = out.split("\n")[:-1]  # not splitlines(): U+2028 inside a JSON string is no line end
    assert len(lines) == len(findings) == 2 * len(HOSTILE_LINES)
    assert [json.loads(line)["message"] for line in lines] == [f["message"] for f in findings]


def test_sarif_output_stays_valid_and_exact(hostile_run, capsys):
    folder, args = hostile_run
    _, out, _ = check(capsys, str(folder), *args, "--format", "sarif")
    results = json.loads(out)["runs"][0]["results"]
    assert sorted(r["message"]["text"] for r in results) == sorted(expected_messages() * 2)


def unescape(value: str) -> str:
    return value.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":") \
        .replace("%2C", ",").replace("%25", "%")


def test_github_annotations_cannot_be_injected(hostile_run, capsys):
    folder, args = hostile_run
    _, out, _ = check(capsys, str(folder), *args, "--format", "github")
    lines = out.split("\n")
    assert lines[-1] == "" and len(lines) - 1 == 2 * len(HOSTILE_LINES)  # one line per finding
    messages, files = [], set()
    for line in lines[:-1]:
        assert line.startswith("::warning file=")
        head, _, message = line[len("::warning "):].partition("::")
        props = dict(p.split("=", 1) for p in head.split(","))
        assert set(props) == {"file", "line", "endLine", "col", "endColumn", "title"}
        files.add(Path(unescape(props["file"])).name)
        messages.append(unescape(message))
    assert files == {"plain.txt", "evil\n::error::name %0A, with: colon.txt"}
    # the Actions log is a terminal: control characters and separators come out escaped
    assert sorted(messages) == sorted(escaped(m) for m in expected_messages() * 2)
    assert not any(c in line for line in lines for c in "\x1b\x07\x08\x0b\u2028\u2029\x85")


def test_text_output_does_not_pass_control_characters_through(hostile_run, capsys):
    folder, args = hostile_run
    _, out, _ = check(capsys, str(folder), *args, "--format", "text")
    assert "\x1b" not in out and "\x07" not in out
    assert not [line for line in out.split("\n") if line.startswith("::")]


SURROGATES = '{"title": "T \\ud800", "text": "Title\\n\\nA story with a broken \\udfff character."}\n'


@pytest.mark.parametrize("fmt", ["json", "sarif", "github", "text"])
def test_lone_surrogate_quoted_in_a_message_does_not_crash_the_output(hostile_run, capsys, fmt):
    folder, args = hostile_run
    write(folder / "s.jsonl", SURROGATES)
    code, _, err = check(capsys, str(folder), *args, "--format", fmt, "-o", str(folder / "out"))
    assert "Traceback" not in err and code == 0
    assert (folder / "out").read_text(encoding="utf-8").count("broken") == 1


def test_lone_surrogate_in_a_json_record_is_checked_by_every_rule(tmp_path, capsys):
    write(tmp_path / "c" / "a.jsonl", SURROGATES)
    code, out, err = check(capsys, str(tmp_path / "c"), "--no-cache", "--format", "json")
    assert json.loads(out)["summary"]["articles"] == 1
    assert err == ""


# -- the cache does not write through links -------------------------------------------------------
def test_cache_folder_that_is_a_link_is_not_written_through(tmp_path, capsys):
    outside = tmp_path / "outside"
    outside.mkdir()
    repo = tmp_path / "repo"
    write(repo / "a.txt", GOOD)
    os.symlink(outside, repo / ".newslint_cache")  # committed by a pull request
    (repo / "newslint.toml").write_text("")
    code, out, err = check(capsys, str(repo))
    assert "is a symbolic link" in err and "cache disabled" in err
    assert list(outside.iterdir()) == []
    assert "Checked 1 article" in out


@pytest.mark.parametrize("name", ["cache.sqlite", "cache.sqlite-wal", "cache.sqlite-shm",
                                  "cache.sqlite-journal"])
def test_cache_file_that_is_a_link_is_not_written_through(tmp_path, capsys, name):
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious")
    cache = tmp_path / "repo" / ".newslint_cache"
    cache.mkdir(parents=True)
    os.symlink(victim, cache / name)
    write(tmp_path / "repo" / "a.txt", GOOD)
    code, out, err = check(capsys, str(tmp_path / "repo"), "--cache-dir", str(cache))
    assert victim.read_bytes() == b"precious" and os.path.islink(cache / name)
    assert "is a symbolic link" in err and "Checked 1 article" in out


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
