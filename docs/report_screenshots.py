"""Regenerate the README's screenshots of the HTML report on the sample corpus.

    python docs/report_screenshots.py        # from the repository root

Writes `newslint report corpus/` to a temporary file, opens it in Debian's
headless Chromium (`apt-get install chromium chromium-driver`; Selenium with
the system chromedriver, nothing downloaded) and saves docs/report-summary.png
(summary and charts) and docs/report-article.png (a finding opened in its
article, and a near-duplicate comparison).
"""
from __future__ import annotations

import shutil
import subprocess  # noqa: S404 (a helper script, not the package)
import sys
import tempfile
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

ROOT = Path(__file__).resolve().parents[1]
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--hide-scrollbars", "--force-prefers-reduced-motion")


def browser(profile: str, width: int, height: int):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in (*FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="newslint-shots-"))
    report = work / "report.html"
    subprocess.run([sys.executable, "-m", "newslint", "report", "corpus", "-o", str(report),
                    "--no-cache", "--no-progress", "--title", "newslint report: corpus/"],
                   cwd=ROOT, check=False)
    driver = browser(str(work / "profile"), 1280, 1180)
    try:
        driver.get(report.as_uri())
        driver.save_screenshot(str(ROOT / "docs" / "report-summary.png"))
        search = driver.find_element(By.ID, "q")
        search.send_keys("space-before")
        time.sleep(0.3)
        driver.find_element(By.CSS_SELECTOR, "#findings-table button.open").click()
        time.sleep(0.3)
        driver.execute_script("document.getElementById('article').scrollIntoView()")
        driver.save_screenshot(str(ROOT / "docs" / "report-article.png"))
    finally:
        driver.quit()
        shutil.rmtree(work, ignore_errors=True)
    print("wrote docs/report-summary.png, docs/report-article.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
