"""A small corpus for the HTML report tests: the sample corpus's
near-duplicates and boilerplate folders plus articles and file names written
to break out of the page (`</script>`, event handlers, `javascript:` URLs).
Each payload would set `window.pwned`; the tests check it never does."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT_CLOSE = "</script><script>window.pwned = 'script-close';</script>"
IMG = '<img src=x onerror="window.pwned = \'img\'">'
JS_URL = "javascript:window.pwned='url'"
EVIL_NAME = '<img src=x onerror="window.pwned=1">.txt'

BODY = [
    "The harbour board approved the new quay on Monday after a two-year review of the plans, "
    "and work on the foundations is due to begin in the spring.",
    f"Residents said the plan {SCRIPT_CLOSE} was too expensive for a town of this size.",
    f"Share this article {IMG}",
    f"Read the full decision at {JS_URL} on the board's site.",
    "The board said the quay would take three years to build and cost 14 million, paid for "
    "by a loan from the regional development fund and by harbour dues.",
]


def make_corpus(folder: Path) -> Path:
    """Write the corpus under `folder` and return it."""
    for part in ("near-duplicates", "boilerplate"):
        shutil.copytree(ROOT / "corpus" / part, folder / part)
    evil = folder / "hostile"
    evil.mkdir()
    title = f"Quay approved {SCRIPT_CLOSE}"
    (evil / "quay.txt").write_text(title + "\n\n" + "\n\n".join(BODY) + "\n", encoding="utf-8")
    (evil / EVIL_NAME).write_text("QUAY APPROVED AFTER REVIEW\n\n" + "\n\n".join(BODY[::-1]) + "\n",
                                  encoding="utf-8")
    record = {"title": f"<svg onload=\"window.pwned='svg'\">Quay {SCRIPT_CLOSE}",
              "url": JS_URL, "text": "\n\n".join(BODY) + "\n\nAdvertisement",
              "date": "2024-03-05", "source": f"The {IMG} Gazette"}
    (evil / "records.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    page = ("<html><head><title>Harbour</title><script>window.pwned='page'</script></head><body>"
            "<article><h1>Harbour &lt;/script&gt;&lt;script&gt;window.pwned='entity'&lt;/script&gt;"
            "</h1><p>By Ann Reed</p><p>" + "</p><p>".join(BODY[:1] + BODY[4:]) +
            "</p><p onclick=\"window.pwned='click'\">Click &amp; see.</p></article></body></html>")
    (evil / "page.html").write_text(page, encoding="utf-8")
    return folder
