"""The label a translated page carries: machine translation or reviewed, and a link to the
original."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language_info
from wagtail.models import Page

from masthead.translation.languages import LanguageVersion
from masthead.translation.models import TranslationRecord


@dataclass(frozen=True)
class TranslationNotice:
    state: str  # a TranslationRecord state: machine, reviewed or out_of_date
    original_language: str  # the original's language, named in the reader's language
    original_lang: str  # its language tag, for the link's hreflang
    original_url: str

    @property
    def is_machine(self) -> bool:
        return self.state == TranslationRecord.MACHINE

    @property
    def is_out_of_date(self) -> bool:
        return self.state == TranslationRecord.OUT_OF_DATE


def translation_notice(page: Page, versions: list[LanguageVersion]) -> TranslationNotice | None:
    """What to tell readers of `page` if it is a translation (None for an original)."""
    original = next((version for version in versions if version.is_original), None)
    if original is None or original.is_current or not original.available:
        return None
    record = TranslationRecord.objects.filter(
        object_id=page.translation_key, locale_id=page.locale_id
    ).first()
    state = record.state if record else TranslationRecord.REVIEWED
    if state not in {TranslationRecord.MACHINE, TranslationRecord.OUT_OF_DATE}:
        state = TranslationRecord.REVIEWED
    return TranslationNotice(
        state=state,
        original_language=str(get_language_info(original.code)["name_translated"]),
        original_lang=original.lang,
        original_url=original.url,
    )
