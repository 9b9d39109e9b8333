"""Ten results a page; the page links keep the query and filters."""

from datetime import timedelta

import pytest
from django.utils import timezone


@pytest.fixture
def many_stories(newsroom):
    section = newsroom.section("Harbour")
    author = newsroom.author("Rosa Quill")
    now = timezone.now()
    for number in range(1, 24):
        newsroom.article(
            section, f"Harbour report {number}", [author], now - timedelta(hours=number)
        )
    return newsroom


def test_ten_results_a_page_with_the_total(many_stories, searcher):
    first = searcher.get(q="harbour report")
    results = first.context["results"]
    assert results.count == 23
    assert [r.article.title for r in results.results] == [
        f"Harbour report {number}" for number in range(1, 11)
    ]
    assert "23 stories match “harbour report”" in first.content.decode()

    assert searcher.titles(q="harbour report", page="3") == [
        f"Harbour report {number}" for number in range(21, 24)
    ]


def test_page_links_keep_the_query_and_filters(many_stories, searcher):
    page = searcher.get(q="harbour report", section="harbour", page="2").content.decode()

    assert 'href="?q=harbour+report&amp;section=harbour&amp;page=1" rel="prev"' in page
    assert 'href="?q=harbour+report&amp;section=harbour&amp;page=3" rel="next"' in page
    assert "Page 2 of 3" in page
    assert '<ol class="search-result-list" role="list" start="11">' in page


@pytest.mark.parametrize(
    ("page", "first"),
    [
        ("99999999999999999999", "Harbour report 21"),
        ("4", "Harbour report 21"),
        ("abc", "Harbour report 1"),
        ("-1", "Harbour report 1"),
        ("0", "Harbour report 1"),
        ("1e3", "Harbour report 1"),
        ("", "Harbour report 1"),
    ],
)
def test_out_of_range_and_malformed_pages(many_stories, searcher, page, first):
    assert searcher.titles(q="harbour report", page=page)[0] == first
