"""Static files as `./run` serves them: `collectstatic` writes hashed names with Brotli and gzip
copies; WhiteNoise sends the compressed copy the browser asks for, and lets browsers keep hashed
files forever (their name changes with their content) but not the unhashed ones.

Every render-blocking file of a page (its stylesheets and synchronous scripts) is one of these:
served by Masthead itself, hashed, compressed and cached for good.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

FOREVER = "max-age=315360000, public, immutable"
MANIFEST_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# The reader pages' own files; the editor's (Wagtail's, thousands) are left out to keep this quick.
READER_APPS = {"newsroom", "supporters"}
STYLESHEET = re.compile(r'href="(/static/newsroom/masthead\.[0-9a-f]{12}\.css)"')
BLOCKING = re.compile(
    r"<link\b[^>]*\brel=\"stylesheet\"[^>]*>|<script\b(?![^>]*\b(?:async|defer|type=\"module\"))[^>]*\bsrc=[^>]*>"
)


def other_apps_static_folders() -> list[str]:
    folders = set()
    for finder in finders.get_finders():
        for path, _storage in finder.list([]):
            folders.add(Path(path).parts[0])
    return sorted(folders - READER_APPS)


@pytest.fixture
def collected(tmp_path) -> Client:
    """A client of a site whose static files were collected the way `./run` collects them."""
    with override_settings(STATIC_ROOT=tmp_path / "static", STORAGES=MANIFEST_STORAGES):
        call_command(
            "collectstatic",
            interactive=False,
            verbosity=0,
            ignore_patterns=other_apps_static_folders(),
        )
        # A new client: WhiteNoise looks through STATIC_ROOT when its middleware starts.
        yield Client()


def fetch(client: Client, url: str, encoding: str):
    response = client.get(url, headers={"accept-encoding": encoding})
    assert response.status_code == 200, url
    body = b"".join(response.streaming_content)
    return response, body


def test_collectstatic_writes_hashed_brotli_and_gzip_copies(collected, tmp_path):
    folder = tmp_path / "static" / "newsroom"
    hashed = [path.name for path in folder.glob("masthead.*")]
    assert any(re.fullmatch(r"masthead\.[0-9a-f]{12}\.css", name) for name in hashed)
    assert any(name.endswith(".css.br") for name in hashed)
    assert any(name.endswith(".css.gz") for name in hashed)


def test_hashed_files_come_compressed_and_are_kept_for_good(collected, small_newsroom):
    home = collected.get("/").content.decode()
    stylesheet = STYLESHEET.search(home).group(1)

    response, brotli_body = fetch(collected, stylesheet, "gzip, deflate, br")
    assert response["Content-Encoding"] == "br"
    assert response["Cache-Control"] == FOREVER
    assert "Accept-Encoding" in response["Vary"]

    response, gzip_body = fetch(collected, stylesheet, "gzip")
    assert response["Content-Encoding"] == "gzip"
    assert response["Cache-Control"] == FOREVER

    response, plain_body = fetch(collected, stylesheet, "identity")
    assert "Content-Encoding" not in response
    assert len(brotli_body) < len(gzip_body) < len(plain_body)


def test_unhashed_names_are_not_cached_for_long(collected):
    response, _body = fetch(collected, "/static/newsroom/masthead.css", "br")
    cache_control = response["Cache-Control"]
    assert "immutable" not in cache_control
    max_age = int(re.search(r"max-age=(\d+)", cache_control).group(1))
    assert max_age <= 3600


def test_every_render_blocking_file_is_our_own_hashed_compressed_one(collected, small_newsroom):
    for url in ("/", "/canada/canada-story-1-days-old/"):
        html = collected.get(url).content.decode()
        blocking = BLOCKING.findall(html)
        assert blocking, f"{url} has no stylesheet"
        for tag in blocking:
            address = re.search(r'\b(?:href|src)="([^"]+)"', tag).group(1)
            assert address.startswith("/static/"), f"{url} waits for {address}"
            response, _body = fetch(collected, address, "br")
            assert response["Cache-Control"] == FOREVER, address
            assert response["Content-Encoding"] == "br", address
