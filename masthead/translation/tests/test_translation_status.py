"""`manage.py translation_status`: what an operator learns about the engine and its models."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from masthead.translation.packages import install_package
from masthead.translation.tests.test_libretranslate import running_libretranslate


def status() -> str:
    output = StringIO()
    call_command("translation_status", stdout=output)
    return output.getvalue()


def route_table(output: str) -> dict[tuple[str, str], str]:
    """The route table's cells by (from, into)."""
    lines = output.splitlines()
    start = next(index for index, line in enumerate(lines) if line.startswith("Routes"))
    header = lines[start + 1].split()
    table = {}
    for line in lines[start + 2 : start + 2 + len(header)]:
        source, *cells = line.replace("via en", "via-en").split()
        targets = [code for code in header if code != source]
        table.update({(source, target): cell for target, cell in zip(targets, cells, strict=True)})
    return table


def test_all_english_models_make_every_pair_available(installed_argos_models):
    output = status()
    assert "argos" in output
    assert output.count("(0.0.1)") == 14
    assert "Missing" not in output
    table = route_table(output)
    assert len(table) == 56
    assert sum(cell == "direct" for cell in table.values()) == 14
    assert sum(cell == "via-en" for cell in table.values()) == 42
    assert table[("de", "fr")] == "via-en"
    assert table[("en", "zh-hans")] == "direct"


def test_missing_models_and_unusable_folders_are_listed(settings, tmp_path, argos_archives):
    models = tmp_path / "models"
    settings.MASTHEAD_TRANSLATION_MODELS_DIR = models
    settings.MASTHEAD_TRANSLATION_ENGINE = "argos"
    for pair in (("de", "en"), ("en", "fr")):
        install_package(argos_archives[pair], models)
    (models / "leftover").mkdir()
    output = status()
    assert "Missing English models (12 of 14)" in output
    assert "Russian → English" in output
    assert "leftover" in output
    table = route_table(output)
    assert table[("de", "fr")] == "via-en"
    assert table[("en", "fr")] == table[("de", "en")] == "direct"
    assert table[("fr", "de")] == "-"
    assert sum(cell == "-" for cell in table.values()) == 53


def test_no_engine(settings, tmp_path):
    settings.MASTHEAD_TRANSLATION_ENGINE = "none"
    settings.MASTHEAD_TRANSLATION_MODELS_DIR = tmp_path / "models"
    output = status()
    assert "none" in output
    assert "Routes" not in output


def test_a_libretranslate_server_and_its_pairs(settings):
    with running_libretranslate() as server:
        settings.MASTHEAD_TRANSLATION_ENGINE = "libretranslate"
        settings.MASTHEAD_LIBRETRANSLATE_URL = server.url
        output = status()
    assert server.url in output
    assert "English → " in output
    table = route_table(output)
    assert table[("en", "fr")] == table[("en", "zh-hans")] == "direct"
    assert table[("de", "fr")] == "-"


def test_an_unreachable_libretranslate_server(settings):
    settings.MASTHEAD_TRANSLATION_ENGINE = "libretranslate"
    settings.MASTHEAD_LIBRETRANSLATE_URL = "http://127.0.0.1:9"
    output = status()
    assert "could not be reached" in output
    assert set(route_table(output).values()) == {"-"}
