"""The demo's human translations: the front page, sections, authors, the editor's note and
three articles in every reader language, written for the project (see `translations/*.json`).

They are loaded the way a translator's work would be: as manual string translations in
wagtail-localize (so they show in its editor, and the automatic translator leaves them alone),
then saved and published from those strings.
"""

from __future__ import annotations

import json
from copy import deepcopy
from pathlib import Path

from django.db import models
from wagtail.models import Locale, Page
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

from masthead.newsroom.models import ArticlePage, Author, EditorsNote, HomePage
from masthead.translation.models import TranslationRecord
from masthead.translation.pipeline import record_for, save_translation

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"


class DemoTranslationError(Exception):
    """A translation file does not match the demo content it translates."""


def available_languages() -> list[str]:
    return sorted(path.stem for path in TRANSLATIONS_DIR.glob("*.json"))


def load_file(language_code: str) -> dict:
    return json.loads((TRANSLATIONS_DIR / f"{language_code}.json").read_text(encoding="utf-8"))


def translate_demo(
    home: HomePage,
    sections: dict[str, Page],
    authors: dict[str, Author],
    note: EditorsNote,
    articles: dict[str, ArticlePage],
) -> list[str]:
    """Add each language's human translation where it is missing; what was added."""
    added = []
    for code in available_languages():
        locale = Locale.objects.filter(language_code=code).first()
        if locale is None:
            continue
        text = load_file(code)
        work = [
            (home, lambda page, t=text: _home(page, t)),
            *[
                (sections[slug], lambda page, t=t: _section(page, t))
                for slug, t in text["sections"].items()
                if slug in sections
            ],
            *[
                (authors[slug], lambda author, t=t: _author(author, t))
                for slug, t in text["authors"].items()
                if slug in authors
            ],
            (note, lambda note, t=text["editors_note"]: _note(note, t)),
            *[
                (articles[slug], lambda page, t=t: _article(page, t))
                for slug, t in text["articles"].items()
                if slug in articles
            ],
        ]
        for original, fill in work:
            if original.get_translation_or_none(locale) is None:
                save_human_translation(original, locale, fill)
                added.append(f"{code} translation of {original}")
    return added


def save_human_translation(original: models.Model, locale: Locale, fill) -> models.Model:
    """Store `fill`'s version of `original` as manual strings, then save and publish it."""
    if isinstance(original, Page):
        original = original.specific
    source, _created = TranslationSource.update_or_create_from_instance(original)
    Translation.objects.get_or_create(source=source, target_locale=locale)
    scratch = fill(_scratch_copy(original))
    wanted = [value for value in extract_segments(scratch) if isinstance(value, StringSegmentValue)]
    segments = list(
        StringSegment.objects.filter(source=source)
        .select_related("string", "context")
        .order_by("order")
    )
    if len(wanted) != len(segments):
        raise DemoTranslationError(
            f"The {locale.language_code} translation of {original} has {len(wanted)} pieces of "
            f"text where the original has {len(segments)}."
        )
    for segment, value in zip(segments, wanted, strict=True):
        if segment.context.path != value.path:
            raise DemoTranslationError(
                f"The {locale.language_code} translation of {original} does not follow the "
                f"original at {segment.context.path}."
            )
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={
                "data": value.string.data,
                "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                "tool_name": "",
                "has_error": False,
                "field_error": "",
            },
        )
    translated = save_translation(source, locale)
    record = record_for(original, locale)
    record.state = TranslationRecord.REVIEWED
    record.engine, record.model, record.detail = "", "", "Human translation (demo content)"
    record.save()
    return translated


def _scratch_copy(original: models.Model) -> models.Model:
    """An unsaved copy to write the translation into (same block ids, same child keys)."""
    model = type(original)
    if hasattr(original, "serializable_data"):
        return model.from_serializable_data(deepcopy(original.serializable_data()))
    return model.objects.get(pk=original.pk)


def _home(page: HomePage, text: dict) -> HomePage:
    page.tagline = text["newsroom"]["tagline"]
    page.about = text["newsroom"]["about"]
    return page


def _section(page, text: dict):
    page.title, page.intro = text["title"], text["intro"]
    return page


def _author(author: Author, text: dict) -> Author:
    author.role = text["role"]
    author.bio = f"<p>{text['bio']}</p>"
    return author


def _note(note: EditorsNote, text: dict) -> EditorsNote:
    note.body = text["body"]
    return note


def _article(page: ArticlePage, text: dict) -> ArticlePage:
    page.title, page.dek = text["headline"], text["dek"]
    if page.hero_alt_text:  # (older demo installs described the image only)
        page.hero_alt_text = text["hero"]["alt"]
    page.hero_caption = text["hero"]["caption"]
    page.hero_credit = text["hero"]["credit"]
    blocks = list(page.body)
    if len(blocks) != len(text["body"]):
        raise DemoTranslationError(f"The translation of {page} has a different number of blocks.")
    page.body = [
        {"type": block.block_type, "value": _raw_value(block, value), "id": block.id}
        for block, (_type, value) in zip(blocks, text["body"], strict=True)
    ]
    corrections = list(page.corrections.all())
    for correction, translated in zip(corrections, text["corrections"], strict=True):
        correction.text = translated["text"]
    page.corrections = corrections
    return page


def _raw_value(block, value):
    if block.block_type == "heading":
        return {"text": value, "level": block.value["level"]}
    return value  # paragraphs (HTML), quotes ({text, attribution}) and pull quotes as written
