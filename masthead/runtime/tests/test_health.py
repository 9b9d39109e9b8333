"""`/healthz`: load balancers learn whether this server can reach its database and caches."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings

from masthead.testing.fixtures import free_port

# transactional_db: the check opens connections itself, which a test transaction can't survive.
pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def unreachable_database(tmp_path: Path) -> Iterator[None]:
    """Point the default connection at a database nobody can open, then put it back."""
    saved_connection = connection.connection
    saved_settings = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = str(tmp_path / "no-such-folder" / "db.sqlite3")
    else:
        connection.settings_dict.update(HOST="127.0.0.1", PORT=str(free_port()))
    # Without closing (that would lose an in-memory test database): the next query reconnects.
    connection.connection = None
    try:
        yield
    finally:
        if connection.connection is not None:
            connection.connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved_settings)
        connection.connection = saved_connection


def redis_nobody_listens_on() -> dict:
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
    }


def working_cache(name: str) -> dict:
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": name}


def test_healthy_site_answers_200_and_is_never_cached(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"database": "ok", "cache": "ok"}
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Cache-Control"] == "no-store"


def test_balancers_may_ask_with_head(client):
    response = client.head("/healthz")
    assert response.status_code == 200
    assert response.content == b""


def test_only_reads_are_allowed(client):
    assert client.post("/healthz").status_code == 405


def test_unreachable_database_answers_503_without_details(client, tmp_path):
    with unreachable_database(tmp_path):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {"database": "failed", "cache": "ok"}
    assert response.headers["Cache-Control"] == "no-store"
    # Once the database is back, so is the site.
    assert client.get("/healthz").status_code == 200


@pytest.mark.parametrize("broken", ["default", "pages"])
def test_unreachable_cache_answers_503(client, broken):
    caches = {"default": working_cache("health-default"), "pages": working_cache("health-pages")}
    caches[broken] = redis_nobody_listens_on()
    with override_settings(CACHES=caches):  # resets django.core.cache.caches on entry and exit
        response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {"database": "ok", "cache": "failed"}
    assert b"127.0.0.1" not in response.content and b"redis" not in response.content.lower()
