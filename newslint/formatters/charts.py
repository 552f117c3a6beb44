"""Static SVG charts for the HTML report, drawn here so they show without
JavaScript. Each chart is a <figure> with a text caption and its numbers as a
table under a <details>, so nothing is said by colour or shape alone. Every
string that reaches the markup goes through `esc`."""
from __future__ import annotations

import math
from html import escape
from typing import Sequence

#: how a severity is drawn besides its colour: hatched, solid, outlined
SEVERITY_CLASS = {"error": "bar sev-error", "warning": "bar sev-warning", "info": "bar sev-info"}
LABEL_CHARS = 36
#: the room an x-axis label such as 2024-03 needs, in chart units
LABEL_WIDTH = 62


def esc(value: object) -> str:
    return escape(str(value), quote=True)


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1] + "\u2026"


def _defs() -> str:
    return ('<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
            'patternTransform="rotate(45)"><rect width="6" height="6" class="hatch-bg"/>'
            '<line x1="0" y1="0" x2="0" y2="6" class="hatch-line" stroke-width="3"/>'
            '</pattern></defs>')


def figure(chart_id: str, title: str, caption: str, svg: str, head: Sequence[str],
           rows: Sequence[Sequence[object]]) -> str:
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in rows)
    table = ("<table><thead><tr>" + "".join(f'<th scope="col">{esc(h)}</th>' for h in head)
             + f"</tr></thead><tbody>{body}</tbody></table>")
    return (f'<figure class="chart" id="{esc(chart_id)}"><h3>{esc(title)}</h3>{svg}'
            f"<figcaption>{esc(caption)}</figcaption>"
            f"<details><summary>The numbers as a table</summary>{table}</details></figure>")


def hbars(title: str, series: Sequence[tuple[str, int, str]], unit: str) -> str:
    """One bar per (label, value, severity-or-note): a severity draws the bar
    hatched (error), solid (warning) or outlined (info) and is written out."""
    if not series:
        return f'<p class="empty">No {esc(unit)} to chart.</p>'
    top = max(v for _, v, _ in series) or 1
    row, label_w, bar_w = 24, 300, 210
    height = row * len(series) + 8
    parts = [f'<svg class="hbars" viewBox="0 0 {label_w + bar_w + 120} {height}" role="img" '
             f'aria-label="{esc(title)}: bar chart, {len(series)} bars" '
             f'preserveAspectRatio="xMinYMin meet">', _defs()]
    for i, (label, value, note) in enumerate(series):
        y = 4 + i * row
        width = max(2.0, bar_w * value / top)
        css = SEVERITY_CLASS.get(note, "bar")
        suffix = f" \u00b7 {note}" if note in SEVERITY_CLASS else ""
        parts.append(f'<g><title>{esc(label)}: {value:,} {esc(unit)}{esc(suffix)}</title>'
                     f'<text class="label" x="{label_w - 8}" y="{y + 16}" text-anchor="end">'
                     f"{esc(_short(label))}</text>"
                     f'<rect class="{css}" x="{label_w}" y="{y + 3}" width="{width:.1f}" '
                     f'height="{row - 8}" rx="2"/>'
                     f'<text class="value" x="{label_w + width + 6:.1f}" y="{y + 16}">'
                     f"{value:,}{esc(suffix)}</text></g>")
    parts.append("</svg>")
    return "".join(parts)


def vbars(title: str, series: Sequence[tuple[str, int]], unit: str,
          line: Sequence[float] | None = None, line_label: str = "") -> str:
    """Columns for (label, value); `line` draws a second series on a 0-100
    scale (the mean quality score) as a dashed line with dots."""
    if not series:
        return f'<p class="empty">No {esc(unit)} to chart.</p>'
    top = max(v for _, v in series) or 1
    left, plot_w, plot_h, bottom = 56, 500, 200, 40
    step = plot_w / len(series)
    every = max(1, math.ceil(len(series) * LABEL_WIDTH / plot_w))
    parts = [f'<svg class="vbars" viewBox="0 0 {left + plot_w + 50} {plot_h + bottom + 12}" '
             f'role="img" aria-label="{esc(title)}: column chart, {len(series)} columns">',
             f'<line class="axis" x1="{left}" y1="{plot_h + 6}" x2="{left + plot_w}" '
             f'y2="{plot_h + 6}"/>',
             f'<text class="tick" x="{left - 6}" y="16" text-anchor="end">{top:,}</text>',
             f'<text class="tick" x="{left - 6}" y="{plot_h + 6}" text-anchor="end">0</text>']
    points: list[tuple[float, float] | None] = []
    for i, (label, value) in enumerate(series):
        x = left + i * step
        h = plot_h * value / top
        note = f", {line_label} {line[i]:.0f}" if line is not None and line[i] is not None else ""
        parts.append(f'<g><title>{esc(label)}: {value:,} {esc(unit)}{esc(note)}</title>'
                     f'<rect class="bar col" x="{x + step * 0.12:.1f}" y="{plot_h + 6 - h:.1f}" '
                     f'width="{max(1.0, step * 0.76):.1f}" height="{max(h, 0.5):.1f}"/></g>')
        if i % every == 0:
            parts.append(f'<text class="tick" x="{x + step / 2:.1f}" y="{plot_h + 24}" '
                         f'text-anchor="middle">{esc(label)}</text>')
        if line is not None:
            points.append(None if line[i] is None else
                          (x + step / 2, plot_h + 6 - plot_h * line[i] / 100))
    if any(points):
        parts += _line(points)
        parts.append(f'<text class="tick" x="{left + plot_w + 6}" y="16">100</text>'
                     f'<text class="tick" x="{left + plot_w + 6}" y="{plot_h + 6}">0</text>')
    parts.append("</svg>")
    return "".join(parts)


def _line(points: Sequence[tuple[float, float] | None]) -> list[str]:
    """A dashed line through the points, broken where a period has no value
    (an empty month is a gap, not a slope), and a square dot on each."""
    runs: list[list[tuple[float, float]]] = [[]]
    for point in points:
        if point is None:
            runs.append([])
        else:
            runs[-1].append(point)
    out = [f'<polyline class="line" points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in run)}"/>'
           for run in runs if len(run) > 1]
    out += [f'<rect class="dot" x="{x - 3:.1f}" y="{y - 3:.1f}" width="6" height="6"/>'
            for run in runs for x, y in run]
    return out
