"""Benchmark `newslint check` at corpus scale and print one Markdown table,
with each of issue 23's targets and the ratio to it (1.0 or more: met).

    python bench/bench_check.py --sizes 10000,100000

For each corpus size (generated once with bench/gen_corpus.py, reused after):
`newslint check DIR` with all default rules in a child process, cold cache and
warm (the median of 5 warm runs, against the 10x target), with wall time, CPU
time, articles per second and peak memory, and a rerun after one file was
edited (the per-file cache without the run's remembered result). Then, on
the first size: the pre-commit case (3 changed files checked against the
corpus of `--precommit-size` articles, warm cache), the accuracy gates (the
corpus gate of tests/test_corpus_gate.py, and near-duplicate precision and
recall on the first size's planted pairs), the output of -j1 and -jN compared byte for byte, the cost
of each rule per 1,000 articles (timed in this process on a sample), and the
baselines a user would otherwise run, on the same sample: datasketch and
rensa for the near-duplicate signatures, datasketch for LSH (bench/bench_dedup.py's
measures; a peer that is not installed is skipped, saying so) and
datatrove's Gopher repetition filter for the repetition metrics (skipped,
saying so, when datatrove is not installed). The start-up rows time one
article from a cold process against the floor of the interpreter.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

import gen_corpus

#: issue 23's targets: articles/s, seconds, seconds, x faster, MB, x rensa, x datasketch
TARGET_RATE, TARGET_START, TARGET_PRECOMMIT, TARGET_WARM = 2500, 0.35, 0.5, 10
TARGET_PEAK_MB, TARGET_RENSA, TARGET_DATASKETCH = 300, 1.0, 5.0
HEAVY_MODULES = ("datasketch", "scipy", "bs4", "ftfy", "numpy")
WORDS_RE = re.compile(r"\w+|[^\w\s]+")
SHOWN_RULES = 12
#: child processes run as a user's would: without this script's PYTHONPATH (which
#: may point at an optional baseline such as datatrove), and with byte-compiled
#: modules (`pip install` compiles them; PYTHONDONTWRITEBYTECODE, set in some
#: containers, would make every run compile newslint's sources again)
CHILD_ENV = {k: v for k, v in os.environ.items()
             if k not in ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE")}


def corpus(root: Path, n: int) -> Path:
    folder = root / f"corpus-{n}"
    if not (folder / "truth.json").exists():
        began = time.perf_counter()
        gen_corpus.generate(folder, n)
        print(f"generated {n:,} articles in {time.perf_counter() - began:.0f} s", file=sys.stderr)
    return folder


def newslint_cmd() -> list[str]:
    """The console script next to this interpreter (what a user types), else `-m`."""
    script = Path(sys.executable).with_name("newslint")
    return [str(script)] if script.exists() else [sys.executable, "-m", "newslint"]


def check_cmd(*args: str, jobs: int | None = None) -> list[str]:
    cmd = newslint_cmd() + ["check", *args, "--format", "json", "--no-progress", "--exit-zero"]
    return cmd + (["-j", str(jobs)] if jobs else [])


# -- start-up ------------------------------------------------------------------------------
def startup_rows(table: Table, one: Path, runs: int) -> None:
    py = sys.executable
    table.row("floor: `python -c pass`", f"{min_wall([py, '-c', 'pass'], runs):.3f} s")
    table.row("floor: `python -c 'import newslint'`",
              f"{min_wall([py, '-c', 'import newslint'], runs):.3f} s")
    cold = min_wall(newslint_cmd() + ["check", str(one), "--no-cache"], runs, median=True)
    table.row("`newslint check one.txt --no-cache`, cold process (min / median of "
              f"{runs})", f"{cold[0]:.3f} s / {cold[1]:.3f} s", f"<= {TARGET_START} s (median)",
              ratio=TARGET_START / cold[1])
    imported = imported_modules(one)
    heavy = [m for m in HEAVY_MODULES if m in imported["modules"]]
    table.row("heavy modules imported for one article", ", ".join(heavy) or "none",
              "no datasketch, no scipy", "datasketch" not in heavy and "scipy" not in heavy)
    table.row("largest imports (`-X importtime`, cumulative)", "; ".join(
        f"{name} {ms:.0f} ms" for name, ms in imported["top"]))


def imported_modules(one: Path) -> dict:
    """Modules `newslint check one.txt` imports beyond a bare interpreter's,
    and the largest of them (cumulative import time, `-X importtime`)."""
    bare = import_times([sys.executable, "-X", "importtime", "-c", "pass"])
    times = import_times([sys.executable, "-X", "importtime", "-m", "newslint", "check", str(one),
                          "--no-cache"])
    own = {name: ms for name, ms in times.items() if name not in bare}
    top = sorted(((n, ms) for n, ms in own.items() if "." not in n or n.startswith(
        ("newslint.loaders", "newslint.checks", "newslint.dedup"))), key=lambda item: -item[1])
    return {"modules": {name.split(".")[0] for name in own},
            "top": [t for t in top if t[0] != "newslint"][:6]}


def import_times(cmd: list[str]) -> dict[str, float]:
    err = subprocess.run(cmd, capture_output=True, text=True, check=False, env=CHILD_ENV).stderr
    out = {}
    for line in err.splitlines():
        parts = line.split("|")
        if line.startswith("import time:") and len(parts) == 3 and parts[1].strip().isdigit():
            out[parts[2].strip()] = int(parts[1]) / 1000
    return out


# -- whole runs ----------------------------------------------------------------------------
def corpus_rows(table: Table, folder: Path, n: int, work: Path) -> dict:
    cache = work / f"cache-{n}"
    shutil.rmtree(cache, ignore_errors=True)
    out = work / f"check-{n}.json"
    cmd = check_cmd(".", "--cache-dir", str(cache), "-o", str(out))
    stamp = code_stamp()
    cold = timed(cmd, folder)
    warm = warm_runs(cmd, folder, stamp)
    summary = json.loads(out.read_text())["summary"]
    rate = summary["articles"] / cold["seconds"]
    table.row(f"check {summary['articles']:,} articles ({summary['files']:,} files), cold cache, "
              f"-j{os.cpu_count()}", f"{cold['seconds']:.1f} s wall, {rate:,.0f} articles/s; "
              f"CPU {cold['cpu']:.0f} s ({summary['articles'] / cold['cpu']:,.0f} articles per "
              "CPU-second)", f">= {TARGET_RATE:,}/s", ratio=rate / TARGET_RATE)
    mb = 1 << 20
    table.row(f"peak memory, {n:,} articles (largest process / whole tree)",
              f"{cold['maxrss'] / mb:,.0f} MB / {cold['tree_peak'] / mb:,.0f} MB",
              f"<= {TARGET_PEAK_MB} MB (largest)", ratio=TARGET_PEAK_MB * mb / cold["maxrss"])
    speedup = cold["seconds"] / warm["seconds"]
    table.row(f"warm rerun, {n:,} articles unchanged (median of {WARM_RUNS})",
              f"{warm['seconds']:.2f} s ({summary['articles'] / warm['seconds']:,.0f} articles/s), "
              f"peak {warm['maxrss'] / mb:,.0f} MB; {speedup:.1f}x faster than cold",
              f">= {TARGET_WARM}x", ratio=speedup / TARGET_WARM)
    table.row(f"rerun with 1 of {n:,} files edited (the others from the per-file cache)",
              f"{edited_run(check_cmd('.', '--cache-dir', str(cache), '-o', os.devnull), folder):.2f} s")
    return {"cache": cache, "findings": summary["findings"], "output": out}


WARM_RUNS = 5


def warm_runs(cmd: list[str], folder: Path, stamp: str) -> dict[str, float]:
    """The median of WARM_RUNS warm runs (a short run is the noisier one)."""
    runs = [timed(cmd, folder) for _ in range(WARM_RUNS)]
    if code_stamp() != stamp:  # newslint's code was edited meanwhile: not all were warm
        runs = [timed(cmd, folder) for _ in range(WARM_RUNS)]
    return sorted(runs, key=lambda r: r["seconds"])[WARM_RUNS // 2]


def edited_run(cmd: list[str], folder: Path) -> float:
    """A rerun after one file changed: the run's remembered result no longer
    applies, each unchanged file's cached result does."""
    files = sorted((folder / "articles").rglob("*.txt"))
    path = files[len(files) // 2]
    saved = path.read_bytes()
    path.write_bytes(saved + b"\nOne more line, edited.\n")
    try:
        return timed(cmd, folder)["seconds"]
    finally:
        path.write_bytes(saved)


def precommit_rows(table: Table, folder: Path, cache: Path, runs: int) -> None:
    """Three changed files checked against the corpus; each run changes them
    again, as a new commit would, so they are checked while the rest is cached."""
    files = sorted((folder / "articles").rglob("*.txt"))[1::997][:3]
    saved = {path: path.read_bytes() for path in files}
    times = []
    command = check_cmd(*[str(p.relative_to(folder)) for p in files], "--corpus", ".",
                        "--cache-dir", str(cache), "-o", os.devnull)
    timed(command, folder)  # the corpus cached under the code as it is now
    try:
        for run in range(runs):
            for path in files:
                path.write_bytes(saved[path] + f"\nAn edit made in commit {run}.\n".encode())
            times.append(timed(command, folder)["seconds"])
    finally:
        for path, data in saved.items():
            path.write_bytes(data)
    times.sort()
    table.row(f"pre-commit: 3 changed files `--corpus` of {gen_count(folder):,} articles, warm "
              f"cache (min / median of {runs})", f"{times[0]:.2f} s / {times[len(times) // 2]:.2f} s",
              f"<= {TARGET_PRECOMMIT} s (median)", ratio=TARGET_PRECOMMIT / times[len(times) // 2])


def precommit_cache(caches: dict, work: Path, n: int) -> Path:
    """The warm cache of the pre-commit corpus: a measured size's, else one
    filled now (a check of the whole corpus, not timed)."""
    if n in caches:
        return caches[n]["cache"]
    cache = work / f"cache-{n}"
    shutil.rmtree(cache, ignore_errors=True)
    timed(check_cmd(".", "--cache-dir", str(cache), "-o", os.devnull), corpus(work, n))
    return cache


def code_stamp() -> str:
    """What the cache fingerprints hold of newslint's code: in a source checkout
    being edited, a change between two runs makes the second one cold."""
    from newslint.run.fingerprint import code_stamp as stamp
    return stamp.__wrapped__()


def gen_count(folder: Path) -> int:
    return json.loads((folder / "truth.json").read_text())["n"]


def determinism_row(table: Table, folder: Path, work: Path) -> None:
    """-j1 and -jN give byte-identical JSON on a part of the corpus (its first
    folder of ~900 files and two JSON Lines files: enough for the process pool)."""
    paths = ["articles/000", *sorted(p.relative_to(folder).as_posix()
                                     for p in (folder / "records").glob("*.jsonl"))[:2]]
    outputs = []
    for jobs in (1, os.cpu_count() or 2):
        out = work / f"determinism-j{jobs}.json"
        timed(check_cmd(*paths, "--no-cache", "-o", str(out), jobs=jobs), folder)
        outputs.append(out.read_bytes())
    same = outputs[0] == outputs[1]
    table.row(f"-j1 and -j{os.cpu_count()} output on {len(json.loads(outputs[0])['findings']):,} "
              "findings", "byte-identical" if same else "DIFFERENT", "identical", met=same)


# -- per rule and baselines, in this process ------------------------------------------------
def rule_rows(table: Table, folder: Path, sample: int) -> None:
    """CPU per 1,000 articles on a sample, in this process: all rules as the
    engine runs them (work that rules share, such as splitting the body into
    lines, is done once), then each rule alone (so shared work counts in
    each); then the baselines on the same sample."""
    from newslint.config import Settings
    from newslint.run.engine import Engine
    engine = Engine(Settings(cache=False))
    files = sample_files(folder, sample)
    data = [(path, engine.read(path)) for path in files]
    began = time.process_time()
    checked = sum(len(engine.process_bytes(path, raw).articles) for path, raw in data)
    total = (time.process_time() - began) * 1e6 / checked
    articles, load_ms = checked_sample(engine, files)
    cores = os.cpu_count() or 1
    table.row(f"CPU per 1,000 articles in one process, as a worker checks them ({checked:,}-"
              "article sample)", f"{total:,.0f} ms, of which loading and metadata "
              f"{load_ms:,.0f}: a ceiling of {1e6 / total * cores:,.0f} articles/s on {cores} cores",
              f"<= {1e6 * cores / TARGET_RATE:,.0f} ms", ratio=1e6 * cores / TARGET_RATE / total)
    costs = sorted(((rule_alone_ms(engine, rule, articles), f"{rule.code} {rule.name}")
                    for rule in engine.rules), reverse=True)
    for ms, name in costs[:SHOWN_RULES]:
        table.row(f"rule {name}, alone", f"{ms:,.0f} ms per 1,000 ({100 * ms / total:.0f}% of all)")
    rest = costs[SHOWN_RULES:]
    table.row(f"the other {len(rest)} rules, each alone, added up",
              f"{sum(ms for ms, _ in rest):,.0f} ms per 1,000")
    for row in dedup_baseline([a.text for a in articles]) + repetition_baseline(engine, articles):
        table.row(*row)


def rule_alone_ms(engine, rule, articles: list) -> float:
    """CPU per 1,000 articles of one rule's check (summarize for a corpus rule)."""
    options = engine.options[rule.code]
    forget(articles)
    if rule.scope == "article":
        return cpu_ms_per_1000(articles, lambda a: list(rule.check(a, options) or ()))
    return cpu_ms_per_1000(articles, lambda a: rule.summarize(a, options))


def forget(articles: list) -> None:
    """Drop what rules keep in `article.extra` between them (keys starting with
    _), so a measure starts where the engine starts with a new article."""
    for article in articles:
        for key in [k for k in article.extra if k.startswith("_")]:
            del article.extra[key]


# -- measuring ----------------------------------------------------------------------------------
class Table:
    """Rows of measure, value, target, ratio to the target (1.0 or more: met)
    and whether it is met (a yes/no target has no ratio)."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str, str]] = []

    def row(self, measure: str, value: str, target: str = "", met: bool | None = None,
            ratio: float | None = None) -> None:
        if ratio is not None:
            met = ratio >= 1.0
        self.rows.append((measure, value, target, "" if ratio is None else f"{ratio:.2f}",
                          "" if met is None else ("yes" if met else "**no**")))
        print(f"  {measure}: {value}" + (f" (ratio to target {ratio:.2f})" if ratio else ""),
              file=sys.stderr)

    def markdown(self) -> str:
        lines = ["| measure | value | target | ratio to target | met |", "|---|---|---|---|---|"]
        return "\n".join(lines + [f"| {' | '.join(r)} |" for r in self.rows])


def tree_rss(pid: int) -> int:
    """Resident memory (bytes) of a process and its descendants."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += int(status.split("VmRSS:")[1].split()[0]) * 1024
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, IndexError, ValueError):
            pass
    return total


def timed(cmd: list[str], cwd: Path) -> dict[str, float]:
    """Run a command: wall seconds, CPU seconds of it and its children (the
    worker processes), the largest process's peak RSS and the tree's (sampled)."""
    began = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=CHILD_ENV)
    peak, stop = [0], threading.Event()

    def sample() -> None:
        while not stop.wait(0.1):
            peak[0] = max(peak[0], tree_rss(proc.pid))
    threading.Thread(target=sample, daemon=True).start()
    err = proc.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - began
    stop.set()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err}")
    return {"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime,
            "maxrss": usage.ru_maxrss * 1024, "tree_peak": peak[0]}


def min_wall(cmd: list[str], runs: int, median: bool = False):
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
                       env=CHILD_ENV)
        times.append(time.perf_counter() - began)
    times.sort()
    return (times[0], times[len(times) // 2]) if median else times[0]


def sample_files(folder: Path, n: int) -> list[str]:
    """The first n article files of the corpus (.txt and .md)."""
    return sorted(str(p) for p in (folder / "articles").rglob("*") if p.is_file())[:n]


def checked_sample(engine, paths: list[str]):
    """The articles of these files, loaded and enriched as the engine does,
    with the boilerplate lines the near-duplicate summary needs; and the CPU
    cost of loading them, per 1,000."""
    began = time.process_time()
    articles = [a for path in paths for a in engine.load(path, engine.read(path))
                if not hasattr(a, "message")]
    load_ms = (time.process_time() - began) * 1e6 / len(articles)
    for article in articles:
        found = [f for r in engine.boilerplate_rules for f in r.check(article, engine.options[r.code])]
        engine.mark_boilerplate(article, found)
    return articles, load_ms


def cpu_ms_per_1000(items: list, call) -> float:
    began = time.process_time()
    for item in items:
        call(item)
    return (time.process_time() - began) * 1e6 / len(items)


# -- what a user would otherwise run -----------------------------------------------------------
def dedup_baseline(texts: list[str]) -> list[tuple]:
    """bench_dedup.py's side-by-side measures on these texts: signatures per
    second from the text, shingling included (ours against datasketch's
    MinHash.update_batch, and rensa's when bench_dedup measures it), and LSH
    over all of them (numpy banding against datasketch's MinHashLSH)."""
    try:
        import bench_dedup
        import numpy as np
        from newslint.dedup.minhash import signature
        from newslint.dedup.shingles import shingle
        speed = bench_dedup.signature_speed(texts)
        sigs = np.stack([signature(shingle(t).hashes) for t in texts])
        lsh = bench_dedup.lsh_speed(sigs, 0.5)
    except (ImportError, AttributeError, AssertionError) as exc:
        return [("near-duplicate baseline (bench_dedup.py)", f"skipped: {exc!r}")]
    measure = f"MinHash signatures/s from the text, shingling included, {len(texts):,} texts"
    rows = [(f"{measure}: newslint / datasketch update_batch",
             f"{speed['ours']:,.0f} / {speed['datasketch']:,.0f}", f">= {TARGET_DATASKETCH:.0f}x "
             "datasketch", None, speed["ours"] / speed["datasketch"] / TARGET_DATASKETCH)]
    if "rensa" in speed:
        rows.append((f"{measure}: newslint / rensa", f"{speed['ours']:,.0f} / {speed['rensa']:,.0f}",
                     f">= {TARGET_RENSA:.1f}x rensa", None,
                     speed["ours"] / speed["rensa"] / TARGET_RENSA))
    else:
        rows.append((f"{measure}: rensa", "skipped: not installed, or bench_dedup.py's "
                     "signature_speed does not measure it", f">= {TARGET_RENSA:.1f}x rensa"))
    rows.append((f"LSH candidates over {len(texts):,} signatures: numpy banding / datasketch "
                 "MinHashLSH", f"{lsh['ours'] * 1000:,.0f} ms / {lsh['datasketch'] * 1000:,.0f} ms "
                 f"({lsh['datasketch'] / lsh['ours']:.0f}x), same {lsh['pairs']:,} pairs"))
    return rows


# -- accuracy: the speed work must not change a finding -----------------------------------------
def accuracy_rows(table: Table, folder: Path, output: Path) -> None:
    """The corpus gate (tests/test_corpus_gate.py: corpus/ against
    corpus/expected-findings.txt) and near-duplicate precision and recall on
    the planted pairs of `folder`, from the check's JSON output `output`."""
    table.row("corpus gate: corpus/ against corpus/expected-findings.txt", *corpus_gate())
    try:
        import bench_dedup
        truth = json.loads((folder / "truth.json").read_text())
        found = bench_dedup.quality(folder, truth, bench_dedup.predicted_pairs(output), 0.5)
    except (ImportError, AttributeError, KeyError) as exc:
        table.row("near-duplicate precision / recall", f"skipped: {exc!r}")
        return
    table.row(f"near-duplicate pairs on {truth['n']:,} articles (threshold 0.5): precision / "
              "recall at J >= 0.55 / recall at J >= 0.5 / planted pairs below 0.5 reported",
              f"{found['precision']:.4f} / {found['recall_high']:.4f} of {found['n_high']} / "
              f"{found['recall_at']:.4f} of {found['n_at']} / {found['below_reported']} of "
              f"{found['n_below']}", "unchanged")


def corpus_gate() -> tuple[str, str, bool]:
    """(what tests/test_corpus_gate.py finds, its target, met)."""
    from newslint.config import load_settings
    from newslint.run.engine import Engine
    root = HERE.parent
    cwd = os.getcwd()
    os.chdir(root)  # the expected file's paths are relative to the project
    try:
        settings = load_settings(start=root / "corpus")
        settings.cache = False
        result = Engine(settings).run(["corpus"])
    finally:
        os.chdir(cwd)
    got = [f"{f.path}:{f.line}:{f.column}: {f.code} {f.rule} [{f.severity}]" for f in result.findings]
    expected = (root / "corpus" / "expected-findings.txt").read_text(encoding="utf-8").splitlines()
    if got == expected and not result.errors:
        return f"identical: {len(got)} findings", "identical", True
    return (f"DIFFERENT: {len(set(got) ^ set(expected))} lines differ, {len(result.errors)} "
            "errors"), "identical", False


def repetition_baseline(engine, articles: list) -> list[tuple[str, str]]:
    """The repetition family (duplicate-paragraph-*) against datatrove's
    GopherRepetitionFilter on the same bodies. datatrove tokenizes English words
    with spaCy; spaCy is not installed here, so it gets a regex word splitter
    (cheaper than spaCy: the comparison favours datatrove)."""
    ours = [r for r in engine.article_rules if r.name.startswith("duplicate-paragraph")]
    forget(articles)
    ours_ms = cpu_ms_per_1000(articles, lambda a: [list(r.check(a, engine.options[r.code]) or ())
                                                   for r in ours])
    row = (f"repetition metrics per 1,000 articles: newslint {', '.join(r.code for r in ours)}",
           f"{ours_ms:,.0f} ms CPU")
    try:
        from datatrove.data import Document
        from datatrove.pipeline.filters.gopher_repetition_filter import GopherRepetitionFilter
        from datatrove.utils.word_tokenizers import WordTokenizer
    except ImportError:
        return [row, ("datatrove GopherRepetitionFilter",
                      "skipped: datatrove is not installed (optional: pip install datatrove)")]

    class RegexWords(WordTokenizer):
        def word_tokenize(self, text):
            return WORDS_RE.findall(text)

        def sent_tokenize(self, text):
            return [text]

        def span_tokenize(self, text):
            return [(0, len(text))]
    gopher = GopherRepetitionFilter(language=RegexWords("en"))
    docs = [Document(text=a.text, id=str(i)) for i, a in enumerate(articles)]
    theirs_ms = cpu_ms_per_1000(docs, gopher.filter)
    ratio = theirs_ms / ours_ms
    return [row, ("datatrove GopherRepetitionFilter (regex words), same articles",
                  f"{theirs_ms:,.0f} ms CPU (newslint {ratio:.1f}x "
                  f"{'faster' if ratio >= 1 else 'slower'})")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000",
                        help="corpus sizes, comma separated (default 10000,100000)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/newslint-bench-check"),
                        help="folder for the corpora, caches and outputs")
    parser.add_argument("--sample", type=int, default=1000, help="articles for the per-rule costs")
    parser.add_argument("--runs", type=int, default=5, help="repeats of the short timings")
    parser.add_argument("--precommit-size", type=int, default=20000,
                        help="articles in the corpus of the pre-commit case (default 20000)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    args.work.mkdir(parents=True, exist_ok=True)
    table = Table()
    load_before = os.getloadavg()
    first = corpus(args.work, sizes[0])
    one = min((first / "articles").rglob("*.txt"))
    startup_rows(table, one, args.runs)
    caches = {n: corpus_rows(table, corpus(args.work, n), n, args.work) for n in sizes}
    precommit_rows(table, corpus(args.work, args.precommit_size),
                   precommit_cache(caches, args.work, args.precommit_size), args.runs)
    accuracy_rows(table, first, caches[sizes[0]]["output"])
    determinism_row(table, first, args.work)
    rule_rows(table, first, args.sample)
    print(f"\n### newslint check: {', '.join(f'{n:,}' for n in sizes)} generated articles, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}, load average "
          f"{load_before[0]:.1f} at start and {os.getloadavg()[0]:.1f} at end\n")
    print(table.markdown())


if __name__ == "__main__":
    main()
