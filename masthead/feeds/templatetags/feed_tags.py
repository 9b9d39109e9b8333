"""`{% feed_links %}`: the `<link rel="alternate">` tags for the feeds that match a page.

Every page points at the whole site's feeds in its language; a section or article page also at
its section's, an author's page at the author's and a tag's page at the tag's. Feed readers
and browsers find the feeds from these.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from masthead.feeds import scopes
from masthead.newsroom.models import ArticlePage, SectionPage

register = template.Library()

MIME_TYPES = {scopes.RSS: "application/rss+xml", scopes.ATOM: "application/atom+xml"}


@register.simple_tag(takes_context=True)
def feed_links(context: template.Context) -> SafeString:
    """An RSS and an Atom `<link>` for each feed that follows the page, absolute addresses."""
    request = context.get("request")
    if request is None:
        return SafeString("")
    links = []
    for kind, subject, slug in page_feeds(context):
        title = scopes.feed_title(request, subject)
        links += [
            (
                MIME_TYPES[format],
                link_title(title, format),
                scopes.feed_url(request, kind, format, slug),
            )
            for format in scopes.FORMATS
        ]
    return format_html_join("\n  ", '<link rel="alternate" type="{}" title="{}" href="{}">', links)


def page_feeds(context: template.Context) -> list[tuple[str, str, str | None]]:
    """(kind, subject, slug) of each feed that follows what the page shows."""
    feeds = [(scopes.SITE, "", None)]
    section = _section_of(context.get("page"))
    if section is not None:
        feeds.append((scopes.SECTION, section.title, section.slug))
    author = context.get("author")
    if author is not None and getattr(author, "slug", ""):
        feeds.append((scopes.AUTHOR, author.name, author.slug))
    tag = context.get("tag")
    if tag is not None and getattr(tag, "slug", ""):
        # The tag's page exists only while the tag has articles in this language; so does
        # its feed.
        feeds.append((scopes.TAG, tag.name, tag.slug))
    return feeds


def link_title(title: str, format: str) -> str:
    if format == scopes.RSS:
        return gettext("%(title)s (RSS)") % {"title": title}
    return gettext("%(title)s (Atom)") % {"title": title}


def _section_of(page) -> SectionPage | None:
    """The section a section or article page belongs to, while it is published.

    (Whether it is public is not checked, to cost no query on every article: a section behind
    a password shows the link to those let in, and its feed answers 404.)"""
    if isinstance(page, ArticlePage) and page.pk:
        page = page.section  # the article's template asks for it too: fetched once
    if isinstance(page, SectionPage) and page.pk and page.live:
        return page
    return None
