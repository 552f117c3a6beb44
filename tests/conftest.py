import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
NEWSPAPER4K = SHARED / "corpora" / "newspaper4k"

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
