"""Uploads on S3-compatible storage: MASTHEAD_MEDIA_STORAGE=s3 and its variables (no network)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from masthead.testing import fixtures

SHOW_STORAGE = """
import json
from django.conf import settings
from django.core.files.storage import default_storage
from masthead.newsroom.middleware import reader_page_policy
policy = reader_page_policy().split("; ")
print(json.dumps({
    "backend": settings.STORAGES["default"]["BACKEND"],
    "url": default_storage.url("images/front-page.jpg"),
    "img_src": next(part for part in policy if part.startswith("img-src")),
    "serves_media": settings.MASTHEAD_SERVE_MEDIA,
}))
"""


def environment(tmp_path, **variables: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "MASTHEAD_S3_", "MASTHEAD_MEDIA_"))
    }
    env.update(DJANGO_SETTINGS_MODULE="masthead.settings", MASTHEAD_DATA_DIR=str(tmp_path))
    env.update(variables)
    return env


def show_storage(tmp_path, **variables: str) -> dict:
    finished = fixtures.manage_py(
        environment(tmp_path, **variables), "shell", "-v", "0", "-c", SHOW_STORAGE
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    return json.loads(finished.stdout.strip().splitlines()[-1])


def test_local_disk_is_the_default(tmp_path):
    seen = show_storage(tmp_path)
    assert seen["backend"] == "django.core.files.storage.FileSystemStorage"
    assert seen["url"] == "/media/images/front-page.jpg"
    assert seen["serves_media"] is True


def test_a_bucket_at_another_provider(tmp_path):
    pytest.importorskip("storages")
    seen = show_storage(
        tmp_path,
        MASTHEAD_MEDIA_STORAGE="s3",
        MASTHEAD_S3_BUCKET="news-media",
        MASTHEAD_S3_ENDPOINT_URL="https://objects.example.net",
        MASTHEAD_S3_REGION="fr-par",
        MASTHEAD_S3_ACCESS_KEY_ID="AKEXAMPLE",
        MASTHEAD_S3_SECRET_ACCESS_KEY="not-a-real-secret",
    )
    assert seen["backend"] == "storages.backends.s3.S3Storage"
    # Public addresses without a signature, so cached pages keep working.
    assert seen["url"] == "https://objects.example.net/news-media/images/front-page.jpg"
    # Reader pages may show images from there; Masthead no longer serves /media/ itself.
    assert seen["img_src"] == "img-src 'self' data: https://objects.example.net"
    assert seen["serves_media"] is False


def test_aws_names_and_a_custom_domain(tmp_path):
    pytest.importorskip("storages")
    seen = show_storage(
        tmp_path,
        MASTHEAD_MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="news-media",
        AWS_ACCESS_KEY_ID="AKEXAMPLE",
        AWS_SECRET_ACCESS_KEY="not-a-real-secret",
        MASTHEAD_S3_CUSTOM_DOMAIN="media.news.example.org",
        MASTHEAD_S3_PREFIX="uploads",
    )
    assert seen["url"] == "https://media.news.example.org/uploads/images/front-page.jpg"
    assert seen["img_src"] == "img-src 'self' data: https://media.news.example.org"


def test_without_a_bucket_it_says_what_is_missing(tmp_path):
    pytest.importorskip("storages")
    finished = fixtures.manage_py(environment(tmp_path, MASTHEAD_MEDIA_STORAGE="s3"), "check")
    assert finished.returncode != 0
    assert "MASTHEAD_MEDIA_STORAGE=s3 needs the bucket's name in MASTHEAD_S3_BUCKET" in (
        finished.stderr
    )


def test_without_django_storages_it_says_what_to_install(tmp_path):
    # As if django-storages were not installed: importing it fails.
    script = "import sys; sys.modules['storages'] = None; import django; django.setup()"
    finished = subprocess.run(
        [sys.executable, "-c", script],
        cwd=fixtures.REPO_ROOT,
        env=environment(tmp_path, MASTHEAD_MEDIA_STORAGE="s3", MASTHEAD_S3_BUCKET="news-media"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert finished.returncode != 0
    assert "needs django-storages with boto3: pip install" in finished.stderr


def test_an_unknown_storage_is_refused(tmp_path):
    finished = fixtures.manage_py(environment(tmp_path, MASTHEAD_MEDIA_STORAGE="ftp"), "check")
    assert finished.returncode != 0
    assert "MASTHEAD_MEDIA_STORAGE must be local or s3, not 'ftp'" in finished.stderr
