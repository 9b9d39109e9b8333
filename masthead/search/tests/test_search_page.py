"""The search page: its empty states, its count, what search engines are told, and the
search box and OpenSearch link every page carries."""

import pytest


@pytest.fixture
def story(newsroom):
    section = newsroom.section("Harbour")
    return newsroom.article(section, "Harbour reopens", [newsroom.author("Rosa Quill")])


def test_without_a_query_the_page_prompts_for_one(story, searcher):
    response = searcher.get()
    page = response.content.decode()

    assert response.context["results"] is None
    assert "Type a word or a phrase to search the stories" in page
    assert 'role="search"' in page
    assert '<label for="search-q">Search for</label>' in page


def test_no_results_says_so(story, searcher):
    page = searcher.get(q="volcano").content.decode()

    assert "No stories match “volcano”." in page
    assert "Check the spelling" in page
    assert "Try removing the filters." not in page


def test_results_are_a_list_with_a_count(story, searcher):
    page = searcher.get(q="harbour").content.decode()

    assert "1 story matches “harbour”" in page
    assert '<ol class="search-result-list" role="list"' in page
    assert 'href="/harbour/harbour-reopens/"' in page
    assert "Rosa Quill" in page


def test_search_engines_are_kept_out_and_pointed_at_the_bare_page(story, searcher):
    response = searcher.get("/fr/search/", q="harbour", page="2")
    page = response.content.decode()

    assert '<meta name="robots" content="noindex">' in page
    assert response["X-Robots-Tag"] == "noindex"
    assert '<link rel="canonical" href="http://testserver/fr/search/">' in page
    assert page.count('rel="canonical"') == 1


def test_the_switcher_on_the_page_links_the_same_search(story, searcher):
    page = searcher.get(q="harbour").content.decode()

    assert 'href="/fr/search/?q=harbour"' in page
    assert 'href="/zh-hans/search/?q=harbour"' in page


def test_every_page_has_the_search_box_and_opensearch_link(story, client):
    for path, prefix in [("/", ""), ("/fr/", "/fr"), ("/harbour/harbour-reopens/", "")]:
        response = client.get(path)
        page = response.content.decode()
        assert response.status_code == 200, path
        assert f'action="{prefix}/search/"' in page
        assert 'name="q"' in page
        assert (
            '<link rel="search" type="application/opensearchdescription+xml" '
            f'title="The Test Ledger" href="{prefix}/opensearch.xml">'
        ) in page


def test_the_header_box_keeps_the_query_on_the_results_page(story, searcher):
    page = searcher.get(q='harbour "x').content.decode()
    assert 'id="site-search-q" name="q" value="harbour &quot;x"' in page
