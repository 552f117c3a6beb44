"""The pre-commit hooks, run by the real `pre-commit` in a real git repository
of articles: a commit adding boilerplate fails and shows the finding, a clean
commit passes, a new article that near-duplicates a committed one fails and
names it.

The hook repository is a copy of this working tree committed into a temporary
git repository, so the test sees the code as it is, whatever is committed
here. pre-commit builds the hook's virtualenv (pip-installing newslint from
PyPI dependencies) once per test session, in a shared PRE_COMMIT_HOME.
`pre-commit try-repo` is not used: it makes a new store in a temporary folder
on every call (pre_commit/commands/try_repo.py), so each call would build the
environment again; a `.pre-commit-config.yaml` naming the copy does the same
thing with one build.
"""
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUILD_TIMEOUT = 600   # seconds: the one virtualenv build (downloads from PyPI)
RUN_TIMEOUT = 120     # seconds: each commit
SKIPPED = {".git", ".newslint_cache", ".pytest_cache", ".hypothesis", "__pycache__",
           "build", "dist", ".venv", "bench"}

BUSES = """\
---
title: Night buses to reach the northern districts
date: 2024-03-05
author: Ana Ruiz
source: Example Gazette
---

The city council voted on Tuesday to extend the night bus network to the northern
districts, after a two-year campaign by residents who said the last train left them
stranded. The extension adds four routes that will run every twenty minutes between
midnight and five in the morning, starting in March.

Transport director Maria Keller told the council the routes would cost 3.2 million
euros a year, paid partly from the parking levy approved last spring. Opposition
members asked for a review after twelve months, which the council accepted.

Residents' groups welcomed the vote but said the southern suburbs still had no service
after one in the morning. The council said a study of those areas would report in June.
"""

LIBRARY = """\
---
title: Regional library reopens its reading room
date: 2024-04-13
author: Jonas Brandt
source: Example Gazette
---

The regional library reopened its main reading room on Saturday after eighteen months
of repairs to the roof and the heating system. Visitors queued from early morning to
see the restored ceiling paintings, which had been covered since the storm of 2022.

Head librarian Petra Lind said the work had cost less than planned because volunteers
catalogued the collection while it was in storage. The library will now also open on
Sundays, from ten in the morning until four in the afternoon.
"""

HARBOUR = """\
---
title: Harbour ferry fares to rise in May
date: 2024-04-20
author: Ana Ruiz
source: Example Gazette
---

Fares on the harbour ferry will rise by forty cents from the first of May, the port
authority announced on Friday, the first increase since 2019. Monthly passes will stay
at their current price until the end of the year.

Port authority spokesman Tomas Berg said fuel and crew costs had grown by a quarter
since the last increase. Commuter groups said they would ask the city to subsidise
single tickets for pensioners and students.
"""

MUSEUM = """\
---
title: Museum of shipping gets a new director
date: 2024-05-02
author: Jonas Brandt
source: Example Gazette
---

The museum of shipping has appointed Elena Varga as its director, the board said on
Thursday. Varga ran the maritime archive in the capital for nine years and led the
digitisation of its ship registers, which are now searchable by the public.

She takes over in September from Karl Otten, who retires after two decades in the post.
The board chair said Varga would prepare the move of the model collection to the old
customs house, planned for 2026.
"""

BOILERPLATE = MUSEUM.replace("The museum of shipping has",
                             "No time to read?\nGet a summary\n\nThe museum of shipping has")
NEAR_COPY = BUSES.replace("on Tuesday", "on Tuesday evening").replace("in June", "by June")


def git(cwd, *args, env=None):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          env=env, timeout=RUN_TIMEOUT).stdout


@pytest.fixture(scope="session")
def env(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    (home / "gitconfig").write_text("[user]\n\tname = Test\n\temail = test@example.org\n"
                                    "[init]\n\tdefaultBranch = main\n")
    out = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home")),
           "GIT_CONFIG_GLOBAL": str(home / "gitconfig"), "GIT_CONFIG_NOSYSTEM": "1",
           "PRE_COMMIT_COLOR": "never", "PIP_DISABLE_PIP_VERSION_CHECK": "1",
           "PIP_NO_COMPILE": "1"}
    return out


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory, env):
    """This working tree, committed into a temporary repository: (path, sha)."""
    copy = tmp_path_factory.mktemp("hook-repo")
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                            cwd=ROOT, check=True, capture_output=True, text=True).stdout
    for rel in filter(None, listed.split("\0")):
        source = ROOT / rel
        if not source.is_file() or SKIPPED & set(Path(rel).parts):
            continue
        (copy / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, copy / rel)
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "newslint under test"]):
        subprocess.run(["git", *args], cwd=copy, check=True, env=env, capture_output=True)
    sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=copy, check=True, env=env,
                         capture_output=True, text=True).stdout.strip()
    return copy, sha


@pytest.fixture(scope="session")
def installed(tmp_path_factory, hook_repo, env):
    """One content repository with the hooks installed; the one environment build."""
    return content_repo(tmp_path_factory.mktemp("articles"), hook_repo, env, BUILD_TIMEOUT)


def content_repo(folder, hook_repo, env, timeout=RUN_TIMEOUT):
    repo, sha = hook_repo
    config = textwrap.dedent(f"""\
        repos:
          - repo: {repo}
            rev: {sha}
            hooks:
              - id: newslint
              - id: newslint-fix
                stages: [manual]
    """)
    (folder / ".pre-commit-config.yaml").write_text(config)
    (folder / "news").mkdir()
    (folder / "news" / "buses.md").write_text(BUSES)
    (folder / "news" / "library.md").write_text(LIBRARY)
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "--no-verify", "-m", "articles"]):
        subprocess.run(["git", *args], cwd=folder, check=True, env=env, capture_output=True)
    run = subprocess.run([sys.executable, "-m", "pre_commit", "install", "--install-hooks"],
                         cwd=folder, env=env, capture_output=True, text=True, timeout=timeout)
    assert run.returncode == 0, run.stdout + run.stderr
    return folder


def commit(folder, env, name, text):
    (folder / "news" / name).write_text(text)
    git(folder, "add", "-A", env=env)
    run = subprocess.run(["git", "commit", "-m", f"add {name}"], cwd=folder, env=env,
                         capture_output=True, text=True, timeout=RUN_TIMEOUT)
    return run.returncode, run.stdout + run.stderr


def discard(folder, name, env):
    """Unstage and delete a file whose commit the hook refused."""
    git(folder, "reset", "-q", "HEAD", "--", f"news/{name}", env=env)
    (folder / "news" / name).unlink()


def test_clean_commit_passes(installed, env):
    code, output = commit(installed, env, "harbour.md", HARBOUR)
    assert code == 0, output
    assert "newslint" in output and "Passed" in output


def test_boilerplate_commit_fails_with_the_finding(installed, env):
    code, output = commit(installed, env, "museum.md", BOILERPLATE)
    discard(installed, "museum.md", env)
    assert code != 0, output
    assert re.search(r"news/museum\.md:\d+:\d+: NL101 .*boilerplate-summary-prompt", output), output
    assert "NL601" not in output


def test_near_duplicate_of_a_committed_article_fails_and_names_it(installed, env):
    code, output = commit(installed, env, "buses-again.md", NEAR_COPY)
    discard(installed, "buses-again.md", env)
    assert code != 0, output
    assert re.search(r"news/buses-again\.md:\d+:\d+: NL601 .*near-duplicate of news/buses\.md",
                     output), output


def test_fix_hook_removes_the_boilerplate(installed, env):
    (installed / "news" / "fixed.md").write_text(BOILERPLATE)
    git(installed, "add", "news/fixed.md", env=env)
    run = subprocess.run([sys.executable, "-m", "pre_commit", "run", "newslint-fix",
                          "--hook-stage", "manual", "--files", "news/fixed.md"],
                         cwd=installed, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT)
    fixed = (installed / "news" / "fixed.md").read_text()
    discard(installed, "fixed.md", env)
    assert run.returncode != 0 and "files were modified by this hook" in run.stdout, run.stdout
    assert fixed == MUSEUM
