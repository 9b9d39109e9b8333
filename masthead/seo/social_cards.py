"""What a shared link shows: OpenGraph and Twitter card tags, and each page's canonical address.

`social_cards(context)` reads a reader page's template context (the page, author or tag it
shows) and returns the tags as a dict, in the order they are written: property → content, or
property → list of contents where a property repeats (`article:tag`, `og:locale:alternate`).
The helpers here (absolute addresses, renditions, plain text) are shared with
`structured_data`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.paginator import Page as ListingPage
from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext
from wagtail.models import Page

from masthead.newsroom.context_processors import newsroom_name
from masthead.translation.languages import LanguageVersion, bcp47, locale_code

DESCRIPTION_MAX_LENGTH = 300
SHARE_IMAGE = "fill-1200x630"  # the 1.91:1 picture link previews show
WHOLE_IMAGE = "max-1200x630"  # portraits and logos: the whole picture, never cropped
QUERY_KEPT = ("q",)  # a search's words are part of what the address names

# OpenGraph wants language_TERRITORY; these are the territories readers expect.
OG_LOCALES = {
    "en": "en_US",
    "fr": "fr_FR",
    "de": "de_DE",
    "it": "it_IT",
    "pt": "pt_PT",
    "ru": "ru_RU",
    "es": "es_ES",
    "zh-hans": "zh_CN",
    "zh-hant": "zh_TW",
}


# --- Shared helpers ---------------------------------------------------------------------------


def og_locale(code: str) -> str:
    """The OpenGraph locale for a language code: "fr" → "fr_FR", "zh-hans" → "zh_CN"."""
    if code in OG_LOCALES:
        return OG_LOCALES[code]
    language, _, region = code.partition("-")
    return f"{language}_{region.upper()}" if len(region) == 2 else f"{language}_{language.upper()}"


def absolute(request: HttpRequest, url: str) -> str:
    """`url` with scheme and host (unchanged when it already has them)."""
    return request.build_absolute_uri(url)


def plain_text(markup: str) -> str:
    """Rich text as one line of plain text, paragraphs separated by spaces."""
    from masthead.newsroom.models import rich_text_as_plain

    return rich_text_as_plain(markup)


def shorten(text: str, length: int = DESCRIPTION_MAX_LENGTH) -> str:
    return Truncator(text).chars(length)


@dataclass(frozen=True)
class Picture:
    """A rendition ready for a tag: absolute URL and actual size."""

    url: str
    width: int
    height: int
    alt: str = ""


def picture(image: Any, spec: str, request: HttpRequest, alt: str = "") -> Picture | None:
    """A rendition of `image` (None when there is no image or its file can't be read)."""
    if image is None:
        return None
    try:
        rendition = image.get_rendition(spec)
    except OSError:  # the original is missing or unreadable: better no picture than no page
        return None
    return Picture(absolute(request, rendition.url), rendition.width, rendition.height, alt)


def page_language(page: Page) -> str:
    return locale_code(page.locale_id)


def author_url(author: Any, language: str, request: HttpRequest) -> str:
    """The absolute address of `author`'s page in `language`."""
    with translation.override(language):
        return absolute(request, reverse("newsroom:author", kwargs={"slug": author.slug}))


def author_in(author: Any, page: Page) -> Any:
    """`author`'s copy in `page`'s language (translated role and bio), else `author` itself."""
    if author.locale_id == page.locale_id:
        return author
    return author.get_translation_or_none(page.locale) or author


def tag_names(page: Any) -> list[str]:
    """The article's tags, prefetched: the page's own tag list reads them again for free."""
    if page.pk and "tags" not in getattr(page, "_prefetched_objects_cache", {}):
        prefetch_related_objects([page], "tags")
    return [tag.name for tag in page.tags.all()]


def publisher_logo(request: HttpRequest, spec: str) -> Picture | None:
    from masthead.seo.models import SeoSettings

    logo = SeoSettings.for_request(request).publisher_logo
    if logo is None:
        return None
    return picture(logo, spec, request, alt=logo.description or site_name(request))


def site_name(request: HttpRequest) -> str:
    from wagtail.models import Site

    return newsroom_name(Site.find_for_request(request))


# --- Canonical addresses ----------------------------------------------------------------------


def listing_page(context: Mapping[str, Any] | Any) -> ListingPage | None:
    """The page of a paginated list the template shows, if it shows one."""
    values = context.flatten().values() if hasattr(context, "flatten") else context.values()
    # By type, not isinstance(): that would evaluate the lazy objects context processors add.
    return next((value for value in values if issubclass(type(value), ListingPage)), None)


def canonical_url(
    request: HttpRequest | None,
    versions: Iterable[LanguageVersion] | None,
    listing: ListingPage | None = None,
) -> str | None:
    """The address search engines should file this page under: its version in the current
    language, at the sub-page being shown (a Support page's `thanks/`), with the list's page
    number past the first and a search's words. None where the page has no current version
    (an error page)."""
    current = next((v for v in versions or () if v.is_current and v.available), None)
    if request is None or current is None:
        return None
    scheme, host, path, _query, _fragment = urlsplit(current.url)
    if request.path != path and request.path.startswith(path.rstrip("/") + "/"):
        path = request.path  # a route inside a routable page
    query = [(name, request.GET[name].strip()) for name in QUERY_KEPT if request.GET.get(name)]
    query = [(name, value) for name, value in query if value]
    if listing is not None and listing.number > 1:
        query.append(("page", str(listing.number)))
    return absolute(request, urlunsplit((scheme, host, path, urlencode(query), "")))


def canonical_for(context: Any) -> str | None:
    """`canonical_url` for a template context (reads `request`, `language_versions`)."""
    versions = context.get("versions") or context.get("language_versions")
    return canonical_url(context.get("request"), versions, listing_page(context))


# --- Cards ------------------------------------------------------------------------------------


def social_cards(context: Any, **given: str) -> dict[str, str | list[str]]:
    """The OpenGraph and Twitter tags for the page a template context shows.

    `given` may set `title`, `description` or `type` for pages this can't tell about (a
    search page overriding `{% block social %}`)."""
    from masthead.newsroom.models import ArticlePage

    request = context.get("request")
    if request is None:
        return {}
    page, author, tag = context.get("page"), context.get("author"), context.get("tag")
    front = context.get("front_page")
    name = str(context.get("site_name") or site_name(request))
    tagline = getattr(front, "tagline", "") or ""
    if isinstance(page, ArticlePage):
        card = article_card(page, request)
    elif author is not None and page is None:
        card = author_card(author, request)
    elif tag is not None and page is None:
        card = {
            "type": "website",
            "title": gettext("Stories tagged “%(name)s”") % {"name": tag.name},
        }
    elif page is not None:
        card = page_card(page, name)
    elif given or canonical_for(context):  # a page outside the tree, such as search
        card = {"type": "website", "title": name}
    else:  # an error page: nothing worth sharing
        return {}
    card.update({key: value for key, value in given.items() if value})
    card.setdefault("description", tagline)
    if card.get("image") is None:
        card["image"] = publisher_logo(request, WHOLE_IMAGE)
        card["large"] = False
    return render_card(card, context, request)


def article_card(page: Any, request: HttpRequest) -> dict[str, Any]:
    language = page_language(page)
    image = page.share_image
    alt = page.hero_alt if page.social_image_id is None else ""
    alt = alt or getattr(image, "description", "") or ""
    modified = page.modified_at
    return {
        "type": "article",
        "title": page.share_title,
        "description": page.summary,
        "image": picture(image, SHARE_IMAGE, request, alt=alt),
        "large": True,
        "article": {
            "article:published_time": iso(page.first_published_at),
            "article:modified_time": iso(modified),
            "article:section": page.section.title if page.section else "",
            "article:author": [author_url(a, language, request) for a in page.authors],
            "article:tag": tag_names(page),
        },
    }


def author_card(author: Any, request: HttpRequest) -> dict[str, Any]:
    description = " — ".join(filter(None, [author.role, plain_text(author.bio)]))
    return {
        "type": "profile",
        "title": author.name,
        "description": shorten(description),
        "image": picture(author.photo, WHOLE_IMAGE, request, alt=author.name),
        "large": False,
    }


def page_card(page: Page, name: str) -> dict[str, Any]:
    """Home, section, Support and other pages of the tree: the editor's SEO title and
    description, else the title (the newsroom's name, for the front page) and the page's intro
    or tagline."""
    from masthead.newsroom.models import HomePage

    title = page.seo_title or (name if isinstance(page, HomePage) else page.title)
    card = {"type": "website", "title": title}
    intro = getattr(page, "intro", "") or getattr(page, "tagline", "") or ""
    if page.search_description or intro:
        card["description"] = shorten(page.search_description or intro)
    return card


def render_card(card: dict[str, Any], context: Any, request: HttpRequest) -> dict:
    from masthead.seo.models import SeoSettings

    tags: dict[str, str | list[str]] = {
        "og:site_name": str(context.get("site_name") or site_name(request)),
        "og:type": card["type"],
        "og:title": card["title"],
        "og:description": card["description"],
    }
    url = canonical_for(context)
    if url:
        tags["og:url"] = url
    current = translation.get_language() or settings.LANGUAGE_CODE
    tags["og:locale"] = og_locale(current)
    versions = context.get("language_versions") or []
    tags["og:locale:alternate"] = [
        og_locale(v.code) for v in versions if v.available and not v.is_current
    ]
    image: Picture | None = card["image"]
    if image:
        tags["og:image"] = image.url
        tags["og:image:width"] = str(image.width)
        tags["og:image:height"] = str(image.height)
        tags["og:image:alt"] = image.alt
    tags.update(card.get("article", {}))
    tags["twitter:card"] = "summary_large_image" if image and card.get("large") else "summary"
    tags["twitter:title"] = card["title"]
    tags["twitter:description"] = card["description"]
    if image:
        tags["twitter:image"] = image.url
        tags["twitter:image:alt"] = image.alt
    handle = SeoSettings.for_request(request).social_handle.strip()
    if handle:
        tags["twitter:site"] = handle if handle.startswith("@") else f"@{handle}"
    return {name: value for name, value in tags.items() if value}


def meta_tags(tags: Mapping[str, str | list[str]]) -> list[tuple[str, str, str]]:
    """(attribute, name, content) for each `<meta>`: OpenGraph's `property=`, Twitter's
    `name=`; one per value where a property repeats."""
    rows = []
    for name, value in tags.items():
        attribute = "name" if name.startswith("twitter:") else "property"
        for content in value if isinstance(value, list) else [value]:
            rows.append((attribute, name, str(content)))
    return rows


# --- Dates ------------------------------------------------------------------------------------


def iso(moment: Any) -> str:
    """ISO 8601 with the time zone, to the second ("" for no date)."""
    return moment.isoformat(timespec="seconds") if moment else ""


__all__ = ["bcp47", "canonical_url", "meta_tags", "og_locale", "social_cards"]
