"""Dates, bylines and false alarms on real pages: newslint against htmldate alone.

    python bench/bench_metadata.py [--corpora ../shared/corpora] [--runs 3]

On the readability set (`pages/`, `bodies/`, `meta.json`) and the newspaper4k
set (`html/`, `txt/`, `metadata/`), both described in their READMEs, it prints
one Markdown table per set:

- **same-day date accuracy** on the pages that have a known publication date:
  the date newslint detects (what `--verbose` JSON shows as `date`) is the
  same calendar day as the known one; htmldate alone is run on the same pages
  in the same run, fast (`extensive_search=False`) and extensive (its default);
- **missing-date false alarms**: pages with a known date on which
  `missing-date` (NL301) fires; for htmldate, pages where it finds no date;
- **cost of date finding per page**: newslint's HTML date finder
  (`loaders.html_meta.find_date`, htmldate included) plus the enricher that
  normalises or finds a date in the text, timed inside a real check; htmldate
  alone from the page's text (median per page of `--runs` repeats);
- **bylines**: on the pages with a known byline, one detected author is part
  of it (or it of one);
- **clean bodies**: on the clean article texts (`bodies/`, `txt/`), the share of
  articles with a warning other than missing-date / unattributed-source, and
  which rules gave them.

Timings are wall-clock in one process; run it on a quiet machine or compare
the ratios, which are measured side by side.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from newslint.checks.dates import publication
from newslint.loaders import html_meta
from newslint.run.engine import Engine

IGNORED_WARNINGS = {"NL301", "NL401"}  # missing-date, unattributed-source


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    here = Path(__file__).resolve().parent.parent
    ap.add_argument("--corpora", default=str(here.parent / "shared" / "corpora"),
                    help="folder holding readability/ and newspaper4k/ (default: ../shared/corpora)")
    ap.add_argument("--runs", type=int, default=3, help="timing repeats (median is reported)")
    ap.add_argument("--show", action="store_true", help="list every page that is wrong")
    args = ap.parse_args(argv)
    root = Path(args.corpora)
    sets = [("readability", readability_pages(root / "readability")),
            ("newspaper4k", newspaper4k_pages(root / "newspaper4k"))]
    if not all(pages for _, pages in sets):
        print(f"bench_metadata: no pages under {root} (give --corpora)", file=sys.stderr)
        return 2
    engine = Engine()
    for name, (pages, bodies, bylines) in sets:
        print(f"\n### {name}: {len(pages)} pages, {sum(1 for p in pages if p[1])} with a known date, "
              f"{len(bodies)} clean bodies\n")
        rows = date_rows(engine, pages, args.runs, args.show)
        rows.append(author_row(engine, bylines, args.show))
        rows.extend(body_rows(engine, bodies, args.show))
        print("| measure | newslint | htmldate fast | htmldate extensive |")
        print("|---|---|---|---|")
        for row in rows:
            print("| " + " | ".join(row) + " |")
    return 0


# -- the two sets -------------------------------------------------------------------
def readability_pages(folder: Path):
    meta = json.loads((folder / "meta.json").read_text()) if (folder / "meta.json").exists() else {}
    pages = [(str(folder / "pages" / f"{key}.html"), (m.get("published") or "")[:10])
             for key, m in sorted(meta.items()) if (folder / "pages" / f"{key}.html").exists()]
    bylines = {str(folder / "pages" / f"{key}.html"): [m["byline"]] for key, m in meta.items()
               if m.get("byline")}
    return pages, sorted(str(p) for p in (folder / "bodies").glob("*.txt")), bylines


def newspaper4k_pages(folder: Path):
    pages, bylines = [], {}
    for page in sorted((folder / "html").glob("*.html")):
        known = folder / "metadata" / f"{page.stem}.json"
        data = json.loads(known.read_text()) if known.exists() else {}
        pages.append((str(page), (data.get("publish_date") or "")[:10]))
        # newspaper4k's own author lists hold some junk ("www.facebook.com", "on December")
        names = [a for a in data.get("authors") or [] if " " in a and "." not in a and a[:1].isupper()]
        if names:
            bylines[str(page)] = names
    return pages, sorted(str(p) for p in (folder / "txt").glob("*.txt")), bylines


# -- dates on HTML pages ------------------------------------------------------------------
class Timer:
    """Wraps a module function and adds up the time spent in it."""

    def __init__(self, module, name: str):
        self.module, self.name, self.original = module, name, getattr(module, name)
        self.spent = 0.0

    def __enter__(self):
        def timed(*a, **kw):
            start = time.perf_counter()
            try:
                return self.original(*a, **kw)
            finally:
                self.spent += time.perf_counter() - start
        setattr(self.module, self.name, timed)
        return self

    def __exit__(self, *exc):
        setattr(self.module, self.name, self.original)


def newslint_dates(engine: Engine, path: str) -> tuple[str, bool, float]:
    """(detected ISO date, NL301 fired, seconds spent finding the date)."""
    with Timer(html_meta, "find_date") as html, Timer(publication, "_publication_date") as text:
        result = engine.process_file(path)
    if not result.articles:
        return "", True, html.spent + text.spent
    article = result.articles[0]
    fired = any(f.code == "NL301" for f in article.findings)
    return (article.meta.date or "")[:10], fired, html.spent + text.spent


def htmldate_dates(path: str, extensive: bool) -> tuple[str, float]:
    import htmldate
    text = Path(path).read_bytes().decode("utf-8", "replace")
    start = time.perf_counter()
    try:
        found = htmldate.find_date(text, extensive_search=extensive, original_date=True)
    except Exception:  # noqa: BLE001 - the reference must not stop the bench
        found = None
    return (found or "")[:10], time.perf_counter() - start


def date_rows(engine: Engine, pages, runs: int, show: bool) -> list[list[str]]:
    dated = [(p, d) for p, d in pages if d]
    ours = {p: newslint_dates(engine, p) for p, _ in pages}
    fast = {p: htmldate_dates(p, False) for p, _ in pages}
    ext = {p: htmldate_dates(p, True) for p, _ in pages}
    cost = {"ours": [], "fast": [], "ext": []}
    for _ in range(max(1, runs)):
        cost["ours"].append(sum(newslint_dates(engine, p)[2] for p, _ in pages))
        cost["fast"].append(sum(htmldate_dates(p, False)[1] for p, _ in pages))
        cost["ext"].append(sum(htmldate_dates(p, True)[1] for p, _ in pages))
    n = len(dated)
    right = [sum(found[p][0] == d for p, d in dated) for found in (ours, fast, ext)]
    missing = [sum(ours[p][1] for p, _ in dated)] + [sum(not f[p][0] for p, _ in dated) for f in (fast, ext)]
    if show:
        for p, d in dated:
            if ours[p][0] != d:
                print(f"  wrong: {Path(p).name}: known {d}, newslint {ours[p][0] or '-'}, "
                      f"htmldate {fast[p][0] or '-'} / {ext[p][0] or '-'}")
    ms = [statistics.median(cost[k]) / len(pages) * 1000 for k in ("ours", "fast", "ext")]
    return [["same-day date accuracy (pages with a date)"] + [_share(r, n) for r in right],
            ["missing-date false alarms (no date found)"] + [_share(m, n) for m in missing],
            ["date finding, ms per page (median of runs)"] + [f"{m:.1f}" for m in ms]]


def author_row(engine: Engine, bylines: dict[str, list[str]], show: bool) -> list[str]:
    """Pages with a known byline where one detected author is part of it (or it of one)."""
    found = 0
    for path, known in sorted(bylines.items()):
        result = engine.process_file(path)
        authors = [" ".join(a.casefold().split()) for r in result.articles for a in r.meta.authors]
        names = [" ".join(k.casefold().split()) for k in known]
        hit = any(a in k or k in a for a in authors for k in names)
        found += hit
        if show and not hit:
            print(f"  byline missed: {Path(path).name}: known {known}, newslint {authors}")
    return ["byline found (pages with a known byline)", _share(found, len(bylines)), "", ""]


# -- clean bodies -----------------------------------------------------------------------
def body_rows(engine: Engine, bodies: list[str], show: bool) -> list[list[str]]:
    """The share of clean bodies with a warning other than NL301/NL401, and the
    share with one outside the boilerplate family (NL1xx): Readability keeps
    some page chrome in its bodies ("Related: ...", "Read more"), which those
    rules rightly report."""
    warned, beyond, codes = 0, 0, Counter()
    for path in bodies:
        result = engine.process_file(path)
        found = {f.code for a in result.articles for f in a.findings
                 if f.severity == "warning" and f.code not in IGNORED_WARNINGS}
        warned += bool(found)
        beyond += any(not c.startswith("NL1") for c in found)
        codes.update(found)
        if show and found:
            print(f"  warned: {Path(path).name}: {', '.join(sorted(found))}")
    detail = ", ".join(f"{c} {k}" for c, k in codes.most_common(6)) or "none"
    return [[f"clean bodies with another warning ({detail})", _share(warned, len(bodies)), "", ""],
            ["... with one outside the boilerplate rules (NL1xx)", _share(beyond, len(bodies)), "", ""]]


def _share(count: int, total: int) -> str:
    return f"{count}/{total} = {100 * count / total:.1f}%" if total else "-"


if __name__ == "__main__":
    sys.exit(main())
