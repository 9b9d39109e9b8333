"""The views behind robots.txt and the sitemaps: each asks `sitemaps.py` or `robots.py` for
the content and serves it, briefly cacheable."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from masthead.pagecache import dependencies
from masthead.seo import robots, sitemaps

SITEMAP_MAX_AGE = 15 * 60  # seconds
NEWS_MAX_AGE = 5 * 60  # the news sitemap changes with every story
ROBOTS_MAX_AGE = 60 * 60

XML = "application/xml; charset=utf-8"


def _served(content: bytes | str, content_type: str, max_age: int) -> HttpResponse:
    # Any story published, moved or withdrawn in any language changes the sitemaps.
    dependencies.record(dependencies.SITE_ARTICLES)
    response = HttpResponse(content, content_type=content_type)
    patch_cache_control(response, public=True, max_age=max_age)
    return response


@require_safe
def sitemap_index(request: HttpRequest) -> HttpResponse:
    entries = sitemaps.index_entries(request)
    return _served(sitemaps.render_index(entries), XML, SITEMAP_MAX_AGE)


@require_safe
def section_sitemap(request: HttpRequest, language: str, section: str) -> HttpResponse:
    urls = sitemaps.section_urls(request, language, section)
    return _served(sitemaps.render_urlset(urls), XML, SITEMAP_MAX_AGE)


@require_safe
def pages_sitemap(request: HttpRequest, language: str) -> HttpResponse:
    urls = sitemaps.pages_urls(request, language)
    return _served(sitemaps.render_urlset(urls), XML, SITEMAP_MAX_AGE)


@require_safe
def news_sitemap(request: HttpRequest) -> HttpResponse:
    urls = sitemaps.news_urls(request)
    return _served(sitemaps.render_news(urls), XML, NEWS_MAX_AGE)


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    return _served(robots.robots_txt(request), "text/plain; charset=utf-8", ROBOTS_MAX_AGE)
