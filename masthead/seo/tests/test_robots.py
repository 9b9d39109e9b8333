"""robots.txt: crawlers stay out of the editor, tips, search results and donors' own pages in
every language, and are pointed at the sitemaps."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import override_settings

PREFIXES = ["/"] + [f"/{code}/" for code, _name in settings.LANGUAGES if code != "en"]


@pytest.fixture
def robots(client, db) -> list[str]:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "max-age=" in response["Cache-Control"]
    return response.content.decode().splitlines()


def disallowed(lines: list[str]) -> set[str]:
    return {line.removeprefix("Disallow: ") for line in lines if line.startswith("Disallow: ")}


def test_it_speaks_to_every_crawler_and_keeps_them_out_of_the_editor(robots):
    assert robots[0] == "User-agent: *"
    assert "/admin/" in disallowed(robots)
    # Nothing a reader should find is disallowed.
    assert "Disallow: /" not in robots
    assert "Disallow: " not in robots


@pytest.mark.parametrize("prefix", PREFIXES)
def test_tips_search_and_donor_pages_are_disallowed_in_every_language(robots, prefix):
    assert {
        f"{prefix}tips/",
        f"{prefix}search/",
        f"{prefix}support/manage/",
        f"{prefix}support/thanks/",
    } <= disallowed(robots)


def test_reader_pages_stay_allowed(robots):
    for path in disallowed(robots):
        assert path.endswith("/")
        assert path.rstrip("/").rsplit("/", 1)[-1] in {
            "admin",
            "tips",
            "search",
            "manage",
            "thanks",
            "confirm",
            "unsubscribe",
            "preferences",
        }


def test_it_names_the_sitemaps_with_absolute_addresses(robots, client):
    sitemaps = [line.removeprefix("Sitemap: ") for line in robots if line.startswith("Sitemap: ")]

    assert sitemaps == ["http://testserver/sitemap.xml", "http://testserver/sitemaps/news.xml"]


def test_a_new_language_needs_no_code(client, db):
    languages = [*settings.LANGUAGES, ("nl", "Nederlands")]
    with override_settings(LANGUAGES=languages):
        lines = client.get("/robots.txt").content.decode().splitlines()

    assert {"/nl/tips/", "/nl/search/", "/nl/support/manage/", "/nl/support/thanks/"} <= (
        disallowed(lines)
    )
