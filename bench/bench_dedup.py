"""Benchmark near-duplicate detection (NL601) and print a Markdown table.

    python bench/bench_dedup.py --n 10000 [--out DIR] [--threshold 0.5]

Generates (or reuses) a corpus with bench/gen_corpus.py, then measures:
- signatures per second, ours (numpy over xxh3 shingle hashes) against plain
  datasketch (`MinHash.update_batch` with its default SHA-1 hashing), both
  from the same article text;
- LSH candidate search over all signatures: our numpy banding against
  datasketch `MinHashLSH` insert + query with the same (b, r);
- `newslint check --select near-duplicate` end to end in a child process:
  cold (empty cache) and warm (unchanged corpus, median of 5 runs, against
  the 10x target), articles per second, peak
  memory (ru_maxrss of the largest process, and the sum over the process tree
  sampled every 0.1 s), CPU time (user + system, workers included: unlike
  wall time it does not depend on what else the machine is doing), cache
  size on disk;
- the pre-commit path: two new files checked against the whole corpus;
- precision and recall on the planted pairs (true Jaccard computed by the
  generator, independently of newslint).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import regex

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import gen_corpus  # noqa: E402
from newslint.dedup.lsh import band_keys, band_params, candidate_pairs  # noqa: E402
from newslint.dedup.minhash import signature  # noqa: E402
from newslint.dedup.shingles import shingle  # noqa: E402

WORDS_RE = regex.compile(r"[\p{L}\p{N}\p{M}]+")


def body_of(root: Path, article_id: str) -> str:
    """An article's body as newslint sees it (title and front matter left out)."""
    path, _, record = article_id.partition(".jsonl:")
    if record:
        line = (root / f"{path}.jsonl").read_text(encoding="utf-8").split("\n")[int(record) - 1]
        return json.loads(line)["text"]
    text = (root / article_id).read_text(encoding="utf-8")
    if article_id.endswith(".md"):
        text = text.split("\n---\n", 1)[1]
        return text.strip()
    return text.split("\n", 2)[2]


# -- signatures and LSH ------------------------------------------------------------------
def signature_speed(texts: list[str]) -> dict[str, float]:
    """Signatures per second from article text, ours and datasketch's, timed in
    alternating batches so that load changes on the machine hit both alike."""
    from datasketch import MinHash
    permutations = MinHash(num_perm=128).permutations  # made once, as a careful user would

    def ours(text: str) -> None:
        signature(shingle(text).hashes)

    def plain_datasketch(text: str) -> None:
        words = WORDS_RE.findall(text.casefold())  # the plain way: regex words, string shingles
        m = MinHash(num_perm=128, permutations=permutations, scheme="affine32")
        m.update_batch({" ".join(words[i:i + 5]).encode() for i in range(max(len(words) - 4, 1))})
    spent = {"ours": 0.0, "datasketch": 0.0}
    for start in range(0, len(texts), 50):
        for name, make in (("ours", ours), ("datasketch", plain_datasketch)):
            began = time.perf_counter()
            for text in texts[start:start + 50]:
                make(text)
            spent[name] += time.perf_counter() - began
    return {name: len(texts) / seconds for name, seconds in spent.items()}


def lsh_speed(signatures: np.ndarray, threshold: float) -> dict[str, float]:
    from datasketch import LeanMinHash, MinHash, MinHashLSH
    bands, rows = band_params(threshold, signatures.shape[1])
    start = time.perf_counter()
    ours = candidate_pairs(band_keys(signatures, bands, rows), np.ones(len(signatures), bool))
    ours_s = time.perf_counter() - start
    lean = [LeanMinHash(MinHash(hashvalues=s, scheme="affine32")) for s in signatures]
    start = time.perf_counter()
    index = MinHashLSH(num_perm=signatures.shape[1], params=(bands, rows))
    for i, m in enumerate(lean):
        index.insert(i, m, check_duplication=False)
    theirs = {(min(i, j), max(i, j)) for i, m in enumerate(lean) for j in index.query(m) if j != i}
    theirs_s = time.perf_counter() - start
    assert theirs == set(map(tuple, ours.tolist())), "numpy banding and MinHashLSH disagree"
    return {"ours": ours_s, "datasketch": theirs_s, "pairs": len(ours), "bands": bands, "rows": rows}


# -- a child process with its peak memory ----------------------------------------------------
def tree_rss(pid: int) -> int:
    """Resident memory (bytes) of a process and its descendants."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) * 1024
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, AttributeError):
            pass
    return total


def code_snapshot(folder: Path) -> dict[str, str]:
    """Copy newslint and its rules to `folder` and return an environment that
    runs the copy: the cache is keyed by the code's files, so edits made to the
    working tree during a run must not turn the warm run cold."""
    repo = Path(__file__).resolve().parents[1]
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(repo / "newslint", folder / "newslint",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(repo / "rules", folder / "rules")
    return {**os.environ, "PYTHONPATH": str(folder)}


def timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> dict[str, float]:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.1):
            peak[0] = max(peak[0], tree_rss(proc.pid))
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    stop.set()
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err}")
    return {"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime,  # with its workers
            "maxrss": usage.ru_maxrss * 1024, "tree_peak": peak[0]}


# -- precision and recall ---------------------------------------------------------------------
def predicted_pairs(results: Path) -> dict[tuple[str, str], float]:
    out = {}
    for f in json.loads(results.read_text())["findings"]:
        if f["code"] != "NL601":
            continue
        own = os.path.normpath(f.get("article") or f["path"])
        for d in f["data"]["duplicates"]:
            key = tuple(sorted((own, os.path.normpath(d["id"]))))
            out[key] = d["similarity"]
    return out


def quality(root: Path, truth: dict, predicted: dict, threshold: float) -> dict[str, float]:
    planted = {tuple(sorted((p["a"], p["b"]))): p["jaccard"] for p in truth["pairs"]}
    true_j = {pair: planted.get(pair) for pair in predicted}
    for pair, j in true_j.items():  # a pair nobody planted: measure it
        if j is None:
            true_j[pair] = gen_corpus.jaccard(body_of(root, pair[0]), body_of(root, pair[1]))
    correct = sum(1 for pair in predicted if true_j[pair] >= threshold)
    high = [pair for pair, j in planted.items() if j >= threshold + 0.05]
    at = [pair for pair, j in planted.items() if j >= threshold]
    below = [pair for pair, j in planted.items() if j < threshold]
    return {"predicted": len(predicted), "precision": correct / len(predicted) if predicted else 1.0,
            "recall_high": sum(p in predicted for p in high) / len(high), "n_high": len(high),
            "recall_at": sum(p in predicted for p in at) / len(at), "n_at": len(at),
            "below_reported": sum(p in predicted for p in below), "n_below": len(below),
            "max_error": max((abs(predicted[p] - true_j[p]) for p in predicted), default=0.0)}


# -- the run ------------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark near-duplicate detection.")
    parser.add_argument("--n", type=int, default=10000, help="articles in the corpus")
    parser.add_argument("--out", type=Path, help="corpus folder (default /tmp/newslint-bench-N)")
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--sample", type=int, default=2000, help="texts for the signature speed")
    args = parser.parse_args()
    root = (args.out or Path(f"/tmp/newslint-bench-{args.n}")).resolve()
    if not (root / "truth.json").exists():
        start = time.perf_counter()
        gen_corpus.generate(root, args.n)
        print(f"generated {args.n} articles in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    truth = json.loads((root / "truth.json").read_text())
    rows = run_all(root, truth, args)
    print(f"\n### near-duplicate benchmark: {truth['n']:,} articles, {len(truth['pairs'])} planted "
          f"pairs, threshold {args.threshold}, {os.cpu_count()} cores\n")
    print("| measure | value |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


WARM_RUNS = 5       # warm runs timed; the median is reported
TARGET_WARM = 10    # a warm rerun at least this many times faster than the cold run


def run_all(root: Path, truth: dict, args) -> list[tuple[str, str]]:
    ids = sorted({p["a"] for p in truth["pairs"]} | {p["b"] for p in truth["pairs"]})
    files = sorted(str(p.relative_to(root)) for p in (root / "articles").rglob("*.txt"))
    texts = [body_of(root, i) for i in (files + ids)[:args.sample]]
    sig_speed = signature_speed(texts)
    sigs = np.stack([signature(shingle(t).hashes) for t in texts])
    lsh = lsh_speed(sigs, args.threshold)
    cache = root.parent / f"{root.name}-cache"
    shutil.rmtree(cache, ignore_errors=True)
    env = code_snapshot(root.parent / f"{root.name}-code")
    check = [sys.executable, "-m", "newslint", "check", ".", "--select", "near-duplicate",
             "--format", "json", "--no-progress", "--cache-dir", str(cache)]
    options = ["--config", str(write_config(root, args.threshold))]
    cold = timed(check + options + ["-o", str(root.parent / f"{root.name}-cold.json")], root, env)
    warm_cmd = check + options + ["-o", str(root.parent / f"{root.name}-warm.json")]
    warm = sorted((timed(warm_cmd, root, env) for _ in range(WARM_RUNS)),
                  key=lambda r: r["seconds"])[WARM_RUNS // 2]
    size = sum(p.stat().st_size for p in cache.glob("cache.sqlite*"))
    pre = precommit(root, check + options, truth, env)
    q = quality(root, truth, predicted_pairs(root.parent / f"{root.name}-cold.json"), args.threshold)
    mb = 1024 * 1024
    return [
        ("signatures/s, ours (text -> signature)", f"{sig_speed['ours']:,.0f}"),
        ("signatures/s, datasketch update_batch (SHA-1)", f"{sig_speed['datasketch']:,.0f}"),
        ("signature speed-up", f"{sig_speed['ours'] / sig_speed['datasketch']:.1f}x"),
        (f"LSH over {len(sigs):,} signatures (b={lsh['bands']}, r={lsh['rows']}), numpy banding",
         f"{lsh['ours'] * 1000:,.0f} ms ({lsh['pairs']:,} candidate pairs)"),
        ("same, datasketch MinHashLSH insert + query", f"{lsh['datasketch'] * 1000:,.0f} ms "
         f"({lsh['datasketch'] / lsh['ours']:.0f}x slower, same pairs)"),
        ("check --select near-duplicate, cold", f"{cold['seconds']:.1f} s wall, {cold['cpu']:.1f} s "
         f"CPU ({truth['n'] / cold['seconds']:,.0f} articles/s)"),
        ("peak memory, cold (largest process / whole tree)",
         f"{cold['maxrss'] / mb:,.0f} MB / {cold['tree_peak'] / mb:,.0f} MB"),
        (f"warm rerun, corpus unchanged (median of {WARM_RUNS})",
         f"{warm['seconds']:.2f} s wall, {warm['cpu']:.2f} s CPU "
         f"({cold['seconds'] / warm['seconds']:.1f}x less wall time, "
         f"{cold['cpu'] / warm['cpu']:.1f}x less CPU than cold; target >= {TARGET_WARM}x: "
         f"{'met' if cold['seconds'] / warm['seconds'] >= TARGET_WARM else 'NOT met'})"),
        ("peak memory, warm (process tree, sampled every 0.1 s)", f"{warm['tree_peak'] / mb:,.0f} MB"),
        ("cache on disk", f"{size / mb:,.1f} MB ({size / truth['n']:,.0f} bytes/article)"),
        ("pre-commit: 2 new files vs the corpus (warm cache)",
         f"{pre['seconds']:.2f} s wall, {pre['cpu']:.2f} s CPU, {pre['findings']} finding(s), "
         f"expected {pre['expected']}"),
        ("precision (reported pairs with true J >= threshold)",
         f"{q['precision']:.4f} ({q['predicted']} pairs reported)"),
        (f"recall, planted pairs with J >= {args.threshold + 0.05:.2f}",
         f"{q['recall_high']:.4f} (of {q['n_high']})"),
        (f"recall, planted pairs with J >= {args.threshold:.2f}", f"{q['recall_at']:.4f} (of {q['n_at']})"),
        (f"planted pairs below {args.threshold} reported", f"{q['below_reported']} (of {q['n_below']})"),
        ("largest difference between reported and true Jaccard", f"{q['max_error']:.4f}"),
    ]


def write_config(root: Path, threshold: float) -> Path:
    path = root.parent / f"{root.name}.toml"
    path.write_text(f'[rules.near-duplicate]\nthreshold = {threshold}\n')
    return path


def precommit(root: Path, check: list[str], truth: dict, env: dict[str, str]) -> dict:
    """Two new files inside the corpus: a syndicated copy of a corpus article
    and a new article; checked against the whole corpus (`--corpus .`)."""
    new = root / "new"
    new.mkdir(exist_ok=True)
    source = next(p["a"] for p in truth["pairs"] if p["a"].endswith(".txt"))
    (new / "copy.txt").write_text("Copied\n\nSubscribe to our newsletter\n\n"
                                  + body_of(root, source) + "\n", encoding="utf-8")
    gen = gen_corpus.Generator(seed=99)
    title, paras = gen.article(gen.topics[0])
    (new / "fresh.txt").write_text(title + "\n\n" + "\n\n".join(paras) + "\n", encoding="utf-8")
    out = root.parent / f"{root.name}-pre.json"
    cmd = [c for c in check if c != "."] + ["new/copy.txt", "new/fresh.txt", "--corpus", ".",
                                            "-o", str(out)]
    result = timed(cmd, root, env)
    findings = [f for f in json.loads(out.read_text())["findings"] if f["code"] == "NL601"]
    for path in new.iterdir():
        path.unlink()
    new.rmdir()
    return {"seconds": result["seconds"], "cpu": result["cpu"], "findings": len(findings),
            "expected": 1}


if __name__ == "__main__":
    main()
