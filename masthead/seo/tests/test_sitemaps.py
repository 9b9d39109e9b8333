"""The sitemaps: the index, each language's section and page sitemaps with their hreflang
alternates, the Google News sitemap, and what they must never list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from defusedxml import ElementTree
from django.db.models import Q
from django.utils import timezone
from wagtail.models import Locale, PageViewRestriction

from masthead.newsroom.models import ArticlePage, SectionPage
from masthead.seo import sitemaps
from masthead.testing.translation import MarkingEngine, translate_page
from masthead.translation import pipeline

NS = {"sm": sitemaps.SITEMAP_NS, "xhtml": sitemaps.XHTML_NS, "news": sitemaps.NEWS_NS}
BASE = "http://testserver"


@dataclass
class Entry:
    loc: str
    lastmod: datetime | None
    alternates: dict[str, str]  # hreflang → href


def fetch(client, path: str):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    assert response["Content-Type"].startswith("application/xml")
    assert "max-age=" in response["Cache-Control"]
    return ElementTree.fromstring(response.content)


def parse_datetime(text: str) -> datetime:
    return datetime.fromisoformat(text)


def index(client) -> dict[str, datetime | None]:
    """The child sitemaps the index lists (absolute addresses), with their lastmod."""
    root = fetch(client, "/sitemap.xml")
    assert root.tag == f"{{{sitemaps.SITEMAP_NS}}}sitemapindex"
    children = {}
    for node in root.findall("sm:sitemap", NS):
        lastmod = node.findtext("sm:lastmod", namespaces=NS)
        children[node.findtext("sm:loc", namespaces=NS)] = lastmod and parse_datetime(lastmod)
    return children


def entries(client, path: str) -> dict[str, Entry]:
    root = fetch(client, path)
    assert root.tag == f"{{{sitemaps.SITEMAP_NS}}}urlset"
    found = {}
    for node in root.findall("sm:url", NS):
        loc = node.findtext("sm:loc", namespaces=NS)
        lastmod = node.findtext("sm:lastmod", namespaces=NS)
        alternates = {}
        for link in node.findall("xhtml:link", NS):
            assert link.get("rel") == "alternate"
            assert link.get("hreflang") not in alternates
            alternates[link.get("hreflang")] = link.get("href")
        assert loc not in found
        found[loc] = Entry(loc, lastmod and parse_datetime(lastmod), alternates)
    return found


def crawl(client) -> dict[str, Entry]:
    """Every address in every child sitemap except the news one."""
    found: dict[str, Entry] = {}
    for loc in index(client):
        if loc.endswith("/news.xml"):
            continue
        parts = urlsplit(loc)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        for address, entry in entries(client, path).items():
            assert address not in found, f"{address} is in two sitemaps"
            found[address] = entry
    return found


def full(page) -> str:
    return BASE + page.get_url()


def locale(code: str) -> Locale:
    return Locale.objects.get(language_code=code)


@pytest.fixture
def translated(small_newsroom):
    """Canada in French and German; its newest story in both, its second in French only."""
    canada = SectionPage.objects.get(slug="canada", locale__language_code="en")
    translate_page(canada, "fr", "de")
    stories = list(ArticlePage.objects.child_of(canada).order_by("-first_published_at"))
    newest = translate_page(stories[0], "fr", "de")
    second = translate_page(stories[1], "fr")
    return {"canada": canada, "stories": stories, "newest": newest, "second": second}


# --- The index -------------------------------------------------------------------------------


def test_the_index_lists_each_languages_sitemaps_and_the_news_sitemap(client, translated):
    children = index(client)

    assert set(children) == {
        f"{BASE}/sitemaps/en/pages.xml",
        f"{BASE}/sitemaps/fr/pages.xml",
        f"{BASE}/sitemaps/de/pages.xml",
        f"{BASE}/sitemaps/en/sections/canada.xml",
        f"{BASE}/sitemaps/en/sections/analysis.xml",
        f"{BASE}/sitemaps/fr/sections/canada.xml",
        f"{BASE}/sitemaps/de/sections/canada.xml",
        f"{BASE}/sitemaps/news.xml",
    }
    assert all(lastmod is not None for lastmod in children.values())
    newest_analysis = ArticlePage.objects.filter(
        locale__language_code="en", slug="analysis-2-days-old"
    ).get()
    assert children[f"{BASE}/sitemaps/en/sections/analysis.xml"] == (
        newest_analysis.last_published_at.replace(microsecond=0)
    )


def test_the_index_and_robots_point_at_sitemaps_that_exist(client, translated):
    for loc in index(client):
        fetch(client, urlsplit(loc).path)


# --- Addresses and alternates ----------------------------------------------------------------


def test_a_section_sitemap_lists_its_articles_with_absolute_addresses_and_lastmod(
    client, translated
):
    found = entries(client, "/sitemaps/en/sections/canada.xml")

    stories = translated["stories"]
    assert set(found) == {full(story) for story in stories}
    for story in stories:
        entry = found[full(story)]
        assert entry.lastmod == story.last_published_at.replace(microsecond=0)
        assert entry.lastmod.utcoffset() == timedelta(0)


def test_every_version_lists_every_published_version_and_the_original_as_x_default(
    client, translated
):
    newest = translated["stories"][0]
    french, german = translated["newest"]["fr"], translated["newest"]["de"]
    expected = {
        "en": full(newest),
        "fr": full(french),
        "de": full(german),
        "x-default": full(newest),
    }
    assert full(french) == f"{BASE}/fr/canada/{newest.slug}/"

    for path, page in [
        ("/sitemaps/en/sections/canada.xml", newest),
        ("/sitemaps/fr/sections/canada.xml", french),
        ("/sitemaps/de/sections/canada.xml", german),
    ]:
        assert entries(client, path)[full(page)].alternates == expected

    # The second story exists in English and French only; the others in English only.
    second = translated["stories"][1]
    assert entries(client, "/sitemaps/fr/sections/canada.xml")[
        full(translated["second"]["fr"])
    ].alternates == {
        "en": full(second),
        "fr": full(translated["second"]["fr"]),
        "x-default": full(second),
    }
    oldest = translated["stories"][-1]
    assert entries(client, "/sitemaps/en/sections/canada.xml")[full(oldest)].alternates == {
        "en": full(oldest),
        "x-default": full(oldest),
    }


def test_alternates_are_reciprocal_across_all_sitemaps(client, translated):
    everything = crawl(client)

    assert len(everything) > 10
    for address, entry in everything.items():
        assert address in entry.alternates.values()
        assert entry.alternates["x-default"] in entry.alternates.values()
        for hreflang, href in entry.alternates.items():
            # Every alternate is listed too, and lists exactly the same versions.
            assert href in everything, f"{address} lists {href}, which no sitemap has"
            assert everything[href].alternates == entry.alternates, (address, hreflang)


def test_hreflang_uses_language_tags_and_x_default_follows_the_original(newsroom, client):
    """An article written in French and translated into English and Chinese: x-default is the
    French original, and Chinese is tagged zh-Hans (its address keeps zh-hans)."""
    section = newsroom.section("World")
    translate_page(section, "fr", "zh-hans")
    french_section = section.get_translation(locale("fr"))
    author = newsroom.author("Claire Dubois")
    original = newsroom.article(french_section, "Le port rouvre", [author])
    assert original.locale == locale("fr")
    engine = MarkingEngine()
    pipeline.translate(original, locale("en"), engine)
    pipeline.translate(original, locale("zh-hans"), engine)
    english = original.get_translation(locale("en"))
    chinese = original.get_translation(locale("zh-hans"))

    found = entries(client, "/sitemaps/en/sections/world.xml")

    assert found[full(english)].alternates == {
        "zh-Hans": f"{BASE}/zh-hans/world/le-port-rouvre/",
        "en": f"{BASE}/world/le-port-rouvre/",
        "fr": f"{BASE}/fr/world/le-port-rouvre/",
        "x-default": f"{BASE}/fr/world/le-port-rouvre/",
    }
    assert full(chinese) == f"{BASE}/zh-hans/world/le-port-rouvre/"
    assert (
        entries(client, "/sitemaps/zh-hans/sections/world.xml")[full(chinese)].alternates
        == found[full(english)].alternates
    )


def test_addresses_are_wagtails_own_even_for_non_ascii_slugs(small_newsroom, client):
    section = SectionPage.objects.get(slug="canada")
    author = small_newsroom.author("Zoë Café")
    article = small_newsroom.article(section, "Prix du café", [author], slug="café-à-montréal")

    found = entries(client, "/sitemaps/en/sections/canada.xml")

    assert full(article) in found
    assert full(article).endswith("/canada/caf%C3%A9-%C3%A0-montr%C3%A9al/")


# --- The other pages -------------------------------------------------------------------------


def test_the_pages_sitemap_has_home_sections_support_and_authors_with_articles(
    client, translated, support_page
):
    home = translated["canada"].get_parent()
    found = entries(client, "/sitemaps/en/pages.xml")

    assert set(found) == {
        f"{BASE}/",
        f"{BASE}/canada/",
        f"{BASE}/analysis/",
        f"{BASE}/support/",
        f"{BASE}/authors/ana-ferreira/",
        f"{BASE}/authors/li-wen/",
    }
    assert found[f"{BASE}/"].lastmod == home.last_published_at.replace(microsecond=0)
    assert found[f"{BASE}/canada/"].alternates == {
        "en": f"{BASE}/canada/",
        "fr": f"{BASE}/fr/canada/",
        "de": f"{BASE}/de/canada/",
        "x-default": f"{BASE}/canada/",
    }
    # Ana's stories were translated into French and German; Li Wen's were not.
    assert found[f"{BASE}/authors/ana-ferreira/"].alternates == {
        "en": f"{BASE}/authors/ana-ferreira/",
        "fr": f"{BASE}/fr/authors/ana-ferreira/",
        "de": f"{BASE}/de/authors/ana-ferreira/",
        "x-default": f"{BASE}/authors/ana-ferreira/",
    }
    french = entries(client, "/sitemaps/fr/pages.xml")
    assert set(french) == {f"{BASE}/fr/", f"{BASE}/fr/canada/", f"{BASE}/fr/authors/ana-ferreira/"}


def test_authors_without_published_articles_are_left_out(small_newsroom, client):
    section = SectionPage.objects.get(slug="canada")
    drafts_only = small_newsroom.author("Draft Writer")
    small_newsroom.author("Nobody Yet")
    small_newsroom.article(section, "Not yet", [drafts_only], publish=False)

    found = entries(client, "/sitemaps/en/pages.xml")

    assert not any("draft-writer" in loc or "nobody-yet" in loc for loc in found)


# --- What never appears ----------------------------------------------------------------------


def test_drafts_unpublished_and_private_pages_are_never_listed(small_newsroom, client):
    canada = SectionPage.objects.get(slug="canada")
    author = small_newsroom.author("Rosa Quill")
    now = timezone.now()
    draft = small_newsroom.article(canada, "A draft", [author], publish=False)
    withdrawn = small_newsroom.article(canada, "Withdrawn", [author], now - timedelta(hours=2))
    withdrawn.unpublish()
    secret_section = small_newsroom.section("Members")
    secret = small_newsroom.article(secret_section, "Members only", [author], now)
    PageViewRestriction.objects.create(
        page=secret_section, restriction_type=PageViewRestriction.PASSWORD, password="sesame"
    )
    hidden = small_newsroom.article(canada, "Hidden story", [author], now - timedelta(hours=1))
    PageViewRestriction.objects.create(
        page=hidden, restriction_type=PageViewRestriction.PASSWORD, password="sesame"
    )

    everything = crawl(client)
    news = news_entries(client)
    children = index(client)

    for page in (draft, withdrawn, secret, hidden, secret_section):
        path = f"/canada/{page.slug}/" if page is not secret_section else "/members/"
        assert not any(loc.endswith(path) for loc in everything), path
        assert not any(loc.endswith(path) for loc in news), path
    assert not any("members" in loc for loc in everything)
    assert f"{BASE}/sitemaps/en/sections/members.xml" not in children
    assert client.get("/sitemaps/en/sections/members.xml").status_code == 404
    # Rosa has no public article: no author page either.
    assert f"{BASE}/authors/rosa-quill/" not in everything


def test_an_unpublished_translation_is_not_an_alternate(client, translated):
    newest = translated["stories"][0]
    ArticlePage.objects.get(pk=translated["newest"]["de"].pk).unpublish()

    found = entries(client, "/sitemaps/en/sections/canada.xml")

    assert set(found[full(newest)].alternates) == {"en", "fr", "x-default"}
    assert full(translated["newest"]["de"]) not in entries(
        client, "/sitemaps/de/sections/canada.xml"
    )


# --- Pagination and errors -------------------------------------------------------------------


def test_big_sections_are_split_into_pages(small_newsroom, client, monkeypatch):
    monkeypatch.setattr(sitemaps, "SITEMAP_PAGE_SIZE", 3)
    canada = SectionPage.objects.get(slug="canada")
    author = small_newsroom.author("Rosa Quill")
    for number in range(4):  # 4 + 4 = 8 stories: pages of 3, 3 and 2
        small_newsroom.article(canada, f"Extra {number}", [author], timezone.now())

    children = index(client)
    pages = [
        entries(client, "/sitemaps/en/sections/canada.xml"),
        entries(client, "/sitemaps/en/sections/canada.xml?p=2"),
        entries(client, "/sitemaps/en/sections/canada.xml?p=3"),
    ]

    assert {
        f"{BASE}/sitemaps/en/sections/canada.xml",
        f"{BASE}/sitemaps/en/sections/canada.xml?p=2",
        f"{BASE}/sitemaps/en/sections/canada.xml?p=3",
    } <= set(children)
    assert f"{BASE}/sitemaps/en/sections/canada.xml?p=4" not in children
    assert [len(page) for page in pages] == [3, 3, 2]
    listed = [loc for page in pages for loc in page]
    assert len(set(listed)) == 8
    assert set(listed) == {full(article) for article in ArticlePage.objects.child_of(canada)}
    assert entries(client, "/sitemaps/en/sections/canada.xml?p=1").keys() == pages[0].keys()


@pytest.mark.parametrize(
    "path",
    [
        "/sitemaps/en/sections/canada.xml?p=4",
        "/sitemaps/en/sections/canada.xml?p=0",
        "/sitemaps/en/sections/canada.xml?p=-1",
        "/sitemaps/en/sections/canada.xml?p=two",
        "/sitemaps/en/sections/canada.xml?p=",
        "/sitemaps/en/sections/canada.xml?p=99999999999999999999999",
        "/sitemaps/en/sections/nowhere.xml",
        "/sitemaps/xx/sections/canada.xml",
        "/sitemaps/xx/pages.xml",
        "/sitemaps/fr/sections/canada.xml",  # Canada has no French version here
        "/sitemaps/en/sections/the-test-ledger.xml",  # the home page is not a section
    ],
)
def test_unknown_sitemaps_and_pages_are_not_found(small_newsroom, client, monkeypatch, path):
    monkeypatch.setattr(sitemaps, "SITEMAP_PAGE_SIZE", 2)  # Canada's 4 stories: 2 pages

    assert client.get(path).status_code == 404
    assert client.get("/sitemaps/en/sections/canada.xml?p=2").status_code == 200


def test_a_language_without_pages_has_an_empty_sitemap(small_newsroom, client):
    assert entries(client, "/sitemaps/ru/pages.xml") == {}
    assert f"{BASE}/sitemaps/ru/pages.xml" not in index(client)


# --- Google News -----------------------------------------------------------------------------


def news_entries(client) -> dict[str, dict[str, str]]:
    root = fetch(client, "/sitemaps/news.xml")
    found = {}
    for node in root.findall("sm:url", NS):
        news = node.find("news:news", NS)
        found[node.findtext("sm:loc", namespaces=NS)] = {
            "name": news.findtext("news:publication/news:name", namespaces=NS),
            "language": news.findtext("news:publication/news:language", namespaces=NS),
            "date": news.findtext("news:publication_date", namespaces=NS),
            "title": news.findtext("news:title", namespaces=NS),
        }
    return found


def test_the_news_sitemap_has_the_last_two_days_articles_in_every_language(small_newsroom, client):
    canada = SectionPage.objects.get(slug="canada")
    analysis = SectionPage.objects.get(slug="analysis")
    translate_page(canada, "zh-hans")
    yesterday = ArticlePage.objects.get(slug="canada-story-1-days-old")
    chinese = translate_page(yesterday, "zh-hans")["zh-hans"]
    fresh = small_newsroom.article(
        analysis, 'Ports & <harbours> "today"', [small_newsroom.author("Rosa Quill")]
    )
    recent = small_newsroom.article(
        analysis, "Almost old", [], timezone.now() - timedelta(hours=47)
    )

    found = news_entries(client)

    # 47 hours is inside the window; the stories 2 and 3 days old are out.
    assert set(found) == {full(fresh), full(yesterday), full(chinese), full(recent)}
    assert found[full(fresh)] == {
        "name": "The Test Ledger",
        "language": "en",
        "date": fresh.first_published_at.astimezone(UTC).isoformat(timespec="seconds"),
        "title": 'Ports & <harbours> "today"',
    }
    assert found[full(chinese)]["language"] == "zh-cn"
    assert found[full(chinese)]["title"] == chinese.title
    assert not any("2-days-old" in loc or "3-days-old" in loc for loc in found)


def test_the_news_sitemap_holds_at_most_its_limit_newest_first(small_newsroom, client, monkeypatch):
    monkeypatch.setattr(sitemaps, "NEWS_MAX_ARTICLES", 1)

    found = news_entries(client)

    assert list(found) == [full(ArticlePage.objects.get(slug="canada-story-1-days-old"))]


def test_news_language_codes():
    assert sitemaps.news_language("fr") == "fr"
    assert sitemaps.news_language("zh-hans") == "zh-cn"
    assert sitemaps.news_language("pt-br") == "pt"


# --- Cost ------------------------------------------------------------------------------------


def test_queries_do_not_grow_with_the_number_of_articles(
    newsroom, client, django_assert_max_num_queries
):
    canada = newsroom.section("Canada")
    translate_page(canada, "fr")
    authors = [newsroom.author("Ana Ferreira")]
    now = timezone.now()
    stories = [
        newsroom.article(canada, f"Story {n}", authors, now - timedelta(hours=n)) for n in range(5)
    ]
    translate_page(stories[0], "fr")
    paths = [
        "/sitemap.xml",
        "/sitemaps/en/sections/canada.xml",
        "/sitemaps/fr/sections/canada.xml",
        "/sitemaps/en/pages.xml",
        "/sitemaps/news.xml",
    ]
    for path in paths:  # once to fill the per-process caches (locales, content types, sites)
        client.get(path)

    def count(path: str) -> int:
        with django_assert_max_num_queries(20) as captured:
            assert client.get(path).status_code == 200
        return len(captured.captured_queries)

    small = {path: count(path) for path in paths}

    analysis = newsroom.section("Analysis")
    translate_page(analysis, "fr")
    authors += [newsroom.author(name) for name in ("Li Wen", "Rosa Quill", "Sam Ortiz")]
    stories += [
        newsroom.article(canada, f"More {n}", [authors[n % 4]], now - timedelta(hours=n))
        for n in range(25)
    ]
    stories += [newsroom.article(analysis, f"View {n}", authors[1:], now) for n in range(5)]
    for story in stories[1:4]:
        translate_page(story, "fr")

    large = {path: count(path) for path in paths}

    assert len(entries(client, "/sitemaps/en/sections/canada.xml")) == 30
    print("SQL queries per sitemap:", small)  # shown with -s
    assert large == small


# --- How the work is done at scale -----------------------------------------------------------


def test_tree_ranges_hold_exactly_the_pages_below(small_newsroom):
    from wagtail.models import Page

    canada = SectionPage.objects.get(slug="canada")
    home = canada.get_parent()

    def paths(condition) -> set[str]:
        return set(Page.objects.filter(condition).values_list("path", flat=True))

    assert paths(sitemaps.children_range(home.path, home.depth)) == {
        page.path for page in home.get_children()
    }
    assert paths(sitemaps.children_range(canada.path, canada.depth)) == {
        page.path for page in canada.get_children()
    }
    assert paths(sitemaps.subtree(home.path)) == {
        page.path for page in Page.objects.descendant_of(home, inclusive=True)
    }
    # The last possible page of a level: the range ends after its parent's last page.
    assert sitemaps._next_path("0001ZZZZ") == "0002"
    assert sitemaps._next_path("000A") == "000B"
    assert sitemaps._next_path("ZZZZZZZZ") is None
    assert sitemaps.subtree("ZZZZ") == Q(path__gte="ZZZZ")


def test_the_index_counts_and_dates_each_sections_published_articles(small_newsroom, client):
    """The index's figures (read from tree-path ranges in one query) are those of the sections'
    own lists: drafts, unpublished and private stories are left out of both."""
    canada = SectionPage.objects.get(slug="canada")
    author = small_newsroom.author("Rosa Quill")
    now = timezone.now()
    small_newsroom.article(canada, "A draft", [author], publish=False)
    withdrawn = small_newsroom.article(canada, "Withdrawn", [author], now)
    withdrawn.unpublish()
    hidden = small_newsroom.article(canada, "Hidden", [author], now)
    PageViewRestriction.objects.create(
        page=hidden, restriction_type=PageViewRestriction.PASSWORD, password="sesame"
    )
    published = ArticlePage.objects.child_of(canada).live().public()

    from django.test import RequestFactory

    addresses = sitemaps.Addresses(RequestFactory().get("/sitemap.xml"))
    figures = sitemaps.children_figures(addresses, [{"path": canada.path, "depth": canada.depth}])

    figure = figures[canada.path]
    assert figure.count == published.count() == 4
    newest = published.order_by("-last_published_at").first()
    assert figure.lastmod == newest.last_published_at
    assert index(client)[f"{BASE}/sitemaps/en/sections/canada.xml"] == (
        newest.last_published_at.replace(microsecond=0)
    )


def test_the_index_has_a_fixed_number_of_queries_however_many_sections(
    newsroom, client, django_assert_max_num_queries
):
    def count() -> int:
        client.get("/sitemap.xml")  # the per-process caches (locales, content types, sites)
        with django_assert_max_num_queries(20) as captured:
            assert client.get("/sitemap.xml").status_code == 200
        return len(captured.captured_queries)

    author = newsroom.author("Ana Ferreira")
    newsroom.article(newsroom.section("Canada"), "One", [author])
    few = count()
    for number in range(6):
        newsroom.article(newsroom.section(f"Desk {number}"), f"Story {number}", [author])

    assert count() == few
    assert len(index(client)) == 1 + 7 + 1  # pages, 7 sections, news


def test_a_urlset_is_what_elementtree_would_write():
    from xml.etree import ElementTree as ET

    urls = [
        sitemaps.SitemapUrl(
            loc='https://example.org/a?b=1&c="2"<>',
            lastmod=datetime(2025, 3, 1, 8, 30, tzinfo=UTC),
            alternates=(
                sitemaps.Alternate("en", 'https://example.org/a?b=1&c="2"<>\t'),
                sitemaps.Alternate("x-default", "https://example.org/é"),
            ),
        ),
        sitemaps.SitemapUrl(loc="https://example.org/b", lastmod=None, alternates=()),
    ]
    root = ET.Element("urlset", {"xmlns": sitemaps.SITEMAP_NS, "xmlns:xhtml": sitemaps.XHTML_NS})
    for url in urls:
        node = ET.SubElement(root, "url")
        ET.SubElement(node, "loc").text = url.loc
        if url.lastmod:
            ET.SubElement(node, "lastmod").text = sitemaps.w3c_datetime(url.lastmod)
        for alternate in url.alternates:
            ET.SubElement(
                node,
                "xhtml:link",
                {"rel": "alternate", "hreflang": alternate.hreflang, "href": alternate.href},
            )

    written = sitemaps.render_urlset(urls)

    assert written == ET.tostring(root, encoding="utf-8", xml_declaration=True)
    parsed = ElementTree.fromstring(written)
    assert parsed.findtext("sm:url/sm:loc", namespaces=NS) == urls[0].loc
