"""Readers' side of translations: addresses, language tags, alternates, the switcher, labels."""

import re
from datetime import UTC, datetime

import pytest
from wagtail.models import Locale

from masthead.testing.translation import NATIVE_NAMES, translate_page
from masthead.translation import pipeline


@pytest.fixture
def story(small_newsroom):
    canada = small_newsroom.section("Harbour")
    author = small_newsroom.author("Rosa Quill", bio="<p>Rosa covers ports.</p>")
    return small_newsroom.article(
        canada,
        "Inspectors told to clear containers",
        [author],
        datetime(2026, 3, 5, 14, 30, tzinfo=UTC),
        paragraphs=(
            "The source says the backlog grew.",
            'Read <a href="https://example.org/r">the report</a>.',
        ),
        tags=("ports",),
    )


def alternates(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def canonical(html: str) -> str:
    return re.search(r'<link rel="canonical" href="([^"]+)">', html).group(1)


def test_a_translation_has_its_own_address_language_and_header(client, story):
    translate_page(story, "fr")

    french = client.get(f"/fr/harbour/{story.slug}/")
    english = client.get(f"/harbour/{story.slug}/")

    assert french.status_code == 200
    page = french.content.decode()
    assert '<html lang="fr">' in page
    assert french["Content-Language"] == "fr"
    assert "[fr] Inspectors told to clear containers" in page
    assert english.status_code == 200
    assert '<html lang="en">' in english.content.decode()
    assert "[fr]" not in english.content.decode()


def test_chinese_uses_the_script_subtag_in_language_tags(client, story):
    translate_page(story, "zh-hans")

    page = client.get(f"/zh-hans/harbour/{story.slug}/").content.decode()

    assert '<html lang="zh-Hans">' in page
    assert 'hreflang="zh-Hans"' in page


def test_alternates_are_reciprocal_with_x_default_and_a_canonical_of_its_own(client, story):
    translate_page(story, "fr", "de")
    addresses = {
        "en": f"http://testserver/harbour/{story.slug}/",
        "fr": f"http://testserver/fr/harbour/{story.slug}/",
        "de": f"http://testserver/de/harbour/{story.slug}/",
    }

    for code, address in addresses.items():
        page = client.get(address).content.decode()
        assert alternates(page) == {**addresses, "x-default": addresses["en"]}, code
        assert canonical(page) == address


def test_the_switcher_names_languages_natively_and_marks_the_missing_ones(client, story):
    translate_page(story, "fr")

    page = client.get(f"/harbour/{story.slug}/").content.decode()
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', page, re.S).group(0)

    for name in NATIVE_NAMES:
        assert name in switcher
    assert f'href="/fr/harbour/{story.slug}/"' in switcher
    assert switcher.count("<a ") == 2  # English (this page) and French
    assert switcher.count('class="unavailable"') == 6
    assert "not translated yet" in switcher


@pytest.mark.parametrize("path", ["/", "/harbour/", "/authors/rosa-quill/", "/tags/ports/"])
def test_every_public_page_has_a_language_switcher(client, story, path):
    translate_page(story, "fr")

    page = client.get(path).content.decode()

    assert 'class="language-switcher' in page
    assert "Français" in page


def test_section_front_page_and_author_page_in_french_list_french_stories(client, story):
    translate_page(story, "fr")

    for path in ("/fr/", "/fr/harbour/", "/fr/authors/rosa-quill/", "/fr/tags/ports/"):
        response = client.get(path)
        assert response.status_code == 200, path
        page = response.content.decode()
        assert "[fr] Inspectors told to clear containers" in page, path
        assert "Canada story 1 days old" not in page, path  # English-only stories stay English


def test_a_tag_is_unavailable_in_languages_without_tagged_stories(client, story):
    translate_page(story, "fr")

    page = client.get("/tags/ports/").content.decode()

    assert 'href="/fr/tags/ports/"' in page
    assert client.get("/de/tags/ports/").status_code == 404


def test_machine_translations_are_labelled_and_link_the_original(client, story):
    translate_page(story, "fr")

    french = client.get(f"/fr/harbour/{story.slug}/").content.decode()
    english = client.get(f"/harbour/{story.slug}/").content.decode()

    notice = re.search(r'<p class="translation-notice machine">(.*?)</p>', french, re.S).group(1)
    assert f'<a href="/harbour/{story.slug}/" hreflang="en">' in notice
    assert "translation-notice" not in english


def test_a_translation_a_person_published_is_labelled_reviewed(client, story):
    french = translate_page(story, "fr")["fr"]
    pipeline.mark_reviewed(french)

    page = client.get(f"/fr/harbour/{story.slug}/").content.decode()

    assert '<p class="translation-notice">' in page
    assert 'class="translation-notice machine"' not in page


def test_dates_are_written_the_readers_way(client, story):
    translate_page(story, "fr", "de")

    assert "5 mars 2026" in client.get(f"/fr/harbour/{story.slug}/").content.decode()
    assert "5. März 2026" in client.get(f"/de/harbour/{story.slug}/").content.decode()


def test_bios_show_in_the_readers_language_where_translated(client, story):
    translate_page(story, "fr")  # also translates the article's author

    page = client.get(f"/fr/harbour/{story.slug}/").content.decode()

    assert "[fr] Rosa covers ports." in page


def test_the_language_comes_from_the_address_not_the_browser(client, story):
    translate_page(story, "fr")

    response = client.get(f"/harbour/{story.slug}/", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    assert "Accept-Language" not in response.get("Vary", "")


def test_a_missing_page_in_french_says_so_in_french(client, story):
    response = client.get("/fr/nothing-here/")

    assert response.status_code == 404
    assert '<html lang="fr">' in response.content.decode()


def test_every_reader_language_has_a_locale(db):
    codes = set(Locale.objects.values_list("language_code", flat=True))

    assert {"zh-hans", "en", "fr", "de", "it", "pt", "ru", "es"} <= codes
