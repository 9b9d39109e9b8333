"""Machine translation engines: the interface the rest of Masthead uses, and the one per process.

An engine turns inline-HTML fragments (wagtail-localize segments) from one Masthead language into
another. `get_engine()` builds the engine the settings ask for, once per process; language codes
are Masthead's (Django's) everywhere outside the engines, which map them to the codes Argos and
LibreTranslate use with `engine_language` and `masthead_language`.
"""

from __future__ import annotations

import abc
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language_info

ENGLISH = "en"

# Masthead (Django) codes whose engine code differs. Argos and LibreTranslate call simplified
# Chinese "zh" (newer LibreTranslate servers say "zh-Hans"); "zt"/"zh-Hant" is traditional
# Chinese, which Masthead does not publish.
_ENGINE_CODES = {"zh-hans": "zh"}
_MASTHEAD_CODES = {"zh": "zh-hans", "zh-hans": "zh-hans"}


class TranslationError(Exception):
    "The engine failed or timed out; worth retrying later."


@dataclass(frozen=True)
class Route:
    """How an engine gets from one language to another: one hop, or two through English."""

    engine: str  # "argos" or "libretranslate"
    hops: tuple[tuple[str, str], ...]  # Masthead codes, e.g. (("de", "en"), ("en", "fr"))
    models: tuple[str, ...]  # one readable model name per hop

    def describe(self) -> str:
        """What made a translation, for the record: "argos: translate-de_en-1_9 (1.9) → …"."""
        return f"{self.engine}: {' → '.join(self.models)}"


class Engine(abc.ABC):
    """A machine translation engine; see the module docstring of `engines.html` for the rules
    `translate_html` follows."""

    name: str

    @abc.abstractmethod
    def route(self, source: str, target: str) -> Route | None:
        """How this engine would translate `source` → `target`; None if it cannot."""

    @abc.abstractmethod
    def why_unavailable(self, source: str, target: str) -> str:
        """A sentence for editors saying why `source` → `target` cannot be translated."""

    @abc.abstractmethod
    def translate_html(self, source: str, target: str, fragments: Sequence[str]) -> list[str]:
        """One translated fragment per fragment, in order. Raises TranslationError."""

    @abc.abstractmethod
    def unload(self) -> None:
        """Free loaded models; they are loaded again on next use."""


def engine_language(code: str) -> str:
    """The code Argos and LibreTranslate use for a Masthead language: "zh-hans" → "zh"."""
    return _ENGINE_CODES.get(code, code)


def masthead_language(code: str) -> str | None:
    """The Masthead language an engine's code stands for ("zh", "zh_Hans" → "zh-hans"), or None
    when Masthead doesn't publish in it (including traditional Chinese, "zt")."""
    normalized = code.strip().replace("_", "-").lower()
    normalized = _MASTHEAD_CODES.get(normalized, normalized)
    return normalized if normalized in masthead_languages() else None


def masthead_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def language_name(code: str) -> str:
    """A language's English name, for editors and operators: "zh-hans" → "Simplified Chinese"."""
    try:
        return get_language_info(code)["name"]
    except KeyError:
        return code


def pair_name(source: str, target: str) -> str:
    return f"{language_name(source)} → {language_name(target)}"


_lock = threading.Lock()
_cached: tuple[tuple, Engine | None] | None = None


def get_engine() -> Engine | None:
    """The engine the settings choose, built once per process; None when it is "none".

    A change to the translation settings (as tests make) gives a new engine.
    """
    global _cached
    key = _settings_key()
    with _lock:
        if _cached is not None and _cached[0] == key:
            return _cached[1]
        if _cached is not None and _cached[1] is not None:
            _cached[1].unload()
        engine = _build_engine()
        _cached = (key, engine)
        return engine


def reset_engine() -> None:
    """Forget the process's engine (unloading its models); the next `get_engine()` builds anew."""
    global _cached
    with _lock:
        if _cached is not None and _cached[1] is not None:
            _cached[1].unload()
        _cached = None


def _settings_key() -> tuple:
    return (
        settings.MASTHEAD_TRANSLATION_ENGINE,
        str(settings.MASTHEAD_TRANSLATION_MODELS_DIR),
        settings.MASTHEAD_TRANSLATION_BEAM_SIZE,
        settings.MASTHEAD_TRANSLATION_THREADS,
        settings.MASTHEAD_LIBRETRANSLATE_URL,
        settings.MASTHEAD_LIBRETRANSLATE_API_KEY,
        settings.MASTHEAD_TRANSLATION_TIMEOUT,
    )


def _build_engine() -> Engine | None:
    kind = settings.MASTHEAD_TRANSLATION_ENGINE
    if kind == "argos":
        from masthead.translation.engines.argos import ArgosEngine

        return ArgosEngine(
            settings.MASTHEAD_TRANSLATION_MODELS_DIR,
            beam_size=settings.MASTHEAD_TRANSLATION_BEAM_SIZE,
            threads=settings.MASTHEAD_TRANSLATION_THREADS,
        )
    if kind == "libretranslate":
        from masthead.translation.engines.libretranslate import LibreTranslateEngine

        return LibreTranslateEngine(
            settings.MASTHEAD_LIBRETRANSLATE_URL,
            api_key=settings.MASTHEAD_LIBRETRANSLATE_API_KEY,
            timeout=settings.MASTHEAD_TRANSLATION_TIMEOUT,
        )
    return None
