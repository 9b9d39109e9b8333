"""The "Machine translate" button of wagtail-localize's editor, backed by Masthead's engine
(the same engine and models the automatic translation uses)."""

from __future__ import annotations

from collections.abc import Iterable

from wagtail.models import Locale
from wagtail_localize.machine_translators.base import BaseMachineTranslator
from wagtail_localize.strings import StringValue

from masthead.translation.engines import get_engine
from masthead.translation.pipeline import protect_tokens, unprotect_tokens


class MastheadMachineTranslator(BaseMachineTranslator):
    display_name = "Masthead"

    def can_translate(self, source_locale: Locale, target_locale: Locale) -> bool:
        engine = get_engine()
        return engine is not None and bool(
            engine.route(source_locale.language_code, target_locale.language_code)
        )

    def translate(
        self, source_locale: Locale, target_locale: Locale, strings: Iterable[StringValue]
    ) -> dict[StringValue, StringValue]:
        engine = get_engine()
        strings = list(strings)
        if engine is None or not strings:
            return {}
        route = engine.route(source_locale.language_code, target_locale.language_code)
        if route is not None:
            self.display_name = route.describe()[:255]
        results = engine.translate_html(
            source_locale.language_code,
            target_locale.language_code,
            [protect_tokens(string.data) for string in strings],
        )
        return {
            string: StringValue(unprotect_tokens(result))
            for string, result in zip(strings, results, strict=True)
        }
