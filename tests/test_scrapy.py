"""The Scrapy item pipeline: settings, stats, dicts and Items, and a real crawl
of local file:// pages in a subprocess (no network, no reactor restarts)."""
import json
import logging
import subprocess
import sys
import textwrap

import pytest
import scrapy
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.test import get_crawler

from newslint.config import ConfigError
from newslint.integrations.scrapy import NewslintPipeline

STORY = (
    "The city council voted on Tuesday to extend the night bus network to the northern "
    "districts, after a two-year campaign by residents who said the last train left them "
    "stranded. The extension adds four routes and will run every twenty minutes between "
    "midnight and five in the morning, starting in March.\n\n"
    "Transport director Maria Keller told the council the routes would cost 3.2 million "
    "euros a year, paid partly from the parking levy approved last spring. Opposition "
    "members asked for a review after twelve months, which the council accepted.\n\n"
    "Residents' groups welcomed the vote but said the southern suburbs still had no service "
    "after one in the morning. The council said a study of those areas would report in June."
)
NEAR_COPY = STORY.replace("on Tuesday", "on Tuesday evening").replace("in June", "by June")
SPONSORED = (
    "Sponsored content from our partners\n\n"
    "The regional library reopened its main reading room on Saturday after eighteen months "
    "of repairs to the roof and the heating system. Visitors queued from early morning to "
    "see the restored ceiling paintings, which had been covered since the storm of 2022.\n\n"
    "Head librarian Jonas Brandt said the work had cost less than planned because volunteers "
    "catalogued the collection while it was in storage. The library will now open on Sundays "
    "as well, from ten until four."
)

RULE = textwrap.dedent("""\
    code: NL990
    name: fake-sponsored
    kind: phrase
    level: error
    summary: A sponsored-content banner.
    message: sponsored-content banner
    docs:
      what: Flags "Sponsored content" banners.
      why: Tests need a rule that is theirs.
    patterns: ['sponsored content from our partners']
    match: line
    examples:
      fail: ["T\\n\\nSponsored content from our partners\\n\\nBody text here."]
      pass: ["T\\n\\nBody text here."]
""")


@pytest.fixture
def config(tmp_path):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "sponsored.yaml").write_text(RULE)
    path = tmp_path / "newslint.toml"
    path.write_text('rule-dirs = ["rules"]\n')
    return path


def pipeline(**settings):
    crawler = get_crawler(settings_dict=settings)
    return NewslintPipeline.from_crawler(crawler), crawler.stats


def item(text, url, title="Night buses for the north"):
    return {"url": url, "title": title, "text": text, "date": "2024-03-05",
            "author": "Ana Ruiz", "source": "Example Gazette"}


def test_disabled_pipeline_is_not_configured():
    with pytest.raises(NotConfigured):
        pipeline(NEWSLINT_ENABLED=False)


def test_bad_settings_fail_loudly(config):
    with pytest.raises(ConfigError, match="NEWSLINT_MIN_SCORE"):
        pipeline(NEWSLINT_MIN_SCORE="high")
    with pytest.raises(ConfigError, match="NL999"):
        pipeline(NEWSLINT_SELECT="NL999")


def test_drops_on_error_with_reason_and_stats(config):
    pipe, stats = pipeline(NEWSLINT_CONFIG=str(config), NEWSLINT_SELECT=["NL990"],
                           NEWSLINT_DROP_ON=["error"])
    kept = pipe.process_item(item(STORY, "https://example.org/a"))
    assert kept["newslint"]["findings"] == [] and kept["newslint"]["score"] == 100
    with pytest.raises(DropItem, match=r"https://example.org/b: error: 1 finding \(NL990 fake-sponsored\)"):
        pipe.process_item(item(SPONSORED, "https://example.org/b"))
    assert stats.get_value("newslint/items") == 2
    assert stats.get_value("newslint/findings/NL990") == 1
    assert stats.get_value("newslint/dropped") == 1
    assert stats.get_value("newslint/dropped/error") == 1


def test_annotates_without_dropping_by_default(config):
    pipe, stats = pipeline(NEWSLINT_CONFIG=str(config), NEWSLINT_SELECT="NL990",
                           NEWSLINT_FIELD="quality")
    kept = pipe.process_item(item(SPONSORED, "https://example.org/b"))
    assert [f["code"] for f in kept["quality"]["findings"]] == ["NL990"]
    assert kept["quality"]["score"] == 80 and not kept["quality"]["dropped"]
    assert stats.get_value("newslint/dropped") is None


class Story(scrapy.Item):
    url = scrapy.Field()
    title = scrapy.Field()
    text = scrapy.Field()


def test_items_without_the_field_pass_with_one_warning(config, caplog):
    pipe, _ = pipeline(NEWSLINT_CONFIG=str(config), NEWSLINT_SELECT="NL990")
    with caplog.at_level(logging.WARNING):
        for n in range(3):
            out = pipe.process_item(Story(url=f"https://example.org/{n}", title="T", text=SPONSORED))
            assert isinstance(out, Story) and "newslint" not in out
    warnings = [r for r in caplog.records if "has no field 'newslint'" in r.getMessage()]
    assert len(warnings) == 1


def test_item_without_text_is_dropped_only_when_errors_drop(config):
    keep, stats = pipeline(NEWSLINT_CONFIG=str(config), NEWSLINT_SELECT="NL990")
    out = keep.process_item({"url": "https://example.org/empty", "title": "Nothing"})
    assert "no text field" in out["newslint"]["error"]
    assert stats.get_value("newslint/invalid") == 1
    drop, stats = pipeline(NEWSLINT_CONFIG=str(config), NEWSLINT_SELECT="NL990",
                           NEWSLINT_DROP_ON="error")
    with pytest.raises(DropItem, match="no text field"):
        drop.process_item({"url": "https://example.org/empty", "title": "Nothing"})
    assert stats.get_value("newslint/dropped/invalid") == 1


# -- a real crawl ---------------------------------------------------------------------
SPIDER = textwrap.dedent('''
    import json
    import scrapy

    class Story(scrapy.Item):
        url = scrapy.Field()
        title = scrapy.Field()
        text = scrapy.Field()
        date = scrapy.Field()
        author = scrapy.Field()
        newslint = scrapy.Field()

    class LocalSpider(scrapy.Spider):
        """Follows the pages one after another, so the order is fixed."""
        name = "local"
        pages = PAGES
        custom_settings = SETTINGS

        async def start(self):
            yield scrapy.Request(self.pages[0], cb_kwargs={"n": 0})

        def parse(self, response, n):
            text = "\\n\\n".join(p.strip() for p in response.css("article p::text").getall())
            yield Story(url=response.url, title=response.css("h1::text").get(),
                        text=text, date=response.css("time::attr(datetime)").get(),
                        author=response.css(".byline::text").get())
            if n + 1 < len(self.pages):
                yield scrapy.Request(self.pages[n + 1], cb_kwargs={"n": n + 1})

        def closed(self, reason):
            with open(STATS, "w") as fh:
                json.dump(self.crawler.stats.get_stats(), fh, default=str)
''')


def page(title, text):
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    return (f"<html><head><title>{title}</title></head><body><h1>{title}</h1>"
            f'<time datetime="2024-03-05">5 March 2024</time><span class="byline">Ana Ruiz</span>'
            f"<article>{paragraphs}</article></body></html>")


def test_real_crawl_drops_duplicates_and_errors(tmp_path, config):
    site = tmp_path / "site"
    site.mkdir()
    pages = {"story.html": page("Night buses for the north", STORY),
             "copy.html": page("Night buses for the north", NEAR_COPY),
             "sponsored.html": page("Trams for the east", SPONSORED),
             "empty.html": page("Nothing here", "")}
    for name, html in pages.items():
        (site / name).write_text(html, encoding="utf-8")
    stats_file, feed = tmp_path / "stats.json", tmp_path / "items.jsonl"
    settings = {"ITEM_PIPELINES": {"newslint.integrations.scrapy.NewslintPipeline": 300},
                "NEWSLINT_CONFIG": str(config), "NEWSLINT_SELECT": ["NL990", "NL601"],
                "NEWSLINT_DROP_ON": ["duplicate", "error"],
                "FEEDS": {str(feed): {"format": "jsonlines"}},
                "LOG_LEVEL": "INFO", "TELNETCONSOLE_ENABLED": False}
    spider = tmp_path / "spider.py"
    spider.write_text(SPIDER.replace("PAGES", repr([(site / n).as_uri() for n in pages]))
                      .replace("SETTINGS", repr(settings)).replace("STATS", repr(str(stats_file))))
    run = subprocess.run([sys.executable, "-m", "scrapy", "runspider", str(spider)],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-3000:]
    kept = [json.loads(line) for line in feed.read_text().splitlines()]
    assert [i["url"].rsplit("/", 1)[1] for i in kept] == ["story.html"]
    assert kept[0]["newslint"]["score"] == 100 and kept[0]["newslint"]["findings"] == []
    stats = json.loads(stats_file.read_text())
    assert stats["newslint/items"] == 4
    assert stats["newslint/dropped"] == 3
    assert stats["newslint/dropped/duplicate"] == 1
    assert stats["newslint/dropped/error"] == 1
    assert stats["newslint/dropped/invalid"] == 1
    assert stats["newslint/findings/NL990"] == 1
    assert stats["newslint/findings/NL601"] == 1
    log = run.stderr
    assert "copy.html: duplicate: near-duplicate of" in log and "story.html" in log
    assert "sponsored.html: error: 1 finding (NL990 fake-sponsored)" in log
