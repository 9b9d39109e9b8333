"""One `<link rel="canonical">` on every public page, naming the page's own address: its
language's version, its list page past the first, never tracking parameters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from masthead.newsroom.models import ARTICLES_PER_PAGE
from masthead.seo.tests.reading import Head, item_of_type, read
from masthead.testing.translation import translate_page

STORY = "/canada/canada-story-1-days-old/"


def canonicals(client, path: str) -> list[str]:
    return read(client, path).canonicals()


@pytest.fixture
def long_section(small_newsroom):
    """A section with two pages of stories, tagged and by one author."""
    section = small_newsroom.section("Harbour")
    author = small_newsroom.author("Rosa Quill")
    now = timezone.now()
    for n in range(ARTICLES_PER_PAGE + 2):
        small_newsroom.article(
            section, f"Harbour story {n}", [author], now - timedelta(hours=n), tags=("ports",)
        )
    return section


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", "http://testserver/"),
        ("/canada/", "http://testserver/canada/"),
        (STORY, f"http://testserver{STORY}"),
        ("/authors/ana-ferreira/", "http://testserver/authors/ana-ferreira/"),
        ("/tags/ports/", "http://testserver/tags/ports/"),
        ("/support/", "http://testserver/support/"),
        ("/support/manage/", "http://testserver/support/manage/"),
    ],
)
def test_every_public_page_has_exactly_one_canonical_of_its_own(
    client, small_newsroom, support_page, path, expected
):
    canada = small_newsroom.home.get_children().get(slug="canada").specific
    small_newsroom.article(canada, "Tagged", [], tags=("ports",))

    assert canonicals(client, path) == [expected]


def test_translations_have_their_own_canonical(client, small_newsroom):
    story = small_newsroom.home.get_descendants().get(slug="canada-story-1-days-old").specific
    translate_page(story, "fr")

    assert canonicals(client, f"/fr{STORY}") == [f"http://testserver/fr{STORY}"]
    assert canonicals(client, "/fr/authors/ana-ferreira/") == [
        "http://testserver/fr/authors/ana-ferreira/"
    ]


@pytest.mark.parametrize("listing", ["/harbour/", "/tags/ports/", "/authors/rosa-quill/"])
def test_a_later_list_page_is_its_own_canonical(client, long_section, listing):
    assert canonicals(client, f"{listing}?page=2") == [f"http://testserver{listing}?page=2"]
    assert canonicals(client, f"{listing}?page=1") == [f"http://testserver{listing}"]
    assert canonicals(client, listing) == [f"http://testserver{listing}"]


def test_page_numbers_out_of_range_name_the_page_shown(client, long_section):
    # The paginator shows the last page for a number past the end, the first for nonsense.
    assert canonicals(client, "/harbour/?page=99") == ["http://testserver/harbour/?page=2"]
    assert canonicals(client, "/harbour/?page=two") == ["http://testserver/harbour/"]


def test_tracking_parameters_are_left_out(client, small_newsroom):
    assert canonicals(client, f"{STORY}?utm_source=newsletter&fbclid=x") == [
        f"http://testserver{STORY}"
    ]
    assert canonicals(client, "/?page=2") == ["http://testserver/"]  # the front page has no pages


def test_og_url_and_structured_data_name_the_canonical(client, small_newsroom):
    head = read(client, f"{STORY}?utm_source=newsletter")
    (canonical,) = head.canonicals()

    assert head.first("og:url") == canonical
    assert item_of_type(head, "NewsArticle")["mainEntityOfPage"]["@id"] == canonical


def test_an_error_page_has_no_canonical(client, small_newsroom):
    response = client.get("/no-such-story/")

    assert response.status_code == 404
    assert Head(response.content.decode()).canonicals() == []
