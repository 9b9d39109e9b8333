"""The front page: the editors' lead story (or the newest), the latest stories, section blocks."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

pytestmark = pytest.mark.django_db


def lead_html(html: str) -> str:
    start = html.index('aria-label="Lead story"')
    return html[start : html.index("</section>", start)]


def test_without_a_choice_the_newest_story_leads(client, small_newsroom):
    html = client.get("/").content.decode()
    assert "Canada story 1 days old" in lead_html(html)


def test_the_editors_choice_leads(client, small_newsroom):
    chosen = small_newsroom.home.get_descendants().get(slug="analysis-6-days-old").specific
    home = small_newsroom.home
    home.lead_story = chosen
    home.save_revision().publish()
    html = client.get("/").content.decode()
    assert "Analysis 6 days old" in lead_html(html)
    assert html.count('href="/analysis/analysis-6-days-old/"') == 1  # not repeated below


def test_an_unpublished_lead_falls_back_to_the_newest(client, small_newsroom):
    chosen = small_newsroom.home.get_descendants().get(slug="analysis-6-days-old").specific
    home = small_newsroom.home
    home.lead_story = chosen
    home.save_revision().publish()
    chosen.unpublish()
    html = client.get("/").content.decode()
    assert "Canada story 1 days old" in lead_html(html)
    assert "Analysis 6 days old" not in html


def test_latest_lists_every_story_once_and_sections_link_to_their_pages(client, small_newsroom):
    html = client.get("/").content.decode()
    for days in (1, 2, 3, 4, 5, 6, 7):
        assert html.count(f"{days} days old</a>") == 1
    assert '<a href="/canada/">Canada</a>' in html
    assert 'aria-label="Sections"' in html


def test_empty_newsroom_says_so(client, newsroom):
    response = client.get("/")
    assert response.status_code == 200
    assert "No stories have been published yet." in response.content.decode()


def test_home_page_sql_queries_do_not_grow_with_content(client, small_newsroom):
    def count() -> int:
        client.get("/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return len(queries)

    canada = small_newsroom.home.get_children().get(slug="canada").specific
    analysis = small_newsroom.home.get_children().get(slug="analysis").specific
    writers = [small_newsroom.author(f"Writer {n}") for n in range(3)]

    added = iter(range(1000))

    def add_stories(section, count: int) -> None:
        for _ in range(count):
            title = f"{section.title} extra {next(added)}"
            small_newsroom.article(section, title, writers, timezone.now())

    add_stories(canada, 3)  # enough that every block on the page has stories in it
    before = count()
    assert before <= 24
    add_stories(canada, 4)
    add_stories(analysis, 4)
    assert count() == before

    # A new section adds its block's few queries, the same however many stories it holds.
    latin_america = small_newsroom.section("Latin America")
    add_stories(latin_america, 1)
    with_section = count()
    assert with_section <= before + 4
    add_stories(latin_america, 5)
    assert count() == with_section
