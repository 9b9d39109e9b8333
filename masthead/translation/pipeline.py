"""Machine-translating one page or snippet into one language, through wagtail-localize.

The source's text is extracted into wagtail-localize segments; the segments that have no
translation yet (new, or changed since the last run) go to the engine in one batch; the results
are stored as machine string translations, which editors can correct in wagtail-localize's
editor; then the translated copy is saved and published. A translation a person has edited or
published is never overwritten: it is marked out of date instead.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from wagtail.models import Locale, Page, TranslatableMixin
from wagtail_localize.models import (
    MissingRelatedObjectError,
    MissingTranslationError,
    StringSegment,
    StringTranslation,
    TranslatableObject,
    Translation,
    TranslationSource,
)
from wagtail_localize.strings import StringValue, validate_translation_links

from masthead.translation.engines import Engine, Route, get_engine, language_name
from masthead.translation.languages import reader_locales
from masthead.translation.models import TranslationRecord

logger = logging.getLogger(__name__)

UNPUBLISHED_WITH_ORIGINAL = "Unpublished with its original."

# Text that must come through translation untouched: rendered later (see EditorsNote).
PROTECTED_TOKENS = ["{supporters}"]


def source_of(instance: TranslatableMixin) -> TranslatableMixin:
    """The original that `instance` was translated from (itself if it is an original)."""
    source = (
        TranslationSource.objects.filter(object_id=instance.translation_key)
        .select_related("locale")
        .first()
    )
    if source is None or source.locale_id == instance.locale_id:
        return instance
    original = instance.get_translation_or_none(source.locale)
    return original or instance


def is_translation(instance: TranslatableMixin) -> bool:
    """Whether `instance` is another language's copy of an original (not an original itself)."""
    return (
        TranslationSource.objects.filter(object_id=instance.translation_key)
        .exclude(locale_id=instance.locale_id)
        .exists()
    )


def default_language() -> str:
    return settings.LANGUAGE_CODE


def has_translations(instance: TranslatableMixin) -> bool:
    return type(instance).objects.filter(translation_key=instance.translation_key).count() > 1


def target_locales(instance: TranslatableMixin) -> list[Locale]:
    """Every reader language except the original's own."""
    return [locale for locale in reader_locales() if locale.pk != instance.locale_id]


def record_for(instance: TranslatableMixin, locale: Locale) -> TranslationRecord:
    translatable, _created = TranslatableObject.objects.get_or_create_from_instance(instance)
    record, _created = TranslationRecord.objects.get_or_create(object=translatable, locale=locale)
    return record


def has_human_strings(source: TranslationSource, locale: Locale) -> bool:
    """Whether a person has written or corrected any string of this translation."""
    return StringTranslation.objects.filter(
        locale=locale,
        context__object_id=source.object_id,
        translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
    ).exists()


def translate(
    instance: TranslatableMixin, locale: Locale, engine: Engine | None = None
) -> TranslationRecord:
    """Create or update the machine translation of `instance` (an original) into `locale`.

    Raises the engine's `TranslationError` when the engine fails (the caller retries); every
    other outcome is written to the returned record.
    """
    if isinstance(instance, Page):
        instance = instance.specific
    engine = engine if engine is not None else get_engine()
    record = record_for(instance, locale)
    existing = instance.get_translation_or_none(locale)
    previous_source = TranslationSource.objects.filter(
        object_id=instance.translation_key, locale_id=instance.locale_id
    ).first()

    if existing is not None and _is_human(record, previous_source, locale):
        # Leave a person's work alone; if the original now says something they have not
        # translated, tell the translators (wagtail-localize's editor shows the new strings).
        if record.detail == UNPUBLISHED_WITH_ORIGINAL:
            existing.specific.get_latest_revision().publish(user=None)
            record.detail = ""
        source, _created = TranslationSource.update_or_create_from_instance(instance)
        if previous_source is None or _missing_strings(source, locale).exists():
            return _set(record, TranslationRecord.OUT_OF_DATE, detail="")
        if record.state != TranslationRecord.OUT_OF_DATE:
            return _set(record, TranslationRecord.REVIEWED, detail="")
        return record

    if engine is None:
        return _set(
            record,
            TranslationRecord.SKIPPED,
            detail="Machine translation is turned off (MASTHEAD_TRANSLATION_ENGINE=none).",
        )
    source_code, target_code = instance.locale.language_code, locale.language_code
    route = engine.route(source_code, target_code)
    if route is None:
        return _set(
            record,
            TranslationRecord.SKIPPED,
            engine=engine.name,
            detail=engine.why_unavailable(source_code, target_code),
        )

    if isinstance(instance, Page):
        problem = _translate_parent(instance, locale, engine)
        if problem:
            return _set(record, TranslationRecord.SKIPPED, engine=engine.name, detail=problem)

    source, _created = TranslationSource.update_or_create_from_instance(instance)
    Translation.objects.get_or_create(source=source, target_locale=locale)
    translated_count = _translate_missing_strings(source, locale, engine, route)
    try:
        save_translation(source, locale)
    except Exception as error:  # a copy that can't be saved must not stop the other languages
        return _set(
            record,
            TranslationRecord.FAILED,
            engine=engine.name,
            model=route.describe(),
            detail=_save_failure(error, locale, instance),
        )
    record = _set(
        record,
        TranslationRecord.MACHINE,
        engine=engine.name,
        model=route.describe(),
        detail="",
        attempts=0,
        segments_translated=translated_count,
    )
    _translate_related_snippets(instance, locale, engine)
    return record


def unpublish_translations(original: Page) -> int:
    """Take every language's version of `original` offline with it (a retracted story is
    retracted everywhere); they come back when the original is published again."""
    count = 0
    for translation in original.get_translations().live().specific():
        translation.unpublish(user=None)
        record = record_for(original, translation.locale)
        record.detail = UNPUBLISHED_WITH_ORIGINAL
        record.save(update_fields=["detail", "updated_at"])
        count += 1
    return count


def mark_reviewed(translated: TranslatableMixin) -> None:
    """A person has published or edited this translation: machines must leave it alone now."""
    original = source_of(translated)
    if original is translated:
        return
    _set(record_for(original, translated.locale), TranslationRecord.REVIEWED, detail="")


# --- Steps ------------------------------------------------------------------------------------


def _is_human(record: TranslationRecord, source: TranslationSource | None, locale: Locale) -> bool:
    if record.is_human:
        return True
    if source is None:
        # A copy that exists without ever being machine-translated was made by a person.
        return record.state != TranslationRecord.MACHINE
    if has_human_strings(source, locale):
        return True
    disabled = Translation.objects.filter(source=source, target_locale=locale, enabled=False)
    return disabled.exists()


def _save_failure(error: Exception, locale: Locale, instance: models.Model) -> str:
    """What went wrong saving a translated copy, for the status view."""
    if isinstance(error, MissingTranslationError | MissingRelatedObjectError):
        return "Part of the text has no usable translation, so nothing was published."
    cause: BaseException | None = error  # wagtail-localize may wrap a ValidationError
    while cause is not None and not isinstance(cause, ValidationError):
        cause = cause.__context__
    if cause is None:
        logger.exception("Saving the %s translation of %s failed", locale, instance)
        problem = f"{error.__class__.__name__}: {error}"
    elif hasattr(cause, "error_dict"):
        problem = "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in cause.message_dict.items()
        )
    else:
        problem = " ".join(cause.messages)
    return f"The translation could not be saved ({problem}); correct it in the translation editor."


def _missing_strings(source: TranslationSource, locale: Locale):
    """The source's string segments with no (valid) translation into `locale`."""
    return (
        StringSegment.objects.filter(source=source)
        .annotate_translation(locale)
        .filter(translation__isnull=True)
    )


def _translate_parent(page: Page, locale: Locale, engine: Engine) -> str:
    """Make sure the page's parent exists in `locale`; a reason why not, or ""."""
    parent = page.get_parent()
    if parent is None or parent.is_root() or parent.get_translation_or_none(locale):
        return ""
    parent_record = translate(parent.specific, locale, engine)
    if parent.get_translation_or_none(locale) is None:
        return (
            f"Its parent page “{parent.title}” has no {language_name(locale.language_code)} "
            f"version: {parent_record.detail or parent_record.get_state_display()}"
        )
    return ""


def _translate_missing_strings(
    source: TranslationSource, locale: Locale, engine: Engine, route: Route
) -> int:
    """Machine-translate the source's strings that have no (valid) translation; how many."""
    missing = _missing_strings(source, locale).select_related("string", "context").order_by("order")
    by_text: dict[str, list[StringSegment]] = {}
    for segment in missing:
        by_text.setdefault(segment.string.data, []).append(segment)
    if not by_text:
        return 0
    texts = list(by_text)
    translated = engine.translate_html(
        source.locale.language_code, locale.language_code, [protect_tokens(text) for text in texts]
    )
    tool_name = route.describe()[:255]
    rows = []
    for text, result in zip(texts, translated, strict=True):
        data = unprotect_tokens(result)
        has_error = not _is_valid_translation(text, data)
        rows += [
            StringTranslation(
                translation_of_id=segment.string_id,
                locale=locale,
                context_id=segment.context_id,
                data=data,
                translation_type=StringTranslation.TRANSLATION_TYPE_MACHINE,
                tool_name=tool_name,
                has_error=has_error,
            )
            for segment in by_text[text]
        ]
    # One statement for all of them (replacing earlier strings that had errors).
    StringTranslation.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["locale", "translation_of", "context"],
        update_fields=[
            "data",
            "translation_type",
            "tool_name",
            "last_translated_by",
            "has_error",
            "field_error",
            "updated_at",
        ],
    )
    return len(texts)


def _is_valid_translation(source: str, translated: str) -> bool:
    """The checks wagtail-localize makes when it saves a string translation one by one."""
    try:
        StringValue.from_translated_html(translated)
        validate_translation_links(source, translated)
    except ValueError:
        return False
    return True


def protect_tokens(text: str) -> str:
    for token in PROTECTED_TOKENS:
        text = text.replace(token, f'<code translate="no">{token}</code>')
    return text


def unprotect_tokens(text: str) -> str:
    for token in PROTECTED_TOKENS:
        text = text.replace(f'<code translate="no">{token}</code>', token)
    return text


def save_translation(source: TranslationSource, locale: Locale) -> models.Model:
    """Save the translated copy from the stored strings and publish it (pages: as nobody,
    dated like the original). Raises wagtail-localize's errors if a string is missing."""
    with transaction.atomic():
        # Pages are saved as a draft and published here, at once and in this transaction;
        # snippets without drafts are simply saved.
        is_page = issubclass(source.specific_content_type.model_class(), Page)
        translated, _created = source.create_or_update_translation(
            locale, user=None, publish=not is_page, fallback=False, copy_parent_pages=False
        )
        if isinstance(translated, Page):
            translated.get_latest_revision().publish(user=None, log_action=True)
            match_publication_dates(translated, source.get_source_instance())
    return translated


def match_publication_dates(translated: Page, original: Page) -> None:
    """A translation reads as published (and updated) when its original was."""
    type(translated).objects.filter(pk=translated.pk).update(
        first_published_at=original.first_published_at,
        last_published_at=original.last_published_at,
    )


def _translate_related_snippets(instance: models.Model, locale: Locale, engine: Engine) -> None:
    """Give an article's authors and editor's note a version in `locale` if they lack one."""
    from masthead.newsroom.models import ArticlePage, NewsroomSettings

    if not isinstance(instance, ArticlePage):
        return
    snippets = [byline.author for byline in instance.article_authors.select_related("author")]
    if instance.editors_note_id:
        snippets.append(instance.editors_note)
    for newsroom in NewsroomSettings.objects.select_related("default_editors_note"):
        if newsroom.default_editors_note:
            snippets.append(newsroom.default_editors_note)
    for snippet in snippets:
        original = source_of(snippet)
        if original.get_translation_or_none(locale) is None:
            translate(original, locale, engine)


def _set(record: TranslationRecord, state: str, **fields) -> TranslationRecord:
    record.state = state
    for name, value in fields.items():
        setattr(record, name, value)
    record.updated_at = timezone.now()
    record.save()
    return record
