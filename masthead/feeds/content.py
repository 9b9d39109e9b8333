"""What a feed item carries besides its title: the article as HTML with absolute addresses,
its summary and its picture as an enclosure."""

from __future__ import annotations

import mimetypes
from urllib.parse import urljoin

from bs4 import BeautifulSoup
from django.http import HttpRequest
from django.utils import translation
from django.utils.feedgenerator import Enclosure
from django.utils.html import escape, format_html
from django.utils.text import Truncator
from wagtail.images.models import SourceImageIOError

from masthead.newsroom.models import ArticlePage
from masthead.translation.languages import locale_code

# The picture feed readers show with an item: 16:9, wide enough for any reader's card.
ENCLOSURE_FILTER = "fill-1200x675"
HERO_FILTER = "width-1200"
# Pull quotes repeat a line of the article, set large; in a feed reader they would read twice.
SKIPPED_BLOCKS = {"pull_quote"}
# Attributes holding one address; srcset holds several.
URL_ATTRIBUTES = ("href", "src", "poster", "cite")
SUMMARY_FALLBACK_WORDS = 60


def summary_html(page: ArticlePage) -> str:
    """The item's description: the article's summary (or, lacking one, its opening words),
    escaped once so that feed readers, which read descriptions as HTML, show it as written."""
    text = page.summary or Truncator(page.body_text()).words(SUMMARY_FALLBACK_WORDS)
    return escape(text)


def full_text_html(page: ArticlePage, request: HttpRequest) -> str:
    """The article as readers see it on its page: hero image, then each body block, in the
    article's own language, with every link and image address made absolute (on the host of
    the article's own address)."""
    with translation.override(locale_code(page.locale_id)):
        parts = [hero_figure(page)]
        context = {"request": request, "page": page}
        parts += [
            block.render(context=context)
            for block in page.body
            if block.block_type not in SKIPPED_BLOCKS
        ]
    return absolute_html("\n".join(filter(None, parts)), page.get_full_url(request))


def hero_figure(page: ArticlePage) -> str:
    """The hero image with its alt text, caption and credit ("" when there is none)."""
    if page.hero_image is None:
        return ""
    try:
        rendition = page.hero_image.get_rendition(HERO_FILTER)
    except (SourceImageIOError, OSError):
        return ""
    caption = " ".join(filter(None, [page.hero_caption, page.hero_credit]))
    return format_html(
        '<figure><img src="{}" width="{}" height="{}" alt="{}">{}</figure>',
        rendition.url,
        rendition.width,
        rendition.height,
        page.hero_alt,
        format_html("<figcaption>{}</figcaption>", caption) if caption else "",
    )


def absolute_html(html: str, base_url: str) -> str:
    """`html` with each address in it resolved against `base_url` (feed readers show items
    away from the site, where relative addresses lead nowhere)."""
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(True):
        for attribute in URL_ATTRIBUTES:
            if element.has_attr(attribute):
                element[attribute] = urljoin(base_url, element[attribute].strip())
        if element.has_attr("srcset"):
            element["srcset"] = absolute_srcset(element["srcset"], base_url)
    return str(soup)


def absolute_srcset(srcset: str, base_url: str) -> str:
    candidates = []
    for candidate in srcset.split(","):
        url, _, descriptor = candidate.strip().partition(" ")
        if url:
            candidates.append(" ".join(filter(None, [urljoin(base_url, url), descriptor.strip()])))
    return ", ".join(candidates)


def image_enclosure(page: ArticlePage, request: HttpRequest) -> Enclosure | None:
    """The article's picture for shared links as an enclosure: the absolute address of a
    rendition, its size in bytes and its type. None when the article has no picture or its
    file can't be read (the item is still worth sending)."""
    image = page.share_image
    if image is None:
        return None
    try:
        rendition = image.get_rendition(ENCLOSURE_FILTER)
        length = rendition.file.size
    except (SourceImageIOError, OSError):
        return None
    mime_type = mimetypes.guess_type(rendition.file.name)[0] or "application/octet-stream"
    return Enclosure(
        url=urljoin(page.get_full_url(request), rendition.url),
        length=str(length),
        mime_type=mime_type,
    )
