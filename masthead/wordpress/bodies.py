"""Turning a WordPress post's content into the blocks of an article body.

`convert_body(content, find_image)` reads classic content (HTML where blank lines stand for
paragraphs, as WordPress's `wpautop` reads it) and Gutenberg content (the same HTML between
`<!-- wp:... -->` block comments) and returns StreamField data for `ArticleBodyBlock`:
paragraphs (rich text: bold, italic, links, lists, superscript, subscript, line breaks),
headings, quotes, pull quotes, images with alt text and caption (`[caption]`, `<figure>`,
galleries), and embeds (`[embed]`, Gutenberg embeds, a lone URL on its own line). Shortcodes it
does not know are kept as text and listed. Everything is sanitized on the way in: no script,
no style, no event handlers, no `javascript:` links.

`plain_text(html)` is the text of an excerpt or a title, for fields that take no markup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


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


def convert_body(content: str, find_image: ImageFinder) -> ConvertedBody:
    raise NotImplementedError


def plain_text(html: str) -> str:
    """The words of `html` without markup, entities decoded, whitespace collapsed."""
    raise NotImplementedError
