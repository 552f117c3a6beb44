"""The detected-metadata gate: for each article listed in
corpus/expected-metadata.json (HTML pages with their date in the page chrome in
many forms, languages and calendars, broken JSON-LD, a date only in the URL;
bylines and credit lines; list-like articles), what `--verbose` JSON reports
under `articles` (date as ISO, date_source, authors, outlet, url, language) is
exactly what the file says. Reviewed by hand; regenerate after an intended
change with `NEWSLINT_UPDATE_EXPECTED=1` and review the diff."""
import json
import os
from pathlib import Path

from newslint.config import load_settings
from newslint.run.engine import Engine

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = ROOT / "corpus" / "expected-metadata.json"


def test_corpus_articles_have_the_expected_metadata():
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    cwd = os.getcwd()
    os.chdir(ROOT)  # keys are paths relative to the project
    try:
        settings = load_settings(start=ROOT / "corpus")
        settings.cache = False
        result = Engine(settings).run(sorted(expected))
    finally:
        os.chdir(cwd)
    got = {key: meta.to_dict() for key, meta in sorted(result.metadata.items())}
    if os.environ.get("NEWSLINT_UPDATE_EXPECTED"):
        EXPECTED.write_text(json.dumps(got, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                            encoding="utf-8")
    assert result.errors == []
    assert got == expected
