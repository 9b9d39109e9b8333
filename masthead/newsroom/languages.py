"""The languages a reader can switch an article to, and which versions of a page exist."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from wagtail.models import Page


@dataclass(frozen=True)
class LanguageVersion:
    code: str
    name: str
    url: str
    is_current: bool


def language_versions(page: Page, request: HttpRequest) -> list[LanguageVersion]:
    """The published versions of `page`, one per language, in the switcher's order."""
    names = dict(settings.MASTHEAD_LANGUAGES)
    if not page.pk:  # a preview of a page that was never saved has no translations yet
        return []
    versions = {
        translation.locale.language_code: translation
        for translation in page.get_translations().live().public().select_related("locale")
    }
    versions[page.locale.language_code] = page
    return [
        LanguageVersion(
            code=code,
            name=names[code],
            url=versions[code].get_url(request),
            is_current=versions[code].pk == page.pk,
        )
        for code in names
        if code in versions
    ]
