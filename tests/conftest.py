import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
NEWSPAPER4K = SHARED / "corpora" / "newspaper4k"

#: a user rule that quotes every body line in its message: article text reaches the output
ECHO_RULE = """\
code: NL992
name: user-echo
kind: phrase
summary: Quotes every line.
message: "quoted: {line}"
docs: {what: Quotes every line of the body., why: Tests need article text in a message.}
examples: {pass: ["T\\n\\n"], fail: ["T\\n\\nx"]}
match: search
patterns: ['.+']
"""

# third-party plugins installed on the machine must not change test results
os.environ.setdefault("NEWSLINT_LOAD_PLUGINS", "0")


@pytest.fixture
def engine_factory():
    from newslint.config import Settings
    from newslint.run.engine import Engine

    def make(**settings):
        settings.setdefault("cache", False)
        return Engine(Settings(**settings))
    return make
