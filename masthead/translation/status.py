"""The translation status table: for each original article and each language, whether its
translation is missing, queued, machine-made, reviewed, out of date, skipped or failed, and
which engine and model made it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from wagtail.models import Locale, Page

from masthead.translation.models import TranslationRecord

MISSING = "missing"


@dataclass(frozen=True)
class StatusCell:
    language_code: str
    state: str  # a TranslationRecord state, or "missing"
    label: str
    engine: str = ""
    model: str = ""
    detail: str = ""
    translation: Page | None = None


@dataclass(frozen=True)
class StatusRow:
    page: Page
    cells: list[StatusCell]


def status_rows(originals: list[Page], locales: list[Locale]) -> list[StatusRow]:
    """The status of each page in `originals` in each of `locales`, in two queries."""
    keys = [page.translation_key for page in originals]
    translations = {
        (page.translation_key, page.locale_id): page
        for page in Page.objects.filter(translation_key__in=keys).exclude(
            pk__in=[page.pk for page in originals]
        )
    }
    records = {
        (record.object_id, record.locale_id): record
        for record in TranslationRecord.objects.filter(object_id__in=keys)
    }
    labels = dict(TranslationRecord.STATES)
    rows = []
    for page in originals:
        cells = []
        for locale in locales:
            if locale.pk == page.locale_id:
                continue
            record = records.get((page.translation_key, locale.pk))
            translation = translations.get((page.translation_key, locale.pk))
            state = _state(record, translation)
            cells.append(
                StatusCell(
                    language_code=locale.language_code,
                    state=state,
                    label=str(labels.get(state, "Missing")),
                    engine=record.engine if record else "",
                    model=record.model if record else "",
                    detail=record.detail if record else "",
                    translation=translation,
                )
            )
        rows.append(StatusRow(page=page, cells=cells))
    return rows


def _state(record: TranslationRecord | None, translation: Page | None) -> str:
    if record is None:
        # A version nobody's machine made: a person translated it.
        return TranslationRecord.REVIEWED if translation else MISSING
    if translation is None and record.state in {
        TranslationRecord.MACHINE,
        TranslationRecord.REVIEWED,
        TranslationRecord.OUT_OF_DATE,
    }:
        return MISSING  # the translation was deleted since
    return record.state


def original_articles(language_code: str | None = None) -> QuerySet:
    """Originals (not translations) among the articles, newest first."""
    from masthead.newsroom.models import ArticlePage
    from masthead.translation.pipeline import default_language

    return (
        ArticlePage.objects.filter(locale__language_code=language_code or default_language())
        .select_related("locale")
        .order_by("-first_published_at", "-pk")
    )
