"""`manage.py translation_install`: installing model archives the way an operator does."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from masthead.testing.fixtures import REPO_ROOT
from masthead.translation.engines import get_engine


@pytest.fixture
def models(settings, tmp_path) -> Path:
    settings.MASTHEAD_TRANSLATION_MODELS_DIR = tmp_path / "models"
    settings.MASTHEAD_TRANSLATION_ENGINE = "argos"
    return tmp_path / "models"


def install(*paths: Path) -> str:
    output = StringIO()
    call_command("translation_install", *map(str, paths), stdout=output)
    return output.getvalue()


def test_installs_archives_and_says_what(models, argos_archives):
    output = install(argos_archives[("en", "fr")], argos_archives[("zh-hans", "en")])
    assert "English → French (translate-en_fr-0_0_1, version 0.0.1)" in output
    assert "Simplified Chinese → English (translate-zh_en-0_0_1" in output
    assert sorted(path.name for path in models.iterdir()) == [
        "translate-en_fr-0_0_1",
        "translate-zh_en-0_0_1",
    ]


def test_the_running_engine_sees_the_new_models(models, argos_archives):
    before = get_engine()
    assert before.route("en", "fr") is None
    install(argos_archives[("en", "fr")])
    after = get_engine()
    assert after is not before
    assert after.route("en", "fr").hops == (("en", "fr"),)
    assert after.translate_html("en", "fr", ["<b>Hello</b> there."])[0].startswith("<b>")


def test_a_bad_archive_is_an_error_and_installs_nothing(models, tmp_path, argos_archives):
    bad = tmp_path / "broken.argosmodel"
    bad.write_bytes(b"PK not really")
    with pytest.raises(CommandError) as failed:
        install(bad)
    assert "broken.argosmodel" in str(failed.value)
    assert "zip" in str(failed.value)
    assert not models.exists() or list(models.iterdir()) == []


def test_good_archives_beside_a_bad_one_are_still_installed(models, tmp_path, argos_archives):
    bad = tmp_path / "broken.argosmodel"
    bad.write_text("nope")
    with pytest.raises(CommandError, match=r"broken\.argosmodel"):
        install(argos_archives[("en", "de")], bad)
    assert [path.name for path in models.iterdir()] == ["translate-en_de-0_0_1"]


def test_the_command_exits_non_zero_on_a_bad_archive(tmp_path):
    bad = tmp_path / "broken.argosmodel"
    bad.write_text("nope")
    environment = {**os.environ, "MASTHEAD_TRANSLATION_MODELS_DIR": str(tmp_path / "models")}
    finished = subprocess.run(
        [sys.executable, "manage.py", "translation_install", str(bad)],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode != 0
    assert "broken.argosmodel" in finished.stderr
    assert "Traceback" not in finished.stderr
