"""The reader's languages: which one a request is in, and which versions of a page exist.

The language comes from the address alone (/fr/..., English at the root), never from the
browser's headers or a cookie, so a page's address always gives the same page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Locale, Page, TranslatableMixin


@dataclass(frozen=True)
class LanguageVersion:
    """One entry of the language switcher: a language and its version of the page, if any."""

    code: str
    name: str
    url: str | None
    is_current: bool
    is_original: bool = False

    @property
    def available(self) -> bool:
        return self.url is not None

    @property
    def lang(self) -> str:
        return bcp47(self.code)


def bcp47(code: str) -> str:
    """The language tag for `lang` and `hreflang` attributes: "zh-hans" → "zh-Hans"."""
    language, _, script = code.partition("-")
    return f"{language}-{script.title()}" if len(script) == 4 else code


def reader_languages() -> list[tuple[str, str]]:
    return list(settings.LANGUAGES)


def page_versions(page: Page, request: HttpRequest) -> list[LanguageVersion]:
    """Every reader language, each with the URL of `page`'s published version in it (or None).

    One query: every version of the page, each with whether it is live and public, and the
    language the original was written in (see `translation.pipeline.source_of`)."""
    if not page.pk:  # a preview of a page that was never saved has no translations yet
        return []
    from wagtail_localize.models import TranslationSource

    from masthead.newsroom.models import in_private_section

    first_source = TranslationSource.objects.filter(object_id=OuterRef("translation_key"))
    every_version = list(
        Page.objects.filter(translation_key=page.translation_key)
        .annotate(
            private=in_private_section(),
            source_locale_id=Subquery(first_source.order_by("id").values("locale_id")[:1]),
        )
        .order_by("path")
    )
    versions = {
        locale_code(other.locale_id): other
        for other in every_version
        if other.live and not other.private
    }
    current_code = locale_code(page.locale_id)
    versions[current_code] = page
    original_code = _original_language(page, versions, every_version)
    return [
        LanguageVersion(
            code=code,
            name=name,
            url=versions[code].get_url(request) if code in versions else None,
            is_current=code == current_code,
            is_original=code == original_code,
        )
        for code, name in reader_languages()
    ]


def view_versions(request: HttpRequest, available: set[str] | None = None) -> list[LanguageVersion]:
    """The language versions of a page outside the page tree (an author's, a tag's): the same
    address under each language's prefix, where `available` (default: all) says it exists."""
    current = translation.get_language()
    path = request.get_full_path()
    return [
        LanguageVersion(
            code=code,
            name=name,
            url=translate_url(path, code) if available is None or code in available else None,
            is_current=code == current,
            is_original=code == settings.LANGUAGE_CODE,
        )
        for code, name in reader_languages()
    ]


def _original_language(page: Page, versions: dict[str, Page], every_version: list[Page]) -> str:
    """The language of the original `page` was translated from (its own if it is one): the
    first translation source's language, where the page has a version in it."""
    if len(versions) == 1 or not every_version:
        return locale_code(page.locale_id)
    source_locale_id = every_version[0].source_locale_id
    if source_locale_id is None or source_locale_id == page.locale_id:
        return locale_code(page.locale_id)
    if any(version.locale_id == source_locale_id for version in every_version):
        return locale_code(source_locale_id)
    return locale_code(page.locale_id)


def language_from_path(path: str) -> str:
    return translation.get_language_from_path(path) or settings.LANGUAGE_CODE


_locales: dict[str | int, Locale] = {}  # by language code and by id


def _known_locale(key: str | int) -> Locale:
    """A locale by code or id, kept per process (locales hardly ever change)."""
    if key not in _locales:
        for locale in Locale.objects.all():
            _locales[locale.language_code] = _locales[locale.pk] = locale
    return _locales[key]


def active_locale() -> Locale:
    """The locale of the request's language."""
    return _known_locale(
        translation.get_supported_language_variant(
            translation.get_language() or settings.LANGUAGE_CODE
        )
    )


def locale_code(locale_id: int) -> str:
    return _known_locale(locale_id).language_code


def reader_locales() -> list[Locale]:
    """The locales of the reader languages, in the switcher's order."""
    return [_known_locale(code) for code, _name in reader_languages()]


def forget_locales(**kwargs) -> None:
    _locales.clear()


def in_reader_language(instance: TranslatableMixin) -> TranslatableMixin:
    """`instance`'s version in the reader's language (published, for pages), else itself."""
    locale = active_locale()
    if instance.locale_id == locale.pk:
        return instance
    versions = type(instance).objects.filter(
        translation_key=instance.translation_key, locale=locale
    )
    if isinstance(instance, Page):
        versions = versions.live()
    return versions.first() or instance
