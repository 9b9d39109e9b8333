"""OpenGraph and Twitter card tags on every public page: what a shared link shows."""

from __future__ import annotations

import pytest

from masthead.seo.models import SeoSettings
from masthead.seo.tests.reading import Head, read
from masthead.testing.content import make_image
from masthead.testing.translation import translate_page

ADDRESS = "http://testserver/harbour/inspectors-told-to-clear-containers/"


@pytest.fixture
def story(newsroom, harbour, rosa):
    return newsroom.article(
        harbour,
        "Inspectors told to clear containers",
        [rosa],
        dek="A backlog of unchecked boxes grew all winter.",
        tags=("ports", "customs"),
        hero_image=make_image("Cranes", description="Cranes at dawn", size=(1600, 900)),
    )


@pytest.fixture
def seo_settings(newsroom):
    return SeoSettings.for_site(newsroom.site)


def test_an_article_card_has_title_summary_picture_and_times(client, story):
    head = read(client, story.url)

    assert head.first("og:site_name") == "The Test Ledger"
    assert head.first("og:type") == "article"
    assert head.first("og:title") == "Inspectors told to clear containers"
    assert head.first("og:description") == "A backlog of unchecked boxes grew all winter."
    assert head.first("og:url") == ADDRESS
    assert head.first("og:locale") == "en_US"
    image = head.first("og:image")
    assert image.startswith("http://testserver/media/") and "fill-1200x630" in image
    assert (head.first("og:image:width"), head.first("og:image:height")) == ("1200", "630")
    assert head.first("og:image:alt") == "Cranes at dawn"
    assert head.first("article:published_time").startswith(
        story.first_published_at.strftime("%Y-%m-%dT%H:%M")
    )
    assert head.first("article:modified_time")
    assert head.first("article:section") == "Harbour"
    assert sorted(head.all("article:tag")) == ["customs", "ports"]
    assert head.all("article:author") == ["http://testserver/authors/rosa-quill/"]
    assert head.first("twitter:card") == "summary_large_image"
    assert head.first("twitter:title") == "Inspectors told to clear containers"
    assert head.first("twitter:description") == "A backlog of unchecked boxes grew all winter."
    assert head.first("twitter:image") == image
    assert head.first("twitter:image:alt") == "Cranes at dawn"
    assert head.first("twitter:site") is None  # no handle set


def test_the_editors_overrides_show_in_the_card(client, story):
    story.seo_title = "Containers pile up at the port"
    story.search_description = "Inspectors were told to wave boxes through."
    story.social_image = make_image("Share card", description="The quay", size=(2400, 1260))
    story.save_revision().publish()

    head = read(client, story.url)

    assert head.first("og:title") == "Containers pile up at the port"
    assert head.first("twitter:title") == "Containers pile up at the port"
    assert head.first("og:description") == "Inspectors were told to wave boxes through."
    assert head.first("twitter:description") == "Inspectors were told to wave boxes through."
    assert "share-card" in head.first("og:image")
    assert head.first("og:image:alt") == "The quay"


def test_the_newsrooms_handle_is_the_twitter_site(client, story, seo_settings):
    seo_settings.social_handle = "ledger"
    seo_settings.save()

    assert read(client, story.url).first("twitter:site") == "@ledger"


def test_quotes_and_markup_in_titles_stay_inside_the_attribute(client, newsroom, harbour, rosa):
    title = 'The "harbour" <b>deal</b> & its critics'
    page = newsroom.article(harbour, title, [rosa], slug="quotes")

    head = read(client, page.url)

    assert head.first("og:title") == title
    assert head.first("twitter:title") == title


def test_a_translation_names_its_locale_and_the_others(client, story):
    versions = translate_page(story, "fr", "zh-hans")

    french = read(client, versions["fr"].url)
    chinese = read(client, versions["zh-hans"].url)
    english = read(client, story.url)

    assert french.first("og:locale") == "fr_FR"
    assert sorted(french.all("og:locale:alternate")) == ["en_US", "zh_CN"]
    assert french.first("og:title") == "[fr] Inspectors told to clear containers"
    assert (
        french.first("og:url")
        == "http://testserver/fr/harbour/inspectors-told-to-clear-containers/"
    )
    assert french.all("article:author") == ["http://testserver/fr/authors/rosa-quill/"]
    assert chinese.first("og:locale") == "zh_CN"
    assert sorted(english.all("og:locale:alternate")) == ["fr_FR", "zh_CN"]


def test_the_front_page_card_uses_the_name_and_tagline(client, story):
    head = read(client, "/")

    assert head.first("og:type") == "website"
    assert head.first("og:title") == "The Test Ledger"
    assert head.first("og:description") == "Independent reporting, read everywhere"
    assert head.first("og:url") == "http://testserver/"
    assert head.first("og:image") is None
    assert head.first("twitter:card") == "summary"


def test_pages_without_a_picture_of_their_own_show_the_logo(client, story, seo_settings):
    seo_settings.publisher_logo = make_image("Logo", description="The Ledger", size=(600, 60))
    seo_settings.save()

    for path in ("/", "/harbour/", "/tags/ports/", "/authors/rosa-quill/"):
        head = read(client, path)
        assert head.first("og:image").startswith("http://testserver/media/"), path
        assert (head.first("og:image:width"), head.first("og:image:height")) == ("600", "60")
        assert head.first("og:image:alt") == "The Ledger"
        assert head.first("twitter:card") == "summary", path  # a logo is no large picture

    # An article keeps its own picture.
    assert "cranes" in read(client, story.url).first("og:image")


def test_a_section_card_uses_its_intro(client, story):
    head = read(client, "/harbour/")

    assert head.first("og:type") == "website"
    assert head.first("og:title") == "Harbour"
    assert head.first("og:description") == "Ports, ships and the people who work them."
    assert head.first("og:url") == "http://testserver/harbour/"


def test_an_author_card_is_a_profile_with_role_bio_and_photo(client, story, rosa):
    rosa.photo = make_image("Rosa", size=(800, 800))
    rosa.save()

    head = read(client, "/authors/rosa-quill/")

    assert head.first("og:type") == "profile"
    assert head.first("og:title") == "Rosa Quill"
    assert head.first("og:description") == "Ports reporter — Rosa covers ports."
    assert head.first("og:image").startswith("http://testserver/media/images/rosa")
    assert head.first("og:image:alt") == "Rosa Quill"
    assert head.first("og:url") == "http://testserver/authors/rosa-quill/"


def test_a_tag_card_names_the_tag(client, story):
    head = read(client, "/tags/ports/")

    assert head.first("og:title") == "Stories tagged “ports”"
    assert head.first("og:url") == "http://testserver/tags/ports/"
    assert head.first("twitter:title") == "Stories tagged “ports”"


def test_the_support_page_has_a_card(client, support_page):
    head = read(client, support_page.url)

    assert head.first("og:type") == "website"
    assert head.first("og:title") == support_page.title
    assert head.first("og:description") == "Reader-funded, and nothing else."
    assert head.first("og:url") == f"http://testserver{support_page.url}"
    assert head.first("twitter:card") == "summary"


def test_a_missing_page_has_no_card(client, story):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    head = Head(response.content.decode())
    assert head.first("og:title") is None
    assert head.canonicals() == []


def test_the_demo_gives_the_site_a_logo_once(client, newsroom, story, seo_settings):
    from masthead.seo.demo import load_demo_seo

    assert load_demo_seo(newsroom.site) == ["publisher logo for 'The Test Ledger'"]
    assert load_demo_seo(newsroom.site) == []

    logo = SeoSettings.for_site(newsroom.site).publisher_logo
    assert (logo.width, logo.height) == (600, 60)
    assert read(client, "/").first("og:image").startswith("http://testserver/media/")
