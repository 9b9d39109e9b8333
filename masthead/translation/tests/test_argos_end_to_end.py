"""The whole path with real (tiny, random-weight) Argos models installed by the real installer:
publish → the task translates into seven languages → labelled pages with reciprocal alternates
→ edit one paragraph → only it is translated again → a person's edits are never overwritten."""

import re

import pytest
from wagtail.models import Locale
from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource

from masthead.newsroom.models import ArticlePage
from masthead.translation.models import TranslationRecord

OTHER_LANGUAGES = ["de", "es", "fr", "it", "pt", "ru", "zh-hans"]


@pytest.fixture
def story(small_newsroom):
    section = small_newsroom.section("Harbour")
    author = small_newsroom.author("Rosa Quill")
    return small_newsroom.article(
        section,
        "Inspectors told to clear containers",
        [author],
        publish=False,
        paragraphs=(
            "The source says the backlog grew by 40 per cent.",
            'Read <a href="https://example.org/report">the audit</a> for <b>details</b>.',
            "The port authority disputes the figures.",
        ),
    )


def publish(page, capture) -> None:
    with capture(execute=True):
        ArticlePage.objects.get(pk=page.pk).save_revision().publish()


def edit_paragraph(page, index: int, html: str, capture) -> None:
    page = ArticlePage.objects.get(pk=page.pk)
    raw = list(page.body.raw_data)
    raw[index] = {**raw[index], "value": html}
    page.body = raw
    with capture(execute=True):
        page.save_revision().publish()


def alternates(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def test_publishing_yields_seven_labelled_translations_with_reciprocal_alternates(
    installed_argos_models, story, client, django_capture_on_commit_callbacks
):
    publish(story, django_capture_on_commit_callbacks)

    versions = {
        page.locale.language_code: page
        for page in ArticlePage.objects.filter(translation_key=story.translation_key).live()
    }
    assert sorted(versions) == sorted(["en", *OTHER_LANGUAGES])
    expected = None
    for code, page in versions.items():
        html = client.get(page.url).content.decode()
        links = alternates(html)
        expected = expected or links
        assert links == expected, code  # every version lists every other one, and itself
        if code != "en":
            assert 'class="translation-notice machine"' in html, code
            # Markup is rebuilt from the source: the link and the bold text survive.
            assert 'href="https://example.org/report"' in html
            assert "<b>" in str(page.specific.body)
    assert len(expected) == 9  # eight languages and x-default
    for record in TranslationRecord.objects.for_instance(story):
        assert record.state == TranslationRecord.MACHINE
        assert record.engine == "argos"
        assert "translate-en_" in record.model


def test_editing_one_paragraph_translates_only_that_paragraph_again(
    installed_argos_models, story, django_capture_on_commit_callbacks
):
    publish(story, django_capture_on_commit_callbacks)
    french = Locale.objects.get(language_code="fr")
    before = {row.pk: row.updated_at for row in StringTranslation.objects.filter(locale=french)}

    edit_paragraph(
        story,
        2,
        "<p>The port authority now accepts the figures.</p>",
        django_capture_on_commit_callbacks,
    )

    for record in TranslationRecord.objects.for_instance(story):
        assert record.state == TranslationRecord.MACHINE
        assert record.segments_translated == 1, record.locale.language_code
    after = {row.pk: row.updated_at for row in StringTranslation.objects.filter(locale=french)}
    unchanged = [pk for pk in before if after.get(pk) == before[pk]]
    assert len(unchanged) >= len(before) - 1


def test_translations_are_deterministic(
    installed_argos_models, story, django_capture_on_commit_callbacks
):
    publish(story, django_capture_on_commit_callbacks)
    german = Locale.objects.get(language_code="de")
    article_strings = StringTranslation.objects.filter(
        locale=german, context__object_id=story.translation_key
    )
    first = dict(article_strings.values_list("translation_of_id", "data"))

    article_strings.delete()
    publish(story, django_capture_on_commit_callbacks)

    again = dict(article_strings.values_list("translation_of_id", "data"))
    assert len(first) >= 4
    assert again == first


def test_a_translation_a_person_corrected_is_marked_out_of_date_not_overwritten(
    installed_argos_models, story, django_capture_on_commit_callbacks, admin_user
):
    publish(story, django_capture_on_commit_callbacks)
    french = Locale.objects.get(language_code="fr")
    source = TranslationSource.objects.get(object_id=story.translation_key, locale=story.locale)
    title = StringSegment.objects.get(source=source, context__path="title")
    StringTranslation.objects.filter(translation_of=title.string, locale=french).update(
        data="Des inspecteurs sommés de libérer des conteneurs",
        translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
        last_translated_by=admin_user,
    )
    french_page = story.get_translation(french)
    shown_before = list(ArticlePage.objects.get(pk=french_page.pk).body.raw_data)

    edit_paragraph(story, 0, "<p>The backlog doubled.</p>", django_capture_on_commit_callbacks)

    record = TranslationRecord.objects.for_instance(story).get(locale=french)
    assert record.state == TranslationRecord.OUT_OF_DATE
    assert list(ArticlePage.objects.get(pk=french_page.pk).body.raw_data) == shown_before
    others = TranslationRecord.objects.for_instance(story).exclude(locale=french)
    assert {record.state for record in others} == {TranslationRecord.MACHINE}


def test_an_original_written_in_german_reaches_french_through_english(
    installed_argos_models, small_newsroom, django_capture_on_commit_callbacks
):
    from masthead.testing.translation import translate_page
    from masthead.translation import pipeline

    section = small_newsroom.section("Harbour")
    author = small_newsroom.author("Rosa Quill")
    english = small_newsroom.article(section, "The port answers", [author])
    german_section = translate_page(english, "de", engine=pipeline.get_engine())["de"].get_parent()
    original = small_newsroom.article(
        german_section.specific, "Der Hafen antwortet", [author], publish=False
    )
    assert original.locale.language_code == "de"

    publish(original, django_capture_on_commit_callbacks)

    french = original.get_translation(Locale.objects.get(language_code="fr"))
    assert french.live
    record = TranslationRecord.objects.for_instance(original).get(locale=french.locale)
    assert record.model.count("translate-") == 2  # de→en, then en→fr
    assert "translate-de_en" in record.model and "translate-en_fr" in record.model
