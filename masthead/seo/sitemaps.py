"""The sitemaps search engines read: an index, a sitemap per language per section (paginated), one
per language for the other pages (home, sections, support page, authors), and a Google News
sitemap of the last two days' articles.

Every `<url>` carries its versions in every language (`xhtml:link rel="alternate"`) and an
`x-default` pointing at the original. The work per sitemap is a fixed number of SQL queries
whatever its size: pages are read as plain values, their translations in one query keyed by
`translation_key`, and addresses are made from each page's `url_path` (the way Wagtail makes
them, without a query or a `reverse()` per page).

With tens of thousands of articles, what a sitemap asks of the page tree is a range of tree
paths (the pages below a home or a section), which newsroom migrations 0004 and 0005 index,
never a LIKE on a path, which SQLite reads every page for; privacy restrictions are read once
per request; and the XML of a full page of addresses is written directly.

Languages come from `settings.LANGUAGES`: adding one needs no code here.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.models import CharField, Count, Max, Q, QuerySet, TextField, Value
from django.db.models.functions import Cast
from django.http import Http404, HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.http import RFC3986_SUBDELIMS
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail_localize.models import TranslationSource

from masthead.newsroom.context_processors import newsroom_name
from masthead.newsroom.models import ArticleAuthor, ArticlePage, SectionPage
from masthead.translation.languages import bcp47

# A sitemap may hold 50,000 addresses and 50 MB (sitemaps.org); with an alternate per language
# each address takes about 1 kB, so pages of 2,000 stay far below both and render in a fraction
# of a second however many articles a section has. Tests make it small.
SITEMAP_PAGE_SIZE = 2_000
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
# A path that `quote()` would leave as it is (most are: slugs are ASCII by default).
_UNQUOTED = re.compile(r"[A-Za-z0-9_.\-~" + re.escape(_PATH_SAFE) + "]*")
_PAGE_FIELDS = ("locale_id", "url_path", "last_published_at")
# A home page or a page right below one (see `index_entries`).
_TOP_FIELDS = (
    "path",
    "depth",
    "slug",
    "locale_id",
    "translation_key",
    "live",
    "content_type_id",
    "last_published_at",
)


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
        codes = [code for code, _name in settings.LANGUAGES]
        locales = Locale.objects.filter(language_code__in=codes)
        by_code = {locale.language_code: locale for locale in locales}
        # Reader languages, in settings order, that have a locale.
        self.codes: list[str] = [code for code in codes if code in by_code]
        self.locale_ids: dict[str, int] = {code: by_code[code].pk for code in self.codes}
        self.code_of: dict[int, str] = {pk: code for code, pk in self.locale_ids.items()}
        self.prefixes: dict[str, str] = {code: language_prefix(code) for code in self.codes}
        site = self.site = Site.find_for_request(request)
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
        path = url_path[len(root) :]
        if not _UNQUOTED.fullmatch(path):
            path = quote(path, _PATH_SAFE)
        return self.prefixes[self.code_of[locale_id]] + path

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

    @cached_property
    def homes(self) -> dict[int, tuple[str, int]]:
        """Each language's home page on this site (those of `roots`): its tree path and depth,
        by locale id. One query: the translations of the site's root page."""
        sites = Site.objects.filter(pk=self.site.pk) if self.site else Site.objects.all()
        keys = Page.objects.filter(pk__in=sites.values("root_page_id")).values("translation_key")
        rows = Page.objects.filter(
            translation_key__in=keys, locale_id__in=list(self.roots)
        ).values_list("locale_id", "path", "depth", "url_path")
        return {
            locale_id: (path, depth)
            for locale_id, path, depth, url_path in rows
            if self.roots.get(locale_id) == url_path
        }

    def tops(self, locale_ids: Iterable[int] | None = None) -> Q:
        """Each language's home on this site and the pages right below it (sections, the
        support page), as ranges of tree paths by depth, which newsroom migration 0005's index
        answers without reading the articles below them. (All reader languages by default.)

        These are all the pages of a site but articles: the page types allow nothing else
        (a home holds sections and support pages, a section holds articles)."""
        wanted = set(self.homes if locale_ids is None else locale_ids)
        condition = Q(pk__in=[])
        for locale_id, (path, depth) in self.homes.items():
            if locale_id in wanted:
                here = Q(locale_id=locale_id)
                condition |= (here & Q(path=path)) | (here & children_range(path, depth))
        return condition

    @cached_property
    def private_paths(self) -> list[str]:
        """The tree paths of the pages under a privacy restriction (one query)."""
        restricted = PageViewRestriction.objects.values("page_id")
        return list(Page.objects.filter(pk__in=restricted).values_list("path", flat=True))

    @cached_property
    def private(self) -> Q:
        """Pages under a privacy restriction, like Wagtail's `private_q()` but as ranges of tree
        paths, which an index answers (and with the restrictions read once per request)."""
        condition = Q(pk__in=[])  # no page when nothing is restricted
        for path in self.private_paths:
            condition |= subtree(path)
        return condition

    def is_private(self, path: str) -> bool:
        """Whether the page at this tree path is under a privacy restriction."""
        return any(path.startswith(private) for private in self.private_paths)


def published(addresses: Addresses) -> QuerySet:
    """Live pages outside every privacy restriction, like `.live().public()` (whose
    restrictions are read once per request rather than once per query)."""
    return Page.objects.live().exclude(addresses.private)


# --- Language versions -------------------------------------------------------------------------


def as_text(field: str) -> Cast:
    """A translation key (a UUID) as the database writes it as text: the same in every query,
    so it can key dictionaries without making a `UUID` of each of thousands of keys."""
    return Cast(field, output_field=TextField())


def page_values(pages: QuerySet) -> QuerySet:
    """`pages` as the values `page_urls` wants: `_PAGE_FIELDS` and `key`, the translation key
    as text."""
    return pages.values(*_PAGE_FIELDS, key=as_text("translation_key"))


def original_languages(keys: QuerySet | Iterable, code_of: dict[int, str]) -> dict[str, str]:
    """Each translation key's original language (by key `as_text`), as `pipeline.source_of`
    finds it (the oldest translation source), in one query."""
    originals: dict[str, str] = {}
    sources = (
        TranslationSource.objects.filter(object_id__in=keys)
        .order_by("pk")
        .values_list(as_text("object_id"), "locale_id")
    )
    for key, locale_id in sources:
        if key not in originals and locale_id in code_of:
            originals[key] = code_of[locale_id]
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
    """A `<url>` for each page of `pages` (see `page_values`), with the published versions of
    each in every language: three queries, whatever the number of pages."""
    own = []
    for row in pages:
        url = addresses.page(row["locale_id"], row["url_path"])
        if url is not None:
            own.append((row, url))
    keys = pages.values("translation_key")
    versions: dict[str, dict[str, str]] = {}
    others = (
        published(addresses)
        .filter(translation_key__in=keys)
        .filter(addresses.in_site())
        .values_list(as_text("translation_key"), "locale_id", "url_path")
    )
    for key, locale_id, url_path in others:
        url = addresses.page(locale_id, url_path)
        if url is not None:
            versions.setdefault(key, {})[addresses.code_of[locale_id]] = url
    originals = original_languages(keys, addresses.code_of)
    urls = []
    for row, url in own:
        key = row["key"]
        page_versions = versions.get(key, {})
        code = addresses.code_of[row["locale_id"]]
        page_versions.setdefault(code, url)
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


def children_range(path: str, depth: int) -> Q:
    """The pages right below the page at `path` (at `depth`), as a range of tree paths at one
    depth (Wagtail's `child_of()` is a LIKE on the path, which SQLite never answers from an
    index)."""
    after, up_to = children_bounds(path)
    return Q(depth=depth + 1, path__gt=after, path__lte=up_to)


def children_bounds(path: str) -> tuple[str, str]:
    """The range of tree paths of the pages right below the page at `path`: after it, up to its
    last possible child's (its deeper descendants are in the range too)."""
    return path, path + Page.alphabet[-1] * Page.steplen


def subtree(path: str) -> Q:
    """The page at `path` and every page below it, as a range of tree paths (Wagtail's
    `descendant_of()` is a LIKE on the path, which SQLite never answers from an index)."""
    return _before_next(path, Q(path__gte=path))


def _before_next(path: str, condition: Q) -> Q:
    following = _next_path(path)
    return condition if following is None else condition & Q(path__lt=following)


def _next_path(path: str) -> str | None:
    """The tree path after every page below the page at `path`: its next sibling's (or, for a
    last possible sibling, its parent's next sibling's); None after the last possible tree."""
    steplen = Page.steplen
    while path:
        step = Page._str2int(path[-steplen:]) + 1
        key = Page._int2str(step)
        if len(key) <= steplen:
            return path[:-steplen] + key.rjust(steplen, Page.alphabet[0])
        path = path[:-steplen]
    return None


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
        # A range of tree paths, which the page tree's index answers (a LIKE is never
        # answered from an index in SQLite): see newsroom migration 0004.
        .filter(children_range(section["path"], section["depth"]))
        .order_by("path")
    )
    size = SITEMAP_PAGE_SIZE
    number = page_number(request.GET.get("p"), articles.count(), size)
    chunk = page_values(articles[(number - 1) * size : number * size])
    return page_urls(chunk, addresses)


def pages_urls(request: HttpRequest, language: str) -> list[SitemapUrl]:
    """One language's pages other than articles (home, sections, the support page…), and the
    pages of the authors who have articles in that language."""
    addresses = Addresses(request)
    locale_id = addresses.language(language)
    if locale_id not in addresses.roots:
        pages: list[SitemapUrl] = []
    else:
        rows = page_values(
            published(addresses)
            .not_type(ArticlePage)
            .filter(addresses.tops([locale_id]))
            .order_by("path")
        )
        pages = page_urls(rows, addresses)
    return pages + author_urls(addresses, language)


def author_urls(addresses: Addresses, language: str) -> list[SitemapUrl]:
    """The author pages with published articles in `language`, each with its versions in the
    languages where the author has articles (two queries)."""
    articles = published(addresses).filter(locale_id__in=list(addresses.code_of)).values("pk")
    bylines = (
        ArticleAuthor.objects.filter(page_id__in=articles)
        .values("page__locale_id", key=as_text("author__translation_key"))
        .annotate(slug=Max("author__slug"), lastmod=Max("page__last_published_at"))
        .order_by()
    )
    authors: dict[str, dict[str, dict]] = {}
    for row in bylines:
        code = addresses.code_of[row["page__locale_id"]]
        authors.setdefault(row["key"], {})[code] = row
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
    rows = news_articles(addresses).values("locale_id", "url_path", "first_published_at", "title")[
        :NEWS_MAX_ARTICLES
    ]
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


def news_articles(addresses: Addresses) -> QuerySet:
    """The articles of the news sitemap (before its `NEWS_MAX_ARTICLES` limit), newest first."""
    return (
        published(addresses)
        .type(ArticlePage)
        .filter(addresses.in_site(), first_published_at__gte=timezone.now() - NEWS_WINDOW)
        .order_by("-first_published_at", "-pk")
    )


def index_entries(request: HttpRequest) -> list[ChildSitemap]:
    """Every child sitemap, with when it last changed.

    Three queries whatever the number of articles (besides the request's locales, site, homes
    and privacy restrictions): the pages right below each language's home; for each of those,
    how many published articles it holds and when they last changed, each figure a range of
    tree paths in an index (see `children_figures`); and the news sitemap's articles."""
    addresses = Addresses(request)
    home_depths = {depth for _path, depth in addresses.homes.values()}
    tops = list(Page.objects.filter(addresses.tops()).order_by("path").values(*_TOP_FIELDS))
    section_types, article_types = type_ids(SectionPage), type_ids(ArticlePage)
    children = [top for top in tops if top["depth"] not in home_depths]
    figures = children_figures(addresses, children)
    published_tops = [top for top in tops if top["live"] and not addresses.is_private(top["path"])]
    sections = [top for top in published_tops if top["content_type_id"] in section_types]

    # A section's sitemap also changes when another language's version of an article does.
    by_key: dict[str, datetime] = {}
    for section in sections:
        lastmod = figures[section["path"]].lastmod
        key = str(section["translation_key"])
        if lastmod and (key not in by_key or lastmod > by_key[key]):
            by_key[key] = lastmod

    # A pages sitemap changes when any language's version of a page does (its alternates), or
    # an article in its language (its authors' pages).
    newest_page = _newest(
        *(
            top["last_published_at"]
            for top in published_tops
            if top["content_type_id"] not in article_types
        )
    )
    articles_changed: dict[int, datetime | None] = {}
    for child in children:
        lastmod = figures[child["path"]].lastmod
        articles_changed[child["locale_id"]] = _newest(
            articles_changed.get(child["locale_id"]), lastmod
        )

    entries = []
    for code in addresses.codes:
        locale_id = addresses.locale_ids[code]
        if locale_id not in addresses.roots:
            continue
        pages_loc = reverse("seo:pages_sitemap", kwargs={"language": code})
        lastmod = _newest(newest_page, articles_changed.get(locale_id))
        entries.append(ChildSitemap(addresses.absolute(pages_loc), lastmod))
        # (One reverse() per language: the sections' addresses differ by their slug alone.)
        section_loc = addresses.absolute(
            reverse("seo:section_sitemap", kwargs={"language": code, "section": _SLUG})
        )
        for section in sections:
            if section["locale_id"] != locale_id:
                continue
            count = figures[section["path"]].count
            loc = section_loc.replace(_SLUG, quote(section["slug"], _PATH_SAFE))
            lastmod = by_key.get(str(section["translation_key"]))
            for number in range(1, math.ceil(count / SITEMAP_PAGE_SIZE) + 1):
                entries.append(ChildSitemap(loc if number == 1 else f"{loc}?p={number}", lastmod))
    news = ChildSitemap(addresses.absolute(reverse("seo:news_sitemap")), news_lastmod(addresses))
    return [*entries, news]


_SLUG = "slug-of-the-section"  # a stand-in, replaced in the address reverse() makes of it


@dataclass(frozen=True)
class ChildrenFigures:
    """The published articles right below one page: how many, and the newest change to one."""

    count: int
    lastmod: datetime | None


# Terms of one UNION ALL query (SQLite allows 500).
FIGURES_PER_QUERY = 100

# Stand-ins for one parent's values in the SQL of its term (see `children_figures`).
_PARENT = "\x00parent"
_AFTER = "\x00after"
_UP_TO = "\x00up-to"
_DEPTH = 1_999_999_973  # (a depth Django takes: a positive one)


def children_figures(addresses: Addresses, parents: Sequence[dict]) -> dict[str, ChildrenFigures]:
    """`ChildrenFigures` of each page of `parents` (values with its path and depth), by path.

    Each page's figures are an aggregate over a range of tree paths at one depth, which the
    page tree's indexes (newsroom migrations 0004 and 0005) answer alone, without reading a
    page row; all of them are one UNION ALL query (per `FIGURES_PER_QUERY` pages). Grouping
    the articles by their parent's path instead would make the database sort them all.

    The terms differ only in their parameters, so the ORM writes the SQL of one, with
    stand-ins for a parent's values, and each term repeats it with its own (building a query
    per section costs more than the database takes to answer them all)."""
    if not parents:
        return {}
    term = (
        published(addresses)
        .type(ArticlePage)
        .filter(depth=_DEPTH, path__gt=_AFTER, path__lte=_UP_TO)
        .annotate(parent=Value(_PARENT, output_field=CharField()))
        .values("parent")
        .annotate(count=Count("*"), lastmod=Max("last_published_at"))
        .order_by()
    )
    sql, params = term.query.sql_with_params()
    slots = {stand_in: [] for stand_in in (_PARENT, _AFTER, _UP_TO, _DEPTH)}
    for position, param in enumerate(params):
        for stand_in, positions in slots.items():
            # (A database may hand back a subclass: psycopg's Int4 for an int.)
            if isinstance(param, type(stand_in)) and param == stand_in:
                positions.append(position)
    if any(len(positions) != 1 for positions in slots.values()):  # pragma: no cover
        raise RuntimeError(f"Unexpected SQL for a section's figures: {sql}")

    figures = {}
    for chunk in _chunks(parents, FIGURES_PER_QUERY):
        all_params: list = []
        for parent in chunk:
            own = list(params)
            after, up_to = children_bounds(parent["path"])
            for stand_in, value in (
                (_PARENT, parent["path"]),
                (_AFTER, after),
                (_UP_TO, up_to),
                (_DEPTH, parent["depth"] + 1),
            ):
                own[slots[stand_in][0]] = value
            all_params += own
        with connections[term.db].cursor() as cursor:
            cursor.execute(" UNION ALL ".join([sql] * len(chunk)), all_params)
            for path, count, lastmod in cursor.fetchall():
                figures[path] = ChildrenFigures(count, _moment(lastmod))
    return figures


def _moment(value: datetime | str | None) -> datetime | None:
    """A date and time read from the database (SQLite gives text: UTC, without its zone)."""
    if value is None or isinstance(value, datetime):
        return value
    moment = parse_datetime(value)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def type_ids(model: type[Page]) -> set[int]:
    """The content type ids of a page model and its subclasses (as `PageQuerySet.type()`)."""
    models = [other for other in apps.get_models() if issubclass(other, model)]
    return {
        content_type.pk for content_type in ContentType.objects.get_for_models(*models).values()
    }


def _chunks(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def news_lastmod(addresses: Addresses) -> datetime | None:
    """When the news sitemap last changed: an article in it was published or changed, or (when
    it is empty) the newest article left it."""
    articles = published(addresses).type(ArticlePage).order_by("-first_published_at", "-pk")
    # The news sitemap's own articles, newest first: the index of first publication dates
    # answers it by walking from the newest end.
    listed = news_articles(addresses).values_list("last_published_at", flat=True)[
        :NEWS_MAX_ARTICLES
    ]
    changed = _newest(*listed)
    if changed:
        return changed
    # Nothing in the window: the newest article of each language, by the index of each
    # language's first publication dates (newsroom migration 0004), one query each.
    newest = _newest(
        *(
            articles.filter(addresses.in_site([locale_id]))
            .values_list("first_published_at", flat=True)
            .first()
            for locale_id in addresses.roots
        )
    )
    return newest + NEWS_WINDOW if newest else None


def _newest(*moments: datetime | None) -> datetime | None:
    return max((moment for moment in moments if moment), default=None)


# --- XML ---------------------------------------------------------------------------------------


def _xml(root: ET.Element) -> bytes:
    # Namespaced names are written as prefixed names ("xhtml:link") with the xmlns attributes
    # on the root, so ElementTree's process-wide prefix registry is left alone.
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def render_urlset(urls: Iterable[SitemapUrl]) -> bytes:
    """The `<urlset>` of `urls`: what ElementTree would write, written directly (a full page of
    addresses with their alternates is tens of thousands of elements)."""
    parts = [
        "<?xml version='1.0' encoding='utf-8'?>\n",
        f'<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">',
    ]
    for url in urls:
        parts.append(f"<url><loc>{_escape(url.loc)}</loc>")
        if url.lastmod:
            parts.append(f"<lastmod>{w3c_datetime(url.lastmod)}</lastmod>")
        for alternate in url.alternates:
            parts.append(
                f'<xhtml:link rel="alternate" hreflang="{_attribute(alternate.hreflang)}" '
                f'href="{_attribute(alternate.href)}" />'
            )
        parts.append("</url>")
    parts.append("</urlset>")
    return "".join(parts).encode()


def _escape(text: str) -> str:
    """Text escaped for XML content (as ElementTree escapes it)."""
    if "&" in text or "<" in text or ">" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


def _attribute(text: str) -> str:
    """Text escaped for a double-quoted XML attribute (as ElementTree escapes it)."""
    text = _escape(text)
    if '"' in text or "\n" in text or "\r" in text or "\t" in text:
        text = text.replace('"', "&quot;").replace("\r", "&#13;").replace("\n", "&#10;")
        text = text.replace("\t", "&#09;")
    return text


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
