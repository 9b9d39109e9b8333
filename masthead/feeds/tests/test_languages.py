"""Feeds in each reader language: /feeds/… in English, /fr/feeds/… in French, and one feed
with every language."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from masthead.feeds.tests.helpers import FEED_FORMATS, read_feed, titles
from masthead.testing.translation import translate_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(newsroom):
    harbour = newsroom.section("Harbour")
    rosa = newsroom.author("Rosa Quill")
    return newsroom.article(
        harbour,
        "Inspectors told to clear containers",
        [rosa],
        datetime(2026, 3, 5, 14, 30, tzinfo=UTC),
        dek="The backlog grew by a third.",
        tags=("ports",),
    )


@pytest.fixture
def english_only(newsroom, story):
    return newsroom.article(
        story.get_parent().specific, "Only in English", story.authors, tags=("ports",)
    )


@pytest.mark.parametrize("format", FEED_FORMATS)
def test_each_language_has_its_own_site_feed(client, story, english_only, format):
    french = translate_page(story, "fr")["fr"]

    feed = read_feed(client, f"/fr/feeds/{format}.xml")
    english = read_feed(client, f"/feeds/{format}.xml")

    assert feed.feed.language == "fr"
    assert feed.feed.link == "http://localhost/fr/"
    assert titles(feed) == ["[fr] Inspectors told to clear containers"]
    [entry] = feed.entries
    assert entry.link == "http://localhost/fr/harbour/inspectors-told-to-clear-containers/"
    assert entry.id == f"tag:localhost,2026-03-05:article-{french.pk}"
    assert "[fr] The backlog grew by a third." in entry.summary
    assert "[fr] First paragraph." in entry.content[0].value
    assert english.feed.language == "en"
    assert titles(english) == ["Only in English", "Inspectors told to clear containers"]


def test_chinese_feeds_use_the_script_subtag(client, story):
    translate_page(story, "zh-hans")

    for format in FEED_FORMATS:
        feed = read_feed(client, f"/zh-hans/feeds/{format}.xml")
        assert feed.feed.language == "zh-Hans"
        assert titles(feed) == ["[zh-hans] Inspectors told to clear containers"]


def test_a_language_without_articles_has_an_empty_feed(client, story):
    feed = read_feed(client, "/de/feeds/rss.xml")

    assert feed.feed.language == "de"
    assert feed.entries == []


@pytest.mark.parametrize("format", FEED_FORMATS)
def test_the_all_languages_feed_has_every_version(client, story, english_only, format):
    translate_page(story, "fr", "de")

    feed = read_feed(client, f"/feeds/all-languages/{format}.xml")

    assert feed.feed.title == "The Test Ledger — all languages"
    assert "language" not in feed.feed
    assert sorted(titles(feed)) == [
        "Inspectors told to clear containers",
        "Only in English",
        "[de] Inspectors told to clear containers",
        "[fr] Inspectors told to clear containers",
    ]
    links = {entry.title: entry.link for entry in feed.entries}
    assert links["[de] Inspectors told to clear containers"].startswith("http://localhost/de/")
    assert len({entry.id for entry in feed.entries}) == 4
    if format == "atom":  # each entry says its language
        languages = {entry.title: entry.title_detail.language for entry in feed.entries}
        assert languages["[fr] Inspectors told to clear containers"] == "fr"
        assert languages["Only in English"] == "en"


@pytest.mark.parametrize("format", FEED_FORMATS)
def test_a_section_feed_exists_in_the_languages_the_section_has(client, story, format):
    url = f"/fr/feeds/sections/harbour/{format}.xml"
    assert client.get(url).status_code == 404

    translate_page(story, "fr")
    feed = read_feed(client, url)

    assert feed.feed.title == "The Test Ledger — [fr] Harbour"
    assert feed.feed.link == "http://localhost/fr/harbour/"
    assert titles(feed) == ["[fr] Inspectors told to clear containers"]


def test_an_author_feed_lists_their_articles_in_the_readers_language(client, story):
    assert read_feed(client, "/fr/feeds/authors/rosa-quill/rss.xml").entries == []

    translate_page(story, "fr")
    feed = read_feed(client, "/fr/feeds/authors/rosa-quill/rss.xml")

    assert feed.feed.title == "The Test Ledger — Rosa Quill"
    assert feed.feed.link == "http://testserver/fr/authors/rosa-quill/"
    assert titles(feed) == ["[fr] Inspectors told to clear containers"]


def test_a_tag_feed_exists_where_the_tag_has_articles_in_that_language(client, story):
    assert client.get("/fr/feeds/tags/ports/atom.xml").status_code == 404

    translate_page(story, "fr")
    feed = read_feed(client, "/fr/feeds/tags/ports/atom.xml")

    assert feed.feed.link == "http://testserver/fr/tags/ports/"
    assert titles(feed) == ["[fr] Inspectors told to clear containers"]
