"""The engine that asks a LibreTranslate server over HTTP (stdlib urllib, JSON API).

The server's `/languages` list says which pairs it translates (it pivots through English on its
own, so every route is one hop). Text is sent as plain text: Masthead takes the text nodes out
of the fragments and puts the translations back itself (`engines.html`), so markup never goes
through the server. One article's fragments into one language make one `/translate` request.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from masthead.translation.engines import (
    Engine,
    Route,
    TranslationError,
    engine_language,
    masthead_language,
    pair_name,
)
from masthead.translation.engines.html import translate_fragments

# After the server could not be reached, how long (seconds) before asking it again.
RETRY_UNREACHABLE_AFTER = 30.0
# How long the language list may take, whatever the translation timeout.
LANGUAGES_TIMEOUT = 10.0


class LibreTranslateEngine(Engine):
    name = "libretranslate"

    def __init__(self, url: str, *, api_key: str = "", timeout: float = 120) -> None:
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout
        self._lock = threading.Lock()
        self._targets: dict[str, frozenset[str]] | None = None  # source → targets (Masthead's)
        self._codes: dict[str, str] = {}  # Masthead code → the server's code
        self._failed: tuple[float, str] | None = None  # (when, why) the list couldn't be read

    @property
    def label(self) -> str:
        return f"LibreTranslate at {self.url}"

    # --- The Engine interface ------------------------------------------------------------------

    def route(self, source: str, target: str) -> Route | None:
        targets = self.pairs()
        if targets is None or target not in targets.get(source, ()):
            return None
        return Route(self.name, ((source, target),), (self.label,))

    def why_unavailable(self, source: str, target: str) -> str:
        if self.pairs() is None:
            return self.problem()
        pair = pair_name(source, target)
        return f"The LibreTranslate server at {self.url} does not translate {pair}."

    def translate_html(self, source: str, target: str, fragments: Sequence[str]) -> list[str]:
        if self.route(source, target) is None:
            raise TranslationError(self.why_unavailable(source, target))
        return translate_fragments(
            fragments, lambda texts: self.translate_texts(source, target, texts)
        )

    def unload(self) -> None:
        """Nothing is loaded here; forget the server's language list so it is asked again."""
        with self._lock:
            self._targets, self._failed = None, None

    # --- The server ---------------------------------------------------------------------------

    def pairs(self) -> dict[str, frozenset[str]] | None:
        """What the server translates (Masthead codes), or None when its list can't be had.

        The list is asked for once; after a failure, again RETRY_UNREACHABLE_AFTER seconds later.
        """
        with self._lock:
            if self._targets is not None:
                return self._targets
            if (
                self._failed is not None
                and time.monotonic() - self._failed[0] < RETRY_UNREACHABLE_AFTER
            ):
                return None
            try:
                self._targets = self._read_languages()
                self._failed = None
            except TranslationError as error:
                self._failed = (time.monotonic(), str(error))
            return self._targets

    def problem(self) -> str:
        """Why the server's language list could not be read (after `pairs()` returned None)."""
        if self._failed is None:
            return f"The LibreTranslate server at {self.url} has not been asked yet."
        return self._failed[1]

    def translate_texts(self, source: str, target: str, texts: Sequence[str]) -> list[str]:
        """Translate plain texts in one request."""
        payload: dict[str, Any] = {
            "q": list(texts),
            "source": self._codes.get(source, engine_language(source)),
            "target": self._codes.get(target, engine_language(target)),
            "format": "text",
        }
        if self.api_key:
            payload["api_key"] = self.api_key
        answer = self._request("/translate", payload, self.timeout)
        translated = answer.get("translatedText") if isinstance(answer, dict) else None
        if not isinstance(translated, list) or not all(isinstance(t, str) for t in translated):
            raise TranslationError(
                f"{self.label} answered without a list of translations: {_excerpt(answer)}"
            )
        if len(translated) != len(texts):
            raise TranslationError(
                f"{self.label} returned {len(translated)} translations for {len(texts)} texts."
            )
        return translated

    def _read_languages(self) -> dict[str, frozenset[str]]:
        answer = self._request("/languages", None, min(self.timeout, LANGUAGES_TIMEOUT))
        if not isinstance(answer, list) or not all(isinstance(item, dict) for item in answer):
            raise TranslationError(f"{self.label} sent a language list Masthead can't read.")
        languages: dict[str, str] = {}  # the server's code → Masthead's
        for item in answer:
            code = item.get("code")
            language = masthead_language(code) if isinstance(code, str) else None
            if language is not None and language not in languages.values():
                languages[code] = language
        targets: dict[str, frozenset[str]] = {}
        for item in answer:
            code = item.get("code")
            if not isinstance(code, str) or code not in languages:
                continue
            # Servers before LibreTranslate 1.3 list no targets: every language to every other.
            offered = item.get("targets")
            offered = offered if isinstance(offered, list) else list(languages)
            targets[languages[code]] = frozenset(
                languages[target]
                for target in offered
                if isinstance(target, str) and target in languages and target != code
            )
        self._codes = {language: code for code, language in languages.items()}
        return targets

    def _request(self, path: str, payload: dict[str, Any] | None, timeout: float) -> Any:
        """GET (no payload) or POST JSON to the server; the decoded answer. Raises
        TranslationError with the server's own error message where it gave one."""
        if not self.url:
            raise TranslationError(
                "No LibreTranslate server is set (MASTHEAD_LIBRETRANSLATE_URL is empty)."
            )
        if urlsplit(self.url).scheme not in ("http", "https"):
            raise TranslationError(
                "MASTHEAD_LIBRETRANSLATE_URL must start with http:// or https://, "
                f"not {self.url!r}."
            )
        data = json.dumps(payload).encode() if payload is not None else None
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
            self.url + path,
            data=data,
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            method="POST" if payload is not None else "GET",
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                body = response.read()
        except urllib.error.HTTPError as error:
            raise TranslationError(
                f"{self.label} answered {error.code}: {_error_message(error)}"
            ) from error
        except (OSError, http.client.HTTPException) as error:
            reason = getattr(error, "reason", error)
            if isinstance(reason, TimeoutError):
                raise TranslationError(
                    f"{self.label} did not answer within {timeout:g} seconds."
                ) from error
            raise TranslationError(
                f"The LibreTranslate server at {self.url} could not be reached ({reason})."
            ) from error
        try:
            return json.loads(body)
        except ValueError as error:
            raise TranslationError(
                f"{self.label} answered with something that is not JSON: {_excerpt(body)}"
            ) from error


def _error_message(error: urllib.error.HTTPError) -> str:
    try:
        answer = json.loads(error.read())
    except (ValueError, OSError):
        return str(error.reason)
    if isinstance(answer, dict) and isinstance(answer.get("error"), str):
        return answer["error"]
    return str(error.reason)


def _excerpt(value: object, length: int = 200) -> str:
    text = value.decode(errors="replace") if isinstance(value, bytes) else repr(value)
    return text if len(text) <= length else text[:length] + "…"
