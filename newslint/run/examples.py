"""Running a rule's own pass/fail examples (used by the test suite and by
anyone writing a rule: `newslint rule CODE --examples`)."""
from __future__ import annotations

import tempfile
from pathlib import Path

from newslint.config import Settings
from newslint.model import Finding
from newslint.rule import Example, Rule
from newslint.run.engine import Engine

EXTENSIONS = {"txt": ".txt", "md": ".md", "html": ".html", "json": ".json", "jsonl": ".jsonl"}


def write_example(folder: Path, example: Example, stem: str = "example") -> list[Path]:
    fmt, _, encoding = example.format.partition("-")
    texts = example.text if isinstance(example.text, list) else [example.text]
    paths = []
    for i, text in enumerate(texts):
        path = folder / f"{stem}{i:02d}{EXTENSIONS[fmt]}"
        path.write_bytes(text.encode(encoding or "utf-8"))
        paths.append(path)
    return paths


def example_findings(rule: Rule, example: Example, settings: Settings | None = None,
                     extra_plugins=()) -> list[Finding]:
    """The findings of `rule` (alone, plus NL001 when it is the rule) on one example."""
    settings = settings or Settings()
    settings.select = [rule.code]
    settings.cache = False
    engine = Engine(settings, extra_plugins=extra_plugins)
    with tempfile.TemporaryDirectory() as tmp:
        write_example(Path(tmp), example)
        result = engine.run([tmp])
    return [f for f in result.findings if f.code == rule.code]


def check_rule_examples(rule: Rule, settings_factory=Settings, extra_plugins=()) -> list[str]:
    """Problems with a rule's examples: a fail example it does not flag or a
    pass example it flags. Empty when the rule behaves as documented."""
    problems = []
    for kind in ("fail", "pass"):
        for i, example in enumerate(rule.examples.get(kind, [])):
            found = example_findings(rule, example, settings_factory(), extra_plugins)
            if kind == "fail" and not found:
                problems.append(f"{rule.code} fail example {i} was not flagged")
            if kind == "pass" and found:
                problems.append(f"{rule.code} pass example {i} was flagged: {found[0].message}")
    return problems
