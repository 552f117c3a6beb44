"""The parts of bench_index.py that drive the library, Scrapy and Redis."""
from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import time
from pathlib import Path

import numpy as np

SELECT = ["near-duplicate", "boilerplate"]
URL = "https://bench.example/"


def start_redis(work: Path):
    from redis_server import RedisServer
    try:
        return RedisServer(work / "redis").start()
    except BaseException as exc:  # pytest.skip when the binary is missing
        print(f"no Redis server ({exc}); Redis parts skipped")
        return None


# -- the stream ---------------------------------------------------------------------------
def read_article(root: Path, article_id: str) -> dict:
    path, _, record = article_id.partition(".jsonl:")
    if record:
        line = (root / f"{path}.jsonl").read_text(encoding="utf-8").split("\n")[int(record) - 1]
        data = json.loads(line)
        return {"url": URL + article_id, "title": data["title"], "text": data["text"]}
    text = (root / article_id).read_text(encoding="utf-8")
    if article_id.endswith(".md"):
        head, body = text.split("\n---\n", 1)
        return {"url": URL + article_id, "title": head.split("title: ", 1)[1].split("\n")[0],
                "text": body.strip()}
    title, body = text.split("\n", 1)
    return {"url": URL + article_id, "title": title, "text": body.strip()}


def article_ids(root: Path) -> list[str]:
    ids = sorted(p.relative_to(root).as_posix() for p in (root / "articles").rglob("*") if p.is_file())
    for path in sorted((root / "records").glob("*.jsonl")):
        count = len(path.read_text(encoding="utf-8").splitlines())
        ids.extend(f"{path.relative_to(root).as_posix()}:{n}" for n in range(1, count + 1))
    return ids


def later_members(truth: dict, order: dict[str, int], level: float = 0.0) -> set[str]:
    """The planted member of each pair that comes later in the stream (true Jaccard >= level)."""
    out = set()
    for pair in truth["pairs"]:
        a, b = URL + pair["a"], URL + pair["b"]
        if pair["jaccard"] >= level:
            out.add(b if order[b] > order[a] else a)
    return out


# -- replay -------------------------------------------------------------------------------
def api_once(items: list[dict], spec: str) -> list[str]:
    from newslint import Linter
    with Linter(select=SELECT, index=spec, drop_on={"duplicate"}) as linter:
        return [r.id for r in linter.check_many(items) if not r.dropped]


def scrapy_once(items: list[dict], spec: str) -> list[str]:
    from scrapy.exceptions import DropItem
    from scrapy.utils.test import get_crawler

    from newslint.integrations.scrapy import NewslintPipeline
    pipeline = NewslintPipeline.from_crawler(get_crawler(settings_dict={
        "NEWSLINT_INDEX": spec, "NEWSLINT_SELECT": SELECT, "NEWSLINT_DROP_ON": ["duplicate"]}))
    kept = []
    for item in items:
        try:
            kept.append(pipeline.process_item(dict(item))["url"])
        except DropItem:
            pass
    pipeline.close_spider()
    return kept


def replay_part(root: Path, truth: dict, work: Path, server, rows: list) -> None:
    ids = article_ids(root)
    items = [read_article(root, i) for i in ids]
    order = {item["url"]: n for n, item in enumerate(items)}
    may_drop = later_members(truth, order)
    must_drop = later_members(truth, order, 0.6)
    runs = [("library, folder index", api_once, str(work / "replay-api")),
            ("Scrapy pipeline, folder index", scrapy_once, str(work / "replay-scrapy"))]
    if server is not None:
        runs.insert(1, ("library, Redis index", api_once, server.url + "?prefix=replay"))
    for name, once, spec in runs:
        if not spec.startswith("redis"):
            shutil.rmtree(spec, ignore_errors=True)
        kept_runs, seconds = [], []
        for _ in range(3):
            began = time.perf_counter()
            kept_runs.append(once(items, spec))
            seconds.append(time.perf_counter() - began)
        dropped = set(order) - set(kept_runs[0])
        lost = dropped - may_drop
        same = all(k == kept_runs[0] for k in kept_runs)
        rows.append((f"replay {len(items):,} articles x3, {name}",
                     f"same kept items every run: {'yes' if same else 'NO'} "
                     f"({', '.join(f'{len(k):,}' for k in kept_runs)} kept); originals lost: "
                     f"{len(lost)}; planted copies (J >= 0.6) dropped: "
                     f"{len(must_drop & dropped)}/{len(must_drop)}; "
                     f"{statistics.median(seconds):.0f} s per run"))


# -- two processes, one Redis index ------------------------------------------------------------
def spread(root: Path, truth: dict, out: Path) -> dict[str, str]:
    """The .txt/.md files over X, O and Y: each planted pair's first member
    in turn in X, O, Y, its copy in a random one of them."""
    rng = np.random.default_rng(5)
    place: dict[str, str] = {}
    for n, pair in enumerate(p for p in truth["pairs"] if ".jsonl" not in p["a"] + p["b"]):
        place[pair["a"]] = "XOY"[n % 3]
        place[pair["b"]] = "XOY"[int(rng.integers(3))]
    others = [i for i in article_ids(root) if ".jsonl" not in i and i not in place]
    place.update({i: "XOY"[n % 3] for n, i in enumerate(others)})
    shutil.rmtree(out, ignore_errors=True)
    for article_id, folder in place.items():
        target = out / folder / article_id
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / article_id, target)
    return place


def pairs_of(report: dict) -> set[frozenset]:
    def strip(path: str) -> str:
        return path.split(":", 1)[-1].split("/", 1)[1]   # namespace, then X/O/Y
    out = set()
    for f in report["findings"]:
        if f["code"] != "NL601":
            continue
        data = f.get("data", {})
        others = [d["path"] for d in data.get("duplicates", [])] + [k for k, _ in data.get("indexed", [])]
        out.update(frozenset((strip(f["path"]), strip(o))) for o in others)
    return out


def two_processes_part(root: Path, truth: dict, work: Path, server, newslint: str, rows: list) -> None:
    if server is None:
        return
    base = work / "two"
    place = spread(root, truth, base)
    common = ["--select", "near-duplicate", "--format", "json", "--no-cache", "--no-progress"]
    began = time.perf_counter()
    procs = [subprocess.Popen([newslint, "check", *folders, "--index", server.url + "?prefix=two",
                               *common], cwd=base, stdout=subprocess.PIPE, text=True)
             for folders in (["X", "O"], ["O", "Y"])]
    split = set().union(*(pairs_of(json.loads(p.communicate()[0])) for p in procs))
    two_seconds = time.perf_counter() - began
    union = pairs_of(json.loads(subprocess.run(
        [newslint, "check", "X", "O", "Y", "--index", server.url + "?prefix=one", *common],
        cwd=base, capture_output=True, text=True).stdout))
    planted = {frozenset((p["a"], p["b"])): p["jaccard"] for p in truth["pairs"]}
    differ = sorted(planted.get(pair, -1.0) for pair in split ^ union)
    counts = {f: sum(v == f for v in place.values()) for f in "XOY"}
    rows.append((f"two processes (X+O, O+Y: {counts['X']:,}/{counts['O']:,}/{counts['Y']:,} files) "
                 f"on one Redis index against one process over X+O+Y",
                 f"{len(split):,} pairs against {len(union):,}; same pairs: "
                 f"{'yes' if split == union else 'no'}; differing: {len(differ)}"
                 + (f" (true Jaccard {', '.join(f'{d:.2f}' for d in differ[:8])})" if differ else "")
                 + f"; {two_seconds:.0f} s for both"))


# -- stdin ----------------------------------------------------------------------------------------
def stdin_lines(path: Path, n: int) -> tuple[Path, list[int]]:
    """n JSON lines of random 250-word text; 1% exact and 1% near copies (10 words
    of 250 changed) of earlier lines. Returns the file and the planted lines."""
    rng = np.random.default_rng(n)
    vocab = np.array([f"w{i}x{j}" for i in range(400) for j in range(25)])
    copies = set(rng.choice(np.arange(n // 10, n), size=n // 50, replace=False).tolist())
    texts: list[str] = []
    planted = []
    with path.open("w", encoding="utf-8") as fh:
        for line in range(1, n + 1):
            if line in copies:
                words = texts[int(rng.integers(len(texts)))].split(" ")
                if line % 2:
                    for spot in rng.choice(len(words), 10, replace=False):
                        words[spot] = "edited"
                text = " ".join(words)
                planted.append(line)
            else:
                text = " ".join(vocab[rng.integers(len(vocab), size=250)])
                if len(texts) < 20000:
                    texts.append(text)
            fh.write(json.dumps({"url": f"{URL}s/{line}", "title": f"Story {line}", "text": text})
                     + "\n")
    return path, planted
