"""`--format html`: one self-contained HTML report of a run.

The page is the template in `report/` with its stylesheet and script inlined:
no network at view time (a Content-Security-Policy allows only this page's
own script and style, by hash, and no fetch at all). The summary and the
charts are HTML and SVG written here, so they show without JavaScript; the
findings table, the article view and the near-duplicate diffs are drawn by
the script from the JSON embedded in two <script type="application/json">
blocks: the tables, parsed at once, and the article texts, parsed when the
first article or comparison is opened (most of the bytes of a large report).

Everything from the run (article text, titles, file names, messages) is
hostile: markup goes through `html.escape`, and the JSON is escaped so that
no `<`, `>` or `&` appears in it (no `</script>` can end the block).

`options["report"]` is what the caller loaded besides the run (see
`cli/report.collect`): {"articles": {id: Article}, "clusters": [{"keep": id,
"members": [id, ...], "pairs": [...]}]}. Without it the report has no article
text and no clusters.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
from importlib import resources
from typing import IO, Any

from newslint.formatters import report_data
from newslint.formatters.charts import esc, figure, hbars, vbars
from newslint.results import RunResult
from newslint.version import __version__

_PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")
_JSON_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
                "\u2029": "\\u2029"}
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def asset(name: str) -> str:
    return resources.files("newslint.formatters").joinpath("report", name).read_text("utf-8")


def script_json(data: Any) -> str:
    """JSON safe inside a <script> element: `<`, `>` and `&` as \\u escapes."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_UNSAFE[m.group(0)], text)


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def format_html(result: RunResult, stream: IO[str], options: dict[str, Any]) -> None:
    built = report_data.build(result, options.get("report"))
    css, js = asset("report.css"), asset("report.js")
    csp = (f"default-src 'none'; script-src {_csp_hash(js)}; style-src {_csp_hash(css)}; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    values = {"CSP": esc(csp), "CSS": css, "JS": js, "VERSION": esc(__version__),
              "TITLE": esc(options.get("title") or "newslint report"),
              "SUMMARY": summary_html(built["summary"]), "CHARTS": charts_html(built),
              "TEXTS": script_json(built["data"].pop("texts")), "DATA": script_json(built["data"])}
    page = _PLACEHOLDER.sub(lambda m: values[m.group(1)], asset("report.html"))
    stream.write(_LONE_SURROGATE.sub("\ufffd", page))


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "0%"


def summary_html(s: dict[str, Any]) -> str:
    def card(label: str, value: str, detail: str = "") -> str:
        more = f'<span class="detail">{detail}</span>' if detail else ""
        return f'<div class="card"><dt>{esc(label)}</dt><dd><span class="big">{value}</span>{more}</dd></div>'
    severities = " ".join(f'<span class="sev sev-{k}"><span class="icon" aria-hidden="true">'
                          f'{icon}</span> {s[k]:,} {k}{"s" if s[k] != 1 else ""}</span>'
                          for k, icon in (("error", "\u2716"), ("warning", "\u25b2"), ("info", "i")))
    articles = s["articles"]
    cards = [
        card("Articles", f"{articles:,}", f"in {s['files']:,} files"),
        card("Findings", f"{s['findings']:,}", severities),
        card("Fixable with --fix", _pct(s["fixable"], s["findings"]),
             f"{s['fixable']:,} of {s['findings']:,} findings"),
        card("Articles with findings", _pct(s["flagged_articles"], articles),
             f"{s['flagged_articles']:,} of {articles:,}"),
        card("Quality score", f"{s['score_mean']:.1f}",
             f"mean of 0-100 (median {s['score_median']:g}); 100 = no finding"),
        card("Duplicates dropped", f"{s['dropped']:,}",
             f"{_n(s['clusters'], 'near-duplicate cluster')}, {_n(s['in_clusters'], 'article')} "
             "in them"),
        card("Missing publication date", _pct(s["undated"], s["undated"] + s["dated"]),
             f"{s['undated']:,} of {s['undated'] + s['dated']:,} articles"),
        card("Unreadable inputs", f"{s['input_errors']:,}", "files or records that could not be read"),
    ]
    errors = ""
    if s["errors"]:
        items = "".join(f"<li><code>{esc(p)}{f':{line}' if line else ''}</code> {esc(m)}</li>"
                        for p, line, m in s["errors"][:500])
        errors = f"<details><summary>Inputs that could not be read</summary><ul>{items}</ul></details>"
    if not s["with_text"]:
        note = ('<p class="note">Article text is not in this report (it was written from '
                "standard input or by a caller that passed none).</p>")
    elif s["text_budget"] is not None and s["with_text"] < s["listed_articles"]:
        note = (f'<p class="note">Article text is in this report for {s["with_text"]:,} of the '
                f'{s["listed_articles"]:,} articles with findings or near-duplicates (clusters '
                f"first, then by path); the rest did not fit in its text "
                f"budget of {s['text_budget'] / 1e6:g} MB (<code>--max-text-mb</code>).</p>")
    else:
        note = ""
    return f'<dl class="cards">{"".join(cards)}</dl>{errors}{note}'


def charts_html(built: dict[str, Any]) -> str:
    c, s = built["charts"], built["summary"]
    rules, sites, scores, timeline = c["rules"], c["sites"], c["scores"], c["timeline"]
    series = [(p, n) for p, n, _ in timeline["series"]]
    means = [m for _, _, m in timeline["series"]]
    undated = timeline["missing"] + timeline["unreadable"]
    parts = [
        figure("chart-rules", "Findings per rule", "Bars are hatched for errors, solid for "
               "warnings and outlined for infos; the level is also written after each count.",
               hbars("Findings per rule", rules, "findings"), ("Rule", "Findings", "Level"), rules),
        figure("chart-sites", "Findings per site or outlet", "The outlet detected in each "
               "article (byline, metadata), else the host of its URL.",
               hbars("Findings per site", sites, "findings"), ("Site", "Findings", ""), sites),
        figure("chart-scores", "Quality score distribution", f"Articles by quality score "
               f"(100 minus 20 per error, 8 per warning, 2 per info; a rule counts at most 3 "
               f"times). Mean {s['score_mean']:.1f}, median {s['score_median']:g}.",
               vbars("Quality score distribution", scores, "articles"),
               ("Score", "Articles"), scores),
        figure("chart-timeline", "Publication dates", f"Articles per period of publication "
               f"(columns) and their mean quality score (dashed line, 0-100 scale). "
               f"{_pct(undated, timeline['total'])} of articles have no usable date "
               f"({timeline['missing']:,} missing, {timeline['unreadable']:,} not understood).",
               vbars("Publication dates", series, "articles", means, "mean score"),
               ("Period", "Articles", "Mean score"),
               [(p, n, "" if m is None else f"{m:.1f}") for p, n, m in timeline["series"]]),
    ]
    return "".join(parts)
