"""An author's public page: who they are and their stories."""

import pytest

from masthead.newsroom.models import AuthorLink

pytestmark = pytest.mark.django_db


def test_shows_bio_links_and_only_their_published_stories(client, small_newsroom):
    canada = small_newsroom.home.get_children().get(slug="canada").specific
    ana = canada.get_children().first().specific.authors[0]
    AuthorLink.objects.create(author=ana, label="Website", url="https://example.org/ana")
    small_newsroom.article(canada, "Ana's draft", [ana], publish=False)

    response = client.get("/authors/ana-ferreira/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Ana Ferreira</h1>" in html
    assert "Investigations editor" in html
    assert 'href="https://example.org/ana"' in html
    assert html.count('class="card-title"') == 4
    assert "Analysis 2 days old" not in html
    assert "Ana&#x27;s draft" not in html


def test_unknown_author_is_not_found(client, small_newsroom):
    assert client.get("/authors/nobody-here/").status_code == 404


def test_search_engines_get_the_authors_role_and_bio(client, newsroom):
    newsroom.author("Mara Holt", role="Courts reporter", bio="<p>Mara covers <b>courts</b>.</p>")

    html = client.get("/authors/mara-holt/").content.decode()

    assert (
        '<meta name="description" content="Mara Holt, Courts reporter. Mara covers courts.">'
        in html
    )
