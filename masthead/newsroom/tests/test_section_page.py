"""A section page: its own stories, newest first, twelve to a page."""

from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_lists_only_its_own_stories_newest_first(client, small_newsroom):
    html = client.get("/canada/").content.decode()
    positions = [html.index(f"Canada story {days} days old") for days in (1, 3, 5, 7)]
    assert positions == sorted(positions)
    assert "Analysis 2 days old" not in html


def test_paginates_twelve_at_a_time(client, newsroom):
    section = newsroom.section("Busy desk")
    author = newsroom.author("Prolific Writer")
    for n in range(14):
        newsroom.article(
            section, f"Story number {n:02d}", [author], timezone.now() - timedelta(hours=n)
        )
    first = client.get("/busy-desk/").content.decode()
    assert first.count('class="card-title"') == 12
    assert "Page 1 of 2" in first and 'rel="next"' in first
    second = client.get("/busy-desk/?page=2").content.decode()
    assert second.count('class="card-title"') == 2
    assert "Story number 13" in second
    # A page number past the end shows the last page rather than an error.
    assert "Story number 13" in client.get("/busy-desk/?page=99").content.decode()


def test_search_engines_get_the_sections_own_description(client, newsroom):
    newsroom.section("Courts", intro="Rulings, appeals and who pays for them.")

    html = client.get("/courts/").content.decode()

    assert '<meta name="description" content="Rulings, appeals and who pays for them.">' in html
