"""The sitemaps search engines read: an index, a sitemap per language per section (paginated), one
per language for the other pages (home, sections, support page, authors), and a Google News
sitemap of the last two days' articles.

Every `<url>` carries its versions in every language (`xhtml:link rel="alternate"`) and an
`x-default` pointing at the original. The work per sitemap is a fixed number of SQL queries
whatever its size: pages are read as plain values, their translations in one query keyed by
`translation_key`, and addresses are made from each page's `url_path` (the way Wagtail makes
them, without a query or a `reverse()` per page).

Languages come from `settings.LANGUAGES`: adding one needs no code here.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import Left, Length
from django.http import Http404, HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.http import RFC3986_SUBDELIMS
from wagtail.models import Locale, Page, Site
from wagtail_localize.models import TranslationSource

from masthead.newsroom.context_processors import newsroom_name
from masthead.newsroom.models import ArticleAuthor, ArticlePage, SectionPage
from masthead.translation.languages import bcp47

# A sitemap holds at most 50,000 addresses (sitemaps.org); tests make it small.
SITEMAP_PAGE_SIZE = 50_000
# Google News: articles first published in the last two days, at most 1,000 of them.
NEWS_WINDOW = timedelta(hours=48)
NEWS_MAX_ARTICLES = 1_000

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"

# Google News wants ISO 639 codes, except for Chinese, where it names the script by region.
NEWS_LANGUAGE_EXCEPTIONS = {"zh-hans": "zh-cn", "zh-hant": "zh-tw"}

# What reverse() leaves unquoted in a path (Django's own choice, so addresses match Wagtail's).
_PATH_SAFE = RFC3986_SUBDELIMS + "/~:@"
_PAGE_FIELDS = ("translation_key", "locale_id", "url_path", "last_published_at")


@dataclass(frozen=True)
class Alternate:
    """One language version of an address: `hreflang` is a BCP 47 tag or "x-default"."""

    hreflang: str
    href: str


@dataclass(frozen=True)
class SitemapUrl:
    loc: str
    lastmod: datetime | None
    alternates: tuple[Alternate, ...]


@dataclass(frozen=True)
class NewsUrl:
    loc: str
    publication_name: str
    language: str
    publication_date: datetime
    title: str


@dataclass(frozen=True)
class ChildSitemap:
    """One entry of the sitemap index."""

    loc: str
    lastmod: datetime | None


# --- Languages and addresses -------------------------------------------------------------------


def language_prefix(code: str) -> str:
    """The path every reader page in this language starts with: "/" for the default language,
    "/fr/" for French (asked of the URL configuration, so it follows `i18n_patterns`)."""
    with translation.override(code):
        try:
            return reverse("wagtail_serve", args=("",))
        except NoReverseMatch:  # pragma: no cover - Wagtail's pages are always routed
            return "/" if code == settings.LANGUAGE_CODE else f"/{code}/"


def news_language(code: str) -> str:
    """The ISO 639 code Google News wants: "fr", and "zh-cn" for Simplified Chinese."""
    code = code.lower()
    return NEWS_LANGUAGE_EXCEPTIONS.get(code, code.partition("-")[0])


def w3c_datetime(moment: datetime) -> str:
    """A W3C datetime in UTC, to the second: "2025-03-01T08:30:00+00:00"."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


class Addresses:
    """Absolute addresses of reader pages for one request, without a query per page.

    A page's address is its language's prefix followed by its `url_path` below its language's
    site root, which is what Wagtail's `Page.get_url()` computes (with a `reverse()` each).
    The host is the request's, like the canonical links on the pages themselves.
    """

    def __init__(self, request: HttpRequest) -> None:
        self.base = f"{request.scheme}://{request.get_host()}"
        self.private: Q | None = None  # pages under a privacy restriction, once asked for
        codes = [code for code, _name in settings.LANGUAGES]
        locales = Locale.objects.filter(language_code__in=codes)
        by_code = {locale.language_code: locale for locale in locales}
        # Reader languages, in settings order, that have a locale.
        self.codes: list[str] = [code for code in codes if code in by_code]
        self.locale_ids: dict[str, int] = {code: by_code[code].pk for code in self.codes}
        self.code_of: dict[int, str] = {pk: code for code, pk in self.locale_ids.items()}
        self.prefixes: dict[str, str] = {code: language_prefix(code) for code in self.codes}
        site = Site.find_for_request(request)
        # Each language's home page on this site: its url_path, by locale id.
        self.roots: dict[int, str] = {}
        for root in Site.get_site_root_paths():
            if site is not None and root.site_id != site.pk:
                continue
            locale_id = self.locale_ids.get(root.language_code)
            if locale_id is not None:
                self.roots.setdefault(locale_id, root.root_path)

    def absolute(self, path: str) -> str:
        return self.base + path

    def page_path(self, locale_id: int, url_path: str) -> str | None:
        """The path of a page in this site, or None where it is not reachable here."""
        root = self.roots.get(locale_id)
        if root is None or not url_path.startswith(root):
            return None
        return self.prefixes[self.code_of[locale_id]] + quote(url_path[len(root) :], _PATH_SAFE)

    def page(self, locale_id: int, url_path: str) -> str | None:
        path = self.page_path(locale_id, url_path)
        return None if path is None else self.base + path

    def view(self, code: str, name: str, **kwargs: str) -> str:
        with translation.override(code):
            return self.base + reverse(name, kwargs=kwargs)

    def language(self, language: str) -> int:
        """The locale id of a reader language named in an address; 404 for any other."""
        if language not in self.locale_ids:
            raise Http404("No such language.")
        return self.locale_ids[language]

    def in_site(self, locale_ids: Iterable[int] | None = None) -> Q:
        """Pages below a language's home on this site (all reader languages by default)."""
        wanted = self.roots
        if locale_ids is not None:
            wanted = {pk: root for pk, root in self.roots.items() if pk in set(locale_ids)}
        condition = Q(pk__in=[])
        for locale_id, root in wanted.items():
            condition |= Q(locale_id=locale_id, url_path__startswith=root)
        return condition


def published(addresses: Addresses) -> QuerySet:
    """Live pages outside every privacy restriction, like `.live().public()` (whose
    restrictions are read once per request rather than once per query)."""
    if addresses.private is None:
        addresses.private = Page.objects.all().private_q()
    return Page.objects.live().exclude(addresses.private)


# --- Language versions -------------------------------------------------------------------------


def original_languages(keys: QuerySet | Iterable, code_of: dict[int, str]) -> dict[str, str]:
    """Each translation key's original language, as `pipeline.source_of` finds it (the oldest
    translation source), in one query."""
    originals: dict[str, str] = {}
    sources = (
        TranslationSource.objects.filter(object_id__in=keys)
        .order_by("pk")
        .values_list("object_id", "locale_id")
    )
    for key, locale_id in sources:
        if str(key) not in originals and locale_id in code_of:
            originals[str(key)] = code_of[locale_id]
    return originals


def alternates_for(
    versions: dict[str, str], original: str | None, codes: Sequence[str]
) -> tuple[Alternate, ...]:
    """The alternates of every version of one page or view: each language's version (the page
    itself included), in settings order, and x-default for the original.

    Every version gets the same list, so alternates are reciprocal. Where the original has no
    published version, x-default is the default language's version, else the first language's.
    """
    if not versions:
        return ()
    ordered = [code for code in codes if code in versions]
    if original not in versions:
        original = settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in versions else ordered[0]
    return (
        *(Alternate(bcp47(code), versions[code]) for code in ordered),
        Alternate("x-default", versions[original]),
    )


def page_urls(pages: QuerySet, addresses: Addresses) -> list[SitemapUrl]:
    """A `<url>` for each page of `pages` (values of `_PAGE_FIELDS`), with the published
    versions of each in every language: three queries, whatever the number of pages."""
    own = [row for row in pages if addresses.page(row["locale_id"], row["url_path"])]
    keys = pages.values("translation_key")
    versions: dict[str, dict[str, str]] = {}
    others = (
        published(addresses)
        .filter(translation_key__in=keys)
        .filter(addresses.in_site())
        .values_list("translation_key", "locale_id", "url_path")
    )
    for key, locale_id, url_path in others:
        url = addresses.page(locale_id, url_path)
        if url is not None:
            versions.setdefault(str(key), {})[addresses.code_of[locale_id]] = url
    originals = original_languages(keys, addresses.code_of)
    urls = []
    for row in own:
        key = str(row["translation_key"])
        page_versions = versions.get(key, {})
        code = addresses.code_of[row["locale_id"]]
        page_versions.setdefault(code, addresses.page(row["locale_id"], row["url_path"]))
        urls.append(
            SitemapUrl(
                loc=page_versions[code],
                lastmod=row["last_published_at"],
                alternates=alternates_for(page_versions, originals.get(key), addresses.codes),
            )
        )
    return urls


# --- The sitemaps ------------------------------------------------------------------------------


def section_page(addresses: Addresses, language: str, slug: str) -> dict:
    """The published section with this slug in this language (values); 404 if there is none."""
    locale_id = addresses.language(language)
    section = (
        published(addresses)
        .type(SectionPage)
        .filter(addresses.in_site([locale_id]), slug=slug)
        .order_by("path")
        .values("path", "depth")
        .first()
    )
    if section is None:
        raise Http404("No such section.")
    return section


def page_number(value: str | None, count: int, size: int) -> int:
    """The sitemap page `?p=` names (1 when absent); 404 for anything but an existing page."""
    last = max(1, math.ceil(count / size))
    if value is None:
        return 1
    if not value.isdigit() or not 1 <= int(value) <= last:
        raise Http404("No such sitemap page.")
    return int(value)


def section_urls(request: HttpRequest, language: str, slug: str) -> list[SitemapUrl]:
    """The articles of one section in one language: the page `?p=` names, oldest first."""
    addresses = Addresses(request)
    section = section_page(addresses, language, slug)
    articles = (
        published(addresses)
        .type(ArticlePage)
        .filter(path__startswith=section["path"], depth=section["depth"] + 1)
        .order_by("path")
    )
    size = SITEMAP_PAGE_SIZE
    number = page_number(request.GET.get("p"), articles.count(), size)
    chunk = articles[(number - 1) * size : number * size].values(*_PAGE_FIELDS)
    return page_urls(chunk, addresses)


def pages_urls(request: HttpRequest, language: str) -> list[SitemapUrl]:
    """One language's pages other than articles (home, sections, the support page…), and the
    pages of the authors who have articles in that language."""
    addresses = Addresses(request)
    locale_id = addresses.language(language)
    if locale_id not in addresses.roots:
        pages: list[SitemapUrl] = []
    else:
        rows = (
            published(addresses)
            .not_type(ArticlePage)
            .filter(addresses.in_site([locale_id]))
            .order_by("path")
            .values(*_PAGE_FIELDS)
        )
        pages = page_urls(rows, addresses)
    return pages + author_urls(addresses, language)


def author_urls(addresses: Addresses, language: str) -> list[SitemapUrl]:
    """The author pages with published articles in `language`, each with its versions in the
    languages where the author has articles (two queries)."""
    articles = published(addresses).filter(locale_id__in=list(addresses.code_of)).values("pk")
    bylines = (
        ArticleAuthor.objects.filter(page_id__in=articles)
        .values("author__translation_key", "page__locale_id")
        .annotate(slug=Max("author__slug"), lastmod=Max("page__last_published_at"))
        .order_by()
    )
    authors: dict[str, dict[str, dict]] = {}
    for row in bylines:
        code = addresses.code_of[row["page__locale_id"]]
        authors.setdefault(str(row["author__translation_key"]), {})[code] = row
    originals = original_languages(list(authors), addresses.code_of)
    urls = []
    for key, languages in authors.items():
        if language not in languages:
            continue
        versions = {
            code: addresses.view(code, "newsroom:author", slug=row["slug"])
            for code, row in languages.items()
        }
        urls.append(
            SitemapUrl(
                loc=versions[language],
                lastmod=languages[language]["lastmod"],
                alternates=alternates_for(versions, originals.get(key), addresses.codes),
            )
        )
    urls.sort(key=lambda url: url.loc)
    return urls


def news_urls(request: HttpRequest) -> list[NewsUrl]:
    """Articles first published in the last `NEWS_WINDOW`, newest first, in every language."""
    addresses = Addresses(request)
    site = Site.find_for_request(request)
    name = newsroom_name(site)
    rows = (
        published(addresses)
        .type(ArticlePage)
        .filter(addresses.in_site(), first_published_at__gte=timezone.now() - NEWS_WINDOW)
        .order_by("-first_published_at", "-pk")
        .values("locale_id", "url_path", "first_published_at", "title")[:NEWS_MAX_ARTICLES]
    )
    return [
        NewsUrl(
            loc=addresses.page(row["locale_id"], row["url_path"]),
            publication_name=name,
            language=news_language(addresses.code_of[row["locale_id"]]),
            publication_date=row["first_published_at"],
            title=row["title"],
        )
        for row in rows
    ]


def index_entries(request: HttpRequest) -> list[ChildSitemap]:
    """Every child sitemap, with when it last changed: a fixed number of queries."""
    addresses = Addresses(request)
    site_pages = published(addresses).filter(addresses.in_site())
    sections = list(
        site_pages.type(SectionPage)
        .order_by("path")
        .values("path", "slug", "locale_id", "translation_key")
    )
    # Articles per section (by their parent's path): how many, and the newest change.
    per_parent = {
        row["parent"]: row
        for row in site_pages.type(ArticlePage)
        .annotate(parent=Left("path", Length("path") - Page.steplen))
        .values("parent")
        .annotate(count=Count("pk"), lastmod=Max("last_published_at"))
        .order_by()
    }
    # A section's sitemap also changes when another language's version of an article does.
    by_key: dict[str, datetime] = {}
    for section in sections:
        lastmod = per_parent.get(section["path"], {}).get("lastmod")
        key = str(section["translation_key"])
        if lastmod and (key not in by_key or lastmod > by_key[key]):
            by_key[key] = lastmod

    # Other pages: they change when any language's version does, or an author's article.
    changes = {
        row["locale_id"]: row
        for row in site_pages.values("locale_id")
        .annotate(
            pages=Max("last_published_at", filter=~site_pages.type_q(ArticlePage)),
            articles=Max("last_published_at", filter=site_pages.type_q(ArticlePage)),
        )
        .order_by()
    }
    newest_page = max((row["pages"] for row in changes.values() if row["pages"]), default=None)

    entries = []
    for code in addresses.codes:
        locale_id = addresses.locale_ids[code]
        if locale_id not in addresses.roots:
            continue
        pages_loc = reverse("seo:pages_sitemap", kwargs={"language": code})
        articles_lastmod = changes.get(locale_id, {}).get("articles")
        entries.append(
            ChildSitemap(addresses.absolute(pages_loc), _newest(newest_page, articles_lastmod))
        )
        for section in sections:
            if section["locale_id"] != locale_id:
                continue
            count = per_parent.get(section["path"], {}).get("count", 0)
            loc = addresses.absolute(
                reverse(
                    "seo:section_sitemap", kwargs={"language": code, "section": section["slug"]}
                )
            )
            lastmod = by_key.get(str(section["translation_key"]))
            for number in range(1, math.ceil(count / SITEMAP_PAGE_SIZE) + 1):
                entries.append(ChildSitemap(loc if number == 1 else f"{loc}?p={number}", lastmod))
    entries.append(
        ChildSitemap(addresses.absolute(reverse("seo:news_sitemap")), news_lastmod(site_pages))
    )
    return entries


def news_lastmod(site_pages: QuerySet) -> datetime | None:
    """When the news sitemap last changed: an article in it was published, or the newest
    article left it."""
    since = timezone.now() - NEWS_WINDOW
    figures = site_pages.type(ArticlePage).aggregate(
        newest=Max("first_published_at"),
        changed=Max("last_published_at", filter=Q(first_published_at__gte=since)),
    )
    if figures["changed"]:
        return figures["changed"]
    return figures["newest"] + NEWS_WINDOW if figures["newest"] else None


def _newest(*moments: datetime | None) -> datetime | None:
    return max((moment for moment in moments if moment), default=None)


# --- XML ---------------------------------------------------------------------------------------


def _xml(root: ET.Element) -> bytes:
    # Namespaced names are written as prefixed names ("xhtml:link") with the xmlns attributes
    # on the root, so ElementTree's process-wide prefix registry is left alone.
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def render_urlset(urls: Iterable[SitemapUrl]) -> bytes:
    root = ET.Element("urlset", {"xmlns": SITEMAP_NS, "xmlns:xhtml": XHTML_NS})
    for url in urls:
        node = ET.SubElement(root, "url")
        ET.SubElement(node, "loc").text = url.loc
        if url.lastmod:
            ET.SubElement(node, "lastmod").text = w3c_datetime(url.lastmod)
        for alternate in url.alternates:
            ET.SubElement(
                node,
                "xhtml:link",
                {"rel": "alternate", "hreflang": alternate.hreflang, "href": alternate.href},
            )
    return _xml(root)


def render_news(urls: Iterable[NewsUrl]) -> bytes:
    root = ET.Element("urlset", {"xmlns": SITEMAP_NS, "xmlns:news": NEWS_NS})
    for url in urls:
        node = ET.SubElement(root, "url")
        ET.SubElement(node, "loc").text = url.loc
        news = ET.SubElement(node, "news:news")
        publication = ET.SubElement(news, "news:publication")
        ET.SubElement(publication, "news:name").text = url.publication_name
        ET.SubElement(publication, "news:language").text = url.language
        ET.SubElement(news, "news:publication_date").text = w3c_datetime(url.publication_date)
        ET.SubElement(news, "news:title").text = url.title
    return _xml(root)


def render_index(children: Iterable[ChildSitemap]) -> bytes:
    root = ET.Element("sitemapindex", {"xmlns": SITEMAP_NS})
    for child in children:
        node = ET.SubElement(root, "sitemap")
        ET.SubElement(node, "loc").text = child.loc
        if child.lastmod:
            ET.SubElement(node, "lastmod").text = w3c_datetime(child.lastmod)
    return _xml(root)
