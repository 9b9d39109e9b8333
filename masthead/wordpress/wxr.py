"""Reading a WordPress eXtended RSS (WXR) export, one item at a time, in bounded memory.

`read_wxr(path)` streams the file (iterparse, each element cleared once read) and yields, in file
order: one `Channel` (the site: its address and WXR version) before anything else, then
`WxrAuthor`, `WxrTerm` and `WxrItem` values as they appear. Anything that makes the file
unreadable (not XML, not a WXR export, an unknown WXR version, a file that ends in the middle)
raises `WxrError` with a message a person can act on, naming the line and, where there is one,
the item. Items read before such an error have already been yielded.

The file may start with a byte order mark and blank lines before `<?xml` (a theme or plugin often
echoes some); line numbers in messages are still the file's own. An export in an encoding expat
cannot read (GBK, Big5, Shift_JIS, EUC-KR...: the multi-byte ones) is decoded with Python's codec
as it is read, chunk by chunk, and handed to the parser as UTF-8.

`parse_wp_date` turns WordPress's "YYYY-MM-DD HH:MM:SS" into an aware datetime.
"""

from __future__ import annotations

import codecs
import html
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO
from xml.etree.ElementTree import Element, ParseError, TreeBuilder, XMLPullParser
from xml.parsers.expat import ErrorString, ExpatError, ParserCreate

from defusedxml import DefusedXmlException, EntitiesForbidden
from defusedxml.ElementTree import DefusedXMLParser

SUPPORTED_VERSIONS = ("1.0", "1.1", "1.2")


class WxrError(Exception):
    """The export cannot be read (or an item's value cannot be understood); the message says
    what and where, in words for the person running the import."""


@dataclass
class Channel:
    """The exported site."""

    title: str
    link: str  # the site's public address, e.g. "https://old.example.org"
    base_site_url: str
    base_blog_url: str  # the key imported items are remembered under (falls back to link)
    wxr_version: str  # one of SUPPORTED_VERSIONS
    language: str  # e.g. "en-US"; "" when absent


@dataclass
class WxrAuthor:
    login: str  # wp:author_login: the key
    wp_id: int | None  # wp:author_id (absent in WXR 1.0)
    email: str
    display_name: str
    first_name: str
    last_name: str
    bio: str  # wp:author_description or wp:author_bio where a plugin exported one; else ""
    line: int = 0  # the line where it starts, for messages


@dataclass
class WxrTerm:
    kind: str  # "category", "tag" or another taxonomy's name (from wp:term)
    wp_id: int | None  # wp:term_id
    slug: str  # wp:category_nicename / wp:tag_slug / wp:term_slug
    name: str  # wp:cat_name / wp:tag_name / wp:term_name (entities decoded)
    parent_slug: str  # wp:category_parent / wp:term_parent; "" for none
    description: str
    line: int = 0  # the line where it starts, for messages


@dataclass
class TermRef:
    """A `<category domain="..." nicename="...">Name</category>` on an item."""

    domain: str  # "category", "post_tag", "author" (Co-Authors Plus), "post_format", ...
    slug: str
    name: str


@dataclass
class WxrItem:
    wp_id: int  # wp:post_id
    post_type: str  # "post", "page", "attachment", "nav_menu_item", "revision", ...
    status: str  # wp:status: "publish", "draft", "pending", "private", "future", "trash", ...
    title: str
    slug: str  # wp:post_name (may be "" for drafts)
    link: str  # the permalink as exported
    guid: str
    creator: str  # dc:creator: the author's login
    content: str  # content:encoded, raw HTML / Gutenberg markup
    excerpt: str  # excerpt:encoded
    post_date: str  # raw wp:post_date (site time), e.g. "2024-05-06 09:30:00"
    post_date_gmt: str  # raw; "0000-00-00 00:00:00" for most drafts
    modified: str  # raw wp:post_modified ("" in older exports)
    modified_gmt: str
    pub_date: str  # raw RSS pubDate (RFC 822), "" if absent
    parent_id: int  # wp:post_parent, 0 for none
    menu_order: int
    attachment_url: str  # wp:attachment_url for attachments, else ""
    terms: list[TermRef] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)  # wp:postmeta key → value (last wins)
    line: int = 0  # the line where the item starts, for messages
    password: str = ""  # wp:post_password: readers needed it to read the post

    def describe(self) -> str:
        """The item as messages name it: `post 123 "Title"`."""
        title = self.title if len(self.title) <= 60 else self.title[:57] + "..."
        return f'{self.post_type} {self.wp_id} "{title}"'


# --- Reading ---------------------------------------------------------------------------------

CHUNK_SIZE = 64 * 1024  # bytes fed to the parser at a time: bounds the elements held at once

HOW_TO_EXPORT = (
    "To make one, go to Tools → Export in the WordPress admin, choose “All content” and "
    "download the export file; then import that file."
)

_WP_NAMESPACE = "{http://wordpress.org/export/"
_OTHER_NAMESPACES = {
    "{http://purl.org/rss/1.0/modules/content/}": "content:",
    "{http://purl.org/dc/elements/1.1/}": "dc:",
    "{http://wellformedweb.org/CommentAPI/}": "wfw:",
}
_ENTRIES = frozenset({"item", "wp:author", "wp:category", "wp:tag", "wp:term"})
_ROOT_KINDS = {
    "{http://www.w3.org/2005/Atom}feed": "an Atom feed",
    "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF": "an RSS 1.0 (RDF) feed",
    "{http://www.w3.org/1999/xhtml}html": "an HTML page",
    "html": "an HTML page",
    "HTML": "an HTML page",
}
_XML_WHITESPACE = b" \t\r\n"
_UTF16_BOMS = ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_DECLARATION_LIMIT = 1024  # bytes read, at most, to find the end of the XML declaration
_DECLARED_ENCODING = re.compile(
    rb"""\A<\?xml\s[^>]*?\bencoding\s*=\s*(["'])([A-Za-z][A-Za-z0-9._-]*)\1"""
)
_DECLARATION_ENCODING_VALUE = re.compile(r"""\A(<\?xml\s[^>]*?\bencoding\s*=\s*)(["'])[^"']*\2""")
_FILE_SIGNATURES = (
    (b"PK\x03\x04", "a ZIP archive", " Unzip it and import the .xml file inside."),
    (b"\x1f\x8b", "a gzip-compressed file", " Decompress it and import the .xml file inside."),
    (b"%PDF", "a PDF document", ""),
)


class _LineRecordingTreeBuilder:
    """ElementTree's TreeBuilder, noting the line where each child of the channel starts (the
    pull parser reports events only after a whole chunk is parsed, when the parser's position
    has moved on)."""

    def __init__(self) -> None:
        self._builder = TreeBuilder()
        self.data = self._builder.data
        self.close = self._builder.close
        self.entry_lines: deque[int] = deque()
        self.expat: Any = None  # the expat parser, set once the XMLParser exists
        self.line_offset = 0  # lines skipped before the XML declaration, set by the reader
        self._depth = 0

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        self._depth += 1
        if self._depth == 3:  # rss > channel > item
            self.entry_lines.append(self.expat.CurrentLineNumber + self.line_offset)
        return self._builder.start(tag, attrs)

    def end(self, tag: str) -> Element:
        self._depth -= 1
        return self._builder.end(tag)


class _WxrReader:
    """One pass over one export: the state `read_wxr` keeps between parser events."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = path.name
        self.head = b""  # the file's first bytes, to name what a non-XML file is
        self.depth = 0
        self.root_seen = False
        self.channel: Element | None = None
        self.in_channel = False
        self.channel_yielded = False
        self.channel_values: dict[str, str] = {}
        self.wp_namespace_versions: list[str] = []
        self.names: dict[str, str] = {}
        self.items_read = 0
        self.last_item: WxrItem | None = None
        self.open_entry: tuple[str, int, Element] | None = None  # (kind, line, element)
        self.entry_lines: deque[int] = deque()  # filled by the tree builder
        # Line breaks before the XML declaration, which the parser never sees: added to the
        # parser's line numbers so that messages name the file's own lines.
        self.line_offset = 0
        self.builder: _LineRecordingTreeBuilder | None = None

    # --- The loop ----------------------------------------------------------------------------

    def read(self) -> Iterator[Channel | WxrAuthor | WxrTerm | WxrItem]:
        builder = _LineRecordingTreeBuilder()
        parser = DefusedXMLParser(
            target=builder, forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
        builder.expat = parser.parser
        self.builder = builder
        self.entry_lines = builder.entry_lines
        pull = XMLPullParser(events=("start", "end"), _parser=parser)
        try:
            file = self.path.open("rb")
        except OSError as err:
            raise WxrError(f"Cannot read {self.path}: {err.strerror or err}.") from None
        with file:
            for chunk in self.parseable_chunks(file):
                if len(self.head) < 512:
                    self.head += chunk[: 512 - len(self.head)]
                try:
                    pull.feed(chunk)
                except DefusedXmlException as err:
                    yield from self.drain(pull)
                    raise self.forbidden_error(err, builder.expat) from None
                yield from self.drain(pull)
            try:
                pull.close()
            except ParseError as err:
                yield from self.drain(pull)
                raise self.end_error(err) from None
            except DefusedXmlException as err:
                raise self.forbidden_error(err, None) from None
            yield from self.drain(pull)
        if not self.root_seen:
            raise self.not_xml_error("it contains no XML element")
        if self.channel is None:
            raise self.not_wordpress_error("an RSS file without a <channel>")

    # --- What the parser is fed ---------------------------------------------------------------

    def parseable_chunks(self, file: BinaryIO) -> Iterator[bytes]:
        """The file's bytes as expat can take them: without a byte order mark or the whitespace
        before the XML declaration, and, when the declared encoding is one expat cannot read
        (or the file is UTF-16), decoded as it is read and re-encoded as UTF-8 with the
        declaration saying so. Reads at most CHUNK_SIZE (plus a declaration) at a time."""
        data = file.read(CHUNK_SIZE)
        utf8_bom = data.startswith(codecs.BOM_UTF8)
        if utf8_bom:
            data = data[len(codecs.BOM_UTF8) :]
        for bom, codec in _UTF16_BOMS:
            if data.startswith(bom):
                yield from self.transcoded(data[len(bom) :], file, codec, "UTF-16")
                return
        previous = b""  # the last whitespace byte skipped, for a CR LF split between chunks
        while True:
            stripped = data.lstrip(_XML_WHITESPACE)
            skipped = previous + data[: len(data) - len(stripped)]
            self.skip_lines(_line_breaks(skipped) - _line_breaks(previous))
            if stripped or not data:
                break
            previous = data[-1:]
            data = file.read(CHUNK_SIZE)
        data = stripped
        while b"?>" not in data and len(data) < _DECLARATION_LIMIT:
            more = file.read(CHUNK_SIZE)
            if not more:
                break
            data += more
        declared = _DECLARED_ENCODING.match(data)
        encoding = declared.group(2).decode("ascii") if declared else ""
        if declared and utf8_bom and _codec(encoding) != "utf-8":
            # The byte order mark says UTF-8, whatever the declaration says.
            data = data[: declared.start(2)] + b"UTF-8" + data[declared.end(2) :]
        elif encoding and not _expat_reads(encoding):
            codec = _codec(encoding)
            if codec is None:
                raise self.unknown_encoding_error(encoding)
            yield from self.transcoded(data, file, codec, encoding)
            return
        yield data
        while chunk := file.read(CHUNK_SIZE):
            yield chunk

    def transcoded(self, data: bytes, file: BinaryIO, codec: str, encoding: str) -> Iterator[bytes]:
        """`data` and the rest of the file, decoded with `codec` one chunk at a time, as UTF-8:
        leading whitespace dropped (its lines counted), the declaration's encoding "UTF-8"."""
        decoder = codecs.getincrementaldecoder(codec)()
        started = False
        lines_fed = 0
        previous = ""
        undecodable = False
        while True:
            final = not data
            try:
                text = decoder.decode(data, final)
            except UnicodeDecodeError as err:
                # What comes before the bad bytes is still read (its items yielded), then stop.
                text = data[: max(err.start, 0)].decode(codec, errors="replace")
                undecodable = True
            if not started:
                stripped = text.lstrip(" \t\r\n")
                skipped = previous + text[: len(text) - len(stripped)]
                self.skip_lines(_line_breaks(skipped) - _line_breaks(previous))
                previous = skipped[-1:]
                if stripped:
                    started = True
                    text = _DECLARATION_ENCODING_VALUE.sub(r"\g<1>\g<2>UTF-8\g<2>", stripped, 1)
                else:
                    text = ""
            if text:
                lines_fed += text.count("\n")
                yield text.encode("utf-8")
            if undecodable:
                raise self.undecodable_error(encoding, self.line_offset + lines_fed + 1)
            if final:
                return
            data = file.read(CHUNK_SIZE)

    def skip_lines(self, count: int) -> None:
        self.line_offset += count
        if self.builder is not None:
            self.builder.line_offset = self.line_offset

    # --- Events ------------------------------------------------------------------------------

    def drain(self, pull: XMLPullParser) -> Iterator[Channel | WxrAuthor | WxrTerm | WxrItem]:
        try:
            for event, elem in pull.read_events():
                if event == "start":
                    yield from self.on_start(elem)
                else:
                    yield from self.on_end(elem)
        except ParseError as err:
            raise self.syntax_error(err) from None

    def on_start(self, elem: Element) -> Iterator[Channel]:
        self.depth += 1
        depth = self.depth
        if depth == 3:
            line = self.entry_lines.popleft()
            if not self.in_channel:
                return
            kind = self.short_name(elem.tag)
            if kind in _ENTRIES:
                if kind == "item":
                    self.items_read += 1
                self.open_entry = (kind, line, elem)
                if not self.channel_yielded:
                    self.channel_yielded = True
                    yield self.make_channel()
        elif depth == 2:
            if self.channel is None and elem.tag == "channel":
                self.channel = elem
                self.in_channel = True
        elif depth == 1:
            self.root_seen = True
            if elem.tag != "rss":
                what = _ROOT_KINDS.get(elem.tag)
                if what is None:
                    local = elem.tag.rsplit("}", 1)[-1]
                    what = f"an XML file whose root element is <{local}>"
                raise self.not_wordpress_error(what)

    def on_end(self, elem: Element) -> Iterator[Channel | WxrAuthor | WxrTerm | WxrItem]:
        depth = self.depth
        self.depth -= 1
        if depth == 3 and self.in_channel:
            kind = self.short_name(elem.tag)
            entry = None
            if kind in _ENTRIES and self.open_entry is not None:
                line = self.open_entry[1]
                self.open_entry = None
                if kind == "item":
                    entry = self.last_item = self.make_item(elem, line)
                elif kind == "wp:author":
                    entry = self.make_author(elem, line)
                else:
                    entry = self.make_term(kind, elem, line)
            else:
                self.channel_values.setdefault(kind, (elem.text or "").strip())
            elem.clear()
            if self.channel is not None:
                self.channel.remove(elem)  # the channel holds no item once read
            if entry is not None:
                yield entry
        elif depth == 2:
            if elem is self.channel:
                self.in_channel = False
                if not self.channel_yielded:
                    self.channel_yielded = True
                    yield self.make_channel()
            else:
                elem.clear()

    # --- Names -------------------------------------------------------------------------------

    def short_name(self, tag: str) -> str:
        """ "{http://wordpress.org/export/1.2/}post_id" → "wp:post_id", and so on; a tag in no
        namespace stays as it is."""
        try:
            return self.names[tag]
        except KeyError:
            pass
        name = tag
        if tag.startswith(_WP_NAMESPACE):
            namespace, _, local = tag[len(_WP_NAMESPACE) :].partition("}")
            version, _, rest = namespace.partition("/")
            if rest.startswith("excerpt"):
                name = "excerpt:" + local
            else:
                name = "wp:" + local
                if version not in self.wp_namespace_versions:
                    self.wp_namespace_versions.append(version)
        elif tag.startswith("{"):
            namespace, _, local = tag.partition("}")
            prefix = _OTHER_NAMESPACES.get(namespace + "}")
            if prefix:
                name = prefix + local
        self.names[tag] = name
        return name

    def values(self, elem: Element) -> dict[str, str]:
        """The element's children's texts by short name (the first of each name)."""
        short_name = self.short_name
        values: dict[str, str] = {}
        for child in elem:
            values.setdefault(short_name(child.tag), child.text or "")
        return values

    # --- Values ------------------------------------------------------------------------------

    def make_channel(self) -> Channel:
        values = self.channel_values
        version = values.get("wp:wxr_version", "")
        if not version:
            if not self.wp_namespace_versions:
                raise self.not_wordpress_error(
                    "an RSS feed" if self.channel is not None else "an RSS file",
                    detail=" (it has no wp:wxr_version)",
                )
            version = self.wp_namespace_versions[0]
        if version not in SUPPORTED_VERSIONS:
            raise WxrError(
                f"This export is WXR version {version}, which Masthead cannot read; it reads "
                f"WXR {', '.join(SUPPORTED_VERSIONS[:-1])} and {SUPPORTED_VERSIONS[-1]} (the "
                "versions WordPress 3.0 and later write). Export the site again from a "
                "WordPress that writes one of those, under Tools → Export."
            )
        link = values.get("link", "")
        base_blog_url = values.get("wp:base_blog_url", "") or link
        return Channel(
            title=values.get("title", ""),
            link=link,
            base_site_url=values.get("wp:base_site_url", "") or base_blog_url,
            base_blog_url=base_blog_url,
            wxr_version=version,
            language=values.get("language", ""),
        )

    def make_author(self, elem: Element, line: int) -> WxrAuthor:
        values = self.values(elem)
        login = values.get("wp:author_login", "").strip()
        what = f'The author "{login}" at line {line}' if login else f"The author at line {line}"
        if not login:
            raise WxrError(f"{what} has no wp:author_login.")
        return WxrAuthor(
            login=login,
            wp_id=_number(values.get("wp:author_id", ""), "wp:author_id", what, None),
            email=values.get("wp:author_email", "").strip(),
            display_name=_name(values.get("wp:author_display_name", "")),
            first_name=_name(values.get("wp:author_first_name", "")),
            last_name=_name(values.get("wp:author_last_name", "")),
            bio=(values.get("wp:author_description") or values.get("wp:author_bio") or "").strip(),
            line=line,
        )

    def make_term(self, kind: str, elem: Element, line: int) -> WxrTerm:
        values = self.values(elem)
        if kind == "wp:category":
            term_kind = "category"
            slug, name = values.get("wp:category_nicename", ""), values.get("wp:cat_name", "")
            parent = values.get("wp:category_parent", "")
            description = values.get("wp:category_description", "")
        elif kind == "wp:tag":
            term_kind = "tag"
            slug, name = values.get("wp:tag_slug", ""), values.get("wp:tag_name", "")
            parent, description = "", values.get("wp:tag_description", "")
        else:
            taxonomy = values.get("wp:term_taxonomy", "").strip()
            term_kind = {"post_tag": "tag"}.get(taxonomy, taxonomy)
            slug, name = values.get("wp:term_slug", ""), values.get("wp:term_name", "")
            parent = values.get("wp:term_parent", "")
            description = values.get("wp:term_description", "")
        slug = slug.strip()
        what = f"The {kind} " + (f'"{slug}" ' if slug else "") + f"at line {line}"
        if not slug:
            raise WxrError(f"{what} has no slug.")
        return WxrTerm(
            kind=term_kind,
            wp_id=_number(values.get("wp:term_id", ""), "wp:term_id", what, None),
            slug=slug,
            name=_name(name) or slug,
            parent_slug=parent.strip(),
            description=description.strip(),
            line=line,
        )

    def make_item(self, elem: Element, line: int) -> WxrItem:
        short_name = self.short_name
        values: dict[str, str] = {}
        terms: list[TermRef] = []
        meta: dict[str, str] = {}
        for child in elem:
            name = short_name(child.tag)
            if name == "category":
                terms.append(
                    TermRef(
                        domain=(child.get("domain") or "").strip(),
                        slug=(child.get("nicename") or "").strip(),
                        name=_name(child.text or ""),
                    )
                )
            elif name == "wp:postmeta":
                entry = self.values(child)
                key = entry.get("wp:meta_key", "").strip()
                if key:
                    meta[key] = entry.get("wp:meta_value", "")
            else:
                values.setdefault(name, child.text or "")
        title = values.get("title", "").strip()
        what = f"Item {self.items_read} of the export (line {line}" + (
            f', title "{title}")' if title else ")"
        )
        raw_id = values.get("wp:post_id", "")
        if not raw_id.strip():
            raise WxrError(f"{what} has no wp:post_id.")
        return WxrItem(
            wp_id=_number(raw_id, "wp:post_id", what, 0),
            post_type=values.get("wp:post_type", "").strip() or "post",
            status=values.get("wp:status", "").strip(),
            title=title,
            slug=values.get("wp:post_name", "").strip(),
            link=values.get("link", "").strip(),
            guid=values.get("guid", "").strip(),
            creator=values.get("dc:creator", "").strip(),
            content=values.get("content:encoded", ""),
            excerpt=values.get("excerpt:encoded", ""),
            post_date=values.get("wp:post_date", "").strip(),
            post_date_gmt=values.get("wp:post_date_gmt", "").strip(),
            modified=values.get("wp:post_modified", "").strip(),
            modified_gmt=values.get("wp:post_modified_gmt", "").strip(),
            pub_date=values.get("pubDate", "").strip(),
            parent_id=_number(values.get("wp:post_parent", ""), "wp:post_parent", what, 0),
            menu_order=_number(values.get("wp:menu_order", ""), "wp:menu_order", what, 0),
            attachment_url=values.get("wp:attachment_url", "").strip(),
            terms=_without_duplicates(terms),
            meta=meta,
            line=line,
            password=values.get("wp:post_password", ""),
        )

    # --- Errors ------------------------------------------------------------------------------

    def not_wordpress_error(self, what: str, detail: str = "") -> WxrError:
        return WxrError(f"{self.name} is {what}, not a WordPress export{detail}. {HOW_TO_EXPORT}")

    def not_xml_error(self, reason: str) -> WxrError:
        head = self.head.removeprefix(b"\xef\xbb\xbf")
        if not head.strip():
            return WxrError(f"{self.name} is empty: it is not a WordPress export. {HOW_TO_EXPORT}")
        for signature, what, hint in _FILE_SIGNATURES:
            if head.startswith(signature):
                return WxrError(f"{self.name} is {what}, not a WordPress export (XML).{hint}")
        start = head.lstrip().lower()
        if start.startswith((b"<!doctype html", b"<html")):
            return self.not_wordpress_error("an HTML page")
        return WxrError(
            f"{self.name} is not an XML file ({reason}), so it is not a WordPress export. "
            + HOW_TO_EXPORT
        )

    def syntax_error(self, err: ParseError) -> WxrError:
        line, column = _position(err)
        line += self.line_offset
        reason = _reason(err)
        if not self.root_seen:
            return self.not_xml_error(f"{reason} at line {line}, column {column}")
        return WxrError(
            f"The export is not well-formed XML at line {line}, column {column} ({reason}), "
            f"{self.where()}.{self.read_so_far()} Fix the file, or export the site again, and "
            "import it again."
        )

    def end_error(self, err: ParseError) -> WxrError:
        if not self.root_seen:
            return self.not_xml_error("it contains no XML element")
        line, column = _position(err)
        line += self.line_offset
        return WxrError(
            f"The export ends in the middle (line {line}, column {column}, "
            f"{self.where()}): the file looks truncated.{self.read_so_far()} Download or copy "
            "the export again (a complete one ends with </rss>) and import it again."
        )

    def forbidden_error(self, err: DefusedXmlException, expat: Any) -> WxrError:
        line = (expat.ErrorLineNumber or expat.CurrentLineNumber) + self.line_offset if expat else 0
        where = f" (line {line})" if expat else ""
        if isinstance(err, EntitiesForbidden):
            what = f"declares its own XML entities{where}"
        else:
            what = f"refers to an external file or DTD{where}"
        return WxrError(
            f"{self.name} {what}. WordPress exports never do, and such files can make a reader "
            "exhaust memory or read other files, so Masthead does not read them. " + HOW_TO_EXPORT
        )

    def unknown_encoding_error(self, encoding: str) -> WxrError:
        return WxrError(
            f'{self.name} says, in its XML declaration (<?xml ... encoding="{encoding}"?>), '
            f'that it is written in the character encoding "{encoding}", which Masthead does not '
            'know. Save it as UTF-8 (and change that to encoding="UTF-8"), or export the site '
            "again, and import it again."
        )

    def undecodable_error(self, encoding: str, line: int) -> WxrError:
        return WxrError(
            f"{self.name} says it is written in {encoding}, but near line {line} "
            f"({self.where()}) it holds bytes that are not {encoding} text.{self.read_so_far()} "
            f"Save the file again as {encoding} or UTF-8, or export the site again, and import "
            "it again."
        )

    def where(self) -> str:
        if self.open_entry is not None:
            kind, line, elem = self.open_entry
            if kind != "item":
                return f"in the {kind} that starts at line {line}"
            values = self.values(elem)
            post_id = values.get("wp:post_id", "").strip()
            title = values.get("title", "").strip()
            described = " ".join(
                part for part in (values.get("wp:post_type", "").strip() or "item", post_id) if part
            )
            if title:
                described += f' "{title}"'
            return f"in the item that starts at line {line}" + (
                f" ({described})" if post_id or title else ""
            )
        if self.last_item is not None:
            return f"after {self.last_item.describe()}"
        return "before the first item"

    def read_so_far(self) -> str:
        if not self.items_read:
            return ""
        read = self.items_read - (1 if self.open_entry and self.open_entry[0] == "item" else 0)
        return f" The {read} item{'s' if read != 1 else ''} before that point were read."


def _line_breaks(whitespace: bytes | str) -> int:
    """Line breaks as the parser counts them: LF, CR LF and a lone CR each end a line."""
    if isinstance(whitespace, str):
        whitespace = whitespace.encode("ascii")
    return whitespace.count(b"\n") + whitespace.count(b"\r") - whitespace.count(b"\r\n")


@cache
def _expat_reads(encoding: str) -> bool:
    """Whether expat reads `encoding` itself: UTF-8, Latin-1, ASCII and, through pyexpat, the
    single-byte codecs (windows-1252, KOI8-R...); not the multi-byte ones, nor UTF-16 (as the
    parser is fed it here) nor names Python does not know."""
    parser = ParserCreate()
    probe = f'<?xml version="1.0" encoding="{encoding}"?><probe/>'.encode("ascii")
    try:
        parser.Parse(probe, True)
    except (ValueError, LookupError, ExpatError):
        return False
    return True


def _codec(encoding: str) -> str | None:
    """Python's name for the text encoding `encoding` names, or None when there is none."""
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True):  # base64, zlib...: bytes to bytes
        return None
    return info.name


def _position(err: ParseError) -> tuple[int, int]:
    line, offset = getattr(err, "position", (0, 0))
    return line, offset + 1


def _reason(err: ParseError) -> str:
    code = getattr(err, "code", None)
    if code:
        try:
            return ErrorString(code)
        except (ValueError, TypeError):  # pragma: no cover - expat knows all its codes
            pass
    return str(err).split(":")[0]


def _name(raw: str) -> str:
    """A name as WordPress stores it (often HTML-escaped: "News &amp; Views") as text."""
    return html.unescape(raw).strip()


def _number(raw: str, element: str, what: str, empty: int | None) -> Any:
    value = raw.strip()
    if not value:
        return empty
    try:
        return int(value)
    except ValueError:
        raise WxrError(f"{what}: {element} is {value!r}, not a number.") from None


def _without_duplicates(terms: list[TermRef]) -> list[TermRef]:
    """The item's terms, each once. WXR 1.0 writes each category twice, once without domain
    and slug; that copy is dropped when the named term is there too."""
    named = {term.name for term in terms if term.domain}
    seen: set[tuple[str, str, str]] = set()
    kept: list[TermRef] = []
    for term in terms:
        if not term.domain:
            if term.name in named:
                continue
            term.domain = "category"
        key = (term.domain, term.slug, term.name)
        if key not in seen:
            seen.add(key)
            kept.append(term)
    return kept


def read_wxr(path: str | Path) -> Iterator[Channel | WxrAuthor | WxrTerm | WxrItem]:
    """The export's site, then its authors, terms and items, in file order (see the module's
    docstring). Raises WxrError for a file that cannot be read."""
    return _WxrReader(Path(path)).read()


def parse_wp_date(raw: str, tz: tzinfo) -> datetime | None:
    """WordPress's "YYYY-MM-DD HH:MM:SS" as an aware datetime in `tz` (for *_gmt values pass
    UTC). Empty and "0000-00-00 00:00:00" mean no date: None. Anything else that is not a real
    date raises WxrError naming the value."""
    value = raw.strip()
    if not value or value.startswith("0000-00-00"):
        return None
    try:
        parsed = datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        raise WxrError(f'"{raw}" is not a date') from None
    return parsed.replace(tzinfo=tz)
