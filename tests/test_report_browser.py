"""The HTML report in a real browser: Debian's headless Chromium driven by
Selenium through the system chromedriver (given explicitly, so Selenium
Manager never downloads anything). `.ci/run` installs both; without them the
tests are skipped. Screenshots of the main views go to test-artefacts/report/."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from report_corpus import EVIL_NAME, SCRIPT_CLOSE, make_corpus

from newslint.cli.main import main

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
ARTEFACTS = Path(__file__).resolve().parents[1] / "test-artefacts" / "report"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--window-size=1280,1000")

webdriver = pytest.importorskip("selenium.webdriver")
if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
    pytest.skip("needs Debian's chromium and chromium-driver (.ci/run installs them)",
                allow_module_level=True)

from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    folder = make_corpus(tmp_path_factory.mktemp("corpus"))
    out = tmp_path_factory.mktemp("out") / "report.html"
    assert main(["report", str(folder), "-o", str(out), "--no-cache", "--no-progress"]) == 1
    profile = tempfile.mkdtemp(prefix="newslint-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(20)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    try:
        driver.get(out.as_uri())
        yield driver, out
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def css(driver, selector):
    return driver.find_elements(By.CSS_SELECTOR, selector)


def shot(driver, name: str) -> None:
    driver.save_screenshot(str(ARTEFACTS / f"{name}.png"))


def search(driver, text: str) -> None:
    """Type `text` in the search field and wait for the table to follow (the
    field filters after a short pause): first back to all findings, then the
    query, so each wait sees its own change."""
    box = driver.find_element(By.ID, "q")
    for query in (" ", text) if text.strip() else (" ",):
        box.clear()
        box.send_keys(query)
        filtered = bool(query.strip())
        WebDriverWait(driver, 10).until(
            lambda d, f=filtered: ("match" in d.find_element(By.ID, "count").text) == f)


def console_problems(driver) -> list[dict]:
    return [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]


def test_loads_without_console_errors_and_renders_the_charts(page):
    driver, _ = page
    assert driver.execute_script("return window.newslintReadyMs") > 0
    assert console_problems(driver) == []
    charts = css(driver, "figure.chart svg")
    assert len(charts) == 4
    for svg in charts:
        box = svg.rect
        assert box["width"] > 100 and box["height"] > 50
        bars = svg.find_elements(By.CSS_SELECTOR, "rect.bar")
        assert bars and all(float(b.get_attribute("height")) > 0 for b in bars)
    shot(driver, "summary")


def test_search_filters_and_headers_sort_the_table(page):
    driver, _ = page
    rows = css(driver, "#findings-table tbody tr")
    total = len(rows)
    assert total > 20
    search(driver, "html-leftovers")
    rows = css(driver, "#findings-table tbody tr")
    assert 0 < len(rows) < total
    assert all("NL506" in r.text for r in rows)
    assert "match" in driver.find_element(By.ID, "count").text
    header = driver.find_element(By.CSS_SELECTOR, 'th[data-key="score"] button')
    header.click()
    assert header.find_element(By.XPATH, "..").get_attribute("aria-sort") == "ascending"
    scores = [int(r.find_elements(By.TAG_NAME, "td")[5].text) for r in css(driver, "#findings-table tbody tr")]
    assert scores == sorted(scores)
    shot(driver, "findings-table")
    search(driver, "")


def test_the_table_pages_by_fifty(page):
    driver, _ = page
    search(driver, "")
    total = int(driver.find_element(By.ID, "count").text.split()[0])
    assert total > 50                 # the test corpus has more findings than a page holds
    assert len(css(driver, "#findings-table tbody tr")) == 50
    first = css(driver, "#findings-table tbody tr")[0].text
    driver.find_element(By.CSS_SELECTOR, '#findings .pager [data-page="next"]').click()
    assert len(css(driver, "#findings-table tbody tr")) == min(total - 50, 50)
    assert css(driver, "#findings-table tbody tr")[0].text != first
    assert driver.find_element(By.CSS_SELECTOR, "#findings .page-info").text.startswith("Page 2 of ")
    assert not driver.find_element(By.CSS_SELECTOR, '#findings .pager [data-page="prev"]').get_attribute("disabled")
    driver.find_element(By.CSS_SELECTOR, '#findings .pager [data-page="first"]').click()
    assert driver.find_element(By.CSS_SELECTOR, '#findings .pager [data-page="prev"]').get_attribute("disabled")


def test_a_finding_opens_its_article_with_the_lines_highlighted(page):
    driver, _ = page
    search(driver, "quay.txt html-leftovers")
    css(driver, "#findings-table button.open")[0].click()
    article = driver.find_element(By.ID, "article")
    assert article.is_displayed()
    hits = css(driver, "#article-body li.hit")
    assert len(hits) == 1 and "finding:" in hits[0].text
    spots = css(driver, "#article-body li.hit mark.spot")      # the columns the finding names
    assert len(spots) == 1
    assert driver.execute_script("return arguments[0].textContent", spots[0]).startswith(
        "[the finding: </script><script>window.pwned")
    # the hostile text is shown as text, and nothing in it ran
    assert SCRIPT_CLOSE in driver.find_element(By.ID, "article-body").text
    assert driver.switch_to.active_element.get_attribute("id") == "article-h"
    shot(driver, "article")
    driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    assert not article.is_displayed()


def test_a_cluster_diff_shows_both_articles(page):
    driver, _ = page
    buttons = css(driver, "#cluster-table button[data-cluster]")
    assert len(buttons) == 4          # 2 clusters of 3: two copies each
    buttons[0].click()
    diff = driver.find_element(By.ID, "diff")
    assert diff.is_displayed()
    heads = [h.text for h in css(driver, "#diff-body .head")]
    assert heads[1].startswith("Kept original:") and heads[2].startswith("Copy:")
    assert heads[1].split(": ", 1)[1] != heads[2].split(": ", 1)[1].split(" \u2014")[0]
    marks = [m.text for m in css(driver, "#diff-body .mark span[aria-hidden]")]
    assert "=" in marks and ({"~", "+", "\u2212"} & set(marks))
    both = css(driver, "#diff-body .same")
    assert len(both) >= 2 and both[0].text and both[1].text
    shot(driver, "cluster-diff")


def test_injected_scripts_urls_and_handlers_never_run(page):
    driver, _ = page
    for button in css(driver, "#cluster-table button[data-cluster]"):
        button.click()
    search(driver, "hostile")
    for index in range(len(css(driver, "#findings-table button.open"))):
        css(driver, "#findings-table button.open")[index].click()
        driver.find_element(By.ID, "article-back").click()
    assert driver.execute_script("return typeof window.pwned") == "undefined"
    assert driver.execute_script(
        "return document.querySelectorAll('img, iframe, object, embed, a[href^=javascript], "
        "[onerror], [onload], [onclick], script:not([type=\"application/json\"])').length") == 1
    assert EVIL_NAME in driver.find_element(By.ID, "findings-table").text
    assert console_problems(driver) == []


def test_keyboard_slash_searches_and_arrows_walk_the_rows(page):
    driver, _ = page
    driver.find_element(By.TAG_NAME, "body").click()
    driver.find_element(By.TAG_NAME, "body").send_keys("/")
    assert driver.switch_to.active_element.get_attribute("id") == "q"
    first = css(driver, "#findings-table button.open")[0]
    first.send_keys(Keys.ARROW_DOWN)
    assert driver.switch_to.active_element == css(driver, "#findings-table button.open")[1]


def test_summary_and_charts_without_javascript_and_dark_mode(page):
    driver, out = page
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {
        "features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    driver.get(out.as_uri())
    dark = driver.execute_script("return getComputedStyle(document.body).backgroundColor")
    shot(driver, "summary-dark")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        driver.get(out.as_uri())
    finally:
        driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
    assert driver.execute_script("return typeof window.newslintReadyMs") == "undefined"
    light = driver.execute_script("return getComputedStyle(document.body).backgroundColor")
    assert dark != light == "rgb(255, 255, 255)"
    cards = css(driver, "#summary .card")
    assert len(cards) == 8 and all(c.is_displayed() for c in cards)
    assert all(svg.is_displayed() for svg in css(driver, "figure.chart svg"))
    assert not css(driver, "#findings .needs-js")[0].is_displayed()
    shot(driver, "summary-no-js")
