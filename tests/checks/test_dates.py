"""Date recognition (newslint.text.dates), the date enricher and the missing-date rules."""
import datetime as dt
import json
import random

import pytest

from newslint.config import Settings
from newslint.text.dates import find_dates, find_relative, first_absolute, parse_date
from newslint.run.engine import Engine
from tests.conftest import NEWSPAPER4K, SEEDS

ABSOLUTE = [
    # ISO 8601 and scraper leftovers
    ("2023-11-06", "2023-11-06"),
    ("Posted 2023-11-06T17:04:00Z by the desk", "2023-11-06"),
    ("2023-11-06T17:04:00.123+05:30", "2023-11-06"),
    ("2023-11-06 17:04", "2023-11-06"),
    (" date 2025-12-03 CHINA AND RUSSIA JUST SENT A MESSAGE", "2025-12-03"),
    ("2023/11/06", "2023-11-06"),
    # English, full and abbreviated
    ("Published: Nov. 3, 2023 5:04 PM ET", "2023-11-03"),
    ("Updated 10:32 AM EST, Mon November 6, 2023", "2023-11-06"),
    ("Sept. 11, 2001", "2001-09-11"),
    ("6th November 2023", "2023-11-06"),
    ("3 Mar 2024", "2024-03-03"),
    # RFC 2822
    ("Mon, 06 Nov 2023 17:04:00 +0000", "2023-11-06"),
    ("Tue, 5 Dec 2023 08:00:00 GMT", "2023-12-05"),
    # German
    ("3. November 2023", "2023-11-03"),
    ("5 März 2023", "2023-03-05"),
    ("12. Okt. 2022", "2022-10-12"),
    ("1. Dez 2021", "2021-12-01"),
    # French
    ("3 novembre 2023", "2023-11-03"),
    ("1er janvier 2024", "2024-01-01"),
    ("17 déc. 2022", "2022-12-17"),
    ("Publié le 14 juil. 2023", "2023-07-14"),
    # Spanish
    ("3 de noviembre de 2023", "2023-11-03"),
    ("15 de marzo, 2022", "2022-03-15"),
    ("7 ene 2021", "2021-01-07"),
    # Russian, genitive, nominative and abbreviated
    ("3 ноября 2023", "2023-11-03"),
    ("3 ноября 2023 г.", "2023-11-03"),
    ("1 сентября 2019 года", "2019-09-01"),
    ("12 дек. 2020", "2020-12-12"),
    ("март 5, 2021", "2021-03-05"),
    # numeric
    ("03.11.2023", "2023-11-03"),
    ("11/03/2023", "2023-11-03"),
    ("31/12/2023", "2023-12-31"),
    ("12/31/2023", "2023-12-31"),
    ("03-11-2023", "2023-11-03"),
    # CJK and Korean
    ("2023年11月6日", "2023-11-06"),
    ("2023 年 11 月 6 日", "2023-11-06"),
    ("２０２３年１１月６日", "2023-11-06"),
    ("2023년 11월 6일", "2023-11-06"),
]


@pytest.mark.parametrize("text,iso", ABSOLUTE)
def test_absolute_dates(text, iso):
    found = first_absolute(text)
    assert found is not None and found.iso == iso
    assert text[found.start:found.end] == found.text


@pytest.mark.parametrize("text", [
    "2023-02-30", "version 1.2 and 3.4", "13/13/2023", "in May 2023 the plan", "call 555-12-2023",
    "Room 12, floor 3", "3 months later in 2023", "ISBN 978-3-16-148410-0", "32 November 2023",
])
def test_not_dates(text):
    assert first_absolute(text) is None


def test_slash_dates_follow_the_language():
    assert first_absolute("11/03/2023").iso == "2023-11-03"
    assert first_absolute("11/03/2023", language="fr").iso == "2023-03-11"
    assert first_absolute("11/03/2023", language="en-GB").iso == "2023-11-03"
    assert first_absolute("11/03/2023", day_first=True).iso == "2023-03-11"
    assert first_absolute("11.03.2023").iso == "2023-03-11"


def test_offsets_and_lines():
    text = "Headline\nsecond line\nPublished: 3 ноября 2023, Москва"
    found = first_absolute(text)
    assert (found.line, found.text, found.form) == (3, "3 ноября 2023", "day-month")
    assert text[found.start:found.end] == "3 ноября 2023"


RELATIVE = [
    ("Putin and Xi held a video call Wednesday", "Wednesday"),
    ("the ministers met this week in Moscow", "this week"),
    ("The talks ended yesterday.", "yesterday"),
    ("Updated 2 hours ago", "2 hours ago"),
    ("Die Minister trafen sich heute in Berlin", "heute"),
    ("Aktualisiert vor 3 Stunden", "vor 3 Stunden"),
    ("Le président est arrivé hier à Paris et la réunion est prévue pour les ministres", "hier"),
    ("Publié il y a 5 heures", "il y a 5 heures"),
    ("Los ministros se reunieron ayer en Madrid", "ayer"),
    ("Actualizado hace 3 horas", "hace 3 horas"),
    ("Министры встретились вчера в Москве", "вчера"),
    ("Переговоры прошли в среду", "в среду"),
    ("Обновлено 3 часа назад", "3 часа назад"),
]


@pytest.mark.parametrize("text,phrase", RELATIVE)
def test_relative_dates(text, phrase):
    assert find_dates(text) == []
    found = find_relative(text)
    assert [(d.text, d.iso, d.form) for d in found] == [(phrase, None, "relative")]
    assert text[found[0].start:found[0].end] == phrase


def test_hier_needs_french_context():
    assert find_relative("Ich bin hier und warte auf den Zug.") == []
    assert find_relative("Ich bin hier.", language="fr")[0].text == "hier"
    assert find_relative("Il est arrivé hier.", language="de") == []


@pytest.mark.parametrize("value,iso", [
    ("2023-11-02T19:53:52+00:00", "2023-11-02"), ("2014-12-27 12:06:00", "2014-12-27"),
    ("20180619T055000+0900", "2018-06-19"), ("20231106", "2023-11-06"),
    ("1699290240", "2023-11-06"), ("1699290240000", "2023-11-06"), (1699290240, "2023-11-06"),
    ("Mon, 06 Nov 2023 17:04:00 +0000", "2023-11-06"), ("3 ноября 2023", "2023-11-03"),
    (dt.datetime(2023, 11, 6, 17, 4), "2023-11-06"), (dt.date(2023, 11, 6), "2023-11-06"),
    ("garbage", None), ("", None), (None, None), (True, None), ("19991399", None),
])
def test_parse_date(value, iso):
    assert parse_date(value) == iso


# -- the enricher and the rules through the engine -------------------------------------------
def run(tmp_path, text, select=("missing-date",), name="a.txt", **settings):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = Engine(Settings(select=list(select), cache=False, **settings)).run([str(path)])
    return result.findings, result.metadata[str(path)]


def test_enricher_exposes_a_text_date(tmp_path):
    findings, meta = run(tmp_path, "Talks in Moscow\n\nMoscow, 3 ноября 2023\n\nThe leaders met.")
    assert findings == []
    assert (meta.date, meta.date_source) == ("2023-11-03", "text")


def test_enricher_normalises_metadata_dates(tmp_path):
    text = "---\ntitle: Talks\ndate: \"Mon, 06 Nov 2023 17:04:00 +0000\"\n---\n\nThe leaders met."
    findings, meta = run(tmp_path, text, name="a.md")
    assert findings == []
    assert (meta.date, meta.date_source) == ("2023-11-06", "front-matter")


def test_dateline_at_the_end_counts_but_prose_there_does_not(tmp_path):
    body = "Talks\n\n" + "The leaders met and talked about trade at length.\n\n" * 8
    assert run(tmp_path, body + "Published 3 November 2023")[0] == []
    late = body + "The two sides will meet again when the treaty expires, which, under the terms " \
                  "both governments agreed, happens on 3 November 2030 at the latest."
    assert [f.code for f in run(tmp_path, late)[0]] == ["NL301"]


def test_a_date_in_the_prose_is_never_the_publication_date(tmp_path):
    text = ("Talks\n\nThe leaders, who first met at a long summit on 3 November 2021, agreed on "
            "Tuesday to extend the treaty that has governed their trade for more than a decade.")
    findings, meta = run(tmp_path, text)
    assert [f.code for f in findings] == ["NL301"] and meta.date is None
    kickoff = "Cup\n\nThe tournament will kick off June 9, 2020, organisers said on a long call."
    assert run(tmp_path, kickoff)[1].date is None
    dated = "Talks\n\nPublished: 4 November 2021\n\n" + text.split("\n\n", 1)[1]
    findings, meta = run(tmp_path, dated)
    assert findings == [] and (meta.date, meta.date_source) == ("2021-11-04", "text")


def test_relative_only_message(tmp_path):
    findings, _ = run(tmp_path, "Leaders held a video call Wednesday\n\nThey met yesterday too.")
    assert [f.message for f in findings] == [
        "no absolute publication date; only relative dates: 'Wednesday', 'yesterday'"]
    assert (findings[0].line, findings[0].column) == (1, 27)


def test_today_in_prose_is_not_quoted_but_on_a_dateline_it_is(tmp_path):
    prose = "Talks\n\nThe two leaders are among the most powerful figures on the world stage " \
            "today, and their meeting was watched closely by governments everywhere."
    assert "relative" not in run(tmp_path, prose)[0][0].message
    assert "'Today'" in run(tmp_path, "Talks\n\nUpdated Today 10:32\n\nThe leaders met.")[0][0].message


def test_unreadable_metadata_date_is_not_flagged(tmp_path):
    text = "---\ntitle: Talks\ndate: sometime in autumn\n---\n\nThe leaders met."
    assert run(tmp_path, text, name="a.md")[0] == []


def implausible(tmp_path, text, today="2024-01-01", **kw):
    rules = {"missing-date-implausible": {"today": today, **kw}}
    return run(tmp_path, text, select=("missing-date-implausible",), rules=rules)[0]


def test_future_date(tmp_path):
    findings = implausible(tmp_path, "Talks\n\nPublished: 2024-03-01\n\nThe leaders met.")
    assert [f.message for f in findings] == [
        "publication date 2024-03-01 in the text is in the future (today is 2024-01-01)"]
    assert (findings[0].line, findings[0].column) == (3, 12)
    assert implausible(tmp_path, "Talks\n\nPublished: 2024-01-02\n\nThe leaders met.") == []
    assert implausible(tmp_path, "Talks\n\nPublished: 2024-01-03\n\nThe leaders met.",
                       max_days_ahead=5) == []


def test_date_before_1990(tmp_path):
    findings = implausible(tmp_path, "Talks\n\nPublished: 12 March 1985\n\nThe leaders met.")
    assert [f.message for f in findings] == ["publication date 1985-03-12 in the text is before 1990"]
    assert implausible(tmp_path, "Talks\n\nPublished: 12 March 1985", min_year=1980) == []


def test_event_dates_in_headlines_and_prose_are_not_flagged(tmp_path):
    assert implausible(tmp_path, "The night the Berlin Wall fell, 9 November 1989\n\nA look back.") == []
    prose = ("Talks\n\nThe treaty the leaders discussed, signed in Geneva on 12 March 1985 after "
             "years of talks, was the subject of the whole meeting on Tuesday.")
    assert implausible(tmp_path, prose) == []
    assert [f.code for f in implausible(tmp_path, "Talks\n\nMoscow, 12 March 1985 — The leaders met "
                                        "for talks on Tuesday and agreed to meet again.")] == ["NL302"]


def test_future_metadata_date(tmp_path):
    text = "---\ntitle: Talks\ndate: 2031-05-01\n---\n\nThe leaders met."
    rules = {"missing-date-implausible": {"today": "2024-01-01"}}
    findings, _ = run(tmp_path, text, select=("missing-date-implausible",), name="a.md", rules=rules)
    assert [f.message for f in findings] == [("publication date 2031-05-01 in the metadata "
                                              "(front-matter) is in the future (today is 2024-01-01)")]


def test_bad_today_option_is_reported_not_raised(tmp_path):
    findings = implausible(tmp_path, "Talks\n\nPublished: 2024-03-01", today="tomorrow")
    assert [(f.severity, f.message) for f in findings] == [
        ("error", "option 'today' must be a date such as \"2024-05-01\", not 'tomorrow'")]


# -- real data ------------------------------------------------------------------------------
def seed(prefix):
    if not SEEDS.is_dir():
        pytest.skip("seeds folder missing")
    return str(next(SEEDS.glob(f"{prefix}_*.txt")))


@pytest.mark.parametrize("prefix,expected", [("000", 1), ("001", 0), ("002", 1), ("003", 1), ("004", 1)])
def test_seeds(prefix, expected):
    result = Engine(Settings(select=["missing-date"], cache=False)).run([seed(prefix)])
    assert len(result.findings) == expected


def test_seed_003_quotes_the_relative_date():
    result = Engine(Settings(select=["missing-date"], cache=False)).run([seed("003")])
    assert result.findings[0].message == "no absolute publication date; only relative date: 'Wednesday'"


def test_seed_001_glued_date_is_exposed():
    path = seed("001")
    meta = Engine(Settings(select=["missing-date"], cache=False)).run([path]).metadata[path]
    assert (meta.date, meta.date_source) == ("2025-12-03", "text")


def newspaper4k_pages_with_dates():
    if not NEWSPAPER4K.is_dir():
        pytest.skip("newspaper4k corpus missing")
    for meta_path in sorted((NEWSPAPER4K / "metadata").glob("*.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        page = NEWSPAPER4K / "html" / f"{meta_path.stem}.html"
        if meta.get("publish_date") and page.exists():
            yield str(page), meta["publish_date"][:10]


def test_newspaper4k_pages_with_a_date_are_not_flagged():
    engine = Engine(Settings(select=["missing-date"], cache=False))
    pages = list(newspaper4k_pages_with_dates())
    results = {path: engine.run([path]) for path, _ in pages}
    assert len(pages) >= 15
    assert {p: [f.message for f in r.findings] for p, r in results.items() if r.findings} == {}
    wrong_day = {p: (results[p].metadata[p].date, day) for p, day in pages
                 if results[p].metadata[p].date != day}
    assert wrong_day == {}


def test_datefind_is_fast_enough():
    """10,000 generated article tops in well under the time one real page takes to parse."""
    rng = random.Random(7)
    words = ["the", "leaders", "met", "in", "Moscow", "on", "and", "talked", "about", "trade", "security", "sanctions"]
    tops = [" ".join(rng.choices(words, k=250)) + (" Published 3 Nov 2023" if i % 3 else "")
            for i in range(10_000)]
    start = dt.datetime.now()
    found = sum(1 for top in tops if first_absolute(top))
    elapsed = (dt.datetime.now() - start).total_seconds()
    assert found == sum(1 for i in range(10_000) if i % 3)
    assert elapsed < 30


@pytest.mark.parametrize("text,language,iso", [
    ("9 oktober 2020", "nl", "2020-10-09"), ("12 maggio 2021", "it", "2021-05-12"),
    ("5 de maio de 2019", "pt", "2019-05-05"), ("jueves 2 de abril de 2020", "es", "2020-04-02"),
    ("9. Oktober 2020", "de", "2020-10-09"), ("1er mars 2021", "fr", "2021-03-01"),
    ("3 ноября 2023", "ru", "2023-11-03"), ("24 نيسان / أبريل 2020", "ar", "2020-04-24"),
    ("٢٤ أبريل ٢٠٢٠", "ar", "2020-04-24"), ("2 تير 1399", "fa", "2020-06-22"),
    ("۱۱ دی ۱۳۷۰", "fa", "1992-01-01"), ("1399/04/02", "fa", "2020-06-22"),
    ("21 ม.ค.2561", "th", "2018-01-21"), ("21/01/2561", "th", "2018-01-21"),
    ("15 अगस्त 2020", "hi", "2020-08-15"), ("१५ अगस्त २०२०", "hi", "2020-08-15"),
    ("2020年3月16日", "zh", "2020-03-16"), ("令和2年3月16日", "ja", "2020-03-16"),
    ("2020년 3월 16일", "ko", "2020-03-16"), ("2020. 3. 16.", "ko", "2020-03-16"),
    ("20200316T13:00:00Z", None, "2020-03-16"), ("2016-06-13T1603Z", None, "2016-06-13"),
    ("30 اسفند 1400", "fa", None),  # 1400 is not a leap year: no 30 Esfand
])
def test_dates_in_many_languages_and_calendars_are_iso(text, language, iso):
    assert parse_date(text, language) == iso
