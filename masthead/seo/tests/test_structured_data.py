"""JSON-LD: articles by type, their byline, publisher, images, corrections and translations;
author profiles; the front page's WebSite and search box."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from wagtail.images import get_image_model

from masthead.newsroom.models import ArticleCorrection, AuthorLink
from masthead.seo.models import SeoSettings
from masthead.seo.tests.reading import Head, item_of_type, read
from masthead.testing.content import make_image
from masthead.testing.translation import translate_page

PUBLISHED = datetime(2026, 3, 5, 14, 30, tzinfo=UTC)


@pytest.fixture
def story(newsroom, harbour, rosa):
    return newsroom.article(
        harbour,
        "Inspectors told to clear containers",
        [rosa],
        PUBLISHED,
        dek="A backlog of unchecked boxes grew all winter.",
        tags=("ports", "customs"),
        hero_image=make_image("Cranes", description="Cranes at dawn", size=(1600, 900)),
    )


def test_a_news_article_has_the_properties_search_engines_require(client, story):
    head = read(client, story.url)
    article = item_of_type(head, "NewsArticle")
    address = "http://testserver/harbour/inspectors-told-to-clear-containers/"

    assert article["@context"] == "https://schema.org"
    assert article["headline"] == "Inspectors told to clear containers"
    assert article["description"] == "A backlog of unchecked boxes grew all winter."
    assert article["mainEntityOfPage"]["@id"] == address
    assert head.canonicals() == [address]
    assert article["inLanguage"] == "en"
    assert article["isAccessibleForFree"] is True
    assert article["articleSection"] == "Harbour"
    assert sorted(article["keywords"]) == ["customs", "ports"]
    published = datetime.fromisoformat(article["datePublished"])
    assert published == PUBLISHED and published.tzinfo is not None
    assert datetime.fromisoformat(article["dateModified"]).tzinfo is not None
    assert article["author"] == [
        {
            "@type": "Person",
            "name": "Rosa Quill",
            "url": "http://testserver/authors/rosa-quill/",
            "jobTitle": "Ports reporter",
        }
    ]
    publisher = article["publisher"]
    assert publisher["@type"] == "NewsMediaOrganization"
    assert publisher["name"] == "The Test Ledger"
    assert publisher["url"] == "http://testserver/"
    assert "logo" not in publisher  # none set: nothing rather than a made-up one


@pytest.mark.parametrize(
    ("article_type", "schema_type"),
    [
        ("news", "NewsArticle"),
        ("analysis", "AnalysisNewsArticle"),
        ("opinion", "OpinionNewsArticle"),
        ("investigation", "ReportageNewsArticle"),
    ],
)
def test_the_schema_type_follows_the_article_type(
    client, newsroom, harbour, rosa, article_type, schema_type
):
    page = newsroom.article(harbour, f"A {article_type} piece", [rosa], article_type=article_type)

    types = [item["@type"] for item in read(client, page.url).json_ld()]

    assert types == [schema_type]


def test_images_are_crops_at_least_1200_wide_leaving_out_those_the_original_cannot_fill(
    client, story
):
    article = item_of_type(read(client, story.url), "NewsArticle")

    # 1600x900 makes 16:9 and 4:3 at 1200 wide, but a square only 900 wide: left out.
    assert len(article["image"]) == 2
    assert all(url.startswith("http://testserver/") for url in article["image"])
    renditions = story.hero_image.renditions.all()
    for url in article["image"]:
        rendition = next(r for r in renditions if url.endswith(r.url))
        assert rendition.width >= 1200
    assert "fill-1200x675" in article["image"][0]
    assert "fill-1200x900" in article["image"][1]


def test_a_picture_too_small_for_search_engines_is_left_out(client, newsroom, harbour, rosa):
    page = newsroom.article(
        harbour, "Small picture", [rosa], hero_image=make_image("Tiny", description="A dot")
    )

    assert "image" not in item_of_type(read(client, page.url), "NewsArticle")


def test_corrections_are_listed_as_correction_comments(client, story):
    made = timezone.now() - timedelta(hours=2)
    story.corrections = [
        ArticleCorrection(made_at=made, kind="correction", text="The port is in Halifax."),
        ArticleCorrection(made_at=made + timedelta(hours=1), kind="update", text="Added reply."),
    ]
    story.save_revision().publish()

    article = item_of_type(read(client, story.url), "NewsArticle")

    assert [entry["@type"] for entry in article["correction"]] == ["CorrectionComment"] * 2
    assert [entry["text"] for entry in article["correction"]] == [
        "The port is in Halifax.",
        "Added reply.",
    ]
    assert datetime.fromisoformat(article["correction"][0]["datePublished"]) == made.replace(
        microsecond=0
    )
    assert datetime.fromisoformat(article["dateModified"]) >= made + timedelta(hours=1, seconds=-1)


def test_the_publisher_has_its_logo_and_policies(client, newsroom, story):
    policy = newsroom.section("Corrections policy")
    principles = newsroom.section("Our standards")
    settings = SeoSettings.for_site(newsroom.site)
    settings.publisher_logo = make_image("Logo", size=(600, 60))
    settings.corrections_policy = policy
    settings.publishing_principles = principles
    settings.save()

    article = item_of_type(read(client, story.url), "NewsArticle")
    publisher = article["publisher"]

    assert publisher["logo"]["@type"] == "ImageObject"
    assert publisher["logo"]["url"].startswith("http://testserver/media/")
    assert (publisher["logo"]["width"], publisher["logo"]["height"]) == (600, 60)
    assert publisher["correctionsPolicy"] == "http://testserver/corrections-policy/"
    assert publisher["publishingPrinciples"] == "http://testserver/our-standards/"
    assert article["publishingPrinciples"] == "http://testserver/our-standards/"


def test_a_headline_cannot_close_the_script(client, newsroom, harbour, rosa):
    title = 'Why </script><script>alert("x")</script> & <!-- fail'
    page = newsroom.article(harbour, title, [rosa], slug="tricky")

    response = client.get(page.url)
    html = response.content.decode()
    head = Head(html)

    assert len(head.scripts) == 1
    script = head.scripts[0]
    assert "<" not in script and ">" not in script and "&" not in script
    assert json.loads(script)["headline"] == title
    assert 'alert("x")</script>' not in html.split("</head>")[0]


def test_long_headlines_are_shortened_to_110_characters(client, newsroom, harbour, rosa):
    page = newsroom.article(harbour, "Word " * 40, [rosa], slug="long")

    headline = item_of_type(read(client, page.url), "NewsArticle")["headline"]

    assert len(headline) <= 110
    assert headline.startswith("Word Word")


def test_the_editors_search_title_description_and_picture_win(client, story):
    social = make_image("Share card", description="The quay", size=(2400, 1260))
    story.seo_title = "Containers pile up at the port"
    story.search_description = "Inspectors were told to wave boxes through."
    story.social_image = social
    story.save_revision().publish()

    article = item_of_type(read(client, story.url), "NewsArticle")

    assert article["headline"] == "Containers pile up at the port"
    assert article["description"] == "Inspectors were told to wave boxes through."
    assert all("share-card" in url for url in article["image"])
    assert len(article["image"]) == 3  # 2400x1260 fills the square too


def test_a_translation_points_at_its_original_and_the_original_at_it(client, story):
    french = translate_page(story, "fr")["fr"]

    translated = item_of_type(read(client, french.url), "NewsArticle")
    original = item_of_type(read(client, story.url), "NewsArticle")

    english_address = "http://testserver/harbour/inspectors-told-to-clear-containers/"
    french_address = "http://testserver/fr/harbour/inspectors-told-to-clear-containers/"
    assert translated["inLanguage"] == "fr"
    assert translated["mainEntityOfPage"]["@id"] == french_address
    assert translated["headline"] == "[fr] Inspectors told to clear containers"
    assert translated["translationOfWork"] == {
        "@type": "NewsArticle",
        "@id": english_address,
        "url": english_address,
        "headline": "Inspectors told to clear containers",
        "inLanguage": "en",
    }
    assert translated["author"][0]["url"] == "http://testserver/fr/authors/rosa-quill/"
    assert "workTranslation" not in translated
    assert [work["@id"] for work in original["workTranslation"]] == [french_address]
    assert original["workTranslation"][0]["inLanguage"] == "fr"
    assert "translationOfWork" not in original


def test_chinese_articles_use_the_script_subtag(client, story):
    chinese = translate_page(story, "zh-hans")["zh-hans"]

    assert item_of_type(read(client, chinese.url), "NewsArticle")["inLanguage"] == "zh-Hans"


def test_an_author_page_is_a_profile_page_about_a_person(client, story, rosa):
    rosa.photo = make_image("Rosa", size=(800, 800))
    rosa.bio = '<p>Rosa covers <b>ports</b> &amp; <a href="https://example.org">ships</a>.</p>'
    rosa.save()
    AuthorLink.objects.create(author=rosa, label="Website", url="https://rosa.example.org/")

    profile = item_of_type(read(client, "/authors/rosa-quill/"), "ProfilePage")
    person = profile["mainEntity"]

    assert profile["url"] == "http://testserver/authors/rosa-quill/"
    assert person["@type"] == "Person"
    assert person["name"] == "Rosa Quill"
    assert person["url"] == "http://testserver/authors/rosa-quill/"
    assert person["jobTitle"] == "Ports reporter"
    assert person["description"] == "Rosa covers ports & ships."
    assert person["sameAs"] == ["https://rosa.example.org/"]
    assert person["image"].startswith("http://testserver/media/")


def test_the_front_page_describes_the_site_and_its_search(client, story):
    head = read(client, "/")
    website = item_of_type(head, "WebSite")
    publisher = item_of_type(head, "NewsMediaOrganization")

    assert website["name"] == "The Test Ledger"
    assert website["url"] == "http://testserver/"
    assert website["inLanguage"] == "en"
    action = website["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"] == "http://testserver/search/?q={search_term_string}"
    assert action["query-input"] == "required name=search_term_string"
    assert website["publisher"] == {"@id": publisher["@id"]}
    assert publisher["name"] == "The Test Ledger"


def test_the_french_front_page_searches_in_french(client, newsroom, story):
    translate_page(newsroom.home, "fr")

    website = item_of_type(read(client, "/fr/"), "WebSite")

    assert website["url"] == "http://testserver/fr/"
    assert website["inLanguage"] == "fr"
    assert website["potentialAction"]["target"] == (
        "http://testserver/fr/search/?q={search_term_string}"
    )


@pytest.mark.parametrize("path", ["/harbour/", "/tags/ports/"])
def test_listings_carry_no_article_data(client, story, path):
    assert read(client, path).json_ld() == []


def test_an_unreadable_picture_leaves_the_page_working(client, story):
    get_image_model().objects.filter(pk=story.hero_image_id).update(file="original_images/gone.png")

    response = client.get(story.url)

    assert response.status_code == 200
    assert "image" not in item_of_type(Head(response.content.decode()), "NewsArticle")
