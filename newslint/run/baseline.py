"""`newslint check --baseline FILE`: adopt newslint on an archive that
already has thousands of findings. The first run writes FILE with today's
findings (and exits 0); later runs report only the findings not in it.

A finding is known by a fingerprint that survives edits elsewhere in the
article: its file (relative to FILE's folder), record, rule code, the text of
its line (spaces collapsed) and its message with digits blanked (a count or
a similarity that moves is the same finding), but not its line number. Equal
fingerprints are counted: a second copy of a known finding is new. FILE is
JSON, sorted, one finding per line, so it diffs well in review."""
from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from pathlib import Path

from newslint.config import ConfigError
from newslint.model import Finding

VERSION = 1
DIGITS_RE = re.compile(r"\d+")


class Baseline:
    def __init__(self, path: Path):
        self.path = path
        self.folder = path.resolve().parent
        self._lines: dict[str, list[str]] = {}

    def fingerprint(self, finding: Finding) -> str:
        try:
            shown = os.path.relpath(os.path.abspath(finding.path), self.folder)
        except ValueError:  # another drive
            shown = os.path.abspath(finding.path)
        text = " ".join(self._line(finding.path, finding.line).split())
        key = "\0".join([shown.replace(os.sep, "/"), finding.article or "", finding.code, text,
                         DIGITS_RE.sub("#", finding.message)])
        return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:24]

    def _line(self, path: str, line: int) -> str:
        if path not in self._lines:
            try:
                with open(path, "rb") as fh:
                    self._lines[path] = fh.read().decode("utf-8", "replace").splitlines()
            except OSError:
                self._lines[path] = []
        lines = self._lines[path]
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def write(self, findings: list[Finding]) -> None:
        rows = sorted(({"fingerprint": self.fingerprint(f), "path": f.path, "code": f.code,
                        "message": f.message} for f in findings),
                      key=lambda r: (r["path"], r["code"], r["fingerprint"]))
        body = ",\n".join(json.dumps(r, ensure_ascii=False) for r in rows)
        text = f'{{"newslint_baseline": {VERSION}, "findings": [\n{body}\n]}}\n'
        try:
            self.path.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"{self.path}: cannot write the baseline: {exc.strerror}") from None

    def known(self) -> Counter:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("newslint_baseline") != VERSION:
                raise ValueError("not a newslint baseline of this version")
            return Counter(str(row["fingerprint"]) for row in data["findings"])
        except OSError as exc:
            raise ConfigError(f"{self.path}: cannot read the baseline: {exc.strerror}") from None
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ConfigError(f"{self.path}: not a newslint baseline ({exc}); delete it to "
                              "write a new one") from None

    def new_findings(self, findings: list[Finding]) -> tuple[list[Finding], int]:
        """The findings not in the baseline, and how many were left out."""
        known, out = self.known(), []
        for finding in findings:
            fingerprint = self.fingerprint(finding)
            if known[fingerprint] > 0:
                known[fingerprint] -= 1
            else:
                out.append(finding)
        return out, len(findings) - len(out)
