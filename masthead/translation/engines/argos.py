"""The offline engine: Argos Translate packages run directly with CTranslate2 and SentencePiece.

Packages are read from MASTHEAD_TRANSLATION_MODELS_DIR (see `masthead.translation.packages`);
each pair's model is loaded on first use and kept for the life of the process. A pair without a
model of its own goes through English when both halves are installed. All the sentences of a
call go to each model in a single `translate_batch`, which CTranslate2 spreads over its workers.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ctranslate2
import sentencepiece

from masthead.translation.engines import (
    ENGLISH,
    Engine,
    Route,
    TranslationError,
    language_name,
    pair_name,
)
from masthead.translation.engines.html import translate_fragments
from masthead.translation.engines.sentences import SentenceBatch
from masthead.translation.packages import InstalledPackage, scan_packages

# The most sentences CTranslate2 decodes together in one of its batches.
MAX_BATCH_SIZE = 32
# A translation may be at most this many tokens longer than twice its batch's longest source
# sentence: a cap on the repetition loops models sometimes fall into.
DECODING_MARGIN = 16


@dataclass
class LoadedModel:
    """One package's tokenizer and translator, ready to translate sentences."""

    package: InstalledPackage
    tokenizer: sentencepiece.SentencePieceProcessor
    translator: ctranslate2.Translator

    def tokenize(self, sentences: Sequence[str]) -> list[list[str]]:
        return self.tokenizer.encode(list(sentences), out_type=str)

    def translate_tokens(self, tokens: list[list[str]], options: dict[str, Any]) -> list[str]:
        prefix = self.package.target_prefix
        if prefix:
            options = {**options, "target_prefix": [[prefix]] * len(tokens)}
        results = self.translator.translate_batch(tokens, **options)
        outputs = []
        for result in results:
            pieces = result.hypotheses[0]
            if prefix and pieces[:1] == [prefix]:
                pieces = pieces[1:]
            outputs.append(self.tokenizer.decode(pieces))
        return outputs


class ArgosEngine(Engine):
    name = "argos"

    def __init__(
        self,
        models_dir: Path,
        *,
        beam_size: int = 2,
        threads: int = 0,
        max_decoding_length: int = 256,
    ) -> None:
        self.models_dir = Path(models_dir)
        self.beam_size = beam_size
        self.workers = threads or os.cpu_count() or 1
        self.max_decoding_length = max_decoding_length
        self._lock = threading.Lock()
        self._packages: dict[tuple[str, str], InstalledPackage] = {}
        self._scanned = False
        self._scanned_at: int | None = None  # the models folder's mtime when last read
        self._models: dict[tuple[str, str], LoadedModel] = {}

    # --- The Engine interface ------------------------------------------------------------------

    def route(self, source: str, target: str) -> Route | None:
        packages = self.packages()
        if source == target:
            return None
        if (source, target) in packages:
            hops: tuple[tuple[str, str], ...] = ((source, target),)
        elif ENGLISH not in (source, target) and {(source, ENGLISH), (ENGLISH, target)} <= set(
            packages
        ):
            hops = ((source, ENGLISH), (ENGLISH, target))
        else:
            return None
        return Route(self.name, hops, tuple(packages[hop].label for hop in hops))

    def why_unavailable(self, source: str, target: str) -> str:
        if source == target:
            return f"{language_name(source)} needs no translation."
        install = "Install one with manage.py translation_install."
        if ENGLISH in (source, target):
            return f"No Argos model for {pair_name(source, target)}. {install}"
        packages = self.packages()
        missing = [hop for hop in ((source, ENGLISH), (ENGLISH, target)) if hop not in packages]
        return (
            f"No Argos model for {pair_name(source, target)}, and none to go through English "
            f"(missing: {', '.join(pair_name(*hop) for hop in missing)}). {install}"
        )

    def translate_html(self, source: str, target: str, fragments: Sequence[str]) -> list[str]:
        route = self.route(source, target)
        if route is None:
            raise TranslationError(self.why_unavailable(source, target))
        return translate_fragments(fragments, lambda texts: self.translate_texts(route, texts))

    def unload(self) -> None:
        with self._lock:
            self._models.clear()

    # --- Plain text ---------------------------------------------------------------------------

    def translate_texts(self, route: Route, texts: Sequence[str]) -> list[str]:
        """Translate plain texts along `route`: one `translate_batch` per hop for all of them."""
        source, target = route.hops[0][0], route.hops[-1][1]
        batch = SentenceBatch(texts, source)
        sentences = batch.sentences
        for hop in route.hops:
            if not sentences:
                break
            sentences = self.translate_sentences(hop, sentences)
        return batch.assemble(sentences, target)

    def translate_sentences(self, pair: tuple[str, str], sentences: Sequence[str]) -> list[str]:
        """Translate sentences with one pair's model, in one `translate_batch` call."""
        model = self.model(pair)
        try:
            tokens = model.tokenize(sentences)
            return model.translate_tokens(tokens, self.batch_options(tokens))
        except (RuntimeError, ValueError, OSError) as error:
            raise TranslationError(
                f"The Argos model {model.package.label} failed: {error}"
            ) from error

    def batch_options(self, tokens: Sequence[Sequence[str]]) -> dict[str, Any]:
        """The `translate_batch` options for these tokenized sentences: split into batches of at
        most MAX_BATCH_SIZE, at least one per worker; translations at most about twice as long
        as the longest sentence (and never over `max_decoding_length`)."""
        longest = max((len(sentence) for sentence in tokens), default=0)
        return {
            "beam_size": self.beam_size,
            "max_batch_size": max(1, min(MAX_BATCH_SIZE, math.ceil(len(tokens) / self.workers))),
            "batch_type": "examples",
            "max_decoding_length": min(self.max_decoding_length, 2 * longest + DECODING_MARGIN),
            "length_penalty": 0.2,
            "replace_unknowns": True,
        }

    # --- Packages and models ------------------------------------------------------------------

    def packages(self) -> dict[tuple[str, str], InstalledPackage]:
        """The installed packages by pair, read again whenever the models folder changes (an
        install renames a folder into it), which also unloads the models."""
        try:
            modified: int | None = self.models_dir.stat().st_mtime_ns
        except OSError:
            modified = None
        with self._lock:
            if not self._scanned or modified != self._scanned_at:
                scan = scan_packages(self.models_dir)
                self._packages = {(p.source, p.target): p for p in scan.packages}
                self._models.clear()
                self._scanned, self._scanned_at = True, modified
            return self._packages

    def model(self, pair: tuple[str, str]) -> LoadedModel:
        """The loaded model for a pair, loading it on first use. Raises TranslationError."""
        packages = self.packages()
        if pair not in packages:
            raise TranslationError(self.why_unavailable(*pair))
        with self._lock:  # one load at a time; the others wait for it rather than load twice
            model = self._models.get(pair)
            if model is None:
                model = self._models[pair] = self._load(packages[pair])
            return model

    def _load(self, package: InstalledPackage) -> LoadedModel:
        try:
            tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(package.tokenizer_path))
            translator = ctranslate2.Translator(
                str(package.model_dir),
                device="cpu",
                compute_type=_compute_type(),
                inter_threads=self.workers,
                intra_threads=1,  # more threads per batch is far slower for short sentences
            )
        except (RuntimeError, ValueError, OSError) as error:
            raise TranslationError(
                f"The Argos model {package.label} in {package.path} could not be loaded "
                f"({error}). Reinstall it with manage.py translation_install."
            ) from error
        return LoadedModel(package, tokenizer, translator)


def _compute_type() -> str:
    return "int8" if "int8" in ctranslate2.get_supported_compute_types("cpu") else "auto"
