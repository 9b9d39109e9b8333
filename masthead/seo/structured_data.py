"""Structured data (schema.org JSON-LD) for search engines: articles, author profiles, the
front page, and the publisher behind them.

Each builder returns a plain dict; `json_ld` writes one as a `<script>` that no value can
break out of. `structured_data(context)` picks the builder for a template context.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from wagtail.models import Page

from masthead.seo.social_cards import (
    absolute,
    author_in,
    author_url,
    canonical_for,
    iso,
    page_language,
    picture,
    plain_text,
    publisher_logo,
    shorten,
    site_name,
    tag_names,
)
from masthead.translation.languages import LanguageVersion, bcp47, page_versions

SCHEMA = "https://schema.org"
HEADLINE_MAX_LENGTH = 110  # what Google shows of a headline
# Google wants pictures at least 1200 pixels wide, in 16:9, 4:3 and 1:1.
ARTICLE_IMAGE_SIZES = ((1200, 675), (1200, 900), (1200, 1200))
LOGO = "max-600x600"
PORTRAIT = "fill-400x400"

ARTICLE_SCHEMA_TYPES = {
    "news": "NewsArticle",
    "analysis": "AnalysisNewsArticle",
    "opinion": "OpinionNewsArticle",
    "investigation": "ReportageNewsArticle",
}

# `<`, `>` and `&` written as JSON escapes: a value can't close the script or open a comment.
_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def json_ld(data: dict[str, Any]) -> SafeString:
    """`data` as a `<script type="application/ld+json">`, safe whatever text it holds."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


def structured_data(context: Any) -> dict[str, Any] | None:
    """The JSON-LD for the page a template context shows: an article, an author's profile or
    the front page (None for other pages)."""
    from masthead.newsroom.models import ArticlePage, HomePage

    request = context.get("request")
    if request is None:
        return None
    page, author = context.get("page"), context.get("author")
    canonical = canonical_for(context)
    versions = context.get("language_versions")
    front = context.get("front_page")
    if isinstance(page, ArticlePage):
        return article_data(page, request, canonical, versions=versions, front=front)
    if isinstance(page, HomePage):
        return front_page_data(page, request, front=front)
    if author is not None and page is None:
        return profile_data(author, request, canonical)
    return None


# --- Articles ---------------------------------------------------------------------------------


def article_data(
    page: Any,
    request: HttpRequest,
    canonical: str | None = None,
    *,
    versions: list[LanguageVersion] | None = None,
    front: Page | None = None,
) -> dict[str, Any]:
    """A NewsArticle (or its analysis, opinion or reportage kind) with its byline, publisher,
    corrections and translations. `versions` (the page's `language_versions`) and `front` (the
    front page) spare queries where the caller has them."""
    language = page_language(page)
    url = canonical or absolute(request, page.get_url(request))
    publisher = publisher_data(request, front)
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": article_type(page),
        "@id": url,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": shorten(page.share_title, HEADLINE_MAX_LENGTH),
        "description": page.summary,
        "image": article_images(page.share_image, request),
        "datePublished": iso(page.first_published_at),
        "dateModified": iso(page.modified_at),
        "author": [person(author, page, request) for author in page.authors],
        "publisher": publisher,
        "inLanguage": bcp47(language),
        "isAccessibleForFree": True,
        "articleSection": page.section.title if page.section else "",
        "keywords": tag_names(page),
        "publishingPrinciples": publisher.get("publishingPrinciples", ""),
        "correction": [
            {
                "@type": "CorrectionComment",
                "name": str(entry.get_kind_display()),
                "text": entry.text,
                "datePublished": iso(entry.made_at),
            }
            for entry in page.corrections_log
        ],
    }
    data.update(translation_links(page, request, versions))
    return without_empty(data)


def article_type(page: Any) -> str:
    return ARTICLE_SCHEMA_TYPES.get(page.article_type, "NewsArticle")


def article_images(image: Any, request: HttpRequest) -> list[str]:
    """Absolute URLs of 16:9, 4:3 and 1:1 crops at least 1200 pixels wide, leaving out those the
    original is too small for (renditions are never enlarged)."""
    if image is None:
        return []
    urls = []
    for width, height in ARTICLE_IMAGE_SIZES:
        cropped_width = min(image.width, image.height * width / height)
        if cropped_width < width:
            continue
        rendition = picture(image, f"fill-{width}x{height}", request)
        if rendition is not None and rendition.width >= width:
            urls.append(rendition.url)
    return urls


def person(author: Any, page: Any, request: HttpRequest) -> dict[str, Any]:
    """A byline's author, with their page and role in the article's language."""
    author = author_in(author, page)
    return without_empty(
        {
            "@type": "Person",
            "name": author.name,
            "url": author_url(author, page_language(page), request),
            "jobTitle": author.role,
        }
    )


def translation_links(
    page: Any, request: HttpRequest, versions: list[LanguageVersion] | None = None
) -> dict[str, Any]:
    """`translationOfWork` for a translation; `workTranslation` for an original that has
    published translations (their address and language only: an original's page carries no
    text of its translations). `versions` (the page's `language_versions`) spares queries."""
    from masthead.newsroom.models import ArticlePage

    if versions is None:
        versions = page_versions(page, request)
    published = [v for v in versions if v.available and not v.is_current]
    current = next((v for v in versions if v.is_current), None)
    if not published or current is None:
        return {}
    if not current.is_original:
        code = next((v.code for v in versions if v.is_original), None)
        original = (
            ArticlePage.objects.live()
            .filter(translation_key=page.translation_key, locale__language_code=code)
            .first()
        )
        return {"translationOfWork": work_summary(original, request)} if original else {}
    return {
        "workTranslation": [
            {
                "@type": article_type(page),
                "@id": absolute(request, v.url),
                "url": absolute(request, v.url),
                "inLanguage": v.lang,
            }
            for v in published
        ]
    }


def work_summary(page: Any, request: HttpRequest) -> dict[str, Any]:
    summary: dict[str, Any] = {"@type": article_type(page)}
    if page.live:
        url = absolute(request, page.get_url(request))
        summary.update({"@id": url, "url": url})
    summary["headline"] = shorten(page.share_title, HEADLINE_MAX_LENGTH)
    summary["inLanguage"] = bcp47(page_language(page))
    return summary


# --- The publisher and the front page ---------------------------------------------------------


def front_page_url(request: HttpRequest, front: Page | None = None) -> str:
    """The front page in the reader's language (`front`, where the caller has it)."""
    from masthead.newsroom.context_processors import front_page

    home = front if front is not None else front_page(request)
    url = home.get_url(request) if home is not None else None
    return absolute(request, url or "/")


def publisher_data(request: HttpRequest, front: Page | None = None) -> dict[str, Any]:
    """The newsroom as a NewsMediaOrganization: name, front page, logo and policies."""
    from masthead.seo.models import SeoSettings

    seo = SeoSettings.for_request(request)
    home = front_page_url(request, front)
    data: dict[str, Any] = {
        "@type": "NewsMediaOrganization",
        "@id": f"{home}#publisher",
        "name": site_name(request),
        "url": home,
    }
    logo = publisher_logo(request, LOGO)
    if logo is not None:
        data["logo"] = {
            "@type": "ImageObject",
            "url": logo.url,
            "width": logo.width,
            "height": logo.height,
        }
    for key, policy in (
        ("correctionsPolicy", seo.corrections_policy),
        ("publishingPrinciples", seo.publishing_principles),
    ):
        url = policy_url(policy, request)
        if url:
            data[key] = url
    return data


def policy_url(page: Page | None, request: HttpRequest) -> str:
    """A policy page's absolute address, in the reader's language where it is translated."""
    from masthead.translation.languages import in_reader_language

    if page is None:
        return ""
    page = in_reader_language(page)
    if not page.live:
        return ""
    url = page.get_url(request)
    return absolute(request, url) if url else ""


def search_url(request: HttpRequest) -> str:
    """The search page in the reader's language, with the placeholder search engines fill."""
    try:
        path = reverse("search:results")
    except NoReverseMatch:  # search isn't there yet: its address under the language's prefix
        path = reverse("wagtail_serve", args=[""]) + "search/"
    return absolute(request, path) + "?q={search_term_string}"


def front_page_data(home: Page, request: HttpRequest, front: Page | None = None) -> dict:
    """The site as a WebSite with its search box, and the organization that publishes it."""
    url = absolute(request, home.get_url(request) or "/")
    publisher = publisher_data(request, front or home)
    website = {
        "@type": "WebSite",
        "@id": f"{url}#website",
        "name": site_name(request),
        "url": url,
        "inLanguage": bcp47(get_language() or page_language(home)),
        "publisher": {"@id": publisher["@id"]},
        "potentialAction": {
            "@type": "SearchAction",
            "target": search_url(request),
            "query-input": "required name=search_term_string",
        },
    }
    if getattr(home, "tagline", ""):
        website["description"] = home.tagline
    return {"@context": SCHEMA, "@graph": [website, publisher]}


# --- Authors ----------------------------------------------------------------------------------


def profile_data(author: Any, request: HttpRequest, canonical: str | None = None) -> dict:
    """An author's page as a ProfilePage about a Person."""
    language = get_language() or "en"
    url = author_url(author, language, request)
    portrait = picture(author.photo, PORTRAIT, request)
    return {
        "@context": SCHEMA,
        "@type": "ProfilePage",
        "@id": canonical or url,
        "url": canonical or url,
        "inLanguage": bcp47(language),
        "mainEntity": without_empty(
            {
                "@type": "Person",
                "@id": f"{url}#person",
                "name": author.name,
                "url": url,
                "jobTitle": author.role,
                "image": portrait.url if portrait else "",
                "description": plain_text(author.bio),
                "sameAs": [link.url for link in author.links.all()],
            }
        ),
    }


def without_empty(data: dict[str, Any]) -> dict[str, Any]:
    """`data` less the properties with nothing to say (empty text, lists and None)."""
    return {key: value for key, value in data.items() if value not in ("", None, [], {})}
