"""Each language searches its own articles; Chinese is found by its words; the language
switcher carries the search over."""

import pytest
from django.conf import settings
from wagtail.models import Locale

from masthead.search.models import SearchEntry
from masthead.testing.translation import translate_page


@pytest.fixture
def story(newsroom):
    section = newsroom.section("Harbour")
    return newsroom.article(
        section,
        "Dockers strike at the port",
        [newsroom.author("Rosa Quill")],
        paragraphs=("Cranes stood idle.",),
    )


def test_each_language_finds_only_its_own_articles(story, searcher):
    french = translate_page(story, "fr")["fr"]
    assert french.title == "[fr] Dockers strike at the port"
    assert SearchEntry.objects.get(page=french).language == "fr"

    assert searcher.titles("/search/", q="dockers") == ["Dockers strike at the port"]
    assert searcher.titles("/fr/search/", q="dockers") == ["[fr] Dockers strike at the port"]
    assert searcher.titles("/de/search/", q="dockers") == []


def test_results_link_to_the_article_in_the_readers_language(story, searcher):
    translate_page(story, "fr")

    page = searcher.get("/fr/search/", q="dockers").content.decode()

    assert 'href="/fr/harbour/dockers-strike-at-the-port/"' in page


@pytest.fixture
def chinese_story(newsroom):
    english_section = newsroom.section("World")
    chinese_section = translate_page(english_section, "zh-hans")["zh-hans"]
    return newsroom.article(
        chinese_section,
        "香港选举投票率创新低",
        [newsroom.author("Li Wen")],
        slug="hong-kong-turnout",
        dek="选民对新制度反应冷淡",
        paragraphs=("立法会选举于周日举行。", "港"),
    )


def test_chinese_is_found_by_a_two_character_word(chinese_story, searcher):
    assert chinese_story.locale.language_code == "zh-hans"

    assert searcher.titles("/zh-hans/search/", q="选举") == ["香港选举投票率创新低"]
    assert searcher.titles("/zh-hans/search/", q="投票率") == ["香港选举投票率创新低"]
    assert searcher.titles("/zh-hans/search/", q="制度") == ["香港选举投票率创新低"]
    assert searcher.titles("/zh-hans/search/", q="立法会 周日") == ["香港选举投票率创新低"]
    assert searcher.titles("/zh-hans/search/", q="选票") == []
    assert searcher.titles("/zh-hans/search/", q="举投票") == ["香港选举投票率创新低"]
    assert searcher.titles("/search/", q="选举") == []


def test_chinese_matches_are_highlighted(chinese_story, searcher):
    page = searcher.get("/zh-hans/search/", q="选举").content.decode()

    assert "香港<mark>选举</mark>投票率创新低" in page
    assert "立法会<mark>选举</mark>于周日举行" in page


def test_the_language_switcher_carries_the_query_to_every_language(story, searcher):
    response = searcher.get("/fr/search/", q="grève", section="harbour", page="2")

    versions = {version.code: version for version in response.context["language_versions"]}
    assert set(versions) == {code for code, _name in settings.LANGUAGES}
    assert versions["fr"].is_current
    assert versions["en"].url == "/search/?q=gr%C3%A8ve&section=harbour"
    assert versions["zh-hans"].url == "/zh-hans/search/?q=gr%C3%A8ve&section=harbour"
    assert all(version.available for version in versions.values())


def test_the_text_search_configuration_follows_the_language(db):
    from masthead.search.text import text_search_config, uses_postgres

    if not uses_postgres():
        pytest.skip("PostgreSQL's text-search configurations")
    assert text_search_config("en") == "english"
    assert text_search_config("pt") == "portuguese"
    assert text_search_config("zh-hans") == "simple"
    assert text_search_config("xx") == "simple"
    assert Locale.objects.filter(language_code="ru").exists()
