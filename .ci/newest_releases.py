"""CI's second step: newslint with today's newest releases of its dependencies.

constraints.txt pins the releases the whole test suite passes with; the
README's test command (and so CI's first step) installs exactly those, so a
new upstream release cannot turn a newcomer's first run red. This step makes
such a release show up here instead: it installs the newest releases in a
separate virtual environment, runs a smoke subset of the tests, and when they
fail, puts each changed dependency back to its pinned release in turn (on the
failed tests only) to name the one whose new release breaks newslint.

    python .ci/newest_releases.py            # exit 0 pass, 1 fail (named), 2 cannot install
    python .ci/newest_releases.py --pin      # rewrite constraints.txt (a dependency was added)

`--pin` resolves the test environment's dependencies (pyproject.toml) and pins
each at the release installed here, or the newest for one not installed: run
the whole suite with those before committing the file.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONSTRAINTS = ROOT / "constraints.txt"
#: fast tests that exercise what the dependencies do for newslint: regex's
#: Unicode data (prefilter), the loaders (beautifulsoup4, PyYAML, ftfy), MinHash
#: (numpy, xxhash, datasketch), the plugin system (pluggy) and the whole run
SMOKE = ["tests/test_fast_paths.py", "tests/test_loaders.py", "tests/dedup/test_dedup.py",
         "tests/test_corpus_gate.py", "tests/test_cli.py"]
FAILED_RE = re.compile(r"^FAILED (\S+)", re.MULTILINE)


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned() -> dict[str, str]:
    pins = {}
    for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[normalized(name)] = version.strip()
    return pins


def installed(python: Path) -> dict[str, str]:
    out = subprocess.run([python, "-m", "pip", "list", "--format=json"], check=True,
                         capture_output=True, text=True).stdout
    return {normalized(p["name"]): p["version"] for p in json.loads(out)}


def pip(python: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([python, "-m", "pip", "-q", *args], capture_output=True, text=True)


def smoke(python: Path, tests: list[str]) -> tuple[bool, list[str], str]:
    """Whether `tests` pass, the failed test ids, and pytest's closing lines."""
    done = subprocess.run([python, "-m", "pytest", "-rf", "-p", "no:cacheprovider", *tests],
                          cwd=ROOT, capture_output=True, text=True)
    tail = "\n".join(done.stdout.strip().splitlines()[-8:])
    return done.returncode == 0, FAILED_RE.findall(done.stdout), tail


def culprits(python: Path, changed: dict[str, tuple[str, str]], failed: list[str]) -> list[str]:
    """The changed dependencies that, put back alone to the pinned release,
    make the failed tests pass."""
    found = []
    for name, (old, new) in changed.items():
        if pip(python, "install", "--no-deps", f"{name}=={old}").returncode != 0:
            continue
        if smoke(python, failed)[0]:
            found.append(name)
        pip(python, "install", "--no-deps", f"{name}=={new}")
    return found


HEADER = """\
# The releases the whole test suite passes with (Python 3.11). The README's test
# command installs exactly these: pip install -c constraints.txt -e '.[test]'.
# .ci/newest_releases.py (CI's second step) tries today's newest releases and names
# the dependency whose new release breaks newslint; to move a pin, run the whole
# suite with the new release first. After adding a dependency:
# python .ci/newest_releases.py --pin
"""


CONFLICT_RE = re.compile(r"\(constraint\) ([A-Za-z0-9_.-]+)==")


def resolve(constraints: dict[str, str]) -> tuple[dict[str, str] | None, str]:
    """What `pip install -e '.[test]'` would install under `constraints`
    (name -> version), or None and pip's error output."""
    with tempfile.TemporaryDirectory() as folder:
        report, pins = Path(folder) / "report.json", Path(folder) / "pins.txt"
        pins.write_text("".join(f"{n}=={v}\n" for n, v in constraints.items()), encoding="utf-8")
        done = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--dry-run",
                               "--ignore-installed", "--report", report, "-c", pins, f"{ROOT}[test]"],
                              capture_output=True, text=True)
        if done.returncode != 0:
            return None, done.stdout + done.stderr
        items = json.loads(report.read_text())["install"]
    return {item["metadata"]["name"]: item["metadata"]["version"] for item in items
            if normalized(item["metadata"]["name"]) != "newslint"}, ""


def pin() -> int:
    """Write constraints.txt: every package `pip install -e '.[test]'` needs,
    at the release installed in this environment where that fits the others
    (a new dependency may need a newer release of one), else the newest."""
    newest, error = resolve({})
    if newest is None:
        print("cannot resolve the dependencies:", error.strip().splitlines()[-1:])
        return 2
    here = installed(Path(sys.executable))
    wanted = {n: here[normalized(n)] for n in newest if normalized(n) in here}
    for _ in range(len(wanted) + 1):
        chosen, error = resolve(wanted)
        if chosen is not None:
            break
        conflicting = {normalized(n) for n in CONFLICT_RE.findall(error)}
        if not conflicting:
            print("cannot resolve the dependencies:", error.strip().splitlines()[-1:])
            return 2
        wanted = {n: v for n, v in wanted.items() if normalized(n) not in conflicting}
    lines = sorted((f"{n}=={v}" for n, v in chosen.items()), key=str.lower)
    CONSTRAINTS.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"constraints.txt: {len(lines)} packages pinned")
    return 0


def main() -> int:
    if sys.argv[1:] == ["--pin"]:
        return pin()
    with tempfile.TemporaryDirectory(prefix="newslint-newest-") as folder:
        return check_newest(Path(folder))


def check_newest(folder: Path) -> int:
    # the machine's packages stay visible; every dependency with a newer
    # release gets it, installed in this environment only
    venv.create(folder, with_pip=True, system_site_packages=True)
    python = folder / "bin" / "python"
    done = pip(python, "install", "--upgrade", "--upgrade-strategy", "eager", "-e", f"{ROOT}[test]")
    if done.returncode != 0:
        print("newest releases: cannot install them:", done.stderr.strip().splitlines()[-1:])
        return 2
    pins, now = pinned(), installed(python)
    changed = {name: (old, now[name]) for name, old in pins.items() if now.get(name, old) != old}
    listed = ", ".join(f"{n} {old} -> {new}" for n, (old, new) in changed.items()) or "none"
    print(f"newest releases: {len(changed)} changed since constraints.txt: {listed}")
    ok, failed, tail = smoke(python, SMOKE)
    if ok:
        print(f"newest releases: the smoke tests pass ({' '.join(SMOKE)}): {tail.splitlines()[-1]}")
        return 0
    print(tail)
    names = culprits(python, changed, failed) if failed else []
    if names:
        for name in names:
            old, new = changed[name]
            print(f"newest releases: FAILED because of {name} {new} (constraints.txt has {old}): "
                  f"with {name}=={old} the failed tests pass: {' '.join(failed)}")
    else:
        print(f"newest releases: FAILED ({' '.join(failed) or 'see above'}); no single changed "
              f"dependency is the cause alone; changed: {listed}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
