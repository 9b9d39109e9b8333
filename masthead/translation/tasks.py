"""Background translation: the worker translates each published original into each language.

One task per object and language, so that one language's failure blocks no other. An engine
failure is retried with growing delays and then marked failed; the original is published
regardless.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django_tasks import task
from wagtail.models import Locale, Page
from wagtail_localize.models import TranslatableObject

from masthead.translation import pipeline
from masthead.translation.engines import TranslationError
from masthead.translation.models import TranslationRecord

logger = logging.getLogger(__name__)

RETRY_DELAYS = [timedelta(seconds=30), timedelta(minutes=5), timedelta(minutes=30)]


@task()
def translate_into(model_label: str, pk: int, language_code: str, attempt: int = 1) -> str:
    """Machine-translate the original `model_label`/`pk` into one language; returns the state."""
    instance = _load(model_label, pk)
    locale = Locale.objects.filter(language_code=language_code).first()
    if instance is None or locale is None:
        return "gone"
    try:
        record = pipeline.translate(instance, locale)
    except TranslationError as error:
        return _retry_or_fail(instance, locale, attempt, error)
    return record.state


def queue_translations(instance: models.Model, locales: list[Locale] | None = None) -> int:
    """Queue the translation of an original into every other language (or `locales`), once the
    current transaction commits. Returns how many tasks were queued."""
    locales = pipeline.target_locales(instance) if locales is None else locales
    label, pk = instance._meta.label, instance.pk
    _mark_queued(instance, locales)

    def enqueue() -> None:
        for locale in locales:
            translate_into.enqueue(label, pk, locale.language_code)

    transaction.on_commit(enqueue)
    return len(locales)


def _mark_queued(instance: models.Model, locales: list[Locale]) -> None:
    """Show the translations as queued (those a person looks after keep their state)."""
    translatable, _created = TranslatableObject.objects.get_or_create_from_instance(instance)
    records = TranslationRecord.objects.filter(object=translatable, locale__in=locales)
    known = set(records.values_list("locale_id", flat=True))
    TranslationRecord.objects.bulk_create(
        TranslationRecord(object=translatable, locale=locale, state=TranslationRecord.QUEUED)
        for locale in locales
        if locale.pk not in known
    )
    records.exclude(state__in=[TranslationRecord.REVIEWED, TranslationRecord.OUT_OF_DATE]).update(
        state=TranslationRecord.QUEUED, updated_at=timezone.now()
    )


def _retry_or_fail(instance, locale: Locale, attempt: int, error: Exception) -> str:
    record = pipeline.record_for(instance, locale)
    record.attempts = attempt
    if attempt >= settings.MASTHEAD_TRANSLATION_ATTEMPTS:
        logger.error("Translation of %s into %s failed: %s", instance, locale, error)
        record.state = TranslationRecord.FAILED
        record.detail = f"The engine failed {attempt} times; last error: {error}"
        record.save()
        return record.state
    delay = RETRY_DELAYS[min(attempt, len(RETRY_DELAYS)) - 1]
    logger.warning(
        "Translation of %s into %s failed (attempt %d), retrying in %s: %s",
        instance,
        locale,
        attempt,
        delay,
        error,
    )
    record.state = TranslationRecord.QUEUED
    record.detail = f"Attempt {attempt} failed ({error}); retrying."
    record.save()
    retry = translate_into
    if retry.get_backend().supports_defer:
        retry = retry.using(run_after=timezone.now() + delay)
    retry.enqueue(instance._meta.label, instance.pk, locale.language_code, attempt + 1)
    return record.state


def _load(model_label: str, pk: int) -> models.Model | None:
    model = apps.get_model(model_label)
    instance = model.objects.filter(pk=pk).first()
    if isinstance(instance, Page):
        instance = instance.specific
    return instance
