"""Narrowing a search by section, author and first-publication dates."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from masthead.testing.translation import translate_page


@pytest.fixture
def stories(newsroom):
    harbour = newsroom.section("Harbour")
    city = newsroom.section("City")
    rosa = newsroom.author("Rosa Quill")
    li = newsroom.author("Li Wen")
    now = timezone.now()
    newsroom.article(harbour, "Harbour budget approved", [rosa], now - timedelta(days=40))
    newsroom.article(city, "City budget delayed", [li], now - timedelta(days=20))
    newsroom.article(city, "Budget vote in the city", [rosa, li], now - timedelta(days=2))
    return newsroom


def days_ago(days: int) -> str:
    return (timezone.now() - timedelta(days=days)).date().isoformat()


def test_by_section(stories, searcher):
    assert sorted(searcher.titles(q="budget", section="city")) == [
        "Budget vote in the city",
        "City budget delayed",
    ]
    assert searcher.titles(q="budget", section="harbour") == ["Harbour budget approved"]


def test_by_author(stories, searcher):
    assert sorted(searcher.titles(q="budget", author="rosa-quill")) == [
        "Budget vote in the city",
        "Harbour budget approved",
    ]
    assert sorted(searcher.titles(q="budget", author="li-wen")) == [
        "Budget vote in the city",
        "City budget delayed",
    ]


def test_by_dates_of_first_publication(stories, searcher):
    assert sorted(searcher.titles(q="budget", **{"from": days_ago(30)})) == [
        "Budget vote in the city",
        "City budget delayed",
    ]
    assert searcher.titles(q="budget", to=days_ago(30)) == ["Harbour budget approved"]
    assert searcher.titles(q="budget", **{"from": days_ago(25), "to": days_ago(10)}) == [
        "City budget delayed"
    ]


def test_filters_combine(stories, searcher):
    assert searcher.titles(
        q="budget", section="city", author="rosa-quill", **{"from": days_ago(5)}
    ) == ["Budget vote in the city"]


def test_a_bad_date_is_reported_and_left_out(stories, searcher):
    response = searcher.get(q="budget", **{"from": "2024-02-30"}, to="yesterday")

    assert len(response.context["results"].results) == 3
    page = response.content.decode()
    assert "Enter a date as YYYY-MM-DD; this one is left out." in page
    assert 'aria-invalid="true"' in page


def test_dates_the_wrong_way_round_leave_the_end_out(stories, searcher):
    response = searcher.get(q="budget", **{"from": days_ago(5), "to": days_ago(30)})

    assert searcher.titles(q="budget", **{"from": days_ago(5), "to": days_ago(30)}) == [
        "Budget vote in the city"
    ]
    assert response.context["form"].errors["to"]


def test_unknown_section_and_author_are_reported_and_left_out(stories, searcher):
    response = searcher.get(q="budget", section="nowhere", author="nobody")

    assert len(response.context["results"].results) == 3
    page = response.content.decode()
    assert "There is no such section; showing all sections." in page
    assert "There is no such author; showing all authors." in page


def test_filters_offer_the_readers_language_sections(stories, searcher):
    harbour = stories.home.get_children().get(slug="harbour").specific
    translate_page(harbour, "fr")

    choices = dict(searcher.get("/fr/search/").context["form"].fields["section"].choices)

    assert choices.get("harbour") == "[fr] Harbour"
    assert "city" not in choices  # not published in French


def test_no_results_with_filters_suggests_removing_them(stories, searcher):
    response = searcher.get(q="budget", section="harbour", author="li-wen")

    assert response.context["results"].count == 0
    page = response.content.decode()
    assert "No stories match" in page
    assert "Try removing the filters." in page
    assert 'href="/search/?q=budget"' in page


def test_date_filter_accepts_any_real_date(stories, searcher):
    assert searcher.titles(q="budget", **{"from": date(1, 1, 1).isoformat()}) != []
    assert searcher.titles(q="budget", **{"from": "9999-12-31"}) == []
