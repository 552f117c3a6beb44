"""Running a rule's own pass/fail examples (used by the test suite and by
anyone writing a rule: `python -m newslint.examples RULE`)."""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from .config import Settings
from .engine import Engine
from .model import Finding
from .rule import Example, Rule

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


if __name__ == "__main__":  # pragma: no cover
    engine = Engine(Settings())
    failed = 0
    for key in sys.argv[1:] or sorted(engine.registry.rules):
        rule = engine.registry.rule(key)
        for problem in check_rule_examples(rule):
            print(problem)
            failed += 1
    sys.exit(1 if failed else 0)
