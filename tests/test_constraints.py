"""Reproducible installs: constraints.txt pins every dependency of the test
environment, the README's test command and CI install with it, and CI's second
step tries today's newest releases."""
import re
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / ".ci"))
import newest_releases  # noqa: E402


def requirement_names(requirements):
    names = set()
    for requirement in requirements:
        if ";" in requirement and "python_version < '3.11'" in requirement:
            continue  # tomli: not installed on the Python 3.11 the pins are made for
        names.add(newest_releases.normalized(re.match(r"[A-Za-z0-9_.-]+", requirement).group()))
    return names


def test_constraints_pin_every_dependency_of_the_test_environment():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = requirement_names(project["dependencies"] + project["optional-dependencies"]["test"])
    pins = newest_releases.pinned()
    assert wanted - set(pins) == set(), "run: python .ci/newest_releases.py --pin"
    assert all(re.fullmatch(r"\d[\w.+!-]*", version) for version in pins.values())
    lines = [ln for ln in (ROOT / "constraints.txt").read_text().splitlines()
             if ln.strip() and not ln.startswith("#")]
    assert all("==" in ln for ln in lines) and len(lines) == len(pins)


def test_ci_tries_the_newest_releases_after_the_readme_command():
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    readme = ci.index("pip install -c constraints.txt -e '.[test]' && python -m pytest")
    assert ci.index("python .ci/newest_releases.py") > readme
    assert all(Path(ROOT / test).is_file() for test in newest_releases.SMOKE)


def test_a_failed_smoke_test_is_named_from_pytest_output():
    output = "..F\n=== short test summary info ===\nFAILED tests/test_x.py::test_y - AssertionError: \\S\n"
    assert newest_releases.FAILED_RE.findall(output) == ["tests/test_x.py::test_y"]
