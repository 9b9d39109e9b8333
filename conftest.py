"""Test setup shared by every app: a throwaway data folder, tasks run inline, clean caches.

The environment is set here, before pytest-django loads the settings, so the suite never
touches the data folder of a real `./run`.
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")
os.environ["MASTHEAD_DATA_DIR"] = tempfile.mkdtemp(prefix="masthead-test-")
# Where `collectstatic` would put files; WhiteNoise warns when it doesn't exist.
Path(os.environ["MASTHEAD_DATA_DIR"], "static").mkdir()
os.environ["MASTHEAD_TASKS_BACKEND"] = "immediate"
os.environ["MASTHEAD_CACHE_PREFIX"] = "masthead-test"
os.environ.setdefault("MASTHEAD_LOG_LEVEL", "WARNING")

import django  # noqa: E402

# Set Django up now: pytest-django only does it itself when its own options name the settings.
django.setup()

import pytest  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

pytest_plugins = [
    "masthead.testing.fixtures",
    "masthead.testing.argos",
    "masthead.testing.translation",
    "masthead.testing.stripe",
    "masthead.testing.supporters",
    "masthead.testing.browser",
    "masthead.testing.pagecache",
    "masthead.testing.smtp",
    "masthead.testing.tips",
]


@pytest.fixture(autouse=True, scope="session")
def plain_static_files():
    """Pages render `{% static %}` without `collectstatic` having run for the test database.

    The real, hashed storage is exercised by the tests that start the server the way
    `./run` does.
    """
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    from django.core.cache import cache, caches

    from masthead.pagecache.store import page_store

    cache.clear()
    caches["renditions"].clear()
    page_store().clear()
    yield
