"""What each feed covers: which articles, under which title, mirroring which page, in which
language. The lookups raise Http404 where the feed does not exist (an unknown section,
author or tag, or a tag with no published article in the reader's language)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from taggit.models import Tag
from wagtail.models import Locale, Site

from masthead.newsroom.context_processors import newsroom_name
from masthead.newsroom.models import (
    ArticlePage,
    ArticlePageQuerySet,
    Author,
    SectionPage,
    tagged_articles,
)
from masthead.pagecache import dependencies
from masthead.translation.languages import active_locale, bcp47, in_reader_language

RSS = "rss"
ATOM = "atom"
FORMATS = (RSS, ATOM)

SITE = "site"
ALL_LANGUAGES = "all_languages"
SECTION = "section"
AUTHOR = "author"
TAG = "tag"


@dataclass(frozen=True)
class FeedScope:
    """One feed's subject, whichever format it is written in."""

    title: str
    description: str
    link: str  # the absolute address of the page the feed follows
    language: str | None  # a BCP 47 tag; None when the articles are in several languages
    articles: ArticlePageQuerySet


def feed_url(request: HttpRequest, kind: str, format: str, slug: str | None = None) -> str:
    """The absolute address of a feed in the reader's language."""
    kwargs = {"slug": slug} if slug is not None else {}
    return request.build_absolute_uri(reverse(f"feeds:{kind}_{format}", kwargs=kwargs))


def site_name(request: HttpRequest) -> str:
    return newsroom_name(Site.find_for_request(request))


def feed_title(request: HttpRequest, subject: str = "") -> str:
    """ "<site name>", or "<site name> — <section, author or tag>"."""
    name = site_name(request)
    return f"{name} — {subject}" if subject else name


def reader_language() -> str:
    return bcp47(active_locale().language_code)


def live_articles() -> ArticlePageQuerySet:
    return ArticlePage.objects.live().public().for_listing().newest()


def site_scope(request: HttpRequest) -> FeedScope:
    """The whole site in the reader's language."""
    home = _front_page(request)
    dependencies.record(dependencies.locale_tag(active_locale().pk))
    return FeedScope(
        title=feed_title(request),
        description=getattr(home, "tagline", "") or site_name(request),
        link=home.get_full_url(request) if home else request.build_absolute_uri("/"),
        language=reader_language(),
        articles=live_articles().filter(locale=active_locale()),
    )


def all_languages_scope(request: HttpRequest) -> FeedScope:
    """Every article in every language, each in its own."""
    site = Site.find_for_request(request)
    home = site.root_page.specific if site else None
    name = site_name(request)
    dependencies.record(dependencies.SITE_ARTICLES)
    return FeedScope(
        title=gettext("%(site)s — all languages") % {"site": name},
        description=gettext("The newest stories from %(site)s, in every language") % {"site": name},
        link=home.get_full_url(request) if home else request.build_absolute_uri("/"),
        language=None,
        articles=live_articles(),
    )


def section_scope(request: HttpRequest, slug: str) -> FeedScope:
    """A section's articles; the section is found by its slug, the same in every language."""
    section = SectionPage.objects.live().public().filter(slug=slug, locale=active_locale()).first()
    if section is None:
        raise Http404("No section has this address in this language.")
    dependencies.record(dependencies.section_tag(section.pk))
    return FeedScope(
        title=feed_title(request, section.title),
        description=section.intro
        or gettext("The newest stories in %(section)s") % {"section": section.title},
        link=section.get_full_url(request),
        language=reader_language(),
        articles=section.articles(),
    )


def author_scope(request: HttpRequest, slug: str) -> FeedScope:
    """An author's articles in the reader's language (the author page's list)."""
    locale = active_locale()
    author = _author_in(slug, locale)
    if author is None:
        raise Http404("No author has this address.")
    dependencies.record(dependencies.authored_tag(author.translation_key))
    return FeedScope(
        title=feed_title(request, author.name),
        description=gettext("The newest stories by %(author)s") % {"author": author.name},
        link=request.build_absolute_uri(author.get_absolute_url()),
        language=reader_language(),
        articles=author.articles(locale),
    )


def tag_scope(request: HttpRequest, slug: str) -> FeedScope:
    """A tag's articles in the reader's language; like the tag's page, only while it has some."""
    dependencies.record(dependencies.tagged_tag(slug))
    tag = Tag.objects.filter(slug=slug).first()
    articles = tagged_articles(slug, active_locale())
    if tag is None or not articles.exists():
        raise Http404("No published article in this language has this tag.")
    return FeedScope(
        title=feed_title(request, tag.name),
        description=gettext("The newest stories tagged “%(tag)s”") % {"tag": tag.name},
        link=request.build_absolute_uri(reverse("newsroom:tag", kwargs={"slug": slug})),
        language=reader_language(),
        articles=articles,
    )


def _front_page(request: HttpRequest):
    site = Site.find_for_request(request)
    return in_reader_language(site.root_page).specific if site else None


def _author_in(slug: str, locale: Locale) -> Author | None:
    """The author's copy in `locale`, else the default language's, else any (as on the
    author's page)."""
    copies = Author.objects.filter(slug=slug).select_related("locale")
    default = translation.get_supported_language_variant(settings.LANGUAGE_CODE)
    return min(
        copies,
        key=lambda copy: (copy.locale_id != locale.pk, copy.locale.language_code != default),
        default=None,
    )
