"""robots.txt: what crawlers may skip (the editor, tips, search results, donors' and
subscribers' own pages) in every reader language, and where the sitemaps are."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from masthead.seo.sitemaps import language_prefix

# Everywhere, once: the editor, with its page previews and draft views.
SITE_DISALLOWED = ["/admin/"]
# Under each language's prefix ("/tips/", "/fr/tips/"…): the tip line, search results, the
# Support page's thank-you and "Manage my donation" pages, and the newsletter's personal links.
LANGUAGE_DISALLOWED = [
    "tips/",
    "search/",
    "support/manage/",
    "support/thanks/",
    "newsletter/confirm/",
    "newsletter/unsubscribe/",
    "newsletter/preferences/",
]


def disallowed_paths() -> list[str]:
    """Every path robots.txt disallows, each once, in a stable order."""
    paths = list(SITE_DISALLOWED)
    for code, _name in settings.LANGUAGES:
        prefix = language_prefix(code)
        paths += [prefix + path for path in LANGUAGE_DISALLOWED]
    return list(dict.fromkeys(paths))


def robots_txt(request: HttpRequest) -> str:
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in disallowed_paths()]
    lines.append("")
    for name in ("seo:sitemap_index", "seo:news_sitemap"):
        lines.append(f"Sitemap: {request.build_absolute_uri(reverse(name))}")
    return "\n".join(lines) + "\n"
