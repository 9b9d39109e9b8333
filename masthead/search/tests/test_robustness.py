"""Whatever arrives in the address, the search page answers normally."""

import pytest

from masthead.search.query import MAX_QUERY_LENGTH

ODD_QUERIES = [
    {"q": '"unmatched quote'},
    {"q": '"""'},
    {"q": "'"},
    {"q": "a" * 10_000},
    {"q": "word " * 500},
    {"q": "-"},
    {"q": "-only"},
    {"q": "OR"},
    {"q": "harbour OR"},
    {"q": "!!!&&&|||(((:*"},
    {"q": "100%_ \\ harbour"},
    {"q": "<script>alert(1)</script>"},
    {"q": "har\x00bour"},
    {"q": "\x1b[31m"},
    {"q": "\ue000harbour\ue001"},
    {"q": "🚢⚓️ harbour"},
    {"q": "\uff28\uff21\uff32\uff22\uff2f\uff35\uff32"},  # full-width letters
    {"q": "harbour", "page": "99999999999999999999"},
    {"q": "harbour", "page": "abc"},
    {"q": "harbour", "page": "١٢"},
    {"q": "harbour", "from": "2024-13-45"},
    {"q": "harbour", "from": "99999-01-01"},
    {"q": "harbour", "to": "yesterday"},
    {"q": "harbour", "from": "2024-01-01", "to": "1900-01-01"},
    {"q": "harbour", "section": "../../etc"},
    {"q": "harbour", "section": "x" * 5000},
    {"q": "harbour", "author": "nobody"},
    {"q": "harbour", "author": "\x00"},
    {"section": "harbour"},
    {"q": ""},
    {"q": "   "},
]


@pytest.fixture
def story(newsroom):
    section = newsroom.section("Harbour")
    return newsroom.article(section, "Harbour reopens", [newsroom.author("Rosa Quill")])


@pytest.mark.parametrize("params", ODD_QUERIES)
def test_odd_input_gets_a_normal_page(story, client, params):
    response = client.get("/search/", params)

    assert response.status_code == 200
    results = response.content.split(b'class="search-results"', 1)[1]
    assert b"<mark><mark>" not in results
    assert b"\xee\x80\x80" not in results  # our private highlight markers


def test_repeated_and_list_parameters(story, client):
    response = client.get("/search/?q=harbour&q=reopens&page=1&page=2&section[]=x")
    assert response.status_code == 200


def test_raw_malformed_query_strings(story, client):
    for query_string in ["q=%", "q=%ZZ", "q=%C3%28", "q=harbour&&&=&page=%FF", "=&=&q"]:
        response = client.get(f"/search/?{query_string}")
        assert response.status_code == 200, query_string


def test_long_queries_are_cut(story, searcher):
    response = searcher.get(q="harbour " + "x" * 1000)
    assert len(response.context["query"].text) == MAX_QUERY_LENGTH
