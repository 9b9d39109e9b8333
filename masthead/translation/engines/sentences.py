"""Sentence splitting for machine translation: texts into one flat batch of sentences, and back.

Models translate sentence by sentence, so each text is split with pysbd (rule-based, no model to
download) and the sentences of many texts go to the model together. Lines stay lines; text with
no letters at all (numbers, dashes) is never sent to a model.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

import pysbd

_PYSBD_LANGUAGES = {"en", "de", "fr", "it", "es", "ru", "zh"}
# pysbd has no Portuguese rules; Spanish ones are the closest.
_PYSBD_FALLBACKS = {"pt": "es", "zh-hans": "zh"}


def pysbd_language(code: str) -> str:
    """The pysbd rules for a Masthead language (English where pysbd has none)."""
    code = _PYSBD_FALLBACKS.get(code, code)
    return code if code in _PYSBD_LANGUAGES else "en"


def sentence_separator(code: str) -> str:
    """What goes between translated sentences: a space, except in Chinese."""
    return "" if code == "zh-hans" else " "


# Punctuation that can end a sentence. A line with none of it before its last word is one
# sentence, and pysbd (the slowest step of the pipeline but the model) isn't needed.
_SENTENCE_END = re.compile(r"[.!?…。！？](?=.*\w)", re.DOTALL)  # noqa: RUF001


@functools.lru_cache(maxsize=4096)
def split_sentences(line: str, language: str) -> tuple[str, ...]:
    """The sentences of one line of text, without surrounding whitespace.

    Cached: an article is split once for all the languages it is translated into. pysbd
    occasionally loses text on odd input; then the whole line is one sentence.
    """
    line = line.strip()
    if not line:
        return ()
    if not _SENTENCE_END.search(line):
        return (line,)
    segmenter = pysbd.Segmenter(language=pysbd_language(language), clean=False)
    sentences = tuple(sentence.strip() for sentence in segmenter.segment(line) if sentence.strip())
    if "".join("".join(sentences).split()) != "".join(line.split()):
        return (line,)
    return sentences


def needs_translation(text: str) -> bool:
    return any(character.isalpha() for character in text)


class SentenceBatch:
    """The sentences of many texts in one flat list (`sentences`), and how to reassemble the
    texts from those sentences' translations.

    A text's layout is a list of lines; each line a list of parts, either the index of a sentence
    in `sentences` or a literal string kept as it is.
    """

    def __init__(self, texts: Sequence[str], language: str) -> None:
        self.sentences: list[str] = []
        self._layouts: list[list[list[int | str]]] = []
        for text in texts:
            layout = []
            for line in text.split("\n"):
                parts: list[int | str] = []
                for sentence in split_sentences(line, language):
                    if needs_translation(sentence):
                        parts.append(len(self.sentences))
                        self.sentences.append(sentence)
                    else:
                        parts.append(sentence)
                layout.append(parts)
            self._layouts.append(layout)

    def assemble(self, translations: Sequence[str], language: str) -> list[str]:
        """The texts again, each sentence replaced by its translation into `language`."""
        if len(translations) != len(self.sentences):
            raise ValueError(
                f"{len(translations)} translations for {len(self.sentences)} sentences"
            )
        separator = sentence_separator(language)

        def line_text(parts: list[int | str]) -> str:
            texts = (
                translations[part].strip() if isinstance(part, int) else part for part in parts
            )
            return separator.join(text for text in texts if text)

        return ["\n".join(line_text(line) for line in layout) for layout in self._layouts]
