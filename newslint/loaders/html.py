"""HTML pages, parsed with BeautifulSoup and the stdlib "html.parser".

Metadata (title, date, authors, outlet, ...) is read by `html_meta.py`.
The body is the text of the article container (`[itemprop=articleBody]`,
`<article>`, `<main>`, or the element with the most paragraph text): one block
per p, h2-h4, li and blockquote (and long text runs straight inside divs,
split at <br>), whitespace collapsed. `Block.line`/`end_line` are the file
lines where the block's text starts and ends (not the start tag's line, which
may be earlier). `source` is None: HTML is not fixed in place. Suppression:
`<!-- newslint: disable=... -->` comments, at the comment's line.

Every walk over the tree is iterative; pages nested deeper than `MAX_DEPTH`
are refused.
"""
from __future__ import annotations

import bisect
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from bs4.element import Declaration, Doctype, ProcessingInstruction

from newslint.loaders.common import (
    SUPPRESS_RE,
    decode,
    marker_suppressions,
    normalize_newlines,
)
from newslint.loaders.html_meta import meta_tags, page_metadata, page_title
from newslint.loaders.markdown import iter_comments
from newslint.model import Article, Block, LoadError, Suppression

MAX_DEPTH = 2000
WIDEN = 0.6  # see _widen
#: ids and classes of page parts whose prose is not the article's (comments,
#: related posts, sidebars), looked for on the four elements around a
#: paragraph (further up they name page layouts): a container is never
#: widened to take that prose in
NOT_ARTICLE_RE = re.compile(r"comment|disqus|respond|reply|related|sidebar|widget|footer|"
                            r"recommend|promo|newsletter|share|social", re.IGNORECASE)
MIN_RUN = 80  # characters of text straight inside a div that count as a paragraph
SKIP_TAGS = frozenset({"script", "style", "nav", "footer", "aside", "form", "noscript",
                       "template", "svg", "button", "select", "textarea", "iframe", "head",
                       "title"})
BLOCK_TAGS = frozenset({"p", "h2", "h3", "h4", "li", "blockquote"})
FLOW_TAGS = BLOCK_TAGS | {"h1", "h5", "h6", "div", "section", "article", "main", "body", "td",
                          "th", "dd", "dt", "figcaption", "pre", "header", "center", "table",
                          "ul", "ol", "dl", "tr", "html"}
NOT_TEXT = (Comment, Declaration, Doctype, ProcessingInstruction)
OPENER_RE = re.compile(r"<(!--|!\[\s*([A-Za-z][-_.A-Za-z0-9]*)?)?")
COMMENT_CLOSE_RE = re.compile(r"--\s*>")
SECTION_CLOSE_RE = re.compile(r"\]\s*>")
CDATA_CLOSE_RE = re.compile(r"\]\s*\]\s*>")
CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def load_html(path: str, data: bytes, settings=None) -> Iterator[Article]:
    text, warning = decode_html(data)
    text, newline = normalize_newlines(text)
    if not text.strip():
        raise LoadError("empty file: no text to check")
    text = defuse_markup(text)
    soup = parse(text)
    try:
        article = build_article(path, soup, text)
    except RecursionError:
        raise LoadError(f"HTML nested too deeply (more than {MAX_DEPTH} levels)") from None
    except (AttributeError, TypeError, ValueError, IndexError, KeyError) as exc:
        # bs4 is a black box for odd markup: report, never crash the run
        raise LoadError(f"could not read HTML: {type(exc).__name__}: {exc}") from None
    article.extra["newline"] = newline
    if warning:
        article.extra["encoding_warning"] = warning
    yield article


def decode_html(data: bytes) -> tuple[str, str | None]:
    """UTF-8 first; if that fails and the page declares a charset, use it;
    else the common fallback (with its warning)."""
    text, warning = decode(data)
    declared = CHARSET_RE.search(data[:4096])
    name = declared.group(1).decode("ascii").lower() if declared else ""
    if warning and name and not re.search(r"16|32", name):  # UTF-16/32 would hold NULs
        try:
            return data.decode(name), None
        except (LookupError, UnicodeDecodeError, ValueError):
            pass
    return text, warning


def defuse_markup(text: str) -> str:
    """Turn into text (`&lt;`) each `<` that starts a construct which can never
    close: a tag after the last `>`, a comment after the last `-->`, a marked
    section (`<![CDATA[`, `<![if`) after its last terminator or of a kind
    html.parser rejects. Python's html.parser (before 3.12.11/3.13.4) rescans
    to the end of the input for each of them: quadratic time on hostile input.
    No newline is added, so file lines stay right."""
    last_tag = text.rfind(">")
    last_comment = _last_start(COMMENT_CLOSE_RE, text)
    last_section = _last_start(SECTION_CLOSE_RE, text)
    last_cdata = _last_start(CDATA_CLOSE_RE, text)

    def escape(m: re.Match) -> str:
        start, kind = m.start(), (m.group(2) or "").lower()
        if start >= last_tag:
            closes = False
        elif m.group(1) == "!--":
            closes = last_comment >= start + 4
        elif m.group(1):
            closes = (kind in ("if", "else", "endif") and last_section > start
                      or kind in ("cdata", "temp", "ignore", "include", "rcdata") and last_cdata > start)
        else:
            closes = True
        return m.group(0) if closes else "&lt;" + m.group(0)[1:]
    return OPENER_RE.sub(escape, text)


def _last_start(pattern: re.Pattern, text: str) -> int:
    last = -1
    for m in pattern.finditer(text):
        last = m.start()
    return last


def parse(text: str) -> BeautifulSoup:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return BeautifulSoup(text, "html.parser")
    except RecursionError:
        raise LoadError(f"HTML nested too deeply (more than {MAX_DEPTH} levels)") from None
    except Exception as exc:  # noqa: BLE001 - the parser's failures vary by input
        raise LoadError(f"could not parse HTML: {exc}") from None


def build_article(path: str, soup: BeautifulSoup, text: str) -> Article:
    lines = SourceLines(text)
    segments = list(text_segments(soup, lines))
    container = choose_container(soup, segments)
    inside = segments if container is soup else list(text_segments(container, lines))
    blocks = body_blocks(inside)
    meta = meta_tags(soup)
    title, title_line = page_title(soup, meta)
    if not blocks and not title:
        raise LoadError("no text to check: the page has no title and no body text")
    return Article(id=path, path=path, format="html", title=title, title_line=title_line,
                   blocks=tuple(blocks), meta=page_metadata(soup, meta, text),
                   source=None, suppressions=tuple(comment_suppressions(soup, lines)), extra={})


# -- walking the tree ------------------------------------------------------------------
@dataclass
class Segment:
    """Text owned by one flow element (its own, not its nested blocks'), cut at <br>."""

    owner: Tag
    pieces: list[str]
    line: int
    end_line: int

    @property
    def text(self) -> str:
        return " ".join("".join(self.pieces).split())


class SourceLines:
    """Maps a tag to the file line just after its start tag (which may span lines)."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_at(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)

    def after_start_tag(self, tag: Tag, default: int) -> int:
        if tag.sourceline is None or not 0 < tag.sourceline <= len(self.starts):
            return default
        offset = self.starts[tag.sourceline - 1] + (tag.sourcepos or 0)
        close = self.text.find(">", offset)
        return tag.sourceline + self.text.count("\n", offset, max(close, offset))


def text_segments(root: Tag, lines: SourceLines) -> Iterator[Segment]:
    """Segments of visible text under `root`, in document order, without recursion."""
    open_segments: dict[tuple[int, int], Segment] = {}
    breaks: dict[int, int] = {}
    line = lines.after_start_tag(root, 1)
    stack: list[tuple[object, Tag, int]] = [(child, root, 1) for child in reversed(root.contents)]
    while stack:
        node, owner, depth = stack.pop()
        if isinstance(node, Tag):
            if depth > MAX_DEPTH:
                raise LoadError(f"HTML nested too deeply (more than {MAX_DEPTH} levels)")
            line = lines.after_start_tag(node, line)
            if node.name == "br":
                breaks[id(owner)] = breaks.get(id(owner), 0) + 1
            elif node.name not in SKIP_TAGS and not node.has_attr("hidden"):
                inner = node if node.name in FLOW_TAGS else owner
                stack.extend((child, inner, depth + 1) for child in reversed(node.contents))
            continue
        if not isinstance(node, NavigableString):
            continue
        start = line + node[:len(node) - len(node.lstrip())].count("\n")
        end = line + node.rstrip().count("\n")
        line += node.count("\n")
        if isinstance(node, NOT_TEXT) or not node.strip():
            continue
        key = (id(owner), breaks.get(id(owner), 0))
        if key in open_segments:
            open_segments[key].pieces.append(str(node))
            open_segments[key].end_line = end
        else:
            open_segments[key] = Segment(owner, [str(node)], start, end)
            yield open_segments[key]


def choose_container(soup: BeautifulSoup, segments: list[Segment]) -> Tag:
    """The article body: a semantic container holding most of the prose, else
    the element scoring best on it. Prose units are <p> text (scoring its
    parent fully, its grandparent half) and long text runs straight inside a
    div or similar (scoring that element, then its parent half)."""
    units = [s for s in segments if s.owner.name == "p" or _is_run(s)] or segments
    total: dict[int, int] = {}
    article_like: dict[int, int] = {}  # prose that is not in comments, related posts, sidebars
    score: dict[int, float] = {}
    outside: dict[int, float] = {}  # the score of prose in comments, related posts, sidebars
    elements: dict[int, Tag] = {}
    for seg in units:
        size = len(seg.text)
        chain = list(_ancestors(seg.owner, include_self=seg.owner.name != "p"))
        counted = not any(NOT_ARTICLE_RE.search(_names(tag)) for tag in chain[:4])
        for depth, parent in enumerate(chain):
            total[id(parent)] = total.get(id(parent), 0) + size
            if counted:
                article_like[id(parent)] = article_like.get(id(parent), 0) + size
            elements[id(parent)] = parent
            if depth < 2:
                scores = score if counted else outside
                scores[id(parent)] = scores.get(id(parent), 0) + size / (depth + 1)
    score = score or outside  # the page is all comments: take them
    if not score:
        return soup
    best = elements[max(score, key=score.get)]
    best = _widen(best, article_like)
    for candidate in _semantic_candidates(soup, total):
        if total.get(id(candidate), 0) >= 0.6 * total.get(id(best), 0):
            return candidate
    return best


def _names(tag: Tag) -> str:
    """A tag's id and classes, for NOT_ARTICLE_RE."""
    names = []
    for value in (tag.get("id"), tag.get("class")):
        if isinstance(value, str):
            names.append(value)
        elif value:
            names.extend(str(v) for v in value)
    return " ".join(names)


def _widen(best: Tag, total: dict[int, int]) -> Tag:
    """The nearest ancestor with more prose than the best element, when the
    best holds less than WIDEN of that prose (repeated): an article cut into
    sibling sections (a <div> per part, a table cell per column) is one
    article, not its largest part. Wrappers with no more prose are skipped."""
    current, here = best, total.get(id(best), 0)
    if not here:
        return best  # its prose is all in comments or related posts: nothing to measure by
    for ancestor in _ancestors(best, include_self=False):
        if ancestor.name == "body":
            break
        more = total.get(id(ancestor), 0)
        if more > here:
            if here >= WIDEN * more:
                break
            current, here = ancestor, more
    return current


def _is_run(seg: Segment) -> bool:
    """Long text straight inside a div-like element: prose without <p> tags."""
    return seg.owner.name not in BLOCK_TAGS and not _is_heading(seg.owner) and len(seg.text) >= MIN_RUN


def _is_heading(tag: Tag) -> bool:
    return len(tag.name) == 2 and tag.name[0] == "h" and tag.name[1].isdigit()


def _ancestors(tag: Tag, include_self: bool) -> Iterator[Tag]:
    if include_self:
        yield tag
    for parent in tag.parents:
        if parent.name not in ("html", "[document]"):
            yield parent


def _semantic_candidates(soup: BeautifulSoup, total: dict[int, int]) -> list[Tag]:
    body = soup.find_all(attrs={"itemprop": re.compile(r"\barticleBody\b", re.IGNORECASE)})
    articles = sorted(soup.find_all("article"), key=lambda t: -total.get(id(t), 0))
    return [t for t in (body + articles[:1] + soup.find_all("main", limit=1)) if isinstance(t, Tag)]


def body_blocks(segments: list[Segment]) -> list[Block]:
    """Blocks from p, h2-h4, li, blockquote text and long runs straight inside
    divs; any text at all if there is none of those."""
    chosen = [s for s in segments if s.owner.name in BLOCK_TAGS or _is_run(s)] or segments
    blocks = []
    for seg in chosen:
        text = seg.text
        if text:
            kind = "heading" if _is_heading(seg.owner) else "paragraph"
            blocks.append(Block(text, seg.line, max(seg.line, seg.end_line), kind=kind))
    return blocks


def comment_suppressions(soup: BeautifulSoup, lines: SourceLines) -> list[Suppression]:
    """`<!-- newslint: disable=... -->` comments, at the line where each starts:
    each Comment node is paired, in order, with the raw comment of the same text."""
    raw = [(inner, lines.line_at(begin))
           for begin, _, inner in iter_comments(lines.text) if SUPPRESS_RE.search(inner)]
    found, cursor = [], 0
    for node in soup.find_all(string=lambda s: isinstance(s, Comment)):
        marker = SUPPRESS_RE.search(node)
        if not marker:
            continue
        match = next((i for i in range(cursor, len(raw)) if raw[i][0] == str(node)), None)
        line = 1
        if match is not None:
            cursor, line = match + 1, raw[match][1]
        found.append((marker.group(1), marker.group(2), line))
    return marker_suppressions(found, lines.text, {line for _, _, line in found})
