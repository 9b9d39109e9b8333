"""Turning a WordPress post's content into the blocks of an article body.

`convert_body(content, find_image)` reads classic content (HTML where blank lines stand for
paragraphs, as WordPress's `wpautop` reads it) and Gutenberg content (the same HTML between
`<!-- wp:... -->` block comments) and returns StreamField data for `ArticleBodyBlock`:
paragraphs (rich text: bold, italic, links, lists, superscript, subscript, line breaks),
headings, quotes, pull quotes, images with alt text and caption (`[caption]`, `<figure>`,
galleries, a cover's background), embeds (`[embed]`, Gutenberg embeds, a lone URL on its own
line, video iframes, tweets) when one of Wagtail's embed finders accepts the address, and
footnotes (WordPress 6.3+, given as the post's `footnotes` meta). What Masthead has no block
for is kept as a link where it can be (an audio or video file, a map or chart iframe, an
address no embed finder accepts) and listed in `ConvertedBody.dropped`. Shortcodes it does not
know are kept as text and listed. Everything is sanitized on the way in: no script, no style,
no event handlers, no `javascript:` links.

`plain_text(html)` is the text of an excerpt or a title, for fields that take no markup.

How it works: known shortcodes and lone URLs are first rewritten into placeholder elements
(`<figure data-wp-attachment>`, `<wp-gallery>`, `<wp-embed>`, `<wp-media>`), with `<pre>`,
`<code>`, `<script>` and `<style>` set aside meanwhile (shortcodes in code are text); the HTML is
then read into a small tree with the standard library's forgiving `HTMLParser`, and
`_BodyWriter` walks the tree, writing rich text for the words and a block for each heading,
quote, image and embed.
Gutenberg content is first cut at its block comments so each block's attributes can be used.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape, unescape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote, urlsplit

from wagtail.embeds.finders import get_finders


@dataclass
class ImageRequest:
    """An image the body shows, as the post refers to it."""

    url: str  # the <img src> ("" when only the attachment id is known, as in [gallery ids=...])
    attachment_id: (
        int | None
    )  # from class="wp-image-123", {"id":123}, [caption id="attachment_123"]
    alt: str
    caption: str  # plain text


# Gives the Wagtail image for a request (an object with `.pk`; `.pk` is None in a dry run), or
# None when the file cannot be found (the converter then leaves the image out and lists it).
ImageFinder = Callable[[ImageRequest], Any]


@dataclass
class ConvertedBody:
    blocks: list[dict]  # [{"type": "paragraph", "value": "<p>…</p>", "id": "<uuid4>"}, ...]
    unknown_shortcodes: list[str] = field(default_factory=list)  # names, once each, in order
    missing_images: list[str] = field(default_factory=list)  # urls (or "attachment 123")
    # What the body had that the article does not show as it was, once each, in order, in
    # words: "video https://…/clip.mp4 (kept as a link)", "reusable block 12 (not imported)".
    dropped: list[str] = field(default_factory=list)


def convert_body(content: str, find_image: ImageFinder, *, footnotes: str = "") -> ConvertedBody:
    """The blocks of an article body for a post's `content:encoded` (see the module's
    docstring). `footnotes` is the post's `footnotes` meta as WordPress 6.3+ stores it (a JSON
    list of {"id": ..., "content": ...}); they are written as a numbered list where the
    `wp:footnotes` block is, or at the end. Never raises for odd or broken HTML."""
    content = content or ""
    if "\r" in content:
        content = content.replace("\r\n", "\n").replace("\r", "\n")
    writer = _BodyWriter(find_image, footnotes)
    if "<!-- wp:" in content:
        writer.write_gutenberg(content)
    else:
        writer.write_html(content, autop=True)
    writer.finish()
    return ConvertedBody(
        writer.blocks, writer.unknown_shortcodes, writer.missing_images, writer.dropped
    )


def _embeddable(url: str) -> bool:
    """Whether one of Wagtail's embed finders (WAGTAILEMBEDS_FINDERS) takes `url`. Answers are
    remembered per address: the oEmbed finder tries some hundred patterns each time."""
    known = _EMBEDDABLE.get(url)
    if known is not None:
        return known
    try:
        accepted = any(finder.accept(url) for finder in get_finders())
    except Exception:  # a misconfigured finder: write a link rather than fail the import
        accepted = False
    if len(_EMBEDDABLE) >= _EMBEDDABLE_LIMIT:
        _EMBEDDABLE.clear()
    _EMBEDDABLE[url] = accepted
    return accepted


_EMBEDDABLE: dict[str, bool] = {}
_EMBEDDABLE_LIMIT = 4096


def plain_text(html: str) -> str:
    """The words of `html` without markup, entities decoded, whitespace collapsed."""
    if not html:
        return ""
    if "<" not in html and "&" not in html:
        return " ".join(html.split())
    reader = _TextReader()
    try:
        reader.feed(html)
        reader.close()
    except Exception:  # HTMLParser is forgiving; this is a last resort, never expected
        return " ".join(unescape(_ANY_TAG_RE.sub(" ", html)).split())
    return " ".join("".join(reader.words).split())


# --- Vocabulary ----------------------------------------------------------------------------

HEADING_MAX_LENGTH = 200
CAPTION_MAX_LENGTH = 300
ATTRIBUTION_MAX_LENGTH = 200
MAX_TREE_DEPTH = 64  # deeper elements are read as siblings: no recursion limit on odd input
MAX_BLOCK_DEPTH = 24  # Gutenberg blocks nested deeper are read as plain HTML

SAFE_LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
KNOWN_SHORTCODES = frozenset({"caption", "wp_caption", "gallery", "embed", "video", "audio"})
SKIPPED_BLOCKS = frozenset({"spacer", "separator", "more", "nextpage"})
# Blocks read as one piece of HTML even when they hold inner blocks (their wrapper matters).
WHOLE_HTML_BLOCKS = frozenset(
    {"quote", "pullquote", "list", "list-item", "table", "paragraph", "heading", "html", "code"}
)
VIDEO_HOSTS = frozenset(
    {"youtube.com", "m.youtube.com", "youtube-nocookie.com", "player.vimeo.com"}
)

_MARK_TAGS = {"b": "b", "strong": "b", "i": "i", "em": "i", "sup": "sup", "sub": "sub"}
# Dropped with everything inside them (iframes of video sites become embeds first).
_DROPPED_TAGS = frozenset(
    {
        "script", "style", "iframe", "object", "embed", "applet", "form", "input", "select",
        "textarea", "button", "option", "noscript", "template", "svg", "math", "canvas",
        "head", "title", "map", "frame", "frameset",
    }
)  # fmt: skip
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_LIST_TAGS = frozenset({"ul", "ol", "menu", "dir"})
# Elements whose content is a paragraph of its own (or several).
_CONTAINER_TAGS = frozenset(
    {
        "p", "div", "section", "article", "header", "footer", "aside", "main", "nav",
        "address", "center", "dl", "dt", "dd", "details", "summary", "figcaption", "caption",
        "fieldset", "legend", "hgroup", "tr", "td", "th", "thead", "tbody", "tfoot", "body",
        "html", "dialog",
    }
)  # fmt: skip
# A start tag of one of these ends an open <p> (as browsers read HTML).
_P_CLOSING_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir",
        "div", "dl", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
        "h4", "h5", "h6", "header", "hgroup", "hr", "main", "menu", "nav", "ol", "p", "pre",
        "section", "summary", "table", "ul", "li", "dd", "dt",
    }
)  # fmt: skip
_SCOPE_TAGS = _P_CLOSING_TAGS | {"td", "th", "tr", "tbody", "thead", "tfoot", "caption", "#root"}
_VOID_TAGS = frozenset(
    {
        "br", "img", "hr", "input", "meta", "link", "source", "wbr", "area", "col", "embed",
        "param", "track", "base", "keygen",
    }
)  # fmt: skip
# Where plain text needs a paragraph break (quotes) or at least a space (plain_text).
_TEXT_BREAK_TAGS = (
    _CONTAINER_TAGS | _HEADING_TAGS | _LIST_TAGS | {"li", "blockquote", "figure", "pre", "table"}
) - {"td", "th"}
# Moved out of headings, quotes and table cells, each to a block (or paragraph) of its own.
_MEDIA_TAGS = frozenset({"img", "iframe", "wp-embed", "wp-gallery", "wp-media", "video", "audio"})
_MEDIA_FILE_TAGS = frozenset({"video", "audio"})

_SPACES_RE = re.compile(r"[ \t\n\f\v]+")
_BLANK_LINE_RE = re.compile(r"\n[ \t\f\v]*\n")
_PARAGRAPH_BREAK_RE = re.compile(r"\n[^\S\xa0]*\n")
_CONTROL_RE = re.compile(r"[\x00-\x20\x7f-\x9f]+")
_OUTPUT_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]+")
_SCHEME_RE = re.compile(r"([a-z][a-z0-9+.\-]*):")
_WP_IMAGE_RE = re.compile(r"\bwp-image-(\d+)\b")
_ATTACHMENT_RE = re.compile(r"attachment_(\d+)")
_URL_RE = re.compile(r"https?://[^\s<>\"']+")
_ANY_TAG_RE = re.compile(r"<[^>]*>")
_PROTECTED_RE = re.compile(r"<(pre|code|script|style)\b.*?</\1\s*>", re.S | re.I)
_PROTECTED_HINT_RE = re.compile(r"<(?:pre|code|script|style)\b", re.I)
_PROTECTED_TOKEN_RE = re.compile("\ue000(\\d+)\ue001")
_LONE_URL_LINE_RE = re.compile(r"^[ \t]*(https?://[^\s<>\"]+)[ \t]*$", re.M)
_LONE_URL_P_RE = re.compile(r"<p(?:\s[^>]*)?>\s*(https?://[^\s<>\"]+)\s*</p>", re.I)
_CAPTION_SC_RE = re.compile(r"\[(caption|wp_caption)\b([^\]]*)\](.*?)\[/\1\]", re.S | re.I)
_CAPTION_IMAGE_RE = re.compile(r"\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)", re.S | re.I)
_EMBED_SC_RE = re.compile(r"\[embed\b[^\]]*\](.*?)\[/embed\]", re.S | re.I)
_GALLERY_SC_RE = re.compile(r"\[gallery\b([^\]]*)\]", re.I)
_MEDIA_SC_RE = re.compile(r"\[(video|audio)\b([^\]]*)\]", re.I)
_MEDIA_SC_END_RE = re.compile(r"\[/(?:video|audio)\]", re.I)
_SHORTCODE_RE = re.compile(r"\[([A-Za-z][\w-]*)(\s[^\[\]]*?)?\s*(/)?\]")
_SHORTCODE_ATTR_RE = re.compile(r"([\w-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s'\"\]]+))")
_BLOCK_COMMENT_RE = re.compile(
    r"<!--\s+(/)?wp:([a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?)\s+(\{.*?\}\s+)?(/)?-->", re.S
)
_FIGCAPTION_RE = re.compile(r"<figcaption\b[^>]*>(.*?)</figcaption>", re.S | re.I)
_YOUTUBE_EMBED_PATH_RE = re.compile(r"/embed/([\w-]{6,})")
_VIMEO_PLAYER_PATH_RE = re.compile(r"/video/(\d+)")
_TWEET_URL_RE = re.compile(
    r"https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/\w+/status(?:es)?/\d+", re.I
)
_FLOURISH_EMBED_RE = re.compile(r"https?://flo\.uri\.sh/(visualisation|story)/(\d+)/embed")
_DASHES = "\u2014\u2013\u2015\u2212-\xb7 \xa0"  # dashes before a quote's attribution


# --- Small helpers ---------------------------------------------------------------------------


def _new_block(kind: str, value: Any) -> dict:
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def _positive_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
        return number if number > 0 else None
    return None


def _safe_href(href: str | None) -> str | None:
    """The link's address when it is one a reader can follow safely; None for `javascript:`,
    `data:` and other schemes (checked the way browsers read them: control characters and
    whitespace anywhere ignored, any case)."""
    if not href:
        return None
    compact = _CONTROL_RE.sub("", href).lower()
    if not compact:
        return None
    scheme = _SCHEME_RE.match(compact)
    if scheme and scheme.group(1) not in SAFE_LINK_SCHEMES:
        return None
    return _OUTPUT_CONTROL_RE.sub("", href.strip())


def _http_url(url: Any) -> str | None:
    if not isinstance(url, str):
        return None
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    lowered = url.lower()
    if lowered.startswith(("http://", "https://")) and len(url) > 10:
        return url
    return None


def _video_url(src: str | None) -> str | None:
    """The address of the video an <iframe> plays, for YouTube and Vimeo players; None for
    any other site."""
    url = _http_url(src)
    if url is None:
        return None
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").removeprefix("www.")
    except ValueError:
        return None
    if host not in VIDEO_HOSTS:
        return None
    if host == "player.vimeo.com":
        vimeo = _VIMEO_PLAYER_PATH_RE.match(parts.path)
        return f"https://vimeo.com/{vimeo.group(1)}" if vimeo else url
    youtube = _YOUTUBE_EMBED_PATH_RE.match(parts.path)
    return f"https://www.youtube.com/watch?v={youtube.group(1)}" if youtube else url


def _player_url(src: str | None) -> str | None:
    """What an <iframe> shows, to embed or link to: a YouTube or Vimeo player's video page, a
    Flourish chart's public page, else the iframe's own address (http and https only)."""
    url = _http_url(src)
    if url is None:
        return None
    if "flo.uri.sh/" in url:
        flourish = _FLOURISH_EMBED_RE.match(url)
        if flourish:
            return f"https://public.flourish.studio/{flourish.group(1)}/{flourish.group(2)}/"
    return _video_url(url) or url


def _file_name(url: str) -> str:
    """The last part of a file's address, as a link's words ("clip.mp4")."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return url
    return unquote(path.rstrip("/").rpartition("/")[2]) or url


def _without_query(url: str) -> str:
    return url.partition("?")[0].partition("#")[0]


def _footnote_contents(raw: str) -> list[str] | None:
    """The HTML of each footnote in a post's `footnotes` meta; None when it cannot be read."""
    try:
        notes = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(notes, list):
        return None
    return [
        note["content"]
        for note in notes
        if isinstance(note, dict) and isinstance(note.get("content"), str)
    ]


def _shortcode_attrs(text: str) -> dict[str, str]:
    attrs = {}
    for match in _SHORTCODE_ATTR_RE.finditer(text):
        name, double, single, bare = match.groups()
        attrs[name.lower()] = next(v for v in (double, single, bare) if v is not None)
    return attrs


def _placeholder(tag: str, **attrs: str) -> str:
    rendered = "".join(f' {name}="{escape(value)}"' for name, value in attrs.items())
    return f"<{tag}{rendered}></{tag}>"


def _paragraph_text(tokens: list[str]) -> str:
    """Text gathered from HTML as plain paragraphs: blank line between paragraphs, one line
    break where the HTML had one, spaces collapsed."""
    paragraphs = []
    for chunk in _PARAGRAPH_BREAK_RE.split("".join(tokens)):
        lines = [" ".join(line.split()) for line in chunk.split("\n")]
        text = "\n".join(line for line in lines if line)
        if text:
            paragraphs.append(text)
    return "\n\n".join(paragraphs)


# --- Reading HTML into a tree ----------------------------------------------------------------


class _Element:
    __slots__ = ("attrs", "children", "tag")

    def __init__(self, tag: str, attrs: dict[str, str], children: list) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children = children  # of _Element and str

    def attr(self, name: str) -> str:
        return self.attrs.get(name) or ""


_NO_ATTRS: dict[str, str] = {}


class _TreeReader(HTMLParser):
    """HTML into `_Element`s, closing what browsers close implicitly (an open <p> at a block,
    an <li> at the next <li>, table rows and cells), ignoring stray end tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Element("#root", _NO_ATTRS, [])
        self.stack = [self.root]

    def _pop_to(self, tag: str, boundaries: frozenset[str] | set[str]) -> None:
        stack = self.stack
        for index in range(len(stack) - 1, 0, -1):
            open_tag = stack[index].tag
            if open_tag == tag:
                del stack[index:]
                return
            if open_tag in boundaries:
                return

    def _add(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        if tag in _P_CLOSING_TAGS:
            self._pop_to("p", _SCOPE_TAGS)
            if tag == "li":
                self._pop_to("li", {"ul", "ol", "menu", "dir", "table", "blockquote", "figure"})
            elif tag == "dt" or tag == "dd":
                self._pop_to("dt", {"dl", "table"})
                self._pop_to("dd", {"dl", "table"})
        elif tag == "tr":
            self._pop_to("tr", {"table"})
        elif tag == "td" or tag == "th":
            self._pop_to("td", {"tr", "table"})
            self._pop_to("th", {"tr", "table"})
        element = _Element(tag, {k: v or "" for k, v in attrs} if attrs else _NO_ATTRS, [])
        stack = self.stack
        stack[-1].children.append(element)
        if not closed and tag not in _VOID_TAGS and len(stack) < MAX_TREE_DEPTH:
            stack.append(element)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._add(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._add(tag, attrs, closed=True)

    def handle_endtag(self, tag: str) -> None:
        stack = self.stack
        if len(stack) > 1 and stack[-1].tag == tag:
            stack.pop()
            return
        for index in range(len(stack) - 1, 0, -1):
            if stack[index].tag == tag:
                del stack[index:]
                return
        if tag == "br":  # </br> reads as <br> in browsers
            stack[-1].children.append(_Element("br", _NO_ATTRS, []))

    def handle_data(self, data: str) -> None:
        children = self.stack[-1].children
        if children and children[-1].__class__ is str:
            children[-1] += data
        else:
            children.append(data)


def _link_targets(node: _Element) -> list[str]:
    """The addresses of the links under `node`, in order."""
    targets = []
    for child in node.children:
        if child.__class__ is _Element:
            if child.tag == "a" and child.attr("href"):
                targets.append(child.attr("href").strip())
            targets.extend(_link_targets(child))
    return targets


def _read_tree(html: str) -> _Element:
    reader = _TreeReader()
    try:
        reader.feed(html)
        reader.close()
    except Exception:  # never expected from HTMLParser; keep the words rather than fail
        return _Element("#root", _NO_ATTRS, [unescape(_ANY_TAG_RE.sub(" ", html))])
    return reader.root


class _TextReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skipping += 1
        elif tag in _TEXT_BREAK_TAGS or tag == "br" or tag in ("td", "th"):
            self.words.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skipping = max(0, self.skipping - 1)
        elif tag in _TEXT_BREAK_TAGS or tag in ("td", "th"):
            self.words.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.words.append(data)


# --- Gutenberg block comments ----------------------------------------------------------------


class _GutenbergBlock:
    __slots__ = ("attrs", "children", "end", "name", "start")

    def __init__(self, name: str, attrs: dict, start: int) -> None:
        self.name = name
        self.attrs = attrs
        self.children: list = []  # of str (HTML between inner blocks) and _GutenbergBlock
        self.start = start  # where the inner HTML starts in the content
        self.end = start

    def has_inner_blocks(self) -> bool:
        return any(child.__class__ is _GutenbergBlock for child in self.children)


def _read_blocks(content: str) -> _GutenbergBlock:
    """Content cut at its `<!-- wp:name {attrs} -->` comments into a tree of blocks (unclosed
    blocks end with the content; stray closing comments are ignored)."""
    root = _GutenbergBlock("", {}, 0)
    stack = [root]
    position = 0
    for match in _BLOCK_COMMENT_RE.finditer(content):
        if match.start() > position:
            stack[-1].children.append(content[position : match.start()])
        position = match.end()
        closer, name, raw_attrs, void = match.groups()
        name = name.removeprefix("core/")
        if closer:
            for index in range(len(stack) - 1, 0, -1):
                if stack[index].name == name:
                    for block in stack[index:]:
                        block.end = match.start()
                    del stack[index:]
                    break
            continue
        attrs = {}
        if raw_attrs:
            try:
                parsed = json.loads(raw_attrs)
            except ValueError:
                parsed = None
            attrs = parsed if isinstance(parsed, dict) else {}
        block = _GutenbergBlock(name, attrs, match.end())
        stack[-1].children.append(block)
        if not void:
            stack.append(block)
    if position < len(content):
        stack[-1].children.append(content[position:])
    for block in stack[1:]:
        block.end = len(content)
    return root


# --- Writing the blocks ----------------------------------------------------------------------


class _Line:
    """A paragraph or list item being written: its rich-text pieces."""

    __slots__ = ("parts", "visible")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.visible = False  # has words, not only spaces


class _ListFrame:
    __slots__ = ("item", "items", "tag")

    def __init__(self, tag: str) -> None:
        self.tag = "ol" if tag == "ol" else "ul"
        self.items: list[str] = []
        self.item: _Line | None = None


class _Mark:
    __slots__ = ("close", "open", "opened")

    def __init__(self, open_tag: str, close_tag: str) -> None:
        self.open = open_tag
        self.close = close_tag
        self.opened = False  # written into the current line (reopened in the next one)


class _BodyWriter:
    """Walks converted HTML and writes StreamField blocks. Paragraphs and lists gather into
    one paragraph block until a heading, quote, image or embed comes between."""

    def __init__(self, find_image: ImageFinder, footnotes: str = "") -> None:
        self.find_image = find_image
        self.footnotes = footnotes or ""  # the post's `footnotes` meta (JSON)
        self.footnotes_written = False
        self.blocks: list[dict] = []
        self.unknown_shortcodes: list[str] = []
        self.missing_images: list[str] = []
        self.dropped: list[str] = []
        self.last_link_href: str | None = None
        self.parts: list[str] = []  # finished <p>/<ul>/<ol> of the paragraph block being written
        self.line: _Line | None = None  # the paragraph being written (outside lists)
        self.lists: list[_ListFrame] = []
        self.marks: list[_Mark] = []  # bold, italic, links... open around the words
        self.pending_breaks = 0
        self.pending_break_is_br = False
        self.pending_space = False
        self.deferred: list[tuple[str, Any]] = []  # blocks met inside a list: after the list
        self.autop = False
        self.in_pullquote = False
        self.block_attachment_id: int | None = None  # a Gutenberg image block's {"id": ...}

    # Entry points

    def write_html(self, html: str, autop: bool) -> None:
        if not html or html.isspace():
            return
        html = self._prepare(html, autop)
        root = _read_tree(html)
        outer_autop = self.autop
        self.autop = autop
        self.flow(root.children)
        self.end_paragraph()
        self.autop = outer_autop

    def write_gutenberg(self, content: str) -> None:
        root = _read_blocks(content)
        for child in root.children:
            if child.__class__ is str:
                self.write_html(child, autop=True)  # classic content between blocks
            else:
                self._write_block(child, content, 1)

    def finish(self) -> None:
        while self.lists:
            self._end_list()
        if self.footnotes.strip() and not self.footnotes_written:
            self._write_footnotes()
        while self.lists:
            self._end_list()
        self._flush_paragraph_block()

    def _drop(self, what: str) -> None:
        if what not in self.dropped:
            self.dropped.append(what)

    # Gutenberg blocks

    def _write_block(self, block: _GutenbergBlock, content: str, depth: int) -> None:
        name = block.name
        if name in SKIPPED_BLOCKS:
            return
        inner = content[block.start : block.end]
        attrs = block.attrs
        if name == "embed" or name.startswith("core-embed/"):
            self._write_gutenberg_embed(attrs, inner)
        elif name == "pullquote":
            outer = self.in_pullquote
            self.in_pullquote = True
            self.write_html(inner, autop=False)
            self.in_pullquote = outer
        elif name == "image":
            outer_id = self.block_attachment_id
            self.block_attachment_id = _positive_int(attrs.get("id"))
            self.write_html(inner, autop=False)
            self.block_attachment_id = outer_id
        elif name == "gallery" and not block.has_inner_blocks() and "<img" not in inner:
            ids = attrs.get("ids")
            for attachment_id in ids if isinstance(ids, list) else []:
                number = _positive_int(attachment_id)
                if number is not None:
                    self._add_image("", number, "", "", in_gallery=True)
        elif name == "shortcode":
            self.write_html(inner, autop=True)
        elif name == "block":
            ref = _positive_int(attrs.get("ref"))
            self._drop(f"reusable block {ref} (not imported)" if ref else "reusable block")
        elif name == "footnotes":
            self._write_footnotes()
        else:
            if name == "cover":
                self._write_cover_background(attrs, inner)
            self._write_inner_blocks(block, content, depth)

    def _write_inner_blocks(self, block: _GutenbergBlock, content: str, depth: int) -> None:
        if (
            block.name not in WHOLE_HTML_BLOCKS
            and depth < MAX_BLOCK_DEPTH
            and block.has_inner_blocks()
        ):
            for child in block.children:
                if child.__class__ is str:
                    self.write_html(child, autop=False)
                else:
                    self._write_block(child, content, depth + 1)
        else:
            self.write_html(content[block.start : block.end], autop=False)

    def _write_cover_background(self, attrs: dict, inner: str) -> None:
        """A cover's background picture, when its HTML does not show it as an <img> or <video>
        (covers before WordPress 5.8 set it as a CSS background)."""
        url = _http_url(attrs.get("url"))
        if url is None or "<img" in inner or "<video" in inner:
            return
        if attrs.get("backgroundType") == "video":
            self._add_media_file("video", url, "")
            return
        alt = attrs.get("alt")
        alt = " ".join(alt.split()) if isinstance(alt, str) else ""
        self._add_image(url, _positive_int(attrs.get("id")), alt, "")

    def _write_footnotes(self) -> None:
        """The post's footnotes as a numbered list (where the `wp:footnotes` block is)."""
        if self.footnotes_written:
            return
        self.footnotes_written = True
        if not self.footnotes.strip():
            self._drop("footnotes (their text is not in the export)")
            return
        notes = _footnote_contents(self.footnotes)
        if notes is None:
            self._drop("footnotes (the footnotes meta could not be read)")
            return
        items = "".join(f"<li>{note}</li>" for note in notes if note.strip())
        if items:
            self.write_html(f"<ol>{items}</ol>", autop=False)

    def _write_gutenberg_embed(self, attrs: dict, inner: str) -> None:
        url = _http_url(attrs.get("url"))
        if url is None:
            found = _URL_RE.search(_ANY_TAG_RE.sub(" ", inner))
            url = _http_url(unescape(found.group(0))) if found else None
        caption_match = _FIGCAPTION_RE.search(inner)
        caption = plain_text(caption_match.group(1)) if caption_match else ""
        if url:
            self._embed_or_link(url, caption)
        elif caption:
            self._add_part(f"<p>{escape(caption, quote=False)}</p>")

    # Before parsing: shortcodes and lone URLs become placeholder elements

    def _prepare(self, html: str, autop: bool) -> str:
        if "[" not in html and "http" not in html:
            return html
        if not _PROTECTED_HINT_RE.search(html):
            return self._prepare_text(html, autop)
        # Code is set aside as a token while shortcodes are read: shortcodes in <pre>/<code>
        # are text, and a [caption] around some <code> stays whole.
        if "\ue000" in html:
            html = html.replace("\ue000", "")
        set_aside: list[str] = []

        def token(match: re.Match) -> str:
            set_aside.append(match.group(0))
            return f"\ue000{len(set_aside) - 1}\ue001"

        text = self._prepare_text(_PROTECTED_RE.sub(token, html), autop)
        return _PROTECTED_TOKEN_RE.sub(lambda match: set_aside[int(match.group(1))], text)

    def _prepare_text(self, text: str, autop: bool) -> str:
        if "[" in text:
            text = self._replace_shortcodes(text)
        if "http" in text:
            text = _LONE_URL_P_RE.sub(self._lone_url_paragraph, text)
            if autop:
                text = _LONE_URL_LINE_RE.sub(self._lone_url_line, text)
        return text

    @staticmethod
    def _lone_url_paragraph(match: re.Match) -> str:
        url = unescape(match.group(1))
        if _embeddable(url):
            return _placeholder("wp-embed", url=url)
        return f'<p><a href="{escape(url)}">{escape(url, quote=False)}</a></p>'

    @staticmethod
    def _lone_url_line(match: re.Match) -> str:
        """WordPress embeds a URL alone on its line, or links it when no provider takes it."""
        url = unescape(match.group(1))
        if _embeddable(url):
            return _placeholder("wp-embed", url=url)
        return f'<a href="{escape(url)}">{escape(url, quote=False)}</a>'

    def _replace_shortcodes(self, text: str) -> str:
        lowered = text.lower()
        if "caption" in lowered:
            text = _CAPTION_SC_RE.sub(self._caption_shortcode, text)
        if "[embed" in lowered:
            text = _EMBED_SC_RE.sub(self._embed_shortcode, text)
        if "[gallery" in lowered:
            text = _GALLERY_SC_RE.sub(self._gallery_shortcode, text)
        if "[video" in lowered or "[audio" in lowered:
            text = _MEDIA_SC_RE.sub(self._media_shortcode, text)
            text = _MEDIA_SC_END_RE.sub("", text)
        for match in _SHORTCODE_RE.finditer(text):
            name, attrs, self_closing = match.groups()
            if name.lower() in KNOWN_SHORTCODES or name in self.unknown_shortcodes:
                continue
            # "[sic]" or "[1]" is prose; "[name a=b]", "[name /]" and "[name]…[/name]" are not.
            if self_closing or (attrs and "=" in attrs) or f"[/{name}]" in text:
                self.unknown_shortcodes.append(name)
        return text

    @staticmethod
    def _caption_shortcode(match: re.Match) -> str:
        attrs = _shortcode_attrs(match.group(2))
        inner = match.group(3)
        image = _CAPTION_IMAGE_RE.match(inner)
        image_html, caption_html = (image.group(1), image.group(2)) if image else (inner, "")
        if attrs.get("caption"):
            caption_html = attrs["caption"]
        attachment = _ATTACHMENT_RE.search(attrs.get("id", ""))
        attachment_id = attachment.group(1) if attachment else ""
        return (
            f'<figure data-wp-attachment="{attachment_id}">{image_html}'
            f"<figcaption>{caption_html}</figcaption></figure>"
        )

    @staticmethod
    def _embed_shortcode(match: re.Match) -> str:
        url = _http_url(unescape(_ANY_TAG_RE.sub("", match.group(1))))
        return _placeholder("wp-embed", url=url) if url else match.group(1)

    @staticmethod
    def _gallery_shortcode(match: re.Match) -> str:
        attrs = _shortcode_attrs(match.group(1))
        return _placeholder("wp-gallery", ids=attrs.get("ids") or attrs.get("include") or "")

    @staticmethod
    def _media_shortcode(match: re.Match) -> str:
        kind = match.group(1).lower()
        attrs = _shortcode_attrs(match.group(2))
        for name in ("src", "mp4", "m4v", "webm", "ogv", "mp3", "ogg", "m4a", "wav", "flac"):
            url = _http_url(unescape(attrs.get(name, "")))
            if url:
                return _placeholder("wp-media", kind=kind, url=url)
        return _placeholder("wp-media", kind=kind, url="")

    # Walking the tree

    def flow(self, nodes: list) -> None:
        handlers = _HANDLERS
        for node in nodes:
            if node.__class__ is str:
                self.text(node)
            else:
                handlers.get(node.tag, _BodyWriter._transparent)(self, node)

    def element(self, node: _Element) -> None:
        _HANDLERS.get(node.tag, _BodyWriter._transparent)(self, node)

    def _transparent(self, node: _Element) -> None:
        self.flow(node.children)

    def _dropped(self, node: _Element) -> None:
        pass

    def _container(self, node: _Element) -> None:
        self.end_paragraph()
        self.flow(node.children)
        self.end_paragraph()

    def _hr(self, node: _Element) -> None:
        self.end_paragraph()

    def _br(self, node: _Element) -> None:
        if self.autop and self.pending_break_is_br:  # <br><br> is a new paragraph in wpautop
            self.end_paragraph()
            return
        self.pending_breaks += 1
        self.pending_break_is_br = True

    def _mark(self, node: _Element) -> None:
        tag = _MARK_TAGS[node.tag]
        open_tag = f"<{tag}>"
        if any(mark.open == open_tag for mark in self.marks):
            self.flow(node.children)
            return
        self.marks.append(_Mark(open_tag, f"</{tag}>"))
        self.flow(node.children)
        self._close_mark()

    def _link(self, node: _Element) -> None:
        href = _safe_href(node.attrs.get("href"))
        if "wp-block-file__button" in node.attr("class"):  # a file block's "Download" button
            if href == self.last_link_href:
                return  # the file's name links to it already
            self.pending_space = True
        if href is None or any(mark.close == "</a>" for mark in self.marks):
            self.flow(node.children)
            return
        self.last_link_href = href
        self.marks.append(_Mark(f'<a href="{escape(href)}">', "</a>"))
        self.flow(node.children)
        self._close_mark()

    def _close_mark(self) -> None:
        mark = self.marks.pop()
        if mark.opened:
            self._current_line().parts.append(mark.close)

    def _list(self, node: _Element) -> None:
        if self.lists:
            self._suspend_line()
        else:
            self.end_paragraph()
        self.lists.append(_ListFrame(node.tag))
        self.flow(node.children)
        self._end_list()

    def _list_item(self, node: _Element) -> None:
        if not self.lists:
            self._container(node)
            return
        self._end_item(self.lists[-1])
        self.flow(node.children)
        self._end_item(self.lists[-1])

    def _heading(self, node: _Element) -> None:
        tokens: list[str] = []
        media: list[_Element] = []
        self._gather(node.children, tokens, media, None)
        text = _clip(" ".join("".join(tokens).split()), HEADING_MAX_LENGTH)
        if text:
            level = "h2" if node.tag in ("h1", "h2") else "h3"
            self._add_block("heading", {"text": text, "level": level})
        for item in media:
            self.element(item)

    def _blockquote(self, node: _Element) -> None:
        css_class = node.attr("class")
        if "twitter-tweet" in css_class and self._tweet(node):
            return
        if "instagram-media" in css_class and self._instagram_post(node):
            return
        self._quote(node, pull=self.in_pullquote or "wp-block-pullquote" in css_class)

    def _tweet(self, node: _Element) -> bool:
        """Twitter's embed code: the tweet's words and, last, a link to it. An embed when a
        finder takes that link; False (read as a quote, words kept) otherwise."""
        status = None
        for href in _link_targets(node):
            found = _TWEET_URL_RE.match(href)
            if found:
                status = found.group(0)
        if status is None or not _embeddable(status):
            return False
        self._add_embed(status, "")
        return True

    def _instagram_post(self, node: _Element) -> bool:
        url = _http_url(node.attr("data-instgrm-permalink"))
        if url is None:
            url = next((href for href in _link_targets(node) if "instagram.com/" in href), None)
        if url is None:
            return False
        self._embed_or_link(_without_query(url), "", "Instagram post")
        return True

    def _quote(self, node: _Element, pull: bool) -> None:
        tokens: list[str] = []
        cites: list[str] = []
        media: list[_Element] = []
        self._gather(node.children, tokens, media, cites)
        text = _paragraph_text(tokens)
        attribution = " ".join("".join(cites).split()).lstrip(_DASHES)
        attribution = _clip(attribution, ATTRIBUTION_MAX_LENGTH)
        if pull:
            if text:
                self._add_block("pull_quote", text)
        elif text:
            self._add_block("quote", {"text": text, "attribution": attribution})
        elif attribution:
            self._add_part(f"<p>{escape(attribution, quote=False)}</p>")
        for item in media:
            self.element(item)

    def _figure(self, node: _Element) -> None:
        css_class = node.attr("class")
        if "wp-block-pullquote" in css_class:
            self._quote(node, pull=True)
            return
        caption_node = None
        body = []
        for child in node.children:
            if caption_node is None and child.__class__ is _Element and child.tag == "figcaption":
                caption_node = child
            else:
                body.append(child)
        caption = self._line_text(caption_node.children) if caption_node else ""
        media: list[_Element] = []
        has_text = self._scan(body, media)
        attachment_id = _positive_int(node.attrs.get("data-wp-attachment"))
        if attachment_id is None:
            attachment_id = self.block_attachment_id
        if len(media) == 1 and not has_text:
            single = media[0]
            tag = single.tag
            if tag == "img":
                self._image(single, caption, attachment_id)
                return
            if tag == "iframe":
                self._iframe(single, caption)
                return
            if tag in _MEDIA_FILE_TAGS:
                self._media_element(single, caption)
                return
            if tag == "wp-media":
                self._media_placeholder(single, caption)
                return
            url = _http_url(single.attr("url")) if tag == "wp-embed" else None
            if url:
                self._embed_or_link(url, caption)
                return
        if "wp-block-embed" in css_class and not media:
            found = _URL_RE.search(self._line_text(body))
            if found:
                self._embed_or_link(found.group(0), caption)
                return
        self.end_paragraph()
        outer_id = self.block_attachment_id
        self.block_attachment_id = attachment_id
        self.flow(body)
        self.block_attachment_id = outer_id
        self.end_paragraph()
        if caption:
            self._add_part(f"<p>{escape(caption, quote=False)}</p>")

    def _img(self, node: _Element) -> None:
        self._image(node, "", self.block_attachment_id)

    def _image(self, node: _Element, caption: str, attachment_id: int | None) -> None:
        attrs = node.attrs
        url = (attrs.get("src") or "").strip()
        if not url or url.startswith("data:"):
            url = (
                attrs.get("data-lazy-src") or attrs.get("data-src") or attrs.get("data-orig-file")
            ) or ""
            url = "" if url.startswith("data:") else url.strip()
        class_id = _WP_IMAGE_RE.search(attrs.get("class") or "")
        if class_id:
            attachment_id = int(class_id.group(1))
        else:
            attachment_id = _positive_int(attrs.get("data-id")) or attachment_id
        alt = " ".join((attrs.get("alt") or "").split())
        self._add_image(url, attachment_id, alt, caption)

    def _add_image(
        self,
        url: str,
        attachment_id: int | None,
        alt: str,
        caption: str,
        in_gallery: bool = False,
    ) -> None:
        caption = _clip(caption, CAPTION_MAX_LENGTH)
        image = None
        if url or attachment_id is not None:
            image = self.find_image(ImageRequest(url, attachment_id, alt, caption))
            if image is None:
                missing = url or f"attachment {attachment_id}"
                if missing not in self.missing_images:
                    self.missing_images.append(missing)
        if image is None:
            if caption:  # the picture is lost, not the words under it
                self._add_part(f"<p>{escape(caption, quote=False)}</p>")
            return
        # Without alt text in the post, the image's own description (the attachment's alt).
        alt = alt or getattr(image, "description", "") or ""
        if in_gallery and not caption:  # a gallery shows each attachment's own caption
            own_caption = getattr(image, "wordpress_caption", "")
            if own_caption and isinstance(own_caption, str):
                caption = _clip(plain_text(own_caption), CAPTION_MAX_LENGTH)
        value = {
            "image": {"image": getattr(image, "pk", None), "alt_text": alt, "decorative": False},
            "caption": caption,
            "credit": "",
        }
        self._add_block("image", value)

    def _gallery(self, node: _Element) -> None:
        for raw_id in node.attr("ids").split(","):
            attachment_id = _positive_int(raw_id)
            if attachment_id is not None:
                self._add_image("", attachment_id, "", "", in_gallery=True)

    def _iframe(self, node: _Element, caption: str = "") -> None:
        """A player or widget: embedded when a finder takes its address (video players become
        their video's page), else a link to it (a chart, a map) that the report lists."""
        src = node.attr("src") or node.attr("data-src")
        url = _player_url(src)
        if url is None:
            if src:
                self._drop(f"iframe {_OUTPUT_CONTROL_RE.sub('', src)[:200]} (left out)")
            if caption:
                self._add_part(f"<p>{escape(caption, quote=False)}</p>")
            return
        title = " ".join(node.attr("title").split())
        self._embed_or_link(url, caption, "iframe", title)

    def _embed_placeholder(self, node: _Element) -> None:
        url = _http_url(node.attr("url"))
        if url:
            self._embed_or_link(url, "")

    def _media_placeholder(self, node: _Element, caption: str = "") -> None:
        """An [audio] or [video] shortcode."""
        kind = node.attr("kind") or "media"
        url = _http_url(node.attr("url"))
        if url is None:
            self._drop(f"{kind} without a file address (left out)")
            return
        self._add_media_file(kind, url, caption)

    def _media_element(self, node: _Element, caption: str = "") -> None:
        """<video> and <audio>, as in Gutenberg's video and audio blocks."""
        src = node.attr("src")
        if not src:
            source = next(
                (
                    child
                    for child in node.children
                    if child.__class__ is _Element and child.tag == "source" and child.attr("src")
                ),
                None,
            )
            src = source.attr("src") if source else ""
        url = _http_url(src)
        if url is None:
            self._drop(f"{node.tag} without a file address (left out)")
            if caption:
                self._add_part(f"<p>{escape(caption, quote=False)}</p>")
            return
        self._add_media_file(node.tag, url, caption)

    def _add_media_file(self, kind: str, url: str, caption: str) -> None:
        """A video or sound file: Masthead has no block to play one, so a link to the file
        (an embed when a finder takes the address, as a YouTube link in [video])."""
        self._embed_or_link(url, caption, kind, _file_name(url))

    def _embed_or_link(
        self, url: str, caption: str, dropped_as: str = "embed", link_text: str = ""
    ) -> None:
        """An embed of `url` when one of Wagtail's embed finders takes it; otherwise a
        paragraph linking to it (and its caption), listed in `dropped` as `dropped_as`."""
        if _embeddable(url):
            self._add_embed(url, caption)
            return
        href = _safe_href(url)
        if href is None:
            return
        words = escape(link_text or href, quote=False)
        self._add_part(f'<p><a href="{escape(href)}">{words}</a></p>')
        if caption:
            self._add_part(f"<p>{escape(caption, quote=False)}</p>")
        self._drop(f"{dropped_as} {href} (kept as a link)")

    def _add_embed(self, url: str, caption: str) -> None:
        self._add_block("embed", {"embed": url, "caption": _clip(caption, CAPTION_MAX_LENGTH)})

    def _pre(self, node: _Element) -> None:
        tokens: list[str] = []
        self._raw_text(node.children, tokens)
        lines = "".join(tokens).strip("\n").rstrip().split("\n")
        if any(line.strip() for line in lines):
            html = "<br/>".join(escape(line, quote=False) for line in lines)
            self._add_part(f"<p>{html}</p>")

    def _table(self, node: _Element) -> None:
        self.end_paragraph()
        rows: list[str] = []
        media: list[_Element] = []
        self._table_rows(node, rows, media)
        for row in rows:
            self._add_part(f"<p>{escape(row, quote=False)}</p>")
        for item in media:
            self.element(item)

    def _table_rows(self, node: _Element, rows: list[str], media: list[_Element]) -> None:
        for child in node.children:
            if child.__class__ is str:
                continue
            if child.tag == "tr":
                cells = []
                for cell in child.children:
                    if cell.__class__ is _Element and cell.tag in ("td", "th"):
                        tokens: list[str] = []
                        self._gather(cell.children, tokens, media, None)
                        cells.append(" ".join("".join(tokens).split()))
                if any(cells):
                    rows.append(" | ".join(cells))
            elif child.tag in ("thead", "tbody", "tfoot"):
                self._table_rows(child, rows, media)
            elif child.tag == "caption":
                caption = self._line_text(child.children)
                if caption:
                    rows.append(caption)

    # Plain text of a subtree (headings, quotes, captions, cells)

    def _gather(
        self, nodes: list, tokens: list[str], media: list | None, cites: list[str] | None
    ) -> None:
        for node in nodes:
            if node.__class__ is str:
                tokens.append(node if self.autop else node.replace("\n", " "))
                continue
            tag = node.tag
            if tag in _MEDIA_TAGS:
                if media is not None:
                    media.append(node)
            elif tag in _DROPPED_TAGS:
                continue
            elif tag == "br":
                tokens.append("\n")
            elif tag == "cite" and cites is not None:
                self._gather(node.children, cites, media, None)
            elif tag in _TEXT_BREAK_TAGS:
                tokens.append("\n\n")
                self._gather(node.children, tokens, media, cites)
                tokens.append("\n\n")
            elif tag == "td" or tag == "th":
                tokens.append(" ")
                self._gather(node.children, tokens, media, cites)
                tokens.append(" ")
            else:
                self._gather(node.children, tokens, media, cites)

    def _line_text(self, nodes: list) -> str:
        tokens: list[str] = []
        self._gather(nodes, tokens, None, None)
        return " ".join("".join(tokens).split())

    def _raw_text(self, nodes: list, tokens: list[str]) -> None:
        for node in nodes:
            if node.__class__ is str:
                tokens.append(node)
            elif node.tag == "br":
                tokens.append("\n")
            elif node.tag not in _DROPPED_TAGS:
                self._raw_text(node.children, tokens)

    def _scan(self, nodes: list, media: list[_Element]) -> bool:
        """Collects the images and players under `nodes`; True when there are words too."""
        has_text = False
        for node in nodes:
            if node.__class__ is str:
                if not has_text and not node.isspace():
                    has_text = True
            elif node.tag in _MEDIA_TAGS:
                if node.tag != "iframe" or _player_url(node.attr("src") or node.attr("data-src")):
                    media.append(node)
                    if node.tag == "wp-gallery":
                        media.append(node)  # several images: not one figure
            elif node.tag not in _DROPPED_TAGS:
                has_text = self._scan(node.children, media) or has_text
        return has_text

    # Writing words

    def text(self, data: str) -> None:
        if self.autop and "\n" in data:
            for index, chunk in enumerate(_BLANK_LINE_RE.split(data)):
                if index:
                    self.end_paragraph()
                for line_index, line in enumerate(chunk.split("\n")):
                    if line_index and not self.pending_breaks:
                        self.pending_breaks = 1  # wpautop: a newline is a line break
                    if line:
                        self._words(line)
            return
        self._words(data)

    def _words(self, text: str) -> None:
        if "  " in text or "\n" in text or "\t" in text or "\f" in text or "\v" in text:
            text = _SPACES_RE.sub(" ", text)
        if text[0] == " ":
            self.pending_space = True
            text = text[1:]
            if not text:
                return
        trailing_space = text[-1] == " "
        if trailing_space:
            text = text[:-1]
        self._emit(escape(text, quote=False), not text.isspace())
        if trailing_space:
            self.pending_space = True

    def _current_line(self) -> _Line:
        if self.lists:
            frame = self.lists[-1]
            if frame.item is None:
                frame.item = _Line()
            return frame.item
        if self.line is None:
            self.line = _Line()
        return self.line

    def _emit(self, html: str, visible: bool) -> None:
        line = self._current_line()
        parts = line.parts
        if parts:
            if self.pending_breaks:
                parts.append("<br/>" * self.pending_breaks)
            elif self.pending_space:
                parts.append(" ")
        self.pending_breaks = 0
        self.pending_break_is_br = False
        self.pending_space = False
        for mark in self.marks:
            if not mark.opened:
                parts.append(mark.open)
                mark.opened = True
        parts.append(html)
        if visible:
            line.visible = True

    def _suspend_line(self) -> None:
        """Closes the marks open in the current line (they reopen in the next one)."""
        line = self.lists[-1].item if self.lists else self.line
        if line is not None:
            for mark in reversed(self.marks):
                if mark.opened:
                    line.parts.append(mark.close)
                    mark.opened = False
        self.pending_breaks = 0
        self.pending_break_is_br = False
        self.pending_space = False

    def end_paragraph(self) -> None:
        if self.lists:  # a paragraph inside a list item: a line break
            item = self.lists[-1].item
            if item is not None and item.parts and not self.pending_breaks:
                self.pending_breaks = 1
            return
        self._suspend_line()
        line = self.line
        if line is not None:
            if line.visible:
                self.parts.append("<p>" + "".join(line.parts) + "</p>")
            self.line = None

    def _end_item(self, frame: _ListFrame) -> None:
        self._suspend_line()
        item = frame.item
        if item is not None and item.visible:
            frame.items.append("<li>" + "".join(item.parts) + "</li>")
        frame.item = None

    def _end_list(self) -> None:
        frame = self.lists[-1]
        self._end_item(frame)
        self.lists.pop()
        if frame.items:
            html = f"<{frame.tag}>{''.join(frame.items)}</{frame.tag}>"
            if self.lists:
                parent = self.lists[-1]
                if parent.item is None:
                    parent.item = _Line()
                parent.item.parts.append(html)
                parent.item.visible = True
            else:
                self.parts.append(html)
        if not self.lists and self.deferred:
            deferred, self.deferred = self.deferred, []
            for kind, value in deferred:
                if kind == "#part":
                    self._add_part(value)
                else:
                    self._add_block(kind, value)

    def _add_part(self, html: str) -> None:
        """A finished <p> of the paragraph block being written (a caption, a table row)."""
        if self.lists:
            self.deferred.append(("#part", html))
            return
        self.end_paragraph()
        self.parts.append(html)

    def _flush_paragraph_block(self) -> None:
        self.end_paragraph()
        if self.parts:
            self.blocks.append(_new_block("paragraph", "".join(self.parts)))
            self.parts = []

    def _add_block(self, kind: str, value: Any) -> None:
        if self.lists:
            self.deferred.append((kind, value))
            return
        self._flush_paragraph_block()
        self.blocks.append(_new_block(kind, value))


_HANDLERS: dict[str, Callable[[_BodyWriter, _Element], None]] = {
    **{tag: _BodyWriter._dropped for tag in _DROPPED_TAGS},
    **{tag: _BodyWriter._container for tag in _CONTAINER_TAGS},
    **{tag: _BodyWriter._mark for tag in _MARK_TAGS},
    **{tag: _BodyWriter._heading for tag in _HEADING_TAGS},
    **{tag: _BodyWriter._list for tag in _LIST_TAGS},
    "li": _BodyWriter._list_item,
    "a": _BodyWriter._link,
    "br": _BodyWriter._br,
    "hr": _BodyWriter._hr,
    "img": _BodyWriter._img,
    "iframe": _BodyWriter._iframe,
    "video": _BodyWriter._media_element,
    "audio": _BodyWriter._media_element,
    "wp-media": _BodyWriter._media_placeholder,
    "blockquote": _BodyWriter._blockquote,
    "figure": _BodyWriter._figure,
    "pre": _BodyWriter._pre,
    "table": _BodyWriter._table,
    "wp-embed": _BodyWriter._embed_placeholder,
    "wp-gallery": _BodyWriter._gallery,
}
