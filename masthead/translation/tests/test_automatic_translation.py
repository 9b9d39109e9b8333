"""Publishing an original queues its translations; the worker's task makes, updates or leaves
them, by the rules editors rely on."""

import pytest
from django.test import override_settings
from wagtail.models import Locale
from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource

from masthead.newsroom.models import ArticlePage
from masthead.testing.translation import MarkingEngine, translate_page
from masthead.translation import pipeline, tasks
from masthead.translation.engines import TranslationError
from masthead.translation.models import TranslationRecord

OTHER_LANGUAGES = ["de", "es", "fr", "it", "pt", "ru", "zh-hans"]


@pytest.fixture
def engine(marking_engine):
    return marking_engine


@pytest.fixture
def story(small_newsroom):
    section = small_newsroom.section("Harbour")
    author = small_newsroom.author("Rosa Quill")
    return small_newsroom.article(
        section,
        "Inspectors told to clear containers",
        [author],
        paragraphs=("The backlog grew.", "The port disputes it.", "Inspections resumed."),
    )


def fr() -> Locale:
    return Locale.objects.get(language_code="fr")


def republish_with_paragraphs(article: ArticlePage, *paragraphs: str) -> None:
    """Edit the body as an editor would: same blocks, new text where it changed."""
    article = ArticlePage.objects.get(pk=article.pk)
    blocks = list(article.body)
    article.body = [
        {"type": "paragraph", "value": f"<p>{text}</p>", "id": block.id}
        for block, text in zip(blocks, paragraphs, strict=True)
    ]
    article.save_revision().publish()


def test_publishing_an_original_translates_it_into_every_other_language(
    engine, story, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story.save_revision().publish()

    versions = ArticlePage.objects.filter(translation_key=story.translation_key).live()
    assert sorted(versions.values_list("locale__language_code", flat=True)) == sorted(
        ["en", *OTHER_LANGUAGES]
    )
    records = TranslationRecord.objects.for_instance(story)
    assert {record.state for record in records} == {TranslationRecord.MACHINE}
    assert {record.model for record in records} == {
        f"marking: marker-{code}" for code in OTHER_LANGUAGES
    }
    # One batch per language, all of the article's text in it.
    article_calls = [call for call in engine.calls if "The backlog grew." in call[2]]
    assert len(article_calls) == len(OTHER_LANGUAGES)


def test_its_section_and_author_are_translated_first(engine, story):
    translate_page(story, "fr", engine=engine)

    french_section = story.get_parent().get_translation(fr())
    assert french_section.live
    assert french_section.title == "[fr] Harbour"
    author = story.authors[0]
    assert author.get_translation(fr()).role == "[fr] Reporter"


def test_only_changed_segments_are_translated_again(engine, story):
    translate_page(story, "fr", engine=engine)
    first_strings = set(StringTranslation.objects.filter(locale=fr()).values_list("pk", flat=True))
    engine.calls.clear()

    republish_with_paragraphs(
        story, "The backlog grew.", "The port now admits it.", "Inspections resumed."
    )
    record = pipeline.translate(ArticlePage.objects.get(pk=story.pk), fr(), engine)

    assert [call[2] for call in engine.calls] == [["The port now admits it."]]
    assert record.segments_translated == 1
    french = story.get_translation(fr()).specific
    texts = [block.value.source for block in french.body]
    assert texts == [
        "<p>[fr] The backlog grew.</p>",
        "<p>[fr] The port now admits it.</p>",
        "<p>[fr] Inspections resumed.</p>",
    ]
    kept = set(StringTranslation.objects.filter(locale=fr()).values_list("pk", flat=True))
    assert len(first_strings & kept) >= 3  # title and the unchanged paragraphs kept their rows


def test_a_translation_a_person_edited_is_never_overwritten(engine, story):
    translate_page(story, "fr", engine=engine)
    source = TranslationSource.objects.get(object_id=story.translation_key, locale=story.locale)
    title = StringSegment.objects.get(source=source, context__path="title")
    StringTranslation.objects.filter(translation_of=title.string, locale=fr()).update(
        data="Des inspecteurs sommés de libérer des conteneurs",
        translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
    )

    republish_with_paragraphs(story, "The backlog grew.", "Changed.", "Inspections resumed.")
    engine.calls.clear()
    record = pipeline.translate(ArticlePage.objects.get(pk=story.pk), fr(), engine)

    assert record.state == TranslationRecord.OUT_OF_DATE
    assert engine.calls == []
    french = story.get_translation(fr()).specific
    assert "[fr] The port disputes it." in str(french.body)  # the reviewed text stays up


def test_a_translation_published_by_a_person_is_marked_reviewed(
    engine, story, admin_user, django_capture_on_commit_callbacks
):
    french = translate_page(story, "fr", engine=engine)["fr"]

    french.save_revision(user=admin_user).publish(user=admin_user)

    record = TranslationRecord.objects.for_instance(story).get(locale=fr())
    assert record.state == TranslationRecord.REVIEWED
    republish_with_paragraphs(story, "New.", "The port disputes it.", "Inspections resumed.")
    assert pipeline.translate(ArticlePage.objects.get(pk=story.pk), fr(), engine).state == (
        TranslationRecord.OUT_OF_DATE
    )


def test_without_an_engine_translations_are_skipped_and_say_why(monkeypatch, story):
    monkeypatch.setattr(pipeline, "get_engine", lambda: None)

    record = pipeline.translate(story, fr())

    assert record.state == TranslationRecord.SKIPPED
    assert "turned off" in record.detail
    assert story.get_translation_or_none(fr()) is None
    assert ArticlePage.objects.get(pk=story.pk).live


def test_a_language_without_a_model_is_skipped_with_the_engines_reason(monkeypatch, story):
    engine = MarkingEngine(languages={"de"})
    monkeypatch.setattr(pipeline, "get_engine", lambda: engine)

    record = pipeline.translate(story, fr())

    assert record.state == TranslationRecord.SKIPPED
    assert record.detail == "No marker for en → fr."


@override_settings(MASTHEAD_TRANSLATION_ATTEMPTS=3)
def test_an_engine_failure_is_retried_then_marked_failed(engine, story):
    engine.fail_with = TranslationError("the model crashed")

    state = tasks.translate_into.call(story._meta.label, story.pk, "fr")

    # The immediate test backend runs the retries at once instead of after a delay.
    record = TranslationRecord.objects.for_instance(story).get(locale=fr())
    assert state in {TranslationRecord.QUEUED, TranslationRecord.FAILED}
    assert record.state == TranslationRecord.FAILED
    assert record.attempts == 3
    assert "the model crashed" in record.detail
    assert story.get_translation_or_none(fr()) is None
    assert ArticlePage.objects.get(pk=story.pk).live


def test_text_the_engine_cannot_translate_is_never_published(engine, story, monkeypatch):
    # An engine answer that breaks the markup is stored as an error by wagtail-localize, so the
    # string counts as untranslated: the copy must not go out with English text in it.
    monkeypatch.setattr(
        MarkingEngine,
        "_mark",
        staticmethod(lambda fragment, target: '<a id="a9">a link that is not in the source</a>'),
    )

    record = pipeline.translate(story, Locale.objects.get(language_code="de"), engine)

    assert record.state in {TranslationRecord.FAILED, TranslationRecord.SKIPPED}
    assert story.get_translation_or_none(Locale.objects.get(language_code="de")) is None


def test_the_supporter_count_placeholder_survives_translation(engine, small_newsroom):
    note = small_newsroom.note

    pipeline.translate(note, fr(), engine)

    assert "{supporters}" in note.get_translation(fr()).body


def test_editing_an_original_bio_updates_its_machine_translations(
    engine, story, django_capture_on_commit_callbacks
):
    translate_page(story, "fr", engine=engine)  # the article's author comes along
    author = story.authors[0]

    author.bio = "<p>Rosa now covers airports.</p>"
    with django_capture_on_commit_callbacks(execute=True):
        author.save()

    assert author.get_translation(fr()).bio == "<p>[fr] Rosa now covers airports.</p>"


def test_unpublishing_an_original_takes_every_translation_offline_until_it_returns(
    engine, story, django_capture_on_commit_callbacks
):
    versions = translate_page(story, "fr", "de", engine=engine)
    pipeline.mark_reviewed(versions["de"])  # a person's version goes and comes back too

    ArticlePage.objects.get(pk=story.pk).unpublish()

    assert not story.get_translations().live().exists()
    with django_capture_on_commit_callbacks(execute=True):
        ArticlePage.objects.get(pk=story.pk).save_revision().publish()
    live = set(story.get_translations().live().values_list("locale__language_code", flat=True))
    assert {"fr", "de"} <= live
    german = TranslationRecord.objects.for_instance(story).get(locale__language_code="de")
    assert german.state == TranslationRecord.REVIEWED


def test_a_translation_a_person_unpublished_stays_unpublished(
    engine, story, django_capture_on_commit_callbacks
):
    french = translate_page(story, "fr", engine=engine)["fr"]
    pipeline.mark_reviewed(french)
    french.unpublish()

    with django_capture_on_commit_callbacks(execute=True):
        ArticlePage.objects.get(pk=story.pk).save_revision().publish()

    assert not ArticlePage.objects.get(pk=french.pk).live
