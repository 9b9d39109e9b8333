"""The `<link rel="alternate">` tags that let browsers and feed readers find the feeds."""

from __future__ import annotations

import re
from html import unescape

import pytest

from masthead.feeds.tests.helpers import read_feed
from masthead.testing.translation import translate_page

pytestmark = pytest.mark.django_db

FEED_LINK = re.compile(
    r'<link rel="alternate" type="application/(rss|atom)\+xml" title="([^"]*)" href="([^"]*)">'
)


def feed_links(client, url: str) -> dict[str, str]:
    """{title: address} of the feeds a page points at."""
    response = client.get(url)
    assert response.status_code == 200, url
    return {
        unescape(title): href
        for _format, title, href in FEED_LINK.findall(response.content.decode())
    }


SITE_FEEDS = {
    "The Test Ledger (RSS)": "http://testserver/feeds/rss.xml",
    "The Test Ledger (Atom)": "http://testserver/feeds/atom.xml",
}


def test_the_home_page_points_at_the_site_feeds(client, small_newsroom):
    assert feed_links(client, "/") == SITE_FEEDS


def test_a_section_page_and_its_articles_point_at_the_section_feeds(client, small_newsroom):
    section_feeds = {
        **SITE_FEEDS,
        "The Test Ledger — Canada (RSS)": "http://testserver/feeds/sections/canada/rss.xml",
        "The Test Ledger — Canada (Atom)": "http://testserver/feeds/sections/canada/atom.xml",
    }

    assert feed_links(client, "/canada/") == section_feeds
    assert feed_links(client, "/canada/canada-story-3-days-old/") == section_feeds


def test_an_author_page_points_at_the_author_feeds(client, small_newsroom):
    assert feed_links(client, "/authors/li-wen/") == {
        **SITE_FEEDS,
        "The Test Ledger — Li Wen (RSS)": "http://testserver/feeds/authors/li-wen/rss.xml",
        "The Test Ledger — Li Wen (Atom)": "http://testserver/feeds/authors/li-wen/atom.xml",
    }


def test_a_tag_page_points_at_the_tag_feeds(client, small_newsroom):
    canada = small_newsroom.home.get_children().get(slug="canada").specific
    small_newsroom.article(
        canada, "Border trade", [small_newsroom.author("Sam Roe")], tags=("Cross border",)
    )

    assert feed_links(client, "/tags/cross-border/") == {
        **SITE_FEEDS,
        "The Test Ledger — Cross border (RSS)": "http://testserver/feeds/tags/cross-border/rss.xml",
        "The Test Ledger — Cross border (Atom)": (
            "http://testserver/feeds/tags/cross-border/atom.xml"
        ),
    }


def test_pages_in_another_language_point_at_that_languages_feeds(client, small_newsroom):
    story = small_newsroom.home.get_children().get(slug="analysis").get_children().first()
    translate_page(story.specific, "fr")

    links = feed_links(client, f"/fr/analysis/{story.slug}/")

    assert links == {
        "The Test Ledger (RSS)": "http://testserver/fr/feeds/rss.xml",
        "The Test Ledger (Atom)": "http://testserver/fr/feeds/atom.xml",
        "The Test Ledger — [fr] Analysis (RSS)": (
            "http://testserver/fr/feeds/sections/analysis/rss.xml"
        ),
        "The Test Ledger — [fr] Analysis (Atom)": (
            "http://testserver/fr/feeds/sections/analysis/atom.xml"
        ),
    }


def test_every_feed_a_page_points_at_exists(client, small_newsroom):
    translate_page(small_newsroom.home.get_children().get(slug="canada").get_children()[0], "fr")
    pages = ["/", "/canada/", "/authors/ana-ferreira/", "/fr/", "/fr/canada/"]

    addresses = {href for page in pages for href in feed_links(client, page).values()}

    assert len(addresses) == 10
    for address in addresses:
        feed = read_feed(client, address.removeprefix("http://testserver"))
        assert feed.entries, address
