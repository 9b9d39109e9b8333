"""The RSS 2.0 and Atom feeds as a feed reader sees them: what each carries, in which
language, with which addresses, ids and dates."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape
from xml.etree import ElementTree

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from masthead.feeds.generators import CONTENT_NAMESPACE
from masthead.feeds.tests.helpers import FEED_FORMATS, read_feed, titles
from masthead.newsroom.models import ArticlePage, SectionPage
from masthead.seo.models import SeoSettings
from masthead.testing.content import make_image

pytestmark = pytest.mark.django_db

SMALL_NEWSROOM_TITLES = [
    "Canada story 1 days old",
    "Analysis 2 days old",
    "Canada story 3 days old",
    "Analysis 4 days old",
    "Canada story 5 days old",
    "Analysis 6 days old",
    "Canada story 7 days old",
]


def section(newsroom, slug: str) -> SectionPage:
    return SectionPage.objects.get(slug=slug, locale__language_code="en")


@pytest.fixture
def story(small_newsroom):
    """A story with everything a feed item can carry: two authors, tags, a dek, a hero image
    and links in its body."""
    harbour = small_newsroom.section("Harbour")
    rosa = small_newsroom.author("Rosa Quill")
    ana = small_newsroom.author("Ana Duarte")
    return small_newsroom.article(
        harbour,
        "Inspectors told to clear containers",
        [rosa, ana],
        datetime(2026, 3, 5, 14, 30, tzinfo=UTC),
        dek="Backlogs at the port grew by a third & more.",
        paragraphs=(
            "The source says the backlog grew.",
            'Read <a href="/harbour/">more from the harbour</a>.',
        ),
        tags=("ports", "trade"),
        hero_image=make_image("Quay", size=(1600, 900), description="Cranes on the quay"),
        hero_caption="The east quay at dawn.",
    )


def use_summaries(site) -> None:
    settings = SeoSettings.for_site(site)
    settings.feed_content = SeoSettings.SUMMARY
    settings.save()


def entry_for(feed, title: str):
    return next(entry for entry in feed.entries if entry.title == title)


# --- What every feed carries --------------------------------------------------------------


@pytest.mark.parametrize("format", FEED_FORMATS)
def test_site_feed_lists_published_articles_newest_first(client, small_newsroom, format):
    feed = read_feed(client, f"/feeds/{format}.xml")

    assert feed.feed.title == "The Test Ledger"
    assert feed.feed.link == "http://localhost/"
    assert feed.feed.language == "en"
    assert titles(feed) == SMALL_NEWSROOM_TITLES
    for entry in feed.entries:
        assert entry.link.startswith("http://localhost/")
        assert entry.published_parsed is not None
        assert entry.author in {"Ana Ferreira", "Li Wen"}
        assert entry.summary == "First paragraph. Second paragraph."


@pytest.mark.parametrize("format", FEED_FORMATS)
def test_an_item_has_its_link_authors_tags_dates_and_summary(client, story, format):
    entry = entry_for(read_feed(client, f"/feeds/{format}.xml"), story.title)

    assert entry.link == "http://localhost/harbour/inspectors-told-to-clear-containers/"
    assert unescape(entry.summary) == "Backlogs at the port grew by a third & more."
    assert datetime(*entry.published_parsed[:6], tzinfo=UTC) == datetime(
        2026, 3, 5, 14, 30, tzinfo=UTC
    )
    assert sorted(tag.term for tag in entry.tags) == ["ports", "trade"]
    if format == "atom":
        assert [author.name for author in entry.authors] == ["Rosa Quill", "Ana Duarte"]
    else:
        assert entry.author == "Rosa Quill, Ana Duarte"


def test_the_search_description_is_the_summary_when_there_is_one(client, story):
    story.search_description = "Why the port is slow, in one sentence."
    story.save_revision().publish()

    entry = entry_for(read_feed(client, "/feeds/rss.xml"), story.title)

    assert entry.summary == "Why the port is slow, in one sentence."


def test_feeds_show_the_title_editors_chose_for_sharing(client, story):
    story.seo_title = "Port inspectors ordered to clear backlog"
    story.save_revision().publish()

    assert "Port inspectors ordered to clear backlog" in titles(read_feed(client, "/feeds/rss.xml"))


def test_a_feed_carries_the_thirty_newest_articles(client, newsroom):
    desk = newsroom.section("Desk")
    author = newsroom.author("Sam Roe")
    now = timezone.now()
    for hours in range(32):
        newsroom.article(desk, f"Story {hours} hours old", [author], now - timedelta(hours=hours))

    feed = read_feed(client, "/feeds/atom.xml")

    assert len(feed.entries) == 30
    assert feed.entries[0].title == "Story 0 hours old"
    assert feed.entries[-1].title == "Story 29 hours old"


@pytest.mark.parametrize("format", FEED_FORMATS)
def test_drafts_unpublished_and_private_articles_never_appear(client, small_newsroom, format):
    canada = section(small_newsroom, "canada")
    author = small_newsroom.author("Sam Roe")
    small_newsroom.article(canada, "A draft", [author], publish=False)
    withdrawn = small_newsroom.article(canada, "Withdrawn story", [author])
    ArticlePage.objects.get(pk=withdrawn.pk).unpublish()
    private = small_newsroom.article(canada, "Members only", [author])
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    published = small_newsroom.article(canada, "Published story", [author])
    published.title = "Unpublished new headline"
    published.save_revision()  # a draft of a change, not yet published

    for url in (
        f"/feeds/{format}.xml",
        f"/feeds/all-languages/{format}.xml",
        f"/feeds/sections/canada/{format}.xml",
        f"/feeds/authors/sam-roe/{format}.xml",
    ):
        shown = titles(read_feed(client, url))
        assert "Published story" in shown, url
        for hidden in ("A draft", "Withdrawn story", "Members only", "Unpublished new headline"):
            assert hidden not in shown, url


# --- Ids and dates ------------------------------------------------------------------------


@pytest.mark.parametrize("format", FEED_FORMATS)
def test_an_item_keeps_its_id_when_headline_and_address_change(client, story, format):
    before = entry_for(read_feed(client, f"/feeds/{format}.xml"), story.title)

    story.title = "Port inspectors ordered to clear backlog"
    story.slug = "port-backlog"
    story.save_revision().publish()
    after = entry_for(read_feed(client, f"/feeds/{format}.xml"), story.title)

    assert after.link.endswith("/harbour/port-backlog/")
    assert after.id == before.id == f"tag:localhost,2026-03-05:article-{story.pk}"
    if format == "rss":
        assert after.guidislink is False  # isPermaLink="false": the id is not an address


def test_atom_updated_is_when_the_article_was_last_published(client, story):
    ArticlePage.objects.filter(pk=story.pk).update(
        last_published_at=datetime(2026, 3, 7, 9, 0, tzinfo=UTC)
    )

    entry = entry_for(read_feed(client, "/feeds/atom.xml"), story.title)

    assert entry.published.startswith("2026-03-05T14:30:00")
    assert entry.updated.startswith("2026-03-07T09:00:00")


# --- Full text or summary -----------------------------------------------------------------


@pytest.mark.parametrize("format", FEED_FORMATS)
def test_full_text_by_default_with_absolute_addresses(client, story, format):
    entry = entry_for(read_feed(client, f"/feeds/{format}.xml"), story.title)

    [content] = entry.content
    assert content.type == "text/html"
    html = content.value
    assert "<p>The source says the backlog grew.</p>" in html
    assert '<a href="http://localhost/harbour/">more from the harbour</a>' in html
    assert 'src="http://localhost/media/images/quay' in html
    assert 'alt="Cranes on the quay"' in html
    assert "The east quay at dawn." in html
    assert unescape(entry.summary) == "Backlogs at the port grew by a third & more."


@pytest.mark.parametrize("format", FEED_FORMATS)
def test_summaries_only_when_the_site_says_so(client, story, format):
    use_summaries(story.get_site())

    response = client.get(f"/feeds/{format}.xml")
    entry = entry_for(read_feed(client, f"/feeds/{format}.xml"), story.title)

    assert "content" not in entry
    assert b"content:encoded" not in response.content
    assert b"<content" not in response.content
    assert unescape(entry.summary) == "Backlogs at the port grew by a third & more."


def test_body_images_and_links_inside_the_full_text_are_absolute(client, story):
    picture = make_image("Crane", size=(900, 600), description="A crane")
    story.body.append(("image", {"image": picture, "caption": "A crane", "credit": ""}))
    story.body.append(("pull_quote", "A line set large."))
    story.save_revision().publish()

    response = client.get("/feeds/rss.xml")
    read_feed(client, "/feeds/rss.xml")
    # As written: feedparser would drop the srcset attribute.
    items = ElementTree.fromstring(response.content).iter("item")  # noqa: S314 - our own feed
    item = next(item for item in items if item.findtext("title") == story.title)
    html = item.findtext(f"{{{CONTENT_NAMESPACE}}}encoded")

    assert "<figcaption>A crane</figcaption>" in html
    addresses = re.findall(r'(?:src|href)="([^"]*)"', html)
    addresses += [
        candidate.split()[0]
        for srcset in re.findall(r'srcset="([^"]*)"', html)
        for candidate in srcset.split(",")
    ]
    assert len(addresses) >= 4
    assert all(address.startswith("http://localhost/") for address in addresses), addresses
    assert "A line set large." not in html  # a pull quote repeats the text: left out


# --- The hero image -----------------------------------------------------------------------


@pytest.mark.parametrize("format", FEED_FORMATS)
def test_the_hero_image_is_an_enclosure(client, story, format):
    entry = entry_for(read_feed(client, f"/feeds/{format}.xml"), story.title)

    [enclosure] = entry.enclosures
    assert re.fullmatch(r"http://localhost/media/images/quay.*\.fill-1200x675\.png", enclosure.href)
    assert enclosure.type == "image/png"
    image = client.get(enclosure.href.removeprefix("http://localhost"))
    assert image.status_code == 200
    body = b"".join(image.streaming_content) if image.streaming else image.content
    assert int(enclosure.length) == len(body)
    assert story.hero_image.get_rendition("fill-1200x675").width == 1200


def test_the_social_image_is_the_enclosure_when_there_is_one(client, story):
    story.social_image = make_image("Social card", size=(1600, 900), description="A card")
    story.save_revision().publish()

    entry = entry_for(read_feed(client, "/feeds/rss.xml"), story.title)

    assert entry.enclosures[0].href.startswith("http://localhost/media/images/social-card")


def test_articles_without_a_picture_have_no_enclosure(client, small_newsroom):
    feed = read_feed(client, "/feeds/rss.xml")

    assert all(entry.enclosures == [] for entry in feed.entries)


# --- Sections, authors, tags --------------------------------------------------------------


@pytest.mark.parametrize("format", FEED_FORMATS)
def test_a_section_feed_has_only_that_sections_articles(client, small_newsroom, format):
    feed = read_feed(client, f"/feeds/sections/analysis/{format}.xml")

    assert feed.feed.title == "The Test Ledger — Analysis"
    assert feed.feed.link == "http://localhost/analysis/"
    assert titles(feed) == ["Analysis 2 days old", "Analysis 4 days old", "Analysis 6 days old"]


@pytest.mark.parametrize("format", FEED_FORMATS)
def test_an_author_feed_has_every_article_with_them_on_the_byline(client, story, format):
    feed = read_feed(client, f"/feeds/authors/ana-duarte/{format}.xml")

    assert feed.feed.title == "The Test Ledger — Ana Duarte"
    assert feed.feed.link == "http://testserver/authors/ana-duarte/"
    assert titles(feed) == [story.title]


@pytest.mark.parametrize("format", FEED_FORMATS)
def test_a_tag_feed_has_the_tagged_articles(client, story, small_newsroom, format):
    small_newsroom.article(
        section(small_newsroom, "canada"), "Trade at the border", story.authors, tags=("trade",)
    )

    feed = read_feed(client, f"/feeds/tags/trade/{format}.xml")

    assert feed.feed.title == "The Test Ledger — trade"
    assert feed.feed.link == "http://testserver/tags/trade/"
    assert titles(feed) == ["Trade at the border", story.title]


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/sections/nowhere/rss.xml",
        "/feeds/sections/nowhere/atom.xml",
        "/feeds/authors/nobody-here/rss.xml",
        "/feeds/authors/nobody-here/atom.xml",
        "/feeds/tags/no-such-tag/rss.xml",
        "/feeds/tags/no-such-tag/atom.xml",
        "/feeds/sections/canada-story-1-days-old/rss.xml",  # an article, not a section
    ],
)
def test_unknown_sections_authors_and_tags_have_no_feed(client, small_newsroom, url):
    assert client.get(url).status_code == 404


def test_a_tag_only_on_drafts_has_no_feed(client, small_newsroom):
    canada = section(small_newsroom, "canada")
    small_newsroom.article(
        canada, "Draft", [small_newsroom.author("Sam Roe")], publish=False, tags=("secret",)
    )

    assert client.get("/feeds/tags/secret/rss.xml").status_code == 404


# --- HTTP ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "content_type"),
    [("/feeds/rss.xml", "application/rss+xml"), ("/feeds/atom.xml", "application/atom+xml")],
)
def test_feeds_answer_head_and_may_be_cached_a_few_minutes(
    client, small_newsroom, url, content_type
):
    response = client.head(url)

    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert "max-age=300" in response["Cache-Control"]
    assert response["Last-Modified"]
