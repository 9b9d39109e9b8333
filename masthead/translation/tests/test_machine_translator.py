"""wagtail-localize's "Machine translate" button uses Masthead's engine."""

from wagtail.models import Locale
from wagtail_localize.machine_translators import get_machine_translator
from wagtail_localize.strings import StringValue

from masthead.testing.translation import MarkingEngine
from masthead.translation import machine_translator


def test_the_button_translates_with_masthead_and_keeps_links_and_placeholders(db, monkeypatch):
    monkeypatch.setattr(machine_translator, "get_engine", lambda: MarkingEngine(languages={"fr"}))
    translator = get_machine_translator()
    english, french, german = (
        Locale.objects.get(language_code=code) for code in ("en", "fr", "de")
    )
    strings = [
        StringValue.from_source_html('Read <a href="https://example.org">the audit</a>.')[0],
        StringValue("Join {supporters} supporters."),
    ]

    results = translator.translate(english, french, strings)

    assert translator.can_translate(english, french)
    assert not translator.can_translate(english, german)
    assert results[strings[0]].data == '[fr] Read <a id="a1">[fr] the audit</a>[fr] .'
    assert "{supporters}" in results[strings[1]].data
    assert translator.display_name == "marking: marker-fr"
