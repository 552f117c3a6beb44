"""How long a large HTML report takes to build and to open.

    python bench/bench_report.py --n 50000 [--corpus DIR] [--opens 5] [--jobs 2]

Builds `newslint report` over a corpus from gen_corpus.py (made under
bench/out/ unless --corpus names one): once with a cold cache, then warm
(the median of 3), and opens the page in Debian's headless Chromium (system
chromedriver, nothing downloaded) `--opens` times: the time from navigation
to the findings table being drawn (the page script records it as
`window.newslintReadyMs`), to DOMContentLoaded, and to the first article
opened (the article texts are parsed then). Prints a Markdown table.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess  # noqa: S404 (a benchmark, not the package)
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,1000")


def build(corpus: Path, out: Path, cache: Path | None, jobs: int) -> tuple[float, float]:
    """Wall and CPU seconds (this process's children) of one `newslint report`."""
    args = [sys.executable, "-m", "newslint", "report", str(corpus), "-o", str(out),
            "--no-progress", "-j", str(jobs)]
    args += ["--cache-dir", str(cache)] if cache else ["--no-cache"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, check=False, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def opens(page: Path, times: int) -> dict[str, float]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    profile = tempfile.mkdtemp(prefix="newslint-bench-")
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(120)
    ready, dcl, article = [], [], []
    try:
        for _ in range(times):
            driver.get("about:blank")
            driver.get(page.as_uri())
            ready.append(driver.execute_script("return window.newslintReadyMs"))
            dcl.append(driver.execute_script(
                "return performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"))
            article.append(driver.execute_script(
                "const t = performance.now();"
                "document.querySelector('#findings-table button.open').click();"
                "return performance.now() - t;"))
            assert driver.find_element(By.ID, "article").is_displayed()
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    return {"ready": statistics.median(ready), "ready_max": max(ready),
            "dcl": statistics.median(dcl), "article": statistics.median(article)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50_000)
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--opens", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    corpus = args.corpus or HERE / "out" / f"report-corpus-{args.n}"
    if not corpus.exists():
        subprocess.run([sys.executable, str(HERE / "gen_corpus.py"), str(corpus), "--n",
                        str(args.n)], check=True)
    work = Path(tempfile.mkdtemp(prefix="newslint-report-bench-"))
    page, cache = work / "report.html", work / "cache"
    try:
        cold_wall, cold_cpu = build(corpus, page, None, args.jobs)
        build(corpus, page, cache, args.jobs)                    # fills the cache
        warm = [build(corpus, page, cache, args.jobs) for _ in range(3)]
        size = os.path.getsize(page)
        opened = opens(page, args.opens)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    warm_wall = statistics.median(w for w, _ in warm)
    warm_cpu = statistics.median(c for _, c in warm)
    print(f"| measure ({corpus.name}) | value |\n|---|---|")
    print(f"| build, cold cache (`--no-cache`, -j{args.jobs}) | {cold_wall:.1f} s wall, {cold_cpu:.1f} s CPU |")
    print(f"| build, warm cache (median of 3) | {warm_wall:.1f} s wall, {warm_cpu:.1f} s CPU |")
    print(f"| report size | {size / 1e6:.1f} MB |")
    print(f"| open: navigation to the findings table drawn (median / worst of {args.opens}) | "
          f"{opened['ready'] / 1000:.2f} s / {opened['ready_max'] / 1000:.2f} s |")
    print(f"| open: DOMContentLoaded (median) | {opened['dcl'] / 1000:.2f} s |")
    print(f"| first article opened (parses the texts; median) | {opened['article'] / 1000:.2f} s |")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
