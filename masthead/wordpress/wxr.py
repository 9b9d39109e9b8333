"""Reading a WordPress eXtended RSS (WXR) export, one item at a time, in bounded memory.

`read_wxr(path)` streams the file (iterparse, each element cleared once read) and yields, in file
order: one `Channel` (the site: its address and WXR version) before anything else, then
`WxrAuthor`, `WxrTerm` and `WxrItem` values as they appear. Anything that makes the file
unreadable (not XML, not a WXR export, an unknown WXR version, a file that ends in the middle)
raises `WxrError` with a message a person can act on, naming the line and, where there is one,
the item. Items read before such an error have already been yielded.

`parse_wp_date` turns WordPress's "YYYY-MM-DD HH:MM:SS" into an aware datetime.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path

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


@dataclass
class WxrTerm:
    kind: str  # "category", "tag" or another taxonomy's name (from wp:term)
    wp_id: int | None  # wp:term_id
    slug: str  # wp:category_nicename / wp:tag_slug / wp:term_slug
    name: str  # wp:cat_name / wp:tag_name / wp:term_name (entities decoded)
    parent_slug: str  # wp:category_parent / wp:term_parent; "" for none
    description: str


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

    def describe(self) -> str:
        """The item as messages name it: `post 123 "Title"`."""
        title = self.title if len(self.title) <= 60 else self.title[:57] + "..."
        return f'{self.post_type} {self.wp_id} "{title}"'


def read_wxr(path: str | Path) -> Iterator[Channel | WxrAuthor | WxrTerm | WxrItem]:
    """The export's site, then its authors, terms and items, in file order (see the module's
    docstring). Raises WxrError for a file that cannot be read."""
    raise NotImplementedError


def parse_wp_date(raw: str, tz: tzinfo) -> datetime | None:
    """WordPress's "YYYY-MM-DD HH:MM:SS" as an aware datetime in `tz` (for *_gmt values pass
    UTC). Empty and "0000-00-00 00:00:00" mean no date: None. Anything else that is not a real
    date raises WxrError naming the value."""
    raise NotImplementedError
