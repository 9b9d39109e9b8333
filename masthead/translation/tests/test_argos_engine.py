"""The Argos engine with real (tiny, random-weight) models: routes, markup, batching, pivots."""

from __future__ import annotations

import re

import pytest

from masthead.translation.engines import TranslationError, get_engine, reset_engine
from masthead.translation.engines.argos import ArgosEngine
from masthead.translation.packages import install_package

ARTICLE = [
    'The mayor <b>voted</b> on <a id="a1">the budget</a> today. Dr. Li said "no".',
    "Fish &amp; chips, according to the U.S. report.",
    'We thank <code translate="no">{supporters}</code> readers. Run <code>manage.py</code> now.',
    'The <span translate="no">Hemisphere Ledger</span> reported it.<br/>Second line here.',
    "A &lt;script&gt;alert(1)&lt;/script&gt; in the text.",
    "",
    "   ",
    "2024",
]
MARKUP = re.compile(r"<[^>]+>")
KEPT = re.compile(r'<code[^>]*>.*?</code>|<span translate="no">.*?</span>')
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffd]")


class SpyTranslator:
    """Wraps a ctranslate2.Translator, recording how many sentences each call translates."""

    def __init__(self, translator) -> None:
        self.translator = translator
        self.calls: list[int] = []

    def translate_batch(self, tokens, **options):
        self.calls.append(len(tokens))
        return self.translator.translate_batch(tokens, **options)


def spy_on(engine: ArgosEngine, pair: tuple[str, str]) -> SpyTranslator:
    model = engine.model(pair)
    spy = SpyTranslator(model.translator)
    model.translator = spy
    return spy


@pytest.fixture
def engine(installed_argos_models) -> ArgosEngine:
    engine = get_engine()
    assert isinstance(engine, ArgosEngine)
    return engine


def test_the_settings_choose_the_engine_once_per_process(settings, installed_argos_models):
    engine = get_engine()
    assert isinstance(engine, ArgosEngine)
    assert engine.models_dir == installed_argos_models
    assert get_engine() is engine
    reset_engine()
    assert get_engine() is not engine
    settings.MASTHEAD_TRANSLATION_ENGINE = "none"
    assert get_engine() is None


def test_english_pairs_are_direct_and_others_go_through_english(engine):
    direct = engine.route("en", "fr")
    assert direct.engine == "argos"
    assert direct.hops == (("en", "fr"),)
    assert direct.models == ("translate-en_fr-0_0_1 (0.0.1)",)
    assert direct.describe() == "argos: translate-en_fr-0_0_1 (0.0.1)"
    pivot = engine.route("de", "zh-hans")
    assert pivot.hops == (("de", "en"), ("en", "zh-hans"))
    assert pivot.models == ("translate-de_en-0_0_1 (0.0.1)", "translate-en_zh-0_0_1 (0.0.1)")
    assert engine.route("fr", "fr") is None


def test_markup_links_and_untranslated_text_survive_exactly(engine):
    results = engine.translate_html("en", "fr", ARTICLE)
    assert len(results) == len(ARTICLE)
    for source, result in zip(ARTICLE, results, strict=True):
        assert MARKUP.findall(result) == MARKUP.findall(source)
        for kept in KEPT.findall(source):
            assert kept in result
    assert results[0] != ARTICLE[0]  # translated: gibberish, but different
    assert results[5:] == ["", "   ", "2024"]


def test_output_is_clean_escaped_text(engine):
    results = engine.translate_html("en", "de", ARTICLE)
    for result in results:
        assert not CONTROL.search(result)
        assert "<script" not in result


def test_translation_is_deterministic(engine):
    first = engine.translate_html("en", "ru", ARTICLE)
    engine.unload()
    assert engine.translate_html("en", "ru", ARTICLE) == first


def test_an_article_is_one_batch_per_hop(engine):
    fragments = [
        f"Paragraph {n} has <b>two</b> sentences. This is the second one." for n in range(30)
    ]
    spy = spy_on(engine, ("en", "fr"))
    engine.translate_html("en", "fr", fragments)
    assert spy.calls == [30 * 4]  # "Paragraph n has", "two", "sentences.", "This is…"


def test_a_pair_without_its_own_model_pivots_through_english(settings, tmp_path, argos_archives):
    models = tmp_path / "models"
    for pair in (("de", "en"), ("en", "fr")):
        install_package(argos_archives[pair], models)
    engine = ArgosEngine(models)
    route = engine.route("de", "fr")
    assert route.hops == (("de", "en"), ("en", "fr"))
    assert engine.route("fr", "de") is None
    first, second = spy_on(engine, ("de", "en")), spy_on(engine, ("en", "fr"))
    results = engine.translate_html("de", "fr", ARTICLE)
    assert first.calls == second.calls == [first.calls[0]]
    assert [MARKUP.findall(result) for result in results] == [
        MARKUP.findall(fragment) for fragment in ARTICLE
    ]
    assert results != engine.translate_html("de", "en", ARTICLE)


def test_a_missing_pair_is_explained_and_refused(tmp_path, argos_archives):
    models = tmp_path / "models"
    install_package(argos_archives[("de", "en")], models)
    engine = ArgosEngine(models)
    assert engine.route("en", "fr") is None
    assert "translation_install" in engine.why_unavailable("en", "fr")
    assert "English → French" in engine.why_unavailable("de", "fr")  # the missing half
    with pytest.raises(TranslationError):
        engine.translate_html("en", "fr", ["Hello."])


def test_unloaded_models_load_again(engine):
    before = engine.translate_html("en", "es", ARTICLE)
    engine.unload()
    assert engine._models == {}
    assert engine.translate_html("en", "es", ARTICLE) == before


def test_a_model_installed_while_running_is_picked_up(tmp_path, argos_archives):
    models = tmp_path / "models"
    install_package(argos_archives[("en", "fr")], models)
    engine = ArgosEngine(models)
    assert engine.route("en", "it") is None
    install_package(argos_archives[("en", "it")], models)
    assert engine.route("en", "it") is not None
    assert engine.translate_html("en", "it", ["Hello there."])[0]


def test_a_package_damaged_after_install_fails_with_a_translation_error(tmp_path, argos_archives):
    models = tmp_path / "models"
    package = install_package(argos_archives[("en", "fr")], models)
    (package.model_dir / "model.bin").write_bytes(b"damaged")
    engine = ArgosEngine(models)
    assert engine.route("en", "fr") is not None
    with pytest.raises(TranslationError, match="could not be loaded"):
        engine.translate_html("en", "fr", ["Hello."])


def test_runtime_failures_become_translation_errors(engine):
    model = engine.model(("en", "fr"))

    class Broken:
        def translate_batch(self, tokens, **options):
            raise RuntimeError("out of memory")

    model.translator = Broken()
    with pytest.raises(TranslationError, match="out of memory"):
        engine.translate_html("en", "fr", ["Hello."])


def test_threads_and_beam_come_from_the_settings(settings, installed_argos_models):
    settings.MASTHEAD_TRANSLATION_THREADS = 3
    settings.MASTHEAD_TRANSLATION_BEAM_SIZE = 1
    engine = get_engine()
    translator = engine.model(("en", "fr")).translator
    assert translator.num_translators == 3  # inter_threads: batches translated in parallel
    assert translator.compute_type.startswith("int8")
    options = engine.batch_options([["▁a", "▁b"]] * 90)
    assert options["beam_size"] == 1
    assert options["max_batch_size"] == 30  # one batch per worker
