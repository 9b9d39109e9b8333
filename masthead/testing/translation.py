"""Translating test content: a stand-in engine for tests about pages and routing (the real
engines are tested with real tiny Argos models), and a helper to translate pages."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pytest
from wagtail.models import Locale, Page

from masthead.translation import pipeline
from masthead.translation.engines import Engine, Route, TranslationError

TAG = re.compile(r"(<[^>]+>)")

# What the language switcher must say, in its order (the issue names them so).
NATIVE_NAMES = [
    "简体中文",
    "English",
    "Français",
    "Deutsch",
    "Italiano",
    "Português",
    "Русский",
    "Español",
]


class MarkingEngine(Engine):
    """Prefixes every text run with "[xx] " (the target language): visible and predictable.

    `calls` records each batch; set `fail_with` to make every call raise it.
    """

    name = "marking"

    def __init__(self, languages: set[str] | None = None) -> None:
        self.languages = languages
        self.calls: list[tuple[str, str, list[str]]] = []
        self.fail_with: Exception | None = None

    def route(self, source: str, target: str) -> Route | None:
        if self.languages is not None and target not in self.languages:
            return None
        return Route(engine=self.name, hops=((source, target),), models=(f"marker-{target}",))

    def why_unavailable(self, source: str, target: str) -> str:
        return f"No marker for {source} → {target}."

    def translate_html(self, source: str, target: str, fragments: Sequence[str]) -> list[str]:
        self.calls.append((source, target, list(fragments)))
        if self.fail_with is not None:
            raise self.fail_with
        return [self._mark(fragment, target) for fragment in fragments]

    def unload(self) -> None:
        pass

    @staticmethod
    def _mark(fragment: str, target: str) -> str:
        parts = TAG.split(fragment)
        return "".join(
            part
            if part.startswith("<") or not part.strip() or "{supporters}" in part
            else f"[{target}] {part}"
            for part in parts
        )


def translate_page(page: Page, *codes: str, engine: Engine | None = None) -> dict[str, Page]:
    """Machine-translate `page` (and what it needs) into each language; the new versions."""
    engine = engine or MarkingEngine()
    versions = {}
    for code in codes:
        locale = Locale.objects.get(language_code=code)
        pipeline.translate(page, locale, engine)
        versions[code] = page.get_translation(locale).specific
    return versions


@pytest.fixture
def marking_engine(monkeypatch) -> MarkingEngine:
    """The stand-in engine, used wherever Masthead asks for the configured one."""
    engine = MarkingEngine()
    monkeypatch.setattr(pipeline, "get_engine", lambda: engine)
    return engine


__all__ = ["NATIVE_NAMES", "MarkingEngine", "TranslationError", "marking_engine", "translate_page"]
