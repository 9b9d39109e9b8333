"""The interface text readers see comes from gettext catalogs shipped for every language."""

import gettext
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils.html import escape

from masthead.testing.translation import translate_page

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
OTHER_LANGUAGES = ["zh-hans", "fr", "de", "it", "pt", "ru", "es"]


def catalog_dir(code: str) -> Path:
    language, _, script = code.partition("-")
    return LOCALE_DIR / (f"{language}_{script.title()}" if script else language) / "LC_MESSAGES"


def catalog(code: str) -> polib.POFile:
    return polib.pofile(str(catalog_dir(code) / "django.po"))


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_every_message_is_translated(code):
    po = catalog(code)

    assert len(po) >= 50
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    for entry in po:
        placeholders = set(re.findall(r"%\(\w+\)[sd]", entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert set(re.findall(r"%\(\w+\)[sd]", text)) == placeholders, entry.msgid


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_the_compiled_catalog_matches_the_source(code):
    po = catalog(code)
    with open(catalog_dir(code) / "django.mo", "rb") as compiled:
        mo = gettext.GNUTranslations(compiled)

    for entry in po:
        if entry.msgid_plural:
            assert mo.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0]
        elif entry.msgctxt:
            assert mo.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr
        else:
            assert mo.gettext(entry.msgid) == entry.msgstr, "run compilemessages"


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_an_article_page_speaks_the_readers_language(client, small_newsroom, code):
    section = small_newsroom.section("Harbour")
    author = small_newsroom.author("Rosa Quill")
    story = small_newsroom.article(section, "Inspectors told to clear containers", [author])
    other = small_newsroom.article(section, "The port answers", [author])
    translated = translate_page(story, code)[code]
    translate_page(other, code)
    po = catalog(code)
    expected = [
        po.find(msgid).msgstr
        for msgid in ("Written by", "More Articles", "Editor's note", "Read in:", "Skip to content")
    ]

    html = client.get(translated.url).content.decode()

    for text in expected:
        assert escape(text) in html, text
    for english in ("More Articles", "Written by", "Editor&#x27;s note", "Skip to content"):
        assert english not in html
