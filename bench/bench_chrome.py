"""Page chrome on real pages: how much of it newslint's boilerplate rules find.

    python bench/bench_chrome.py [--data ../shared/corpora/readability] [--html]

On a set laid out like the readability corpus (`dumps/<id>.txt` whole-page
text, `labels.json` = the content lines of each dump, every other non-empty
line being page chrome, `bodies/<id>.txt` the clean article), `newslint
check` runs over the dumps with the default rules (corpus rules included, the
dumps forming one corpus). A dump line counts as flagged when a finding of a
boilerplate rule (`boilerplate-*`) covers it (`line`..`end_line`); line 1 (the
page `<title>`) counts as chrome or content like any other line. Printed:

- **dumps**: line-level recall and precision of the flagged lines against the
  chrome lines, for all rules together and for each rule on its own; the same
  on the held-out pages (`bench/chrome_split.json`, the pages the classifier's
  weights were not trained on) when that file exists;
- **clean bodies**: the share of non-empty lines flagged in `bodies/`, in the
  project's own clean articles (`corpus/clean`) and in the seed articles;
- **baseline**: the same figures with today's rules before this work (every
  default rule but those of `--baseline-ignore`: the page-chrome classifier),
  so the line before the classifier is printed next to the line after it;
- with `--html` and trafilatura installed (an optional benchmark dependency,
  never one of newslint): bag-of-words F1 of the HTML loader's body and of
  trafilatura's `extract()` against `bodies/`, and their time per page.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent)]

from newslint.config import Settings  # noqa: E402
from newslint.run.engine import Engine  # noqa: E402

DEFAULT_DATA = HERE.parent.parent.parent / "shared" / "corpora" / "readability"
CHROME_RULE = "NL130"
WORD_RE = re.compile(r"\w+")
TARGET_RECALL, TARGET_PRECISION, TARGET_CLEAN = 0.80, 0.97, 0.005


def flagged_lines(engine: Engine, paths: list[Path], rule: str | None = None) -> dict[str, set[int]]:
    """path -> file lines covered by boilerplate findings (of `rule` alone when given)."""
    result = engine.run([str(p) for p in paths])
    for error in result.errors:
        print(f"warning: {error.path}: {error.message}", file=sys.stderr)
    out: dict[str, set[int]] = defaultdict(set)
    for f in result.findings:
        if f.rule.startswith("boilerplate") and (rule is None or f.code == rule):
            out[f.path].update(range(f.line, f.end_line + 1))
    return out


def engine_for(ignore: list[str] | None = None) -> Engine:
    """Every default rule but those of `ignore` (codes no rule has are left out,
    so the script also runs on a checkout without the classifier)."""
    known = {r.code for r in Engine(Settings(cache=False)).rules}
    return Engine(Settings(cache=False, ignore=[c for c in ignore or () if c in known]))


def chrome_truth(data: Path) -> dict[str, tuple[set[int], set[int]]]:
    """dump path -> (chrome lines, content lines), 1-based."""
    labels = json.loads((data / "labels.json").read_text())
    out = {}
    for name, content in labels.items():
        path = data / "dumps" / name
        lines = path.read_text(encoding="utf-8").split("\n")
        nonempty = {i + 1 for i, text in enumerate(lines) if text.strip()}
        content_set = set(content) & nonempty
        out[str(path)] = (nonempty - content_set, content_set)
    return out


def scores(truth: dict[str, tuple[set[int], set[int]]], flagged: dict[str, set[int]],
           pages: set[str] | None = None) -> tuple[float, float, int, int]:
    tp = fp = fn = 0
    for path, (chrome, content) in truth.items():
        if pages is not None and Path(path).stem not in pages:
            continue
        got = flagged.get(path, set())
        tp += len(got & chrome)
        fp += len(got & content)
        fn += len(chrome - got)
    recall = tp / (tp + fn) if tp + fn else 0.0
    precision = tp / (tp + fp) if tp + fp else 1.0
    return recall, precision, tp + fn, tp + fp


def clean_share(engine: Engine, paths: list[Path]) -> tuple[float, int, int]:
    """(share of non-empty lines flagged, lines flagged, non-empty lines)."""
    if not paths:
        return 0.0, 0, 0
    flagged = flagged_lines(engine, paths)
    total = hit = 0
    for path in paths:
        lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
        nonempty = {i + 1 for i, text in enumerate(lines) if text.strip()}
        total += len(nonempty)
        hit += len(flagged.get(str(path), set()) & nonempty)
    return (hit / total if total else 0.0), hit, total


#: the seeds hold real boilerplate (their README lists it): flagged lines there
#: are mostly right, so the clean-text target does not apply to them
SEEDS_LABEL = "shared seeds (real boilerplate in 3 of 5)"


def clean_sets(data: Path) -> dict[str, list[Path]]:
    root = HERE.parent
    seeds = root.parent.parent / "shared" / "seeds"
    return {
        "readability bodies/": sorted((data / "bodies").glob("*.txt")),
        "corpus/clean": sorted(p for p in (root / "corpus" / "clean").rglob("*")
                               if p.suffix in (".txt", ".md", ".json", ".jsonl", ".html")),
        SEEDS_LABEL: sorted(p for p in seeds.rglob("*")
                               if p.suffix in (".txt", ".md", ".json", ".jsonl", ".html")),
    }


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, ...]] = []

    def row(self, *cells: str) -> None:
        self.rows.append(cells)

    def print(self, header: tuple[str, ...]) -> None:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for cells in self.rows:
            print("| " + " | ".join(cells) + " |")
        print()


def held_out_pages() -> set[str] | None:
    split = HERE / "chrome_split.json"
    if not split.exists():
        return None
    return set(json.loads(split.read_text())["held_out"])


def dump_rows(data: Path, baseline_ignore: list[str]) -> None:
    truth = chrome_truth(data)
    paths = [Path(p) for p in truth]
    held = held_out_pages()
    table = Table()
    configs = [("baseline (before the chrome classifier)", engine_for(baseline_ignore)),
               ("all default rules", engine_for())]
    for label, engine in configs:
        began = time.perf_counter()
        flagged = flagged_lines(engine, paths)
        took = time.perf_counter() - began
        recall, precision, chrome, got = scores(truth, flagged)
        met = recall >= TARGET_RECALL and precision >= TARGET_PRECISION
        table.row(label, "all 74 pages" if len(paths) == 74 else f"{len(paths)} pages",
                  f"{recall:.3f}", f"{precision:.3f}", f"{chrome:,}", f"{got:,}",
                  f"{took:.1f} s", "met" if met else "not met")
        if held:
            recall, precision, chrome, got = scores(truth, flagged, held)
            met = recall >= TARGET_RECALL and precision >= TARGET_PRECISION
            table.row(label, f"held out ({len(held)} pages)", f"{recall:.3f}",
                      f"{precision:.3f}", f"{chrome:,}", f"{got:,}", "", "met" if met else "not met")
    print(f"Plain-text dumps of {data}: target recall >= {TARGET_RECALL} at precision >= "
          f"{TARGET_PRECISION}\n")
    table.print(("rules", "pages", "recall", "precision", "chrome lines", "lines flagged",
                 "time", "target"))
    per_rule_rows(truth, paths)


def per_rule_rows(truth, paths: list[Path]) -> None:
    engine = engine_for()
    result = engine.run([str(p) for p in paths])
    by_rule: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for f in result.findings:
        if f.rule.startswith("boilerplate"):
            by_rule[f"{f.code} {f.rule}"][f.path].update(range(f.line, f.end_line + 1))
    table = Table()
    for rule, flagged in sorted(by_rule.items(), key=lambda kv: -sum(map(len, kv[1].values()))):
        recall, precision, _, got = scores(truth, flagged)
        table.row(rule, f"{got:,}", f"{recall:.3f}", f"{precision:.3f}")
    print("Each boilerplate rule alone on the dumps (all default rules running):\n")
    table.print(("rule", "lines flagged", "recall", "precision"))


def clean_rows(data: Path, baseline_ignore: list[str]) -> None:
    table = Table()
    for name, paths in clean_sets(data).items():
        for label, engine in (("baseline", engine_for(baseline_ignore)),
                              ("all default rules", engine_for())):
            share, hit, total = clean_share(engine, paths)
            target = "" if name == SEEDS_LABEL else "met" if share <= TARGET_CLEAN else "not met"
            table.row(name, label, f"{len(paths)}", f"{total:,}", f"{hit:,}", f"{share:.2%}", target)
    print(f"Clean article text: share of lines flagged as boilerplate (target <= "
          f"{TARGET_CLEAN:.1%})\n")
    table.print(("set", "rules", "files", "lines", "flagged", "share", "target"))


def bag_f1(got: str, gold: str) -> float:
    a, b = Counter(WORD_RE.findall(got.lower())), Counter(WORD_RE.findall(gold.lower()))
    common = sum((a & b).values())
    if not common:
        return 0.0
    p, r = common / sum(a.values()), common / sum(b.values())
    return 2 * p * r / (p + r)


def html_rows(data: Path) -> None:
    from newslint.loaders.html import load_html
    try:
        import trafilatura
    except ImportError:
        trafilatura = None
        print("trafilatura is not installed (`pip install trafilatura`, an optional benchmark "
              "dependency): its column is skipped\n")
    pages = sorted((data / "pages").glob("*.html"))
    ours, theirs, t_ours, t_theirs = [], [], 0.0, 0.0
    for page in pages:
        gold_lines = (data / "bodies" / f"{page.stem}.txt").read_text(encoding="utf-8").split("\n", 1)
        gold = gold_lines[1] if len(gold_lines) > 1 else gold_lines[0]
        raw = page.read_bytes()
        began = time.perf_counter()
        text = "\n\n".join(a.text for a in load_html(str(page), raw))
        t_ours += time.perf_counter() - began
        ours.append(bag_f1(text, gold))
        if trafilatura is not None:
            began = time.perf_counter()
            extracted = trafilatura.extract(raw.decode("utf-8", "replace")) or ""
            t_theirs += time.perf_counter() - began
            theirs.append(bag_f1(extracted, gold))
    table = Table()
    n = len(pages)
    table.row("newslint HTML loader", f"{sum(ours) / n:.3f}", f"{1000 * t_ours / n:.1f} ms")
    if theirs:
        table.row("trafilatura `extract()`", f"{sum(theirs) / n:.3f}",
                  f"{1000 * t_theirs / n:.1f} ms")
    print(f"HTML body extraction on {n} pages: bag-of-words F1 against bodies/ (title left out)\n")
    table.print(("extractor", "mean F1", "time per page"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--baseline-ignore", default=f"{CHROME_RULE}",
                        help="rules the baseline leaves out (default: the chrome classifier)")
    parser.add_argument("--html", action="store_true", help="also compare HTML body extraction")
    args = parser.parse_args()
    if not (args.data / "labels.json").exists():
        sys.exit(f"error: {args.data}: no labels.json (give --data)")
    ignore = [s for s in args.baseline_ignore.split(",") if s]
    dump_rows(args.data, ignore)
    clean_rows(args.data, ignore)
    if args.html:
        html_rows(args.data)


if __name__ == "__main__":
    main()
