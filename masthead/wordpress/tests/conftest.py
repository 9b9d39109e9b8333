"""Running `manage.py import_wordpress` in tests, on exports the tests write themselves."""

from __future__ import annotations

from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from masthead.testing.wordpress import WxrExport


@dataclass
class ImportRun:
    output: str  # the report
    progress: str  # what went to stderr: the progress bar
    error: str  # the CommandError's message, if the command failed

    @property
    def succeeded(self) -> bool:
        return not self.error


@pytest.fixture(autouse=True)
def english():
    """Addresses as an English reader gets them, whatever language an earlier test (in the
    same process) left active."""
    with translation.override("en"):
        yield


@pytest.fixture
def run_import(tmp_path):
    """run_import(export_or_path, *options) → ImportRun."""

    def run(export: WxrExport | Path, *options: str) -> ImportRun:
        path = export if isinstance(export, Path) else export.write(tmp_path / "export.xml")
        out, err = StringIO(), StringIO()
        try:
            call_command("import_wordpress", str(path), *options, stdout=out, stderr=err)
        except CommandError as error:
            return ImportRun(out.getvalue(), err.getvalue(), str(error))
        return ImportRun(out.getvalue(), err.getvalue(), "")

    return run


@pytest.fixture
def wordpress_site() -> WxrExport:
    """A small WordPress site: two authors, categories (one nested), tags."""
    export = WxrExport()
    export.author("maria", display_name="María Gómez", email="maria@old.example.org")
    export.author(
        "oleg", display_name="Олег Петров", email="oleg@old.example.org", bio="Covers courts."
    )
    export.category("politics", "Politics")
    export.category("local-politics", "Local politics", parent="politics")
    export.category("climate", "Climate & Energy")
    export.tag("elections", "Elections")
    export.tag("water", "Water")
    return export
